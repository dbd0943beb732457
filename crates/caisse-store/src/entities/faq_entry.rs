//! `faq_entries`: an entry of a fund's FAQ: its slug and which of its versions members read and the back office edits.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "faq_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub slug: String,
    pub created_at: TimeDateTimeWithTimeZone,
    /// The version members read; none before the first publication.
    pub published_version: Option<i32>,
    /// A version saved since, not yet published.
    pub draft_version: Option<i32>,
    pub archived_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
