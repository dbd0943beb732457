//! `deduction_counters`: participations and franchises taken per beneficiary, per civil year
//! (`period` = `2026`) and per day (`period` = `2026-03-04`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deduction_counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub rank: i16,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    /// The cap group (yearly) or the deduction kind and, per professional, who (daily).
    #[sea_orm(primary_key, auto_increment = false)]
    pub counter_key: String,
    pub cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
