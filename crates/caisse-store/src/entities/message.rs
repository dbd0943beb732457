//! `messages`: what the member or a staff member wrote in a thread. `internal` rows are
//! staff members' notes, never shown to the member.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub thread_id: Uuid,
    /// The member whose row it is (the key a distributed database shards by).
    pub member_id: Uuid,
    /// `"member"` or `"staff"`.
    pub author_kind: String,
    pub author_staff_id: Option<Uuid>,
    pub body: String,
    pub internal: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Shows ids, the author's kind and dates; never the text.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("message::Model")
            .field("id", &self.id)
            .field("thread_id", &self.thread_id)
            .field("author_kind", &self.author_kind)
            .field("author_staff_id", &self.author_staff_id)
            .field("internal", &self.internal)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

impl ActiveModelBehavior for ActiveModel {}
