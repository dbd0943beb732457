//! The account lifecycle: registration and activation links, provisional codes by post and
//! their print queue, contact changes (email, mobile, bank details with a cool-off),
//! notification preferences, closure, and security alerts for the fund.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_account_lifecycle"
    }
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
    Iban,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    NotifyEmail,
    NotifySms,
    BankFrozen,
    ClosedAt,
}

#[derive(DeriveIden)]
enum AccountLinks {
    Table,
    TokenHash,
    MemberId,
    Purpose,
    Payload,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum BankChanges {
    Table,
    Id,
    MemberId,
    Iban,
    RequestedAt,
    EffectiveAt,
    Status,
    DecidedAt,
}

#[derive(DeriveIden)]
enum ContactCodes {
    Table,
    Id,
    MemberId,
    Channel,
    Target,
    CodeHash,
    Attempts,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum ProvisionalCodes {
    Table,
    Id,
    MemberId,
    CodeHash,
    Attempts,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum PostalLetters {
    Table,
    Id,
    MemberId,
    Kind,
    Payload,
    CreatedAt,
    BatchId,
    BatchedAt,
}

#[derive(DeriveIden)]
enum SecurityAlerts {
    Table,
    Id,
    MemberId,
    CaisseCode,
    Kind,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
}

fn member_fk(table: impl IntoIden, column: impl IntoIden, name: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Members::Table, Members::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

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
        // SQLite adds one column per ALTER TABLE statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Members::Table)
                    .add_column(string_len_null(Members::Iban, 34))
                    .to_owned(),
            )
            .await?;
        for column in [
            boolean(Accounts::NotifyEmail).default(true).to_owned(),
            boolean(Accounts::NotifySms).default(false).to_owned(),
            boolean(Accounts::BankFrozen).default(false).to_owned(),
            timestamp_with_time_zone_null(Accounts::ClosedAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AccountLinks::Table)
                    .col(string_len(AccountLinks::TokenHash, 64).primary_key())
                    .col(uuid(AccountLinks::MemberId))
                    .col(string_len(AccountLinks::Purpose, 24))
                    .col(text_null(AccountLinks::Payload))
                    .col(timestamp_with_time_zone(AccountLinks::CreatedAt))
                    .col(timestamp_with_time_zone(AccountLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccountLinks::UsedAt))
                    .foreign_key(&mut member_fk(
                        AccountLinks::Table,
                        AccountLinks::MemberId,
                        "fk_account_links_member",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BankChanges::Table)
                    .col(uuid(BankChanges::Id).primary_key())
                    .col(uuid(BankChanges::MemberId))
                    .col(string_len(BankChanges::Iban, 34))
                    .col(timestamp_with_time_zone(BankChanges::RequestedAt))
                    .col(timestamp_with_time_zone(BankChanges::EffectiveAt))
                    .col(string_len(BankChanges::Status, 12))
                    .col(timestamp_with_time_zone_null(BankChanges::DecidedAt))
                    .foreign_key(&mut member_fk(
                        BankChanges::Table,
                        BankChanges::MemberId,
                        "fk_bank_changes_member",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContactCodes::Table)
                    .col(uuid(ContactCodes::Id).primary_key())
                    .col(uuid(ContactCodes::MemberId))
                    .col(string_len(ContactCodes::Channel, 8))
                    .col(string(ContactCodes::Target))
                    .col(string_len(ContactCodes::CodeHash, 64))
                    .col(integer(ContactCodes::Attempts))
                    .col(timestamp_with_time_zone(ContactCodes::CreatedAt))
                    .col(timestamp_with_time_zone(ContactCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ContactCodes::UsedAt))
                    .foreign_key(&mut member_fk(
                        ContactCodes::Table,
                        ContactCodes::MemberId,
                        "fk_contact_codes_member",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProvisionalCodes::Table)
                    .col(uuid(ProvisionalCodes::Id).primary_key())
                    .col(uuid(ProvisionalCodes::MemberId))
                    .col(string(ProvisionalCodes::CodeHash))
                    .col(integer(ProvisionalCodes::Attempts))
                    .col(timestamp_with_time_zone(ProvisionalCodes::CreatedAt))
                    .col(timestamp_with_time_zone(ProvisionalCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ProvisionalCodes::UsedAt))
                    .foreign_key(&mut member_fk(
                        ProvisionalCodes::Table,
                        ProvisionalCodes::MemberId,
                        "fk_provisional_codes_member",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PostalLetters::Table)
                    .col(uuid(PostalLetters::Id).primary_key())
                    .col(uuid(PostalLetters::MemberId))
                    .col(string_len(PostalLetters::Kind, 24))
                    .col(text_null(PostalLetters::Payload))
                    .col(timestamp_with_time_zone(PostalLetters::CreatedAt))
                    .col(uuid_null(PostalLetters::BatchId))
                    .col(timestamp_with_time_zone_null(PostalLetters::BatchedAt))
                    .foreign_key(&mut member_fk(
                        PostalLetters::Table,
                        PostalLetters::MemberId,
                        "fk_postal_letters_member",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SecurityAlerts::Table)
                    .col(uuid(SecurityAlerts::Id).primary_key())
                    .col(uuid(SecurityAlerts::MemberId))
                    .col(string_len(SecurityAlerts::CaisseCode, 3))
                    .col(string_len(SecurityAlerts::Kind, 32))
                    .col(timestamp_with_time_zone(SecurityAlerts::CreatedAt))
                    .col(timestamp_with_time_zone_null(SecurityAlerts::ResolvedAt))
                    .col(uuid_null(SecurityAlerts::ResolvedBy))
                    .foreign_key(&mut member_fk(
                        SecurityAlerts::Table,
                        SecurityAlerts::MemberId,
                        "fk_security_alerts_member",
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, table, columns) in [
            (
                "ix_account_links_member",
                AccountLinks::Table.into_iden(),
                vec![
                    AccountLinks::MemberId.into_iden(),
                    AccountLinks::Purpose.into_iden(),
                ],
            ),
            (
                "ix_bank_changes_member",
                BankChanges::Table.into_iden(),
                vec![BankChanges::MemberId.into_iden()],
            ),
            (
                "ix_bank_changes_due",
                BankChanges::Table.into_iden(),
                vec![
                    BankChanges::Status.into_iden(),
                    BankChanges::EffectiveAt.into_iden(),
                ],
            ),
            (
                "ix_contact_codes_member",
                ContactCodes::Table.into_iden(),
                vec![ContactCodes::MemberId.into_iden()],
            ),
            (
                "ix_provisional_codes_member",
                ProvisionalCodes::Table.into_iden(),
                vec![ProvisionalCodes::MemberId.into_iden()],
            ),
            (
                "ix_postal_letters_batch",
                PostalLetters::Table.into_iden(),
                vec![
                    PostalLetters::BatchId.into_iden(),
                    PostalLetters::CreatedAt.into_iden(),
                ],
            ),
            (
                "ix_postal_letters_member",
                PostalLetters::Table.into_iden(),
                vec![PostalLetters::MemberId.into_iden()],
            ),
            (
                "ix_security_alerts_fund",
                SecurityAlerts::Table.into_iden(),
                vec![
                    SecurityAlerts::CaisseCode.into_iden(),
                    SecurityAlerts::ResolvedAt.into_iden(),
                ],
            ),
            (
                "ix_security_alerts_member",
                SecurityAlerts::Table.into_iden(),
                vec![SecurityAlerts::MemberId.into_iden()],
            ),
        ] {
            let mut index = Index::create().name(name).table(table).to_owned();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SecurityAlerts::Table.into_iden(),
            PostalLetters::Table.into_iden(),
            ProvisionalCodes::Table.into_iden(),
            ContactCodes::Table.into_iden(),
            BankChanges::Table.into_iden(),
            AccountLinks::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Accounts::ClosedAt.into_iden(),
            Accounts::BankFrozen.into_iden(),
            Accounts::NotifySms.into_iden(),
            Accounts::NotifyEmail.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Members::Table)
                    .drop_column(Members::Iban)
                    .to_owned(),
            )
            .await
    }
}
