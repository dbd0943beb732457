//! Queries on attachments: the files of sent messages (`message_attachments`) and the
//! members' drafts (`attachment_drafts`). Rows hold names, types, sizes and storage keys;
//! the bytes are in the file store.
//!
//! Drafts are only ever read and deleted with their member's id: another member's draft id
//! is simply not found.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::{attachment_draft, message_attachment};
use crate::{StoreError, normalize_instant};

/// A file to record, already in the file store under `storage_key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAttachment {
    /// The sanitised name.
    pub file_name: String,
    /// Its media type.
    pub content_type: String,
    /// Its size as stored.
    pub size_bytes: i64,
    /// Where its bytes are.
    pub storage_key: String,
}

/// Records a file of message `message_id`; returns its id. Ids are UUIDv7, so a message's
/// files read back in the order they were inserted.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    message_id: Uuid,
    new: &NewAttachment,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    message_attachment::ActiveModel {
        id: Set(id),
        message_id: Set(message_id),
        file_name: Set(new.file_name.clone()),
        content_type: Set(new.content_type.clone()),
        size_bytes: Set(new.size_bytes),
        storage_key: Set(new.storage_key.clone()),
        created_at: Set(normalize_instant(now)),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The files of these messages, in insertion order (the caller groups them by message).
pub async fn of_messages<C: ConnectionTrait>(
    db: &C,
    message_ids: &[Uuid],
) -> Result<Vec<message_attachment::Model>, StoreError> {
    if message_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(message_attachment::Entity::find()
        .filter(message_attachment::Column::MessageId.is_in(message_ids.iter().copied()))
        .order_by_asc(message_attachment::Column::Id)
        .all(db)
        .await?)
}

/// Records a member's draft, valid until `expires_at`; returns its id.
pub async fn insert_draft<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    new: &NewAttachment,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    attachment_draft::ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        file_name: Set(new.file_name.clone()),
        content_type: Set(new.content_type.clone()),
        size_bytes: Set(new.size_bytes),
        storage_key: Set(new.storage_key.clone()),
        created_at: Set(normalize_instant(now)),
        expires_at: Set(normalize_instant(expires_at)),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The drafts among `ids` that belong to `member_id` and are still valid at `now`, in the
/// order they were made. Others' ids and expired drafts are left out.
pub async fn member_drafts<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    ids: &[Uuid],
    now: OffsetDateTime,
) -> Result<Vec<attachment_draft::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(attachment_draft::Entity::find()
        .filter(attachment_draft::Column::MemberId.eq(member_id))
        .filter(attachment_draft::Column::Id.is_in(ids.iter().copied()))
        .filter(attachment_draft::Column::ExpiresAt.gt(normalize_instant(now)))
        .order_by_asc(attachment_draft::Column::Id)
        .all(db)
        .await?)
}

/// Deletes the drafts among `ids` that belong to `member_id`; returns how many went. In a
/// send, fewer than asked means another request used or purged them meanwhile.
pub async fn delete_member_drafts<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    ids: &[Uuid],
) -> Result<u64, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(attachment_draft::Entity::delete_many()
        .filter(attachment_draft::Column::MemberId.eq(member_id))
        .filter(attachment_draft::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Up to `limit` drafts that expired before `before`, oldest first.
pub async fn expired_drafts<C: ConnectionTrait>(
    db: &C,
    before: OffsetDateTime,
    limit: u64,
) -> Result<Vec<attachment_draft::Model>, StoreError> {
    Ok(attachment_draft::Entity::find()
        .filter(attachment_draft::Column::ExpiresAt.lt(normalize_instant(before)))
        .order_by_asc(attachment_draft::Column::ExpiresAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// Deletes these drafts, whoever owns them (the purge); returns how many went.
pub async fn delete_drafts<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> Result<u64, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(attachment_draft::Entity::delete_many()
        .filter(attachment_draft::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?
        .rows_affected)
}
