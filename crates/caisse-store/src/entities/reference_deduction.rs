//! `reference_deductions`: the dated participations and franchises (`reference/deductions.csv`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reference_deductions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub kind: String,
    pub unit_cents: i64,
    pub daily_cap_cents: Option<i64>,
    pub daily_scope: Option<String>,
    pub annual_group: String,
    pub annual_cap_cents: i64,
    pub valid_from: TimeDate,
    pub valid_to: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
