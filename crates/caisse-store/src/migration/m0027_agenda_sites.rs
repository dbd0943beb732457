//! « Mon agenda », second part: the fund's branches (address, opening hours, closures), the
//! site of an advisor's hours at a branch, what an appointment is linked to (a message thread
//! or a dossier), its reminder, the waiting list, and the attachment of a mail (the `.ics` of
//! a confirmation).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0027_agenda_sites"
    }
}

#[derive(DeriveIden)]
enum AgendaSites {
    Table,
    Id,
    CaisseCode,
    Name,
    Address,
    Postcode,
    City,
    OpeningHours,
    Active,
}

#[derive(DeriveIden)]
enum AgendaClosures {
    Table,
    Id,
    SiteId,
    StartsAt,
    EndsAt,
    Reason,
}

#[derive(DeriveIden)]
enum AgendaHours {
    Table,
    SiteId,
}

#[derive(DeriveIden)]
enum Appointments {
    Table,
    SiteId,
    ThreadId,
    DossierId,
    ReminderDueAt,
    RemindedAt,
    OutcomeBy,
}

#[derive(DeriveIden)]
enum AgendaWaiting {
    Table,
    Id,
    CaisseCode,
    MemberId,
    MotifId,
    Channel,
    SiteId,
    EarliestOffered,
    CreatedAt,
    OfferedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    AttachmentName,
    AttachmentType,
    AttachmentBody,
}

const INDEXES: &[&str] = &[
    "CREATE INDEX ix_agenda_sites_fund ON agenda_sites (caisse_code, name)",
    "CREATE INDEX ix_agenda_closures_site ON agenda_closures (site_id, starts_at)",
    "CREATE INDEX ix_appointments_reminder ON appointments (reminder_due_at)",
    "CREATE INDEX ix_appointments_fund_start ON appointments (caisse_code, starts_at)",
    "CREATE INDEX ix_agenda_waiting_motif ON agenda_waiting (motif_id, closed_at)",
    "CREATE INDEX ix_agenda_waiting_member ON agenda_waiting (member_id)",
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
                    .table(AgendaSites::Table)
                    .col(uuid(AgendaSites::Id).primary_key())
                    .col(string_len(AgendaSites::CaisseCode, 3))
                    .col(string_len(AgendaSites::Name, 120))
                    .col(string_len(AgendaSites::Address, 200))
                    .col(string_len(AgendaSites::Postcode, 5))
                    .col(string_len(AgendaSites::City, 80))
                    .col(text(AgendaSites::OpeningHours))
                    .col(boolean(AgendaSites::Active))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgendaClosures::Table)
                    .col(uuid(AgendaClosures::Id).primary_key())
                    .col(uuid(AgendaClosures::SiteId))
                    .col(timestamp_with_time_zone(AgendaClosures::StartsAt))
                    .col(timestamp_with_time_zone(AgendaClosures::EndsAt))
                    .col(string_len(AgendaClosures::Reason, 200))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgendaWaiting::Table)
                    .col(uuid(AgendaWaiting::Id).primary_key())
                    .col(string_len(AgendaWaiting::CaisseCode, 3))
                    .col(uuid(AgendaWaiting::MemberId))
                    .col(uuid(AgendaWaiting::MotifId))
                    .col(string_len(AgendaWaiting::Channel, 16))
                    .col(uuid_null(AgendaWaiting::SiteId))
                    .col(timestamp_with_time_zone(AgendaWaiting::EarliestOffered))
                    .col(timestamp_with_time_zone(AgendaWaiting::CreatedAt))
                    .col(timestamp_with_time_zone_null(AgendaWaiting::OfferedAt))
                    .col(timestamp_with_time_zone_null(AgendaWaiting::ClosedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AgendaHours::Table)
                    .add_column(uuid_null(AgendaHours::SiteId))
                    .to_owned(),
            )
            .await?;
        for column in [
            uuid_null(Appointments::SiteId),
            uuid_null(Appointments::ThreadId),
            uuid_null(Appointments::DossierId),
            timestamp_with_time_zone_null(Appointments::ReminderDueAt),
            timestamp_with_time_zone_null(Appointments::RemindedAt),
            uuid_null(Appointments::OutcomeBy),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Appointments::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            string_len_null(Outbox::AttachmentName, 100),
            string_len_null(Outbox::AttachmentType, 100),
            text_null(Outbox::AttachmentBody),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The indexes on the columns this migration added go first (SQLite refuses to drop an
        // indexed column); those of the dropped tables go with them.
        for (name, table) in [
            ("ix_appointments_reminder", Appointments::Table.into_iden()),
            (
                "ix_appointments_fund_start",
                Appointments::Table.into_iden(),
            ),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(AgendaHours::Table)
                    .drop_column(AgendaHours::SiteId)
                    .to_owned(),
            )
            .await?;
        for column in [
            Appointments::SiteId,
            Appointments::ThreadId,
            Appointments::DossierId,
            Appointments::ReminderDueAt,
            Appointments::RemindedAt,
            Appointments::OutcomeBy,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Appointments::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Outbox::AttachmentName,
            Outbox::AttachmentType,
            Outbox::AttachmentBody,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            AgendaWaiting::Table.into_iden(),
            AgendaClosures::Table.into_iden(),
            AgendaSites::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
