//! `team_objets`: the objets a team handles. The key (fund, objet) sends an objet to at most
//! one team of a fund.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "team_objets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub caisse_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub objet_code: String,
    pub team_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
