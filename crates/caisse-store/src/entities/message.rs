//! `messages`: what the member or an advisor wrote in a thread. `internal` rows are
//! advisors' notes, never shown to the member.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub thread_id: Uuid,
    /// `"member"` or `"staff"`.
    pub author_kind: String,
    pub author_staff_id: Option<Uuid>,
    pub body: String,
    pub internal: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
