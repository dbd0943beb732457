//! « Mon agenda » (issue 16): a fund's motifs of appointment, its sites (branches), each
//! advisor's weekly hours by channel and their absences, and the appointments booked.
//!
//! No double booking, ever: on PostgreSQL an exclusion constraint forbids two confirmed
//! appointments of one advisor whose time ranges overlap (`btree_gist`); on SQLite, triggers
//! refuse the same inside the single writer's transaction. Either way the database is the
//! judge, whatever the concurrency.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0026_agenda"
    }
}

#[derive(DeriveIden)]
enum AgendaMotifs {
    Table,
    Id,
    CaisseCode,
    Code,
    Label,
    Channels,
    DurationMinutes,
    MinNoticeHours,
    HorizonDays,
    Documents,
    DemarcheCode,
    Active,
}

#[derive(DeriveIden)]
enum AgendaHours {
    Table,
    Id,
    StaffId,
    Channel,
    Weekday,
    StartMinute,
    EndMinute,
}

#[derive(DeriveIden)]
enum AgendaAbsences {
    Table,
    Id,
    StaffId,
    StartsAt,
    EndsAt,
    Reason,
}

#[derive(DeriveIden)]
enum Appointments {
    Table,
    Id,
    CaisseCode,
    MemberId,
    StaffId,
    MotifId,
    Channel,
    StartsAt,
    EndsAt,
    Status,
    Phone,
    BookedBy,
    CreatedAt,
    UpdatedAt,
}

const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX ux_agenda_motifs_code ON agenda_motifs (caisse_code, code)",
    "CREATE INDEX ix_agenda_hours_staff ON agenda_hours (staff_id, weekday)",
    "CREATE INDEX ix_agenda_absences_staff ON agenda_absences (staff_id, starts_at)",
    "CREATE INDEX ix_appointments_staff ON appointments (staff_id, starts_at)",
    "CREATE INDEX ix_appointments_member ON appointments (member_id, starts_at)",
];

const POSTGRES_GUARD: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE appointments ADD CONSTRAINT appointments_no_double_booking \
     EXCLUDE USING gist (staff_id WITH =, tstzrange(starts_at, ends_at) WITH &&) \
     WHERE (status = 'confirme')",
];

/// SQLite has no exclusion constraint: these triggers refuse, in the writer's transaction, a
/// confirmed appointment overlapping another of the same advisor. Times are stored as UTC
/// text of one format, so they compare as text.
const SQLITE_GUARD: &[&str] = &[
    "CREATE TRIGGER appointments_no_double_booking_insert BEFORE INSERT ON appointments \
     WHEN NEW.status = 'confirme' AND EXISTS (SELECT 1 FROM appointments AS a \
       WHERE a.staff_id = NEW.staff_id AND a.status = 'confirme' \
       AND a.starts_at < NEW.ends_at AND NEW.starts_at < a.ends_at) \
     BEGIN SELECT RAISE(ABORT, 'appointments_no_double_booking'); END",
    "CREATE TRIGGER appointments_no_double_booking_update \
     BEFORE UPDATE OF staff_id, starts_at, ends_at, status ON appointments \
     WHEN NEW.status = 'confirme' AND EXISTS (SELECT 1 FROM appointments AS a \
       WHERE a.id <> NEW.id AND a.staff_id = NEW.staff_id AND a.status = 'confirme' \
       AND a.starts_at < NEW.ends_at AND NEW.starts_at < a.ends_at) \
     BEGIN SELECT RAISE(ABORT, 'appointments_no_double_booking'); END",
];

#[expect(
    elided_lifetimes_in_paths,
    reason = "the signature must match MigrationTrait's async_trait declaration"
)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AgendaMotifs::Table)
                    .col(uuid(AgendaMotifs::Id).primary_key())
                    .col(string_len(AgendaMotifs::CaisseCode, 3))
                    .col(string_len(AgendaMotifs::Code, 48))
                    .col(string_len(AgendaMotifs::Label, 200))
                    .col(string_len(AgendaMotifs::Channels, 32))
                    .col(integer(AgendaMotifs::DurationMinutes))
                    .col(integer(AgendaMotifs::MinNoticeHours))
                    .col(integer(AgendaMotifs::HorizonDays))
                    .col(text(AgendaMotifs::Documents))
                    .col(string_len_null(AgendaMotifs::DemarcheCode, 48))
                    .col(boolean(AgendaMotifs::Active))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgendaHours::Table)
                    .col(uuid(AgendaHours::Id).primary_key())
                    .col(uuid(AgendaHours::StaffId))
                    .col(string_len(AgendaHours::Channel, 16))
                    .col(small_integer(AgendaHours::Weekday))
                    .col(small_integer(AgendaHours::StartMinute))
                    .col(small_integer(AgendaHours::EndMinute))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgendaAbsences::Table)
                    .col(uuid(AgendaAbsences::Id).primary_key())
                    .col(uuid(AgendaAbsences::StaffId))
                    .col(timestamp_with_time_zone(AgendaAbsences::StartsAt))
                    .col(timestamp_with_time_zone(AgendaAbsences::EndsAt))
                    .col(string_len(AgendaAbsences::Reason, 200))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Appointments::Table)
                    .col(uuid(Appointments::Id).primary_key())
                    .col(string_len(Appointments::CaisseCode, 3))
                    .col(uuid(Appointments::MemberId))
                    .col(uuid(Appointments::StaffId))
                    .col(uuid(Appointments::MotifId))
                    .col(string_len(Appointments::Channel, 16))
                    .col(timestamp_with_time_zone(Appointments::StartsAt))
                    .col(timestamp_with_time_zone(Appointments::EndsAt))
                    .col(string_len(Appointments::Status, 16))
                    .col(string_len_null(Appointments::Phone, 20))
                    .col(uuid_null(Appointments::BookedBy))
                    .col(timestamp_with_time_zone(Appointments::CreatedAt))
                    .col(timestamp_with_time_zone(Appointments::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        let guard = match db.get_database_backend() {
            DbBackend::Postgres => POSTGRES_GUARD,
            _ => SQLITE_GUARD,
        };
        for sql in guard {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Appointments::Table.into_iden(),
            AgendaAbsences::Table.into_iden(),
            AgendaHours::Table.into_iden(),
            AgendaMotifs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
