//! `reference_loads`: one row per `caisse admin reference load`: when, the digest of the files, rows per table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reference_loads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub loaded_at: TimeDateTimeWithTimeZone,
    /// SHA-256 of the files, in hex.
    pub digest: String,
    pub tariffs: i32,
    pub rates: i32,
    pub regime_local: i32,
    pub deductions: i32,
    pub ij: i32,
    /// 0 for loads made before m0017.
    pub ij_maternite: i32,
    pub ij_at_mp: i32,
    pub ij_charges: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
