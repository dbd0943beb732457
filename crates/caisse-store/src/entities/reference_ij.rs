//! `reference_ij`: the dated figures of the indemnités journalières (`reference/ij.csv`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reference_ij")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub smic_mensuel_cents: i64,
    pub ceiling_smic_hundredths: i32,
    pub rate_bp: i32,
    pub divisor_hundredths: i32,
    pub waiting_days: i16,
    pub valid_from: TimeDate,
    pub valid_to: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
