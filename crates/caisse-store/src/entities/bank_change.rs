//! `bank_changes`: a new IBAN asked by a member, applied after a cool-off period unless
//! cancelled.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bank_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub iban: String,
    pub requested_at: TimeDateTimeWithTimeZone,
    pub effective_at: TimeDateTimeWithTimeZone,
    /// `pending`, `applied` or `cancelled`.
    pub status: String,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
