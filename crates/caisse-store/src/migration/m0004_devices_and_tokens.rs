//! New-device confirmation (login challenges, trusted devices) and API tokens.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_devices_and_tokens"
    }
}

#[derive(DeriveIden)]
enum LoginChallenges {
    Table,
    Id,
    MemberId,
    CodeHash,
    Binding,
    Attempts,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
}

#[derive(DeriveIden)]
enum TrustedDevices {
    Table,
    TokenHash,
    MemberId,
    Label,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    TokenHash,
    MemberId,
    Label,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
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
        manager
            .create_table(
                Table::create()
                    .table(LoginChallenges::Table)
                    .col(uuid(LoginChallenges::Id).primary_key())
                    .col(uuid(LoginChallenges::MemberId))
                    .col(string_len(LoginChallenges::CodeHash, 64))
                    .col(string_len_null(LoginChallenges::Binding, 64))
                    .col(integer(LoginChallenges::Attempts))
                    .col(timestamp_with_time_zone(LoginChallenges::CreatedAt))
                    .col(timestamp_with_time_zone(LoginChallenges::ExpiresAt))
                    .col(timestamp_with_time_zone_null(LoginChallenges::ConsumedAt))
                    .foreign_key(&mut member_fk(
                        LoginChallenges::Table,
                        LoginChallenges::MemberId,
                        "fk_login_challenges_member",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrustedDevices::Table)
                    .col(string_len(TrustedDevices::TokenHash, 64).primary_key())
                    .col(uuid(TrustedDevices::MemberId))
                    .col(string_len(TrustedDevices::Label, 256))
                    .col(timestamp_with_time_zone(TrustedDevices::CreatedAt))
                    .col(timestamp_with_time_zone(TrustedDevices::LastUsedAt))
                    .col(timestamp_with_time_zone_null(TrustedDevices::RevokedAt))
                    .foreign_key(&mut member_fk(
                        TrustedDevices::Table,
                        TrustedDevices::MemberId,
                        "fk_trusted_devices_member",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(string_len(ApiTokens::TokenHash, 64).primary_key())
                    .col(uuid(ApiTokens::MemberId))
                    .col(string_len(ApiTokens::Label, 256))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(&mut member_fk(
                        ApiTokens::Table,
                        ApiTokens::MemberId,
                        "fk_api_tokens_member",
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, table, column) in [
            (
                "ix_login_challenges_member",
                LoginChallenges::Table.into_iden(),
                LoginChallenges::MemberId.into_iden(),
            ),
            (
                "ix_trusted_devices_member",
                TrustedDevices::Table.into_iden(),
                TrustedDevices::MemberId.into_iden(),
            ),
            (
                "ix_api_tokens_member",
                ApiTokens::Table.into_iden(),
                ApiTokens::MemberId.into_iden(),
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ApiTokens::Table.into_iden(),
            TrustedDevices::Table.into_iden(),
            LoginChallenges::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
