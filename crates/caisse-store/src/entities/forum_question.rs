//! `forum_questions`: members' public questions, under a pseudonym, and their moderation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forum_questions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The member's fund, which answers.
    pub caisse_code: String,
    /// The member's account (its member id).
    pub member_id: Uuid,
    pub pseudonym: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// Title and text in lower case without accents, for the search.
    #[sea_orm(column_type = "Text")]
    pub folded: String,
    pub status: String,
    /// The sensitive-data warnings' codes, comma-separated.
    pub warnings: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub moderated_at: Option<TimeDateTimeWithTimeZone>,
    pub moderated_by: Option<Uuid>,
    pub rejection_reason: Option<String>,
    pub published_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
