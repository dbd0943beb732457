//! The files of a thread: listed in its views, downloaded by number. Scoped exactly like
//! threads: a member reaches only their own threads' files and a staff member only their fund's;
//! any other thread, or a number past the last file, is `NotFound`. Staff downloads are
//! audited (`staff.attachment.downloaded`).
//!
//! A file's number (its `position`) counts from 1 over the thread's files in message order,
//! then upload order; staff count internal notes' files too, members never see them.

use std::collections::HashMap;
use std::fmt;

use caisse_domain::messaging::AttachmentKind;
use caisse_store::attachments::{self as store, Attachment};
use caisse_store::messaging as threads;
use uuid::Uuid;

use super::attachments::{AttachmentInfo, AttachmentService};
use super::errors::AttachmentsError;
use super::shared::Shared;
use super::views::ThreadMessage;
use super::{ACTION_ATTACHMENT_DOWNLOADED, SUBJECT_THREAD};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::files::{FileKey, FileStoreError};

/// A file to hand over.
#[derive(Clone)]
pub struct AttachmentFile {
    /// The sanitised name, for `Content-Disposition`.
    pub name: String,
    /// PDF, JPEG or PNG: gives the content type.
    pub kind: AttachmentKind,
    /// The content.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for AttachmentFile {
    /// Shows the kind and size only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AttachmentFile({:?}, {} bytes)",
            self.kind,
            self.bytes.len()
        )
    }
}

/// The files of the messages `message_ids` (in thread order), in position order.
fn ordered(message_ids: &[Uuid], mut rows: Vec<Attachment>) -> Vec<Attachment> {
    rows.sort_by_key(|row| {
        (
            message_ids.iter().position(|id| *id == row.message_id),
            row.id,
        )
    });
    rows
}

impl Shared {
    /// Fills the attachments of `messages` (a thread's, oldest first), numbered from 1.
    pub(super) async fn list_attachments(
        &self,
        messages: &mut [ThreadMessage],
    ) -> Result<(), CoreError> {
        let ids: Vec<Uuid> = messages.iter().map(|m| m.id).collect();
        let rows = ordered(&ids, store::of_messages(&self.db, &ids).await?);
        for (index, row) in rows.into_iter().enumerate() {
            if let Some(message) = messages.iter_mut().find(|m| m.id == row.message_id) {
                message.attachments.push(AttachmentInfo {
                    position: index + 1,
                    name: row.file.file_name.as_str().to_owned(),
                    kind: row.file.kind,
                    size_bytes: row.file.size_bytes,
                });
            }
        }
        Ok(())
    }

    /// The file names of each message's attachments, in upload order (for a thread's PDF).
    pub(super) async fn attachment_names(
        &self,
        message_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<String>>, CoreError> {
        let mut names: HashMap<Uuid, Vec<String>> = HashMap::new();
        for row in ordered(
            message_ids,
            store::of_messages(&self.db, message_ids).await?,
        ) {
            names
                .entry(row.message_id)
                .or_default()
                .push(row.file.file_name.as_str().to_owned());
        }
        Ok(names)
    }

    /// File number `position` of thread `thread_id`, counting internal notes' files only
    /// for staff.
    async fn nth_attachment(
        &self,
        thread_id: Uuid,
        with_internal: bool,
        position: usize,
    ) -> Result<AttachmentFile, AttachmentsError> {
        let ids: Vec<Uuid> = threads::messages(&self.db, thread_id, with_internal)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let row = ordered(&ids, store::of_messages(&self.db, &ids).await?)
            .into_iter()
            .nth(position.checked_sub(1).ok_or(AttachmentsError::NotFound)?)
            .ok_or(AttachmentsError::NotFound)?;
        let bytes = self
            .files
            .get(&FileKey::from_stored(row.file.storage_key))
            .await
            .map_err(|error| match error {
                // The row is there and the file is not: lost data, not the reader's fault.
                FileStoreError::NotFound => AttachmentsError::FileMissing,
                other => CoreError::from(other).into(),
            })?;
        Ok(AttachmentFile {
            name: row.file.file_name.as_str().to_owned(),
            kind: row.file.kind,
            bytes,
        })
    }
}

impl AttachmentService {
    /// File number `position` of one of the member's threads. `NotFound` for another
    /// member's thread exactly as for a missing one, and for a number with no file.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database or the file store fails.
    #[tracing::instrument(
        name = "messaging.attachments.member_attachment",
        skip_all,
        fields(%member_id, %thread_id, position = position)
    )]
    pub async fn member_attachment(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
        position: usize,
    ) -> Result<AttachmentFile, AttachmentsError> {
        let shared = self.shared();
        threads::member_thread(&shared.db, member_id, thread_id)
            .await?
            .ok_or(AttachmentsError::NotFound)?;
        shared.nth_attachment(thread_id, false, position).await
    }

    /// File number `position` of a thread of the staff member's fund, audited
    /// (`staff.attachment.downloaded`, with the number). `NotFound` for another fund's
    /// thread.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database or the file store fails.
    #[tracing::instrument(
        name = "messaging.attachments.staff_attachment",
        skip_all,
        fields(%staff_id, %thread_id, position = position)
    )]
    pub async fn staff_attachment(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        position: usize,
        context: &RequestContext,
    ) -> Result<AttachmentFile, AttachmentsError> {
        let shared = self.shared();
        let staff = shared
            .acting_staff(staff_id)
            .await?
            .ok_or(AttachmentsError::NotFound)?;
        threads::fund_thread(&shared.db, staff.caisse_code, thread_id)
            .await?
            .ok_or(AttachmentsError::NotFound)?;
        let file = shared.nth_attachment(thread_id, true, position).await?;
        audit::record(
            &shared.db,
            context,
            Actor::Staff(staff_id),
            ACTION_ATTACHMENT_DOWNLOADED,
            Some((SUBJECT_THREAD, thread_id)),
            serde_json::json!({ "position": position }),
            shared.clock.now(),
        )
        .await?;
        Ok(file)
    }
}
