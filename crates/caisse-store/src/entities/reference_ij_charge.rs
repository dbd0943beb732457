//! `reference_ij_charges`: CSG, CRDS, taxable shares and payment period of the IJ
//! (`reference/ij_charges.csv`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reference_ij_charges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub csg_bp: i32,
    pub csg_deductible_bp: i32,
    pub crds_bp: i32,
    pub payment_period_days: i32,
    pub taxable_maladie_bp: i32,
    pub taxable_maternite_bp: i32,
    pub taxable_at_mp_bp: i32,
    pub taxable_ald_bp: i32,
    pub valid_from: TimeDate,
    pub valid_to: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
