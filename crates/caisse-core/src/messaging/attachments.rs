//! Attachments: checking what members send, the drafts that carry files across a form's
//! steps, writing files around the transaction that records them, and the purge of expired
//! drafts. Downloads are in `downloads`.
//!
//! The order of work keeps refused and failed messages from storing anything:
//! 1. every file is checked (name, size, kind by content, image header, re-encoding) before
//!    any is written, and one refusal stops the message;
//! 2. the accepted files are written to the file store under fresh random keys;
//! 3. one database transaction records them with the message (or as drafts); if it fails,
//!    the files just written are deleted again.

use std::fmt;
use std::sync::Arc;

use caisse_domain::Instant;
use caisse_domain::messaging::{AttachmentKind, FileName, shown_name};
use caisse_store::attachments::{self as store, Draft, NewAttachment};
use caisse_store::{ConnectionTrait, TransactionTrait};
use time::Duration;
use uuid::Uuid;

use super::errors::AttachmentsError;
use super::images;
use super::quotas::DraftQuota;
use super::shared::Shared;
use crate::CoreError;
use crate::accounts::FormProblem;
use crate::files::FileKey;

/// The members' drafts (files joined to a message not sent yet, kept across a form's steps),
/// the downloads of the files of threads (`downloads`), and the purge of expired drafts.
#[derive(Clone)]
pub struct AttachmentService {
    shared: Arc<Shared>,
}

/// The form field that file problems belong to (the `<input type="file">`).
pub const FILES_FIELD: &str = "files";

/// How long after expiring a draft is purged: a send that read a draft just before it
/// expired still finds its file.
const PURGE_GRACE: Duration = Duration::hours(1);

/// Drafts purged per run of the housekeeping loop.
const PURGE_BATCH: u64 = 500;

/// A file as received, before any check. The web layer stops reading a file one byte past
/// the size limit, so `bytes` never holds much more than the limit.
#[derive(Clone)]
pub struct Upload {
    /// The name the browser or app gave, untrusted.
    pub name: String,
    /// The content, untrusted.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Upload {
    /// Shows the size only: names and contents are the member's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Upload({} bytes)", self.bytes.len())
    }
}

/// The files of a new message or reply: drafts prepared earlier (ids from the form) first,
/// then files received with this request.
#[derive(Clone, Debug, Default)]
pub struct Attachments {
    /// Ids of the member's drafts to attach.
    pub drafts: Vec<Uuid>,
    /// Files received now.
    pub uploads: Vec<Upload>,
}

impl Attachments {
    /// No file.
    pub fn none() -> Attachments {
        Attachments::default()
    }

    /// Only files received now (the API, staff).
    pub fn uploads(uploads: Vec<Upload>) -> Attachments {
        Attachments {
            drafts: Vec::new(),
            uploads,
        }
    }
}

/// A file of a message, as its readers see it.
#[derive(Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// Its number in the thread, from 1, counting files in message order then upload
    /// order: what download links carry.
    pub position: usize,
    /// The sanitised name.
    pub name: String,
    /// PDF, JPEG or PNG.
    pub kind: AttachmentKind,
    /// Size as stored (images are re-encoded).
    pub size_bytes: u64,
}

debug_fields!(AttachmentInfo {
    position,
    kind,
    size_bytes
});

/// A file the member prepared for a message not sent yet.
#[derive(Clone, PartialEq, Eq)]
pub struct DraftAttachment {
    /// Its id, carried by the form.
    pub id: Uuid,
    /// The sanitised name.
    pub name: String,
    /// PDF, JPEG or PNG.
    pub kind: AttachmentKind,
    /// Size as stored.
    pub size_bytes: u64,
}

debug_fields!(DraftAttachment {
    id,
    kind,
    size_bytes
});

/// What a submission left: the member's drafts, old and new, and the refused files.
#[derive(Clone, Debug, Default)]
pub struct Staged {
    /// Drafts to carry in the form, oldest first.
    pub drafts: Vec<DraftAttachment>,
    /// One problem per refused file, naming it.
    pub problems: Vec<FormProblem>,
}

/// A file that passed every check, with the bytes to store.
pub(super) struct Checked {
    name: FileName,
    kind: AttachmentKind,
    bytes: Vec<u8>,
}

/// The attachments of a message once checked: drafts found, new files checked, and the
/// problems that stop the message.
pub(super) struct Prepared {
    drafts: Vec<Draft>,
    checked: Vec<Checked>,
    pub(super) problems: Vec<FormProblem>,
}

/// The attachments of a message once written: what to record, and what to delete again if
/// the transaction fails.
#[derive(Clone, Debug, Default)]
pub(super) struct Written {
    draft_ids: Vec<Uuid>,
    records: Vec<NewAttachment>,
    fresh: Vec<FileKey>,
}

impl Written {
    /// No file: nothing to record but the message.
    pub(super) fn is_empty(&self) -> bool {
        self.draft_ids.is_empty() && self.records.is_empty()
    }
}

#[cfg(test)]
impl Written {
    /// Files kept as the member's drafts `draft_ids`, as a send that checked them would have.
    pub(super) fn from_drafts(draft_ids: Vec<Uuid>) -> Written {
        Written {
            draft_ids,
            ..Written::default()
        }
    }
}

fn draft_view(row: Draft) -> DraftAttachment {
    DraftAttachment {
        id: row.id,
        kind: row.file.kind,
        size_bytes: row.file.size_bytes,
        name: row.file.file_name.as_str().to_owned(),
    }
}

/// Why the files of a message could not be recorded with it.
#[derive(Debug, thiserror::Error)]
pub(super) enum RecordError {
    /// A draft the message used is gone (a double submission, the purge): the whole message
    /// is refused.
    #[error("a draft was used or purged meanwhile")]
    DraftGone,
    /// The database failed.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for RecordError {
    fn from(error: caisse_store::StoreError) -> Self {
        RecordError::Core(error.into())
    }
}

impl From<RecordError> for super::MemberError {
    fn from(error: RecordError) -> Self {
        match error {
            RecordError::DraftGone => super::MemberError::Invalid(vec![expired_draft()]),
            RecordError::Core(core) => core.into(),
        }
    }
}

impl From<RecordError> for super::StaffError {
    fn from(error: RecordError) -> Self {
        match error {
            RecordError::DraftGone => super::StaffError::Invalid(vec![expired_draft()]),
            RecordError::Core(core) => core.into(),
        }
    }
}

fn expired_draft() -> FormProblem {
    FormProblem::new(
        FILES_FIELD,
        "Une pièce jointe préparée a expiré ou a déjà été envoyée : joignez-la de nouveau.",
    )
}

/// Checks one file as a message attachment is checked (name, size, kind by content, image
/// dimensions) and rewrites it without metadata: what other features (dossiers' pieces)
/// accept files with. CPU work: run it on a [`crate::blocking::BlockingPool`].
///
/// # Errors
/// The [`caisse_domain::messaging::AttachmentError`] that refuses it.
pub(crate) fn check_one_file(
    limits: &caisse_domain::messaging::AttachmentLimits,
    name: &str,
    bytes: Vec<u8>,
) -> Result<(AttachmentKind, FileName, Vec<u8>), caisse_domain::messaging::AttachmentError> {
    let (kind, file_name) = limits.check_file(name, &bytes)?;
    let bytes = images::prepare(kind, bytes, limits)?;
    Ok((kind, file_name, bytes))
}

impl Shared {
    /// Checks `uploads` for a message already holding `already` files: each in turn against
    /// the count, then the name, size and kind, then (images) the header's dimensions and a
    /// re-encoding without metadata. Runs on the file pool: decoding is CPU work and memory,
    /// bounded per node by the pool's workers.
    async fn check_uploads(
        &self,
        uploads: Vec<Upload>,
        already: usize,
    ) -> Result<(Vec<Checked>, Vec<FormProblem>), CoreError> {
        if uploads.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let limits = self.settings.attachments;
        self.file_pool
            .run(move || {
                let mut accepted = Vec::new();
                let mut problems = Vec::new();
                for upload in uploads {
                    let checked = limits
                        .check_count(already + accepted.len())
                        .and_then(|()| check_one_file(&limits, &upload.name, upload.bytes))
                        .map(|(kind, name, bytes)| Checked { name, kind, bytes });
                    match checked {
                        Ok(file) => accepted.push(file),
                        Err(error) => problems.push(FormProblem::new(
                            FILES_FIELD,
                            error.message_fr(&shown_name(&upload.name)),
                        )),
                    }
                }
                (accepted, problems)
            })
            .await
            .map_err(|error| CoreError::Task(error.to_string()))
    }

    /// Finds the member's drafts `attachments.drafts` and checks the new files after them.
    /// Writes nothing. A draft that is not the member's, or has expired, is a problem.
    pub(super) async fn prepare_attachments(
        &self,
        member_id: Option<Uuid>,
        attachments: Attachments,
    ) -> Result<Prepared, CoreError> {
        let mut ids = attachments.drafts;
        ids.sort_unstable();
        ids.dedup();
        let drafts = match member_id {
            Some(member_id) => store::member_drafts(&self.db, member_id, &ids, self.now()).await?,
            None => Vec::new(),
        };
        let mut problems = Vec::new();
        if drafts.len() < ids.len() {
            problems.push(expired_draft());
        }
        let (checked, refused) = self
            .check_uploads(attachments.uploads, drafts.len())
            .await?;
        problems.extend(refused);
        Ok(Prepared {
            drafts,
            checked,
            problems,
        })
    }

    /// Writes the checked files to the file store. If one write fails, the ones written
    /// before it are deleted and nothing is left behind.
    pub(super) async fn write_attachments(&self, prepared: Prepared) -> Result<Written, CoreError> {
        let mut written = Written::default();
        for draft in prepared.drafts {
            written.draft_ids.push(draft.id);
            written.records.push(draft.file);
        }
        for file in prepared.checked {
            let key = FileKey::new_attachment();
            let size_bytes = u64::try_from(file.bytes.len()).unwrap_or(u64::MAX);
            if let Err(error) = self.files.put(&key, file.bytes).await {
                self.forget_files(&written.fresh).await;
                return Err(error.into());
            }
            written.records.push(NewAttachment {
                file_name: file.name,
                kind: file.kind,
                size_bytes,
                storage_key: key.as_str().to_owned(),
            });
            written.fresh.push(key);
        }
        Ok(written)
    }

    /// Records `written` as files of message `message_id` of member `thread_member`'s thread,
    /// using up the drafts of `member_id` (the member writing), in the caller's transaction.
    /// A draft gone meanwhile (a double submission, the purge) refuses the whole message.
    pub(super) async fn record_attachments<C: ConnectionTrait>(
        tx: &C,
        member_id: Option<Uuid>,
        (message_id, thread_member): (Uuid, Uuid),
        written: &Written,
        now: Instant,
    ) -> Result<(), RecordError> {
        if let Some(member_id) = member_id
            && !written.draft_ids.is_empty()
        {
            let taken = store::delete_member_drafts(tx, member_id, &written.draft_ids).await?;
            if taken != written.draft_ids.len() as u64 {
                return Err(RecordError::DraftGone);
            }
        }
        for record in &written.records {
            store::insert(tx, (message_id, thread_member), record, now).await?;
        }
        Ok(())
    }

    /// Returns `result`, first deleting the files `written` put in the store if it is an
    /// error: the message they were for was not recorded.
    pub(super) async fn settle<T, E>(
        &self,
        written: &Written,
        result: Result<T, E>,
    ) -> Result<T, E> {
        if result.is_err() {
            self.forget_files(&written.fresh).await;
        }
        result
    }

    /// Deletes files that no row will reference; a failure leaves an orphan file, logged.
    async fn forget_files(&self, keys: &[FileKey]) {
        for key in keys {
            if let Err(error) = self.files.delete(key).await {
                tracing::warn!(%error, key = key.as_str(), "orphan attachment file left");
            }
        }
    }
}

impl AttachmentService {
    pub(super) fn new(shared: Arc<Shared>) -> AttachmentService {
        AttachmentService { shared }
    }

    pub(super) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// A submission of the member's form: keeps the drafts `kept` that are still the
    /// member's, checks `uploads` after them, and stores the accepted ones as new drafts
    /// valid [`super::MessagingSettings::draft_lifetime`]. Refused files are never stored;
    /// each gets a problem naming it. New drafts that would take the member past their draft
    /// quota ([`super::MessagingQuotas`]) are not kept either, with one problem saying so.
    ///
    /// # Errors
    /// `Core` when the database or the file store fails (nothing new is left stored).
    #[tracing::instrument(
        name = "messaging.attachments.stage_attachments",
        skip_all,
        fields(%member_id, kept = kept.len(), uploads = uploads.len())
    )]
    pub async fn stage_attachments(
        &self,
        member_id: Uuid,
        kept: &[Uuid],
        uploads: Vec<Upload>,
    ) -> Result<Staged, AttachmentsError> {
        let shared = &self.shared;
        let mut prepared = shared
            .prepare_attachments(
                Some(member_id),
                Attachments {
                    drafts: kept.to_vec(),
                    uploads,
                },
            )
            .await?;
        let mut problems = std::mem::take(&mut prepared.problems);
        let mut drafts: Vec<DraftAttachment> =
            prepared.drafts.iter().cloned().map(draft_view).collect();
        if prepared.checked.is_empty() {
            return Ok(Staged { drafts, problems });
        }
        prepared.drafts.clear();
        let written = shared.write_attachments(prepared).await?;
        let now = shared.now();
        let expires_at = now + shared.settings.draft_lifetime;
        let inserted: Result<Vec<DraftAttachment>, DraftQuota> = async {
            let tx = shared.db.begin().await.map_err(CoreError::from)?;
            shared
                .check_draft_quota(&tx, member_id, &written.records, now)
                .await?;
            let mut fresh = Vec::new();
            for record in &written.records {
                let id = store::insert_draft(&tx, member_id, record, now, expires_at)
                    .await
                    .map_err(CoreError::from)?;
                fresh.push(DraftAttachment {
                    id,
                    name: record.file_name.as_str().to_owned(),
                    kind: record.kind,
                    size_bytes: record.size_bytes,
                });
            }
            tx.commit().await.map_err(CoreError::from)?;
            Ok(fresh)
        }
        .await;
        match shared.settle(&written, inserted).await {
            Ok(fresh) => drafts.extend(fresh),
            Err(DraftQuota::Exceeded(quota)) => {
                problems.push(FormProblem::new(FILES_FIELD, quota.message_fr()));
            }
            Err(DraftQuota::Core(error)) => return Err(error.into()),
        }
        Ok(Staged { drafts, problems })
    }

    /// The drafts among `ids` that are the member's and still valid, oldest first.
    ///
    /// # Errors
    /// `Core` when the database fails.
    #[tracing::instrument(
        name = "messaging.attachments.member_drafts",
        skip_all,
        fields(%member_id, ids = ids.len())
    )]
    pub async fn member_drafts(
        &self,
        member_id: Uuid,
        ids: &[Uuid],
    ) -> Result<Vec<DraftAttachment>, AttachmentsError> {
        Ok(
            store::member_drafts(&self.shared.db, member_id, ids, self.shared.now())
                .await?
                .into_iter()
                .map(draft_view)
                .collect(),
        )
    }

    /// The member takes a draft off their message (« Retirer »): its row and its file go.
    /// Someone else's draft id changes nothing.
    ///
    /// # Errors
    /// `Core` when the database or the file store fails.
    #[tracing::instrument(
        name = "messaging.attachments.remove_draft",
        skip_all,
        fields(%member_id, %draft_id)
    )]
    pub async fn remove_draft(
        &self,
        member_id: Uuid,
        draft_id: Uuid,
    ) -> Result<(), AttachmentsError> {
        let shared = &self.shared;
        let Some(draft) = store::member_drafts(&shared.db, member_id, &[draft_id], shared.now())
            .await?
            .pop()
        else {
            return Ok(());
        };
        store::delete_member_drafts(&shared.db, member_id, &[draft_id]).await?;
        shared
            .files
            .delete(&FileKey::from_stored(draft.file.storage_key))
            .await
            .map_err(CoreError::from)?;
        Ok(())
    }

    /// Deletes drafts expired for more than an hour, their files first (a file whose delete
    /// fails keeps its row, for the next run); returns how many went. For the housekeeping
    /// loop.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "messaging.attachments.purge_expired_drafts", skip_all)]
    pub async fn purge_expired_drafts(&self) -> Result<u64, CoreError> {
        let shared = &self.shared;
        let expired =
            store::expired_drafts(&shared.db, shared.now() - PURGE_GRACE, PURGE_BATCH).await?;
        let mut gone = Vec::with_capacity(expired.len());
        for draft in expired {
            match shared
                .files
                .delete(&FileKey::from_stored(draft.storage_key))
                .await
            {
                Ok(()) => gone.push(draft.id),
                Err(error) => tracing::warn!(%error, draft = %draft.id, "draft file not deleted"),
            }
        }
        Ok(store::delete_drafts(&shared.db, &gone).await?)
    }
}
