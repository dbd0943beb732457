//! `claim_senders`: a key a professional or an establishment sends care-sheet lots with.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_senders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    /// `rpps:…`, `adeli:…` or `finess:…`.
    pub sender: String,
    pub name: String,
    pub iban: String,
    /// SHA-256 of the key, in hex: the key itself is never stored.
    pub key_hash: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub revoked_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
