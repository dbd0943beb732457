//! Queries on attachments: the files of sent messages (`message_attachments`) and the
//! members' drafts (`attachment_drafts`). Rows hold names, kinds, sizes and storage keys;
//! the bytes are in the file store.
//!
//! Drafts are only ever read and deleted with their member's id: another member's draft id
//! is simply not found.

use caisse_domain::Instant;
use caisse_domain::messaging::{AttachmentKind, AttachmentLimits, FileName};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{attachment_draft, message_attachment};

/// A file to record, already in the file store under `storage_key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAttachment {
    /// The sanitised name.
    pub file_name: FileName,
    /// PDF, JPEG or PNG.
    pub kind: AttachmentKind,
    /// Its size as stored.
    pub size_bytes: u64,
    /// Where its bytes are.
    pub storage_key: String,
}

/// A file of a sent message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Id (UUIDv7: a message's files in upload order).
    pub id: Uuid,
    /// Its message.
    pub message_id: Uuid,
    /// The file.
    pub file: NewAttachment,
}

/// A file a member joined to a message not sent yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// Id, carried by the member's form.
    pub id: Uuid,
    /// Its member.
    pub member_id: Uuid,
    /// The file.
    pub file: NewAttachment,
    /// When it stops being usable.
    pub expires_at: Instant,
}

/// The limits a stored name is read back under: it was tidied when it was stored, so only
/// its form is checked again, whatever the name limit is today.
fn stored_limits() -> AttachmentLimits {
    AttachmentLimits {
        max_name_chars: usize::MAX,
        ..AttachmentLimits::default()
    }
}

/// The file of a stored row of `table`, its name and media type parsed again.
pub(crate) fn stored_file(
    (table, id): (&'static str, Uuid),
    file_name: &str,
    content_type: &str,
    size_bytes: i64,
    storage_key: String,
) -> Result<NewAttachment, StoreError> {
    let kind = AttachmentKind::from_content_type(content_type)
        .ok_or_else(|| StoreError::corrupt(table, "content_type", id))?;
    Ok(NewAttachment {
        file_name: FileName::parse(file_name, kind, &stored_limits())
            .map_err(|_| StoreError::corrupt(table, "file_name", id))?,
        kind,
        size_bytes: u64::try_from(size_bytes)
            .map_err(|_| StoreError::corrupt(table, "size_bytes", id))?,
        storage_key,
    })
}

impl TryFrom<message_attachment::Model> for Attachment {
    type Error = StoreError;

    fn try_from(row: message_attachment::Model) -> Result<Attachment, StoreError> {
        Ok(Attachment {
            id: row.id,
            message_id: row.message_id,
            file: stored_file(
                ("message_attachments", row.id),
                &row.file_name,
                &row.content_type,
                row.size_bytes,
                row.storage_key,
            )?,
        })
    }
}

impl TryFrom<attachment_draft::Model> for Draft {
    type Error = StoreError;

    fn try_from(row: attachment_draft::Model) -> Result<Draft, StoreError> {
        Ok(Draft {
            id: row.id,
            member_id: row.member_id,
            file: stored_file(
                ("attachment_drafts", row.id),
                &row.file_name,
                &row.content_type,
                row.size_bytes,
                row.storage_key,
            )?,
            expires_at: row.expires_at.into(),
        })
    }
}

fn size_column(size_bytes: u64) -> i64 {
    i64::try_from(size_bytes).unwrap_or(i64::MAX)
}

fn drafts(rows: Vec<attachment_draft::Model>) -> Result<Vec<Draft>, StoreError> {
    rows.into_iter().map(Draft::try_from).collect()
}

/// Records a file of message `message_id` of member `member_id`'s thread; returns its id. Ids
/// are UUIDv7, so a message's files read back in the order they were inserted.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    (message_id, member_id): (Uuid, Uuid),
    new: &NewAttachment,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    message_attachment::ActiveModel {
        id: Set(id),
        message_id: Set(message_id),
        member_id: Set(member_id),
        file_name: Set(new.file_name.as_str().to_owned()),
        content_type: Set(new.kind.content_type().to_owned()),
        size_bytes: Set(size_column(new.size_bytes)),
        storage_key: Set(new.storage_key.clone()),
        created_at: Set(now.get()),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The files of these messages, in insertion order (the caller groups them by message).
pub async fn of_messages<C: ConnectionTrait>(
    db: &C,
    message_ids: &[Uuid],
) -> Result<Vec<Attachment>, StoreError> {
    if message_ids.is_empty() {
        return Ok(Vec::new());
    }
    message_attachment::Entity::find()
        .filter(message_attachment::Column::MessageId.is_in(message_ids.iter().copied()))
        .order_by_asc(message_attachment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Attachment::try_from)
        .collect()
}

/// Records a member's draft, valid until `expires_at`; returns its id.
pub async fn insert_draft<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    new: &NewAttachment,
    now: Instant,
    expires_at: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    attachment_draft::ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        file_name: Set(new.file_name.as_str().to_owned()),
        content_type: Set(new.kind.content_type().to_owned()),
        size_bytes: Set(size_column(new.size_bytes)),
        storage_key: Set(new.storage_key.clone()),
        created_at: Set(now.get()),
        expires_at: Set(expires_at.get()),
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
    now: Instant,
) -> Result<Vec<Draft>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    drafts(
        attachment_draft::Entity::find()
            .filter(attachment_draft::Column::MemberId.eq(member_id))
            .filter(attachment_draft::Column::Id.is_in(ids.iter().copied()))
            .filter(attachment_draft::Column::ExpiresAt.gt(now.get()))
            .order_by_asc(attachment_draft::Column::Id)
            .all(db)
            .await?,
    )
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

/// A draft to purge: its id and where its bytes are. Read without parsing the rest, so a
/// draft whose row no longer parses is purged too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpiredDraft {
    /// Its id.
    pub id: Uuid,
    /// Where its bytes are.
    pub storage_key: String,
}

/// Up to `limit` drafts that expired before `before`, oldest first.
pub async fn expired_drafts<C: ConnectionTrait>(
    db: &C,
    before: Instant,
    limit: u64,
) -> Result<Vec<ExpiredDraft>, StoreError> {
    let rows: Vec<(Uuid, String)> = attachment_draft::Entity::find()
        .select_only()
        .column(attachment_draft::Column::Id)
        .column(attachment_draft::Column::StorageKey)
        .filter(attachment_draft::Column::ExpiresAt.lt(before.get()))
        .order_by_asc(attachment_draft::Column::ExpiresAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, storage_key)| ExpiredDraft { id, storage_key })
        .collect())
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
