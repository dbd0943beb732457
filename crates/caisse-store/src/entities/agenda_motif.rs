//! `agenda_motifs`: what a member may book an appointment about, per fund.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agenda_motifs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub code: String,
    pub label: String,
    /// Comma-separated channels: `telephone`, `visio`.
    pub channels: String,
    pub duration_minutes: i32,
    pub min_notice_hours: i32,
    pub horizon_days: i32,
    #[sea_orm(column_type = "Text")]
    pub documents: String,
    pub demarche_code: Option<String>,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
