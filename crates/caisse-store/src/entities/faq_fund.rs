//! `faq_funds`: a fund whose FAQ is in the database, and the generation of its published entries (bumped at each publication, so every node rebuilds its index).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "faq_funds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub caisse_code: String,
    pub generation: i64,
    pub seeded_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
