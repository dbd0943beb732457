//! `debt_recoveries`: what a payment withheld to settle a debt.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "debt_recoveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub debt_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub payment_id: Uuid,
    /// The member whose row it is (the key a distributed database shards by).
    pub member_id: Uuid,
    pub amount_cents: i64,
    pub recovered_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
