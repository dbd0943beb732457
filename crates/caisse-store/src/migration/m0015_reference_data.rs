//! The claims reference data (`reference/*.csv`, `docs/claims-rules.md`) as loaded by
//! `caisse admin reference load`: one table per file, each row dated by `valid_from` and
//! `valid_to` (included, empty = no end), codes as text, amounts in cents, rates in basis
//! points. A row's id is its position in its file, so the tables read back in file order.
//! `reference_loads` records each load (digest of the files, rows per table).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_reference_data"
    }
}

#[derive(DeriveIden)]
enum ReferenceTariffs {
    Table,
    Id,
    Code,
    Category,
    BaseCents,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum ReferenceRates {
    Table,
    Id,
    Category,
    RateBp,
    HorsParcoursRateBp,
    Deduction,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum ReferenceRegimeLocal {
    Table,
    Id,
    Category,
    RateBp,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum ReferenceDeductions {
    Table,
    Id,
    Kind,
    UnitCents,
    DailyCapCents,
    DailyScope,
    AnnualGroup,
    AnnualCapCents,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum ReferenceIj {
    Table,
    Id,
    SmicMensuelCents,
    CeilingSmicHundredths,
    RateBp,
    DivisorHundredths,
    WaitingDays,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum ReferenceLoads {
    Table,
    Id,
    LoadedAt,
    Digest,
    Tariffs,
    Rates,
    RegimeLocal,
    Deductions,
    Ij,
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
        let tables = [
            Table::create()
                .table(ReferenceTariffs::Table)
                .col(big_integer(ReferenceTariffs::Id).primary_key())
                .col(string_len(ReferenceTariffs::Code, 13))
                .col(string_len(ReferenceTariffs::Category, 32))
                .col(big_integer_null(ReferenceTariffs::BaseCents))
                .col(date(ReferenceTariffs::ValidFrom))
                .col(date_null(ReferenceTariffs::ValidTo))
                .to_owned(),
            Table::create()
                .table(ReferenceRates::Table)
                .col(big_integer(ReferenceRates::Id).primary_key())
                .col(string_len(ReferenceRates::Category, 32))
                .col(integer(ReferenceRates::RateBp))
                .col(integer_null(ReferenceRates::HorsParcoursRateBp))
                .col(string_len_null(ReferenceRates::Deduction, 32))
                .col(date(ReferenceRates::ValidFrom))
                .col(date_null(ReferenceRates::ValidTo))
                .to_owned(),
            Table::create()
                .table(ReferenceRegimeLocal::Table)
                .col(big_integer(ReferenceRegimeLocal::Id).primary_key())
                .col(string_len(ReferenceRegimeLocal::Category, 32))
                .col(integer(ReferenceRegimeLocal::RateBp))
                .col(date(ReferenceRegimeLocal::ValidFrom))
                .col(date_null(ReferenceRegimeLocal::ValidTo))
                .to_owned(),
            Table::create()
                .table(ReferenceDeductions::Table)
                .col(big_integer(ReferenceDeductions::Id).primary_key())
                .col(string_len(ReferenceDeductions::Kind, 32))
                .col(big_integer(ReferenceDeductions::UnitCents))
                .col(big_integer_null(ReferenceDeductions::DailyCapCents))
                .col(string_len_null(ReferenceDeductions::DailyScope, 16))
                .col(string_len(ReferenceDeductions::AnnualGroup, 16))
                .col(big_integer(ReferenceDeductions::AnnualCapCents))
                .col(date(ReferenceDeductions::ValidFrom))
                .col(date_null(ReferenceDeductions::ValidTo))
                .to_owned(),
            Table::create()
                .table(ReferenceIj::Table)
                .col(big_integer(ReferenceIj::Id).primary_key())
                .col(big_integer(ReferenceIj::SmicMensuelCents))
                .col(integer(ReferenceIj::CeilingSmicHundredths))
                .col(integer(ReferenceIj::RateBp))
                .col(integer(ReferenceIj::DivisorHundredths))
                .col(small_integer(ReferenceIj::WaitingDays))
                .col(date(ReferenceIj::ValidFrom).unique_key())
                .col(date_null(ReferenceIj::ValidTo))
                .to_owned(),
            Table::create()
                .table(ReferenceLoads::Table)
                .col(uuid(ReferenceLoads::Id).primary_key())
                .col(timestamp_with_time_zone(ReferenceLoads::LoadedAt))
                .col(string_len(ReferenceLoads::Digest, 64))
                .col(integer(ReferenceLoads::Tariffs))
                .col(integer(ReferenceLoads::Rates))
                .col(integer(ReferenceLoads::RegimeLocal))
                .col(integer(ReferenceLoads::Deductions))
                .col(integer(ReferenceLoads::Ij))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        // At most one row of a key starts on a given day (the domain also refuses overlaps).
        for (name, table, key) in [
            (
                "ux_reference_tariffs_code_from",
                ReferenceTariffs::Table.into_iden(),
                ReferenceTariffs::Code.into_iden(),
            ),
            (
                "ux_reference_rates_category_from",
                ReferenceRates::Table.into_iden(),
                ReferenceRates::Category.into_iden(),
            ),
            (
                "ux_reference_regime_local_category_from",
                ReferenceRegimeLocal::Table.into_iden(),
                ReferenceRegimeLocal::Category.into_iden(),
            ),
            (
                "ux_reference_deductions_kind_from",
                ReferenceDeductions::Table.into_iden(),
                ReferenceDeductions::Kind.into_iden(),
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col(key)
                        .col(Alias::new("valid_from"))
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_reference_loads_loaded_at")
                    .table(ReferenceLoads::Table)
                    .col(ReferenceLoads::LoadedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReferenceLoads::Table.into_iden(),
            ReferenceIj::Table.into_iden(),
            ReferenceDeductions::Table.into_iden(),
            ReferenceRegimeLocal::Table.into_iden(),
            ReferenceRates::Table.into_iden(),
            ReferenceTariffs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
