//! The reference data of the IJ schedule (`reference/ij_maternite.csv`, `ij_at_mp.csv`,
//! `ij_charges.csv`, `docs/claims-rules.md`): one table per file, dated like those of
//! m0015, a row's id its position in its file; and their row counts in `reference_loads`
//! (0 for loads made before, which had no such files).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_ij_reference"
    }
}

#[derive(DeriveIden)]
enum ReferenceIjMaternite {
    Table,
    Id,
    PmssCents,
    DivisorHundredths,
    FlatDeductionBp,
    MinDailyCents,
    MaxDailyCents,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum ReferenceIjAtMp {
    Table,
    Id,
    PassCents,
    #[sea_orm(iden = "sjb_cap_pass_100000ths")]
    SjbCapPass100000ths,
    DivisorHundredths,
    RateBp,
    IncreasedRateBp,
    IncreasedFromDay,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum ReferenceIjCharges {
    Table,
    Id,
    CsgBp,
    CsgDeductibleBp,
    CrdsBp,
    PaymentPeriodDays,
    TaxableMaladieBp,
    TaxableMaterniteBp,
    TaxableAtMpBp,
    TaxableAldBp,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum ReferenceLoads {
    Table,
    IjMaternite,
    IjAtMp,
    IjCharges,
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
                .table(ReferenceIjMaternite::Table)
                .col(big_integer(ReferenceIjMaternite::Id).primary_key())
                .col(big_integer(ReferenceIjMaternite::PmssCents))
                .col(integer(ReferenceIjMaternite::DivisorHundredths))
                .col(integer(ReferenceIjMaternite::FlatDeductionBp))
                .col(big_integer(ReferenceIjMaternite::MinDailyCents))
                .col(big_integer(ReferenceIjMaternite::MaxDailyCents))
                .col(date(ReferenceIjMaternite::ValidFrom).unique_key())
                .col(date_null(ReferenceIjMaternite::ValidTo))
                .to_owned(),
            Table::create()
                .table(ReferenceIjAtMp::Table)
                .col(big_integer(ReferenceIjAtMp::Id).primary_key())
                .col(big_integer(ReferenceIjAtMp::PassCents))
                .col(integer(ReferenceIjAtMp::SjbCapPass100000ths))
                .col(integer(ReferenceIjAtMp::DivisorHundredths))
                .col(integer(ReferenceIjAtMp::RateBp))
                .col(integer(ReferenceIjAtMp::IncreasedRateBp))
                .col(integer(ReferenceIjAtMp::IncreasedFromDay))
                .col(date(ReferenceIjAtMp::ValidFrom).unique_key())
                .col(date_null(ReferenceIjAtMp::ValidTo))
                .to_owned(),
            Table::create()
                .table(ReferenceIjCharges::Table)
                .col(big_integer(ReferenceIjCharges::Id).primary_key())
                .col(integer(ReferenceIjCharges::CsgBp))
                .col(integer(ReferenceIjCharges::CsgDeductibleBp))
                .col(integer(ReferenceIjCharges::CrdsBp))
                .col(integer(ReferenceIjCharges::PaymentPeriodDays))
                .col(integer(ReferenceIjCharges::TaxableMaladieBp))
                .col(integer(ReferenceIjCharges::TaxableMaterniteBp))
                .col(integer(ReferenceIjCharges::TaxableAtMpBp))
                .col(integer(ReferenceIjCharges::TaxableAldBp))
                .col(date(ReferenceIjCharges::ValidFrom).unique_key())
                .col(date_null(ReferenceIjCharges::ValidTo))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        // One column per statement: SQLite alters a single column at a time.
        for column in [
            ReferenceLoads::IjMaternite,
            ReferenceLoads::IjAtMp,
            ReferenceLoads::IjCharges,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ReferenceLoads::Table)
                        .add_column(integer(column).default(0))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ReferenceLoads::IjCharges,
            ReferenceLoads::IjAtMp,
            ReferenceLoads::IjMaternite,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ReferenceLoads::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            ReferenceIjCharges::Table.into_iden(),
            ReferenceIjAtMp::Table.into_iden(),
            ReferenceIjMaternite::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
