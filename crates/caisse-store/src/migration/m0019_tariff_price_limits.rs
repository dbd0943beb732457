//! `reference_tariffs.price_limit_cents`: the prix limite de vente of an act (100 % Santé
//! optics and hearing aids), the most a professional may charge per unit; empty when the act
//! has none. A sheet charging more is rejected at its acknowledgement.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_tariff_price_limits"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum ReferenceTariffs {
    Table,
    PriceLimitCents,
}

#[expect(
    elided_lifetimes_in_paths,
    reason = "the signature must match MigrationTrait's async_trait declaration"
)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReferenceTariffs::Table)
                    .add_column(big_integer_null(ReferenceTariffs::PriceLimitCents))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReferenceTariffs::Table)
                    .drop_column(ReferenceTariffs::PriceLimitCents)
                    .to_owned(),
            )
            .await
    }
}
