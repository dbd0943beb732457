//! Corrections of paid lines by the back office (`docs/back-office.md`, § A member's payments and corrections of lines):
//! `line_corrections` keeps, beside the untouched `care_lines`, each correction with who asked,
//! when and why, the old and new amounts reimbursed, who approved or refused it, and what it
//! made: the overpayment debt (`debt_id`) or the complementary payment still to make
//! (`complement_cents`, then `complement_payment_id` once a payment run paid it).
//!
//! The table is small (a few corrections a day per fund) and plain on both databases: it
//! names its line by `(sheet_id, date_of_care, line_no)` without a foreign key, as the other
//! tables do with the partitioned `care_lines` and `payments`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0023_line_corrections"
    }
}

#[derive(DeriveIden)]
enum LineCorrections {
    Table,
    Id,
    CaisseCode,
    MemberId,
    SheetId,
    DateOfCare,
    LineNo,
    PaymentId,
    Payee,
    Sender,
    OldCents,
    NewCents,
    Reason,
    Status,
    RequestedBy,
    RequestedAt,
    DecidedBy,
    DecidedAt,
    DebtId,
    ComplementCents,
    ComplementPaymentId,
}

const INDEXES: &[&str] = &[
    "CREATE INDEX ix_line_corrections_line ON line_corrections (sheet_id, line_no)",
    "CREATE INDEX ix_line_corrections_status ON line_corrections (caisse_code, status)",
    // One correction of a line waits for approval at a time: a form sent twice is refused.
    "CREATE UNIQUE INDEX ux_line_corrections_waiting ON line_corrections (sheet_id, line_no) \
     WHERE status = 'a_valider'",
    // What the payment run still has to pay.
    "CREATE INDEX ix_line_corrections_complement ON line_corrections (complement_payment_id, status)",
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
                    .table(LineCorrections::Table)
                    .col(uuid(LineCorrections::Id).primary_key())
                    .col(string_len(LineCorrections::CaisseCode, 3))
                    .col(uuid(LineCorrections::MemberId))
                    .col(uuid(LineCorrections::SheetId))
                    .col(date(LineCorrections::DateOfCare))
                    .col(small_integer(LineCorrections::LineNo))
                    .col(uuid(LineCorrections::PaymentId))
                    .col(string_len(LineCorrections::Payee, 16))
                    .col(string_len(LineCorrections::Sender, 20))
                    .col(big_integer(LineCorrections::OldCents))
                    .col(big_integer(LineCorrections::NewCents))
                    .col(string_len(LineCorrections::Reason, 1000))
                    .col(string_len(LineCorrections::Status, 16))
                    .col(uuid(LineCorrections::RequestedBy))
                    .col(timestamp_with_time_zone(LineCorrections::RequestedAt))
                    .col(uuid_null(LineCorrections::DecidedBy))
                    .col(timestamp_with_time_zone_null(LineCorrections::DecidedAt))
                    .col(uuid_null(LineCorrections::DebtId))
                    .col(big_integer(LineCorrections::ComplementCents).default(0))
                    .col(uuid_null(LineCorrections::ComplementPaymentId))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LineCorrections::Table).to_owned())
            .await?;
        Ok(())
    }
}
