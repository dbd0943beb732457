//! « Mes paiements » reads a member's payments newest first: `payments` has
//! `ix_payments_member (member_id, payment_day)` and `care_sheets` its
//! `ix_care_sheets_member`; the indemnités journalières paid to an employer under
//! subrogation are found from `ij_payments`, which gets the same kind of index here.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0021_member_payments"
    }
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
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_ij_payments_member ON ij_payments (member_id, payment_day)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ix_ij_payments_member")
            .await?;
        Ok(())
    }
}
