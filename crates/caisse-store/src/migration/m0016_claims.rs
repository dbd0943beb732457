//! The claims engine's tables (`docs/claims-rules.md`, `docs/claims-format.md`):
//!
//! - `claim_senders`: one row per key a professional or establishment sends lots with (the
//!   key's SHA-256 only), scoped to a fund, with the IBAN tiers-payant payments go to;
//! - `claim_lots`: one row per accepted lot, unique per (fund, sender, number): a lot sent
//!   twice is accepted once, and the second answer is the stored acknowledgement;
//! - `care_sheets`: one row per accepted sheet, its lines as JSON, its state and, once
//!   liquidated, its totals; `care_lines`: the liquidated lines with the rule behind every
//!   amount; `deduction_counters`: participations and franchises taken per beneficiary, per
//!   year and per day;
//! - `payments` (one per payee per payment day) and `member_debts` with their recoveries.
//!
//! On PostgreSQL `care_sheets` and `care_lines` are partitioned by month of the day of care
//! and `payments` by month of the payment day (declarative range partitioning); the months
//! are created ahead by `caisse_store::partitions`. Their primary keys hold the partition key,
//! as PostgreSQL requires. SQLite keeps plain tables with the same columns.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_claims"
    }
}

#[derive(DeriveIden)]
enum ClaimSenders {
    Table,
    Id,
    CaisseCode,
    Sender,
    Name,
    Iban,
    KeyHash,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ClaimLots {
    Table,
    Id,
    CaisseCode,
    Sender,
    Number,
    ReceivedAt,
    Source,
    SheetsAccepted,
    SheetsRejected,
    Acknowledgement,
}

#[derive(DeriveIden)]
enum CareSheets {
    Table,
    Id,
    DateOfCare,
    CaisseCode,
    LotId,
    Number,
    MemberId,
    Rank,
    Sender,
    Professional,
    Prescriber,
    TiersPayant,
    ComplementaryRequested,
    Parcours,
    Lines,
    ChargedCents,
    Fingerprint,
    State,
    ReceivedAt,
    LiquidatedAt,
    PaidAt,
    RejectedAt,
    Rejection,
    Payee,
    BaseCents,
    AmoCents,
    RegimeLocalCents,
    DeductionsCents,
    PaidCents,
    WithheldCents,
    MemberDebtCents,
    PaymentId,
}

#[derive(DeriveIden)]
enum CareLines {
    Table,
    SheetId,
    DateOfCare,
    LineNo,
    MemberId,
    Code,
    Category,
    Quantity,
    CoefficientHundredths,
    ChargedCents,
    TariffCents,
    BaseCents,
    RateBp,
    RateRule,
    AmoCents,
    RegimeLocalRateBp,
    RegimeLocalCents,
    C2sCents,
    ExcessCents,
    DeductionKind,
    DeductionDueCents,
    DeductionAppliedCents,
    DeductionLimit,
}

#[derive(DeriveIden)]
enum DeductionCounters {
    Table,
    MemberId,
    Rank,
    Period,
    CounterKey,
    Cents,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    PaymentDay,
    CaisseCode,
    PayeeKind,
    MemberId,
    Sender,
    PayeeName,
    Iban,
    AmountCents,
    RecoveredCents,
    Sheets,
    CreatedAt,
    ExportedAt,
}

#[derive(DeriveIden)]
enum MemberDebts {
    Table,
    Id,
    CaisseCode,
    MemberId,
    SheetId,
    DateOfCare,
    AmountCents,
    RecoveredCents,
    CreatedAt,
    NoticeAt,
    SettledAt,
}

#[derive(DeriveIden)]
enum DebtRecoveries {
    Table,
    DebtId,
    PaymentId,
    AmountCents,
    RecoveredAt,
}

fn tables() -> Vec<(TableCreateStatement, Option<&'static str>)> {
    vec![
        (
            Table::create()
                .table(ClaimSenders::Table)
                .col(uuid(ClaimSenders::Id).primary_key())
                .col(string_len(ClaimSenders::CaisseCode, 3))
                .col(string_len(ClaimSenders::Sender, 20))
                .col(string_len(ClaimSenders::Name, 200))
                .col(string_len(ClaimSenders::Iban, 34))
                .col(string_len(ClaimSenders::KeyHash, 64).unique_key())
                .col(timestamp_with_time_zone(ClaimSenders::CreatedAt))
                .col(timestamp_with_time_zone_null(ClaimSenders::RevokedAt))
                .to_owned(),
            None,
        ),
        (
            Table::create()
                .table(ClaimLots::Table)
                .col(uuid(ClaimLots::Id).primary_key())
                .col(string_len(ClaimLots::CaisseCode, 3))
                .col(string_len(ClaimLots::Sender, 20))
                .col(big_integer(ClaimLots::Number))
                .col(timestamp_with_time_zone(ClaimLots::ReceivedAt))
                .col(string_len(ClaimLots::Source, 8))
                .col(big_integer(ClaimLots::SheetsAccepted))
                .col(big_integer(ClaimLots::SheetsRejected))
                .col(text(ClaimLots::Acknowledgement))
                .to_owned(),
            None,
        ),
        (
            Table::create()
                .table(CareSheets::Table)
                .col(uuid(CareSheets::Id))
                .col(date(CareSheets::DateOfCare))
                .col(string_len(CareSheets::CaisseCode, 3))
                .col(uuid(CareSheets::LotId))
                .col(big_integer(CareSheets::Number))
                .col(uuid(CareSheets::MemberId))
                .col(small_integer(CareSheets::Rank))
                .col(string_len(CareSheets::Sender, 20))
                .col(string_len(CareSheets::Professional, 20))
                .col(string_len_null(CareSheets::Prescriber, 20))
                .col(boolean(CareSheets::TiersPayant))
                .col(boolean(CareSheets::ComplementaryRequested))
                .col(string_len(CareSheets::Parcours, 20))
                .col(text(CareSheets::Lines))
                .col(big_integer(CareSheets::ChargedCents))
                .col(string_len(CareSheets::Fingerprint, 64))
                .col(string_len(CareSheets::State, 12))
                .col(timestamp_with_time_zone(CareSheets::ReceivedAt))
                .col(timestamp_with_time_zone_null(CareSheets::LiquidatedAt))
                .col(timestamp_with_time_zone_null(CareSheets::PaidAt))
                .col(timestamp_with_time_zone_null(CareSheets::RejectedAt))
                .col(text_null(CareSheets::Rejection))
                .col(string_len_null(CareSheets::Payee, 12))
                .col(big_integer_null(CareSheets::BaseCents))
                .col(big_integer_null(CareSheets::AmoCents))
                .col(big_integer_null(CareSheets::RegimeLocalCents))
                .col(big_integer_null(CareSheets::DeductionsCents))
                .col(big_integer_null(CareSheets::PaidCents))
                .col(big_integer_null(CareSheets::WithheldCents))
                .col(big_integer_null(CareSheets::MemberDebtCents))
                .col(uuid_null(CareSheets::PaymentId))
                .primary_key(
                    Index::create()
                        .col(CareSheets::Id)
                        .col(CareSheets::DateOfCare),
                )
                .to_owned(),
            Some("date_of_care"),
        ),
        (
            Table::create()
                .table(CareLines::Table)
                .col(uuid(CareLines::SheetId))
                .col(date(CareLines::DateOfCare))
                .col(small_integer(CareLines::LineNo))
                .col(uuid(CareLines::MemberId))
                .col(string_len(CareLines::Code, 13))
                .col(string_len(CareLines::Category, 32))
                .col(integer(CareLines::Quantity))
                .col(integer(CareLines::CoefficientHundredths))
                .col(big_integer(CareLines::ChargedCents))
                .col(big_integer(CareLines::TariffCents))
                .col(big_integer(CareLines::BaseCents))
                .col(integer(CareLines::RateBp))
                .col(string_len(CareLines::RateRule, 16))
                .col(big_integer(CareLines::AmoCents))
                .col(integer_null(CareLines::RegimeLocalRateBp))
                .col(big_integer(CareLines::RegimeLocalCents))
                .col(big_integer(CareLines::C2sCents))
                .col(big_integer(CareLines::ExcessCents))
                .col(string_len_null(CareLines::DeductionKind, 32))
                .col(big_integer(CareLines::DeductionDueCents))
                .col(big_integer(CareLines::DeductionAppliedCents))
                .col(string_len_null(CareLines::DeductionLimit, 16))
                .primary_key(
                    Index::create()
                        .col(CareLines::SheetId)
                        .col(CareLines::LineNo)
                        .col(CareLines::DateOfCare),
                )
                .to_owned(),
            Some("date_of_care"),
        ),
        (
            Table::create()
                .table(DeductionCounters::Table)
                .col(uuid(DeductionCounters::MemberId))
                .col(small_integer(DeductionCounters::Rank))
                .col(string_len(DeductionCounters::Period, 10))
                .col(string_len(DeductionCounters::CounterKey, 64))
                .col(big_integer(DeductionCounters::Cents))
                .primary_key(
                    Index::create()
                        .col(DeductionCounters::MemberId)
                        .col(DeductionCounters::Rank)
                        .col(DeductionCounters::Period)
                        .col(DeductionCounters::CounterKey),
                )
                .to_owned(),
            None,
        ),
        (
            Table::create()
                .table(Payments::Table)
                .col(uuid(Payments::Id))
                .col(date(Payments::PaymentDay))
                .col(string_len(Payments::CaisseCode, 3))
                .col(string_len(Payments::PayeeKind, 12))
                .col(uuid_null(Payments::MemberId))
                .col(string_len_null(Payments::Sender, 20))
                .col(string_len(Payments::PayeeName, 200))
                .col(string_len(Payments::Iban, 34))
                .col(big_integer(Payments::AmountCents))
                .col(big_integer(Payments::RecoveredCents))
                .col(big_integer(Payments::Sheets))
                .col(timestamp_with_time_zone(Payments::CreatedAt))
                .col(timestamp_with_time_zone_null(Payments::ExportedAt))
                .primary_key(Index::create().col(Payments::Id).col(Payments::PaymentDay))
                .to_owned(),
            Some("payment_day"),
        ),
        (
            Table::create()
                .table(MemberDebts::Table)
                .col(uuid(MemberDebts::Id).primary_key())
                .col(string_len(MemberDebts::CaisseCode, 3))
                .col(uuid(MemberDebts::MemberId))
                .col(uuid(MemberDebts::SheetId))
                .col(date(MemberDebts::DateOfCare))
                .col(big_integer(MemberDebts::AmountCents))
                .col(big_integer(MemberDebts::RecoveredCents))
                .col(timestamp_with_time_zone(MemberDebts::CreatedAt))
                .col(timestamp_with_time_zone_null(MemberDebts::NoticeAt))
                .col(timestamp_with_time_zone_null(MemberDebts::SettledAt))
                .to_owned(),
            None,
        ),
        (
            Table::create()
                .table(DebtRecoveries::Table)
                .col(uuid(DebtRecoveries::DebtId))
                .col(uuid(DebtRecoveries::PaymentId))
                .col(big_integer(DebtRecoveries::AmountCents))
                .col(timestamp_with_time_zone(DebtRecoveries::RecoveredAt))
                .primary_key(
                    Index::create()
                        .col(DebtRecoveries::DebtId)
                        .col(DebtRecoveries::PaymentId),
                )
                .to_owned(),
            None,
        ),
    ]
}

/// Indexes, as SQL both databases read (partial indexes included).
const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX ux_claim_lots_sender_number ON claim_lots (caisse_code, sender, number)",
    "CREATE INDEX ix_claim_senders_sender ON claim_senders (caisse_code, sender)",
    // A sheet billed twice (same beneficiary, professional, day and acts) is refused.
    "CREATE UNIQUE INDEX ux_care_sheets_fingerprint ON care_sheets (fingerprint, date_of_care)",
    // What the liquidation worker takes, oldest care first.
    "CREATE INDEX ix_care_sheets_received ON care_sheets (date_of_care, received_at) \
     WHERE state = 'recue'",
    // What payments take: liquidated, not yet paid.
    "CREATE INDEX ix_care_sheets_to_pay ON care_sheets (caisse_code, payee) \
     WHERE state = 'liquidee'",
    "CREATE INDEX ix_care_sheets_member ON care_sheets (member_id, date_of_care)",
    "CREATE INDEX ix_care_sheets_lot ON care_sheets (lot_id)",
    "CREATE INDEX ix_care_lines_member ON care_lines (member_id, date_of_care)",
    "CREATE INDEX ix_payments_member ON payments (member_id, payment_day)",
    "CREATE INDEX ix_payments_day ON payments (caisse_code, payment_day)",
    "CREATE INDEX ix_member_debts_open ON member_debts (member_id, created_at) \
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
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for (table, partition_key) in tables() {
            match partition_key {
                Some(key) if postgres => {
                    let sql = format!(
                        "{} PARTITION BY RANGE ({key})",
                        table.to_string(PostgresQueryBuilder)
                    );
                    db.execute_unprepared(&sql).await?;
                }
                _ => manager.create_table(table).await?,
            }
        }
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        if postgres {
            // The months the importer accepts now (two years back) and the next two: created
            // here once, so that a database made from a migrated template has them, and the
            // worker only adds the months that come.
            let today = time::OffsetDateTime::now_utc().date();
            let from = today.saturating_sub(time::Duration::days(2 * 366 + 31));
            let to = today.saturating_add(time::Duration::days(62));
            crate::claims::partitions::ensure_months(db, from, to)
                .await
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, _) in tables().into_iter().rev() {
            let name = table
                .get_table_name()
                .cloned()
                .ok_or_else(|| DbErr::Custom("a claims table has no name".to_owned()))?;
            manager
                .drop_table(Table::drop().table(name).to_owned())
                .await?;
        }
        Ok(())
    }
}
