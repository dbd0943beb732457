//! `reference_ij_maternite`: the dated figures of the IJ maternité (`reference/ij_maternite.csv`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reference_ij_maternite")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub pmss_cents: i64,
    pub divisor_hundredths: i32,
    pub flat_deduction_bp: i32,
    pub min_daily_cents: i64,
    pub max_daily_cents: i64,
    pub valid_from: TimeDate,
    pub valid_to: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
