//! `reference_ij_at_mp`: the dated figures of the IJ AT/MP (`reference/ij_at_mp.csv`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reference_ij_at_mp")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub pass_cents: i64,
    pub sjb_cap_pass_100000ths: i32,
    pub divisor_hundredths: i32,
    pub rate_bp: i32,
    pub increased_rate_bp: i32,
    pub increased_from_day: i32,
    pub valid_from: TimeDate,
    pub valid_to: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
