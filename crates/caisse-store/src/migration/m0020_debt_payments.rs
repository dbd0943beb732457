//! Paying and contesting debts online (`docs/payments.md`, § Debts):
//!
//! - `member_debts.reference`: the debt's ISO 11649 creditor reference (`RF…`), unique,
//!   quoted by a member's bank transfer; given at insertion, or on first reading to the debts
//!   recorded before this migration;
//! - `member_debts.contest_thread_id`: the réclamation thread that contests the debt; its
//!   recovery pauses while that thread is open;
//! - `debt_payments`: what a member paid by transfer or card, unique per (channel, bank or
//!   provider transaction id), so a transfer recorded twice or a return replayed counts once;
//! - `debt_card_orders`: card payments started, with the amount the provider must confirm.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0020_debt_payments"
    }
}

#[derive(DeriveIden)]
enum MemberDebts {
    Table,
    Reference,
    ContestThreadId,
}

#[derive(DeriveIden)]
enum DebtPayments {
    Table,
    Id,
    DebtId,
    Channel,
    ExternalId,
    AmountCents,
    PaidOn,
    RecordedAt,
}

#[derive(DeriveIden)]
enum DebtCardOrders {
    Table,
    Id,
    DebtId,
    MemberId,
    AmountCents,
    CreatedAt,
    CompletedAt,
}

fn tables() -> [TableCreateStatement; 2] {
    [
        Table::create()
            .table(DebtPayments::Table)
            .col(uuid(DebtPayments::Id).primary_key())
            .col(uuid(DebtPayments::DebtId))
            .col(string_len(DebtPayments::Channel, 8))
            .col(string_len(DebtPayments::ExternalId, 64))
            .col(big_integer(DebtPayments::AmountCents))
            .col(date(DebtPayments::PaidOn))
            .col(timestamp_with_time_zone(DebtPayments::RecordedAt))
            .to_owned(),
        Table::create()
            .table(DebtCardOrders::Table)
            .col(uuid(DebtCardOrders::Id).primary_key())
            .col(uuid(DebtCardOrders::DebtId))
            .col(uuid(DebtCardOrders::MemberId))
            .col(big_integer(DebtCardOrders::AmountCents))
            .col(timestamp_with_time_zone(DebtCardOrders::CreatedAt))
            .col(timestamp_with_time_zone_null(DebtCardOrders::CompletedAt))
            .to_owned(),
    ]
}

const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX ux_member_debts_reference ON member_debts (reference)",
    // A transfer recorded twice, or a provider's return replayed, is one payment.
    "CREATE UNIQUE INDEX ux_debt_payments_external ON debt_payments (channel, external_id)",
    "CREATE INDEX ix_debt_payments_debt ON debt_payments (debt_id)",
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
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(MemberDebts::Table)
                    .add_column(string_len_null(MemberDebts::Reference, 25))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MemberDebts::Table)
                    .add_column(uuid_null(MemberDebts::ContestThreadId))
                    .to_owned(),
            )
            .await?;
        for table in tables() {
            manager.create_table(table).await?;
        }
        let db = manager.get_connection();
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DebtCardOrders::Table.into_iden(),
            DebtPayments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX ux_member_debts_reference")
            .await?;
        for column in [MemberDebts::ContestThreadId, MemberDebts::Reference] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MemberDebts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
