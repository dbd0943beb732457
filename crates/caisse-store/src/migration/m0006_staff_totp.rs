//! The staff's second factor (TOTP): the last time step accepted per staff user (a code is
//! accepted once, on every node), and the pending logins between the password and the code.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_staff_totp"
    }
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    TotpLastStep,
}

#[derive(DeriveIden)]
enum StaffLoginChallenges {
    Table,
    Id,
    StaffId,
    Binding,
    PendingSecret,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
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
        // Nullable, so nodes still running the previous release keep working (expand).
        manager
            .alter_table(
                Table::alter()
                    .table(Staff::Table)
                    .add_column(big_integer_null(Staff::TotpLastStep))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffLoginChallenges::Table)
                    .col(uuid(StaffLoginChallenges::Id).primary_key())
                    .col(uuid(StaffLoginChallenges::StaffId))
                    .col(string_len(StaffLoginChallenges::Binding, 64))
                    .col(string_len_null(StaffLoginChallenges::PendingSecret, 128))
                    .col(timestamp_with_time_zone(StaffLoginChallenges::CreatedAt))
                    .col(timestamp_with_time_zone(StaffLoginChallenges::ExpiresAt))
                    .col(timestamp_with_time_zone_null(
                        StaffLoginChallenges::ConsumedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_login_challenges_staff")
                            .from(StaffLoginChallenges::Table, StaffLoginChallenges::StaffId)
                            .to(Staff::Table, Staff::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            (
                "ix_staff_login_challenges_binding",
                StaffLoginChallenges::Binding,
            ),
            (
                "ix_staff_login_challenges_staff",
                StaffLoginChallenges::StaffId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(StaffLoginChallenges::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StaffLoginChallenges::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Staff::Table)
                    .drop_column(Staff::TotpLastStep)
                    .to_owned(),
            )
            .await
    }
}
