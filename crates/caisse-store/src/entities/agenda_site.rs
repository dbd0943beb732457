//! `agenda_sites`: a fund's branches, where members meet advisors.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agenda_sites")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    /// As members read it (« du lundi au vendredi, de 8 h 30 à 17 h »).
    pub opening_hours: String,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
