//! Member quotas: one row per member that serialises what a member may do only so many
//! times (messages sent today, attachment drafts kept), and counts the day's sends.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_member_quotas"
    }
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MemberQuotas {
    Table,
    MemberId,
    Day,
    Sends,
    UpdatedAt,
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
                    .table(MemberQuotas::Table)
                    .col(uuid(MemberQuotas::MemberId).primary_key())
                    .col(date(MemberQuotas::Day))
                    .col(integer(MemberQuotas::Sends))
                    .col(timestamp_with_time_zone(MemberQuotas::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_member_quotas_member")
                            .from(MemberQuotas::Table, MemberQuotas::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MemberQuotas::Table).to_owned())
            .await
    }
}
