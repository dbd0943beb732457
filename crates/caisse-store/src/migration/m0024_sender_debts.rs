//! Debts of professionals (`docs/back-office.md`, § A member's payments and corrections of
//! lines): a line paid in tiers payant and corrected downwards leaves the sheet's sender owing
//! the difference to the fund. `sender_debts` keeps it, with the correction that made it
//! (`correction_id`, one debt per correction), until the sender's next payments have withheld
//! it all (`recovered_cents`, then `settled_at`).
//!
//! Small and plain on both databases, like `line_corrections`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0024_sender_debts"
    }
}

#[derive(DeriveIden)]
enum SenderDebts {
    Table,
    Id,
    CaisseCode,
    Sender,
    AmountCents,
    RecoveredCents,
    CorrectionId,
    CreatedAt,
    SettledAt,
}

const INDEXES: &[&str] = &[
    // A correction records one debt, even if its approval were sent twice.
    "CREATE UNIQUE INDEX ux_sender_debts_correction ON sender_debts (correction_id)",
    // What the payment run withholds: a sender's open debts, oldest first.
    "CREATE INDEX ix_sender_debts_open ON sender_debts (sender, caisse_code, created_at) \
     WHERE settled_at IS NULL",
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
                    .table(SenderDebts::Table)
                    .col(uuid(SenderDebts::Id).primary_key())
                    .col(string_len(SenderDebts::CaisseCode, 3))
                    .col(string_len(SenderDebts::Sender, 20))
                    .col(big_integer(SenderDebts::AmountCents))
                    .col(big_integer(SenderDebts::RecoveredCents).default(0))
                    .col(uuid(SenderDebts::CorrectionId))
                    .col(timestamp_with_time_zone(SenderDebts::CreatedAt))
                    .col(timestamp_with_time_zone_null(SenderDebts::SettledAt))
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
            .drop_table(Table::drop().table(SenderDebts::Table).to_owned())
            .await?;
        Ok(())
    }
}
