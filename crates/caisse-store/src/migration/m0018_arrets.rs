//! The arrêts de travail and their indemnités journalières (`docs/claims-rules.md`,
//! § Indemnités journalières; `docs/claims-format.md`, § Arrêts de travail):
//!
//! - `arrets`: one row per accepted arrêt with its attestation de salaire, unique per
//!   (fund, employer's SIRET, sender's reference): an arrêt sent twice is stored once;
//! - `ij_payments`: its schedule, computed when it is received, one row per payment (at most
//!   14 paid days, to the member or to the employer under subrogation), planned until the
//!   day after its period ends, then paid by a row of `payments`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0018_arrets"
    }
}

#[derive(DeriveIden)]
enum Arrets {
    Table,
    Id,
    CaisseCode,
    MemberId,
    Rank,
    Employer,
    Reference,
    Kind,
    StartsOn,
    EndsOn,
    #[sea_orm(iden = "salary_1_cents")]
    Salary1Cents,
    #[sea_orm(iden = "salary_2_cents")]
    Salary2Cents,
    #[sea_orm(iden = "salary_3_cents")]
    Salary3Cents,
    SubrogationUntil,
    EmployerIban,
    EmployerName,
    CarenceApplies,
    Ald,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum IjPayments {
    Table,
    Id,
    ArretId,
    CaisseCode,
    MemberId,
    PeriodFrom,
    PeriodTo,
    Days,
    Payee,
    TaxableShareBp,
    GrossCents,
    CsgCents,
    CrdsCents,
    NetCents,
    TaxableCents,
    State,
    DueOn,
    PaymentId,
    PaymentDay,
    PaidAt,
}

fn tables() -> [TableCreateStatement; 2] {
    [
        Table::create()
            .table(Arrets::Table)
            .col(uuid(Arrets::Id).primary_key())
            .col(string_len(Arrets::CaisseCode, 3))
            .col(uuid(Arrets::MemberId))
            .col(small_integer(Arrets::Rank))
            .col(string_len(Arrets::Employer, 14))
            .col(string_len(Arrets::Reference, 35))
            .col(string_len(Arrets::Kind, 12))
            .col(date(Arrets::StartsOn))
            .col(date(Arrets::EndsOn))
            .col(big_integer(Arrets::Salary1Cents))
            .col(big_integer(Arrets::Salary2Cents))
            .col(big_integer(Arrets::Salary3Cents))
            .col(date_null(Arrets::SubrogationUntil))
            .col(string_len_null(Arrets::EmployerIban, 34))
            .col(string_len_null(Arrets::EmployerName, 200))
            .col(boolean(Arrets::CarenceApplies))
            .col(boolean(Arrets::Ald))
            .col(timestamp_with_time_zone(Arrets::ReceivedAt))
            .to_owned(),
        Table::create()
            .table(IjPayments::Table)
            .col(uuid(IjPayments::Id).primary_key())
            .col(uuid(IjPayments::ArretId))
            .col(string_len(IjPayments::CaisseCode, 3))
            .col(uuid(IjPayments::MemberId))
            .col(date(IjPayments::PeriodFrom))
            .col(date(IjPayments::PeriodTo))
            .col(integer(IjPayments::Days))
            .col(string_len(IjPayments::Payee, 12))
            .col(integer(IjPayments::TaxableShareBp))
            .col(big_integer(IjPayments::GrossCents))
            .col(big_integer(IjPayments::CsgCents))
            .col(big_integer(IjPayments::CrdsCents))
            .col(big_integer(IjPayments::NetCents))
            .col(big_integer(IjPayments::TaxableCents))
            .col(string_len(IjPayments::State, 12))
            .col(date(IjPayments::DueOn))
            .col(uuid_null(IjPayments::PaymentId))
            .col(date_null(IjPayments::PaymentDay))
            .col(timestamp_with_time_zone_null(IjPayments::PaidAt))
            .to_owned(),
    ]
}

/// Indexes, as SQL both databases read (partial indexes included).
const INDEXES: &[&str] = &[
    // An arrêt sent twice (same fund, employer and reference) is stored once.
    "CREATE UNIQUE INDEX ux_arrets_reference ON arrets (caisse_code, employer, reference)",
    // Overlapping arrêts of one beneficiary are refused.
    "CREATE INDEX ix_arrets_member ON arrets (member_id, rank, starts_on)",
    "CREATE INDEX ix_ij_payments_arret ON ij_payments (arret_id, period_from)",
    // What the payments take: planned, due by the payment day.
    "CREATE INDEX ix_ij_payments_due ON ij_payments (due_on, caisse_code) \
     WHERE state = 'planned'",
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
        for table in [IjPayments::Table.into_iden(), Arrets::Table.into_iden()] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
