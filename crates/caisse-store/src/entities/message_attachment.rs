//! `message_attachments`: files attached to a message, in upload order by id (UUIDv7). The
//! bytes live in the file store under `storage_key`, never in the database.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "message_attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub message_id: Uuid,
    /// The member whose row it is (the key a distributed database shards by).
    pub member_id: Uuid,
    /// The sanitised file name shown to readers.
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    #[sea_orm(unique)]
    pub storage_key: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Shows ids, the media type and the size; never the file's name.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("message_attachment::Model")
            .field("id", &self.id)
            .field("message_id", &self.message_id)
            .field("content_type", &self.content_type)
            .field("size_bytes", &self.size_bytes)
            .finish_non_exhaustive()
    }
}

impl ActiveModelBehavior for ActiveModel {}
