//! `ix_care_sheets_payable` replaces `ix_care_sheets_to_pay`, in the order the payment runs
//! read the liquidated sheets (fund, payee, member, day of care): with only the fund and the payee, each run sorted every
//! liquidated sheet to take its first 20,000, so that a backlog of 10⁶ sheets made each run
//! several seconds long (`docs/perf.md`). On PostgreSQL the index is made on every partition.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0022_payable_order"
    }
}

const OLD: &str = "ix_care_sheets_to_pay";
const NEW: &str = "ix_care_sheets_payable";

#[expect(
    elided_lifetimes_in_paths,
    reason = "the signature must match MigrationTrait's async_trait declaration"
)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "CREATE INDEX {NEW} ON care_sheets (caisse_code, payee, member_id, date_of_care) \
             WHERE state = 'liquidee'"
        ))
        .await?;
        db.execute_unprepared(&format!("DROP INDEX {OLD}")).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "CREATE INDEX {OLD} ON care_sheets (caisse_code, payee) WHERE state = 'liquidee'"
        ))
        .await?;
        db.execute_unprepared(&format!("DROP INDEX {NEW}")).await?;
        Ok(())
    }
}
