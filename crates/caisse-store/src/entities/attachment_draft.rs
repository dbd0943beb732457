//! `attachment_drafts`: files a member joined to a message not sent yet; they expire after a
//! day. The bytes live in the file store under `storage_key`, never in the database.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment_drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    /// The sanitised file name shown to the member.
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    #[sea_orm(unique)]
    pub storage_key: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub expires_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Shows ids, the media type, the size and dates; never the file's name.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("attachment_draft::Model")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("content_type", &self.content_type)
            .field("size_bytes", &self.size_bytes)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl ActiveModelBehavior for ActiveModel {}
