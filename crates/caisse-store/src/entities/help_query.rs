//! `help_queries`: a question asked of the help's search or assistant (numbers masked), what it got, and whether it helped.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "help_queries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    pub asked_at: TimeDateTimeWithTimeZone,
    pub channel: String,
    pub question: String,
    /// Lower-case, accents and punctuation removed: what groups the same question.
    pub normalized: String,
    pub outcome: String,
    pub top_slug: Option<String>,
    /// Percent.
    pub confidence: i32,
    pub helped: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
