//! `claim_lots`: one row per accepted lot of care sheets, with its acknowledgement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_lots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub sender: String,
    pub number: i64,
    pub received_at: TimeDateTimeWithTimeZone,
    /// `api` or `file`.
    pub source: String,
    pub sheets_accepted: i64,
    pub sheets_rejected: i64,
    /// The rejected sheets with their reasons, as JSON.
    pub acknowledgement: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
