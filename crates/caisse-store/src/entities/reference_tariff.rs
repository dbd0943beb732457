//! `reference_tariffs`: the dated tariff of each act code (`reference/tariffs.csv`); the id is the row's position in the file.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reference_tariffs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub code: String,
    pub category: String,
    /// Empty: the amount charged is the base.
    pub base_cents: Option<i64>,
    /// The prix limite de vente per unit; empty: none.
    pub price_limit_cents: Option<i64>,
    pub valid_from: TimeDate,
    pub valid_to: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
