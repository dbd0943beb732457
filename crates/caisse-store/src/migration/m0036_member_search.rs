//! `ix_members_fund_birth_date`: staff find a member of their fund by name and birth date
//! (issue 20). The fund and the day narrow 65 M members to a few dozen rows, which
//! `caisse-core` compares to the name typed with accents and case folded (a stored folded
//! name would have to follow every write of a name; the birth date alone, `m0030`'s index,
//! reads every fund's members born that day).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0036_member_search"
    }
}

#[derive(DeriveIden)]
enum Members {
    Table,
    CaisseCode,
    BirthDate,
}

const INDEX: &str = "ix_members_fund_birth_date";

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
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Members::Table)
                    .col(Members::CaisseCode)
                    .col(Members::BirthDate)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Members::Table).to_owned())
            .await
    }
}
