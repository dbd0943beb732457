//! `faq_versions`: every saved version of an entry, with who saved and who published it (none: shipped).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "faq_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub entry_id: Uuid,
    pub version: i32,
    pub category: String,
    pub question: String,
    /// One phrasing per line.
    pub alternatives: String,
    pub answer: String,
    pub link_label: Option<String>,
    pub link_href: Option<String>,
    pub review_on: TimeDate,
    pub saved_by: Option<Uuid>,
    pub saved_at: TimeDateTimeWithTimeZone,
    pub published_at: Option<TimeDateTimeWithTimeZone>,
    pub published_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
