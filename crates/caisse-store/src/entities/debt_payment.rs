//! `debt_payments`: what a member paid of a debt by bank transfer or card.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "debt_payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub debt_id: Uuid,
    /// The member whose row it is (the key a distributed database shards by).
    pub member_id: Uuid,
    /// `transfer` or `card`.
    pub channel: String,
    /// The bank's transaction id, or the payment provider's.
    pub external_id: String,
    pub amount_cents: i64,
    pub paid_on: TimeDate,
    pub recorded_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
