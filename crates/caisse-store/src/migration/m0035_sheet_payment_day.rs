//! `care_sheets.payment_day`: the day of the payment that paid the sheet, written with
//! `payment_id`. `payments` is partitioned by `payment_day` and keyed by `(id, payment_day)`:
//! with the day, « Mes paiements » reads each of a member's tiers-payant payments in its one
//! partition instead of probing the key of every month (issue 19, `docs/perf.md`).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0035_sheet_payment_day"
    }
}

#[derive(DeriveIden)]
enum CareSheets {
    Table,
    PaymentDay,
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
            .alter_table(
                Table::alter()
                    .table(CareSheets::Table)
                    .add_column(ColumnDef::new(CareSheets::PaymentDay).date().null())
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE care_sheets SET payment_day = p.payment_day FROM payments AS p \
                 WHERE p.id = care_sheets.payment_id",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CareSheets::Table)
                    .drop_column(CareSheets::PaymentDay)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
