//! The foundation schema: member file, portal accounts, staff, sessions, outbox and audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
    Nir,
    LastName,
    UsageName,
    FirstName,
    BirthDate,
    Sex,
    CaisseCode,
    VitaleSerial,
    AddressLine1,
    AddressLine2,
    PostalCode,
    City,
    Email,
    Phone,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Beneficiaries {
    Table,
    Id,
    MemberId,
    Rank,
    LastName,
    FirstName,
    BirthDate,
    Sex,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    MemberId,
    PasswordHash,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    Login,
    DisplayName,
    Email,
    Role,
    CaisseCode,
    PasswordHash,
    TotpSecret,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenHash,
    SubjectKind,
    SubjectId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    RevokedAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Channel,
    Recipient,
    Subject,
    BodyText,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorKind,
    ActorId,
    Action,
    SubjectKind,
    SubjectId,
    Ip,
    UserAgent,
    Details,
}

#[expect(
    elided_lifetimes_in_paths,
    reason = "the signature must match MigrationTrait's async_trait declaration"
)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// SQLite's DDL is transactional too: a failed migration leaves nothing half-built.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Members::Table)
                    .col(uuid(Members::Id).primary_key())
                    .col(string_len_uniq(Members::Nir, 15))
                    .col(string(Members::LastName))
                    .col(string_null(Members::UsageName))
                    .col(string(Members::FirstName))
                    .col(date(Members::BirthDate))
                    .col(string_len(Members::Sex, 1))
                    .col(string_len(Members::CaisseCode, 3))
                    .col(string_null(Members::VitaleSerial))
                    .col(string(Members::AddressLine1))
                    .col(string_null(Members::AddressLine2))
                    .col(string_len(Members::PostalCode, 10))
                    .col(string(Members::City))
                    .col(string_null(Members::Email))
                    .col(string_null(Members::Phone))
                    .col(timestamp_with_time_zone(Members::CreatedAt))
                    .col(timestamp_with_time_zone(Members::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Beneficiaries::Table)
                    .col(uuid(Beneficiaries::Id).primary_key())
                    .col(uuid(Beneficiaries::MemberId))
                    .col(small_integer(Beneficiaries::Rank))
                    .col(string(Beneficiaries::LastName))
                    .col(string(Beneficiaries::FirstName))
                    .col(date(Beneficiaries::BirthDate))
                    .col(string_len(Beneficiaries::Sex, 1))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_beneficiaries_member")
                            .from(Beneficiaries::Table, Beneficiaries::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_beneficiaries_member_rank")
                    .table(Beneficiaries::Table)
                    .col(Beneficiaries::MemberId)
                    .col(Beneficiaries::Rank)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(uuid(Accounts::MemberId).primary_key())
                    .col(string(Accounts::PasswordHash))
                    .col(string_len(Accounts::Status, 16))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone(Accounts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_member")
                            .from(Accounts::Table, Accounts::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Staff::Table)
                    .col(uuid(Staff::Id).primary_key())
                    .col(string_len_uniq(Staff::Login, 64))
                    .col(string(Staff::DisplayName))
                    .col(string_null(Staff::Email))
                    .col(string_len(Staff::Role, 16))
                    .col(string_len(Staff::CaisseCode, 3))
                    .col(string(Staff::PasswordHash))
                    .col(string_null(Staff::TotpSecret))
                    .col(boolean(Staff::Active))
                    .col(timestamp_with_time_zone(Staff::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string_len(Sessions::TokenHash, 64).primary_key())
                    .col(string_len(Sessions::SubjectKind, 8))
                    .col(uuid(Sessions::SubjectId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                    .col(string_len(Sessions::Ip, 64))
                    .col(string_len(Sessions::UserAgent, 256))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_subject")
                    .table(Sessions::Table)
                    .col(Sessions::SubjectKind)
                    .col(Sessions::SubjectId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(uuid(Outbox::Id).primary_key())
                    .col(string_len(Outbox::Channel, 8))
                    .col(string(Outbox::Recipient))
                    .col(string(Outbox::Subject))
                    .col(text(Outbox::BodyText))
                    .col(string_len(Outbox::Status, 12))
                    .col(integer(Outbox::Attempts))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Outbox::LockedUntil))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_status_due")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(uuid(AuditEvents::Id).primary_key())
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    .col(string_len(AuditEvents::ActorKind, 16))
                    .col(uuid_null(AuditEvents::ActorId))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len_null(AuditEvents::SubjectKind, 16))
                    .col(uuid_null(AuditEvents::SubjectId))
                    .col(string_len(AuditEvents::Ip, 64))
                    .col(string_len(AuditEvents::UserAgent, 256))
                    .col(text(AuditEvents::Details))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_subject")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::SubjectKind)
                    .col(AuditEvents::SubjectId)
                    .col(AuditEvents::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            Outbox::Table.into_iden(),
            Sessions::Table.into_iden(),
            Staff::Table.into_iden(),
            Accounts::Table.into_iden(),
            Beneficiaries::Table.into_iden(),
            Members::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
