//! What staff do: the fund's queue, opening a thread (audited), taking it, answering,
//! internal notes and closing. A staff member only reaches the threads of their own fund.
//!
//! Changes carry the version the staff member read. The version is checked first (so two
//! staff who read the same thread get `Conflict`, not a status refusal) and then again
//! by the conditional `UPDATE` (so a race between the check and the write cannot lose an
//! answer).

use std::sync::Arc;

use caisse_domain::messaging::{Body, ThreadEvent};
use caisse_domain::{AuditAction, Instant};
use caisse_store::messaging::{self as store, Author, Thread, ThreadChange};
use caisse_store::{ConnectionTrait, TransactionTrait, Tx as DatabaseTransaction, thread_delays};
use uuid::Uuid;

use super::attachments::{Attachments, Upload, Written};
use super::errors::StaffError;
use super::first_answer::first_answer_of;
use super::people::ActingStaff;
use super::shared::Shared;
use super::transcript::ThreadPdf;
use super::views::ThreadDetail;
use super::{ACTION_CLAIMED, ACTION_CLOSED, ACTION_NOTE, ACTION_STAFF_REPLIED, SUBJECT_THREAD};
use crate::accounts::FormProblem;
use crate::audit::{self, Actor, RequestContext};

/// What staff do: the fund's queue, a thread with the member's file beside it, its actions
/// (take, assign, answer, note, close, transfer, record a réclamation's outcome), canned
/// answers, and the thread's PDF. A staff member only reaches the threads of their own fund.
#[derive(Clone)]
pub struct StaffMessaging {
    pub(super) shared: Arc<Shared>,
}

impl StaffMessaging {
    pub(super) fn new(shared: Arc<Shared>) -> StaffMessaging {
        StaffMessaging { shared }
    }

    /// The staff member `staff_id`, active: `NotFound` otherwise.
    pub(super) async fn acting_staff(&self, staff_id: Uuid) -> Result<ActingStaff, StaffError> {
        self.shared
            .acting_staff(staff_id)
            .await?
            .ok_or(StaffError::NotFound)
    }

    /// Thread `thread_id` if it is in the staff member's fund: `NotFound` otherwise.
    pub(super) async fn fund_thread<C: ConnectionTrait>(
        db: &C,
        staff: &ActingStaff,
        thread_id: Uuid,
    ) -> Result<Thread, StaffError> {
        store::fund_thread(db, staff.caisse_code, thread_id)
            .await?
            .ok_or(StaffError::NotFound)
    }

    /// Opens a thread of the staff member's fund with every message, internal notes included,
    /// and audits the view (`staff.thread.viewed`; the member sees it in
    /// [`super::MemberMessaging::member_thread_viewers`]). `NotFound` for another fund's
    /// thread.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails.
    #[tracing::instrument(
        name = "messaging.staff.staff_thread",
        skip_all,
        fields(%staff_id, %thread_id)
    )]
    pub async fn staff_thread(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
    ) -> Result<ThreadDetail, StaffError> {
        self.shared
            .staff_thread_detail(staff_id, thread_id, context, serde_json::json!({}))
            .await?
            .ok_or(StaffError::NotFound)
    }

    /// A thread of the staff member's fund as the member sees it, to print or send them; audited
    /// as a view (`staff.thread.viewed`, with `"pdf": true`), so the member sees it among
    /// those who opened the thread. `NotFound` for another fund's thread.
    ///
    /// # Errors
    /// `NotFound`, `Pdf` when the PDF cannot be made, or `Core` when the database fails.
    #[tracing::instrument(
        name = "messaging.staff.staff_thread_pdf",
        skip_all,
        fields(%staff_id, %thread_id)
    )]
    pub async fn staff_thread_pdf(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
    ) -> Result<ThreadPdf, StaffError> {
        let (_, row) = self
            .shared
            .open_as_staff(
                staff_id,
                thread_id,
                context,
                serde_json::json!({ "pdf": true }),
            )
            .await?
            .ok_or(StaffError::NotFound)?;
        self.shared.thread_pdf(row).await
    }

    /// Reads the staff member's thread and checks it is still at `expected_version`: `Conflict`
    /// when it has moved on since the staff member read it.
    ///
    /// The read happens before the transaction on purpose: on SQLite, a transaction that
    /// reads and then writes cannot wait for another writer (the lock upgrade fails at
    /// once with « database is locked »), whereas one whose first statement is the write
    /// waits its turn. [`StaffMessaging::apply`] re-checks the version in the write.
    pub(super) async fn versioned(
        &self,
        staff: &ActingStaff,
        thread_id: Uuid,
        expected_version: i32,
    ) -> Result<Thread, StaffError> {
        let row = Self::fund_thread(&self.shared.db, staff, thread_id).await?;
        if row.version != expected_version {
            return Err(StaffError::Conflict {
                current_version: row.version,
            });
        }
        Ok(row)
    }

    /// Applies `change` at `expected_version` or reports the version that won.
    pub(super) async fn apply(
        &self,
        tx: &DatabaseTransaction,
        staff: &ActingStaff,
        thread_id: Uuid,
        expected_version: i32,
        change: ThreadChange,
        now: Instant,
    ) -> Result<(), StaffError> {
        if store::update_if_version(tx, thread_id, expected_version, change, now).await? {
            return Ok(());
        }
        // Read outside the transaction: the winner has committed.
        let current = Self::fund_thread(&self.shared.db, staff, thread_id).await?;
        Err(StaffError::Conflict {
            current_version: current.version,
        })
    }

    pub(super) async fn audit_staff(
        tx: &DatabaseTransaction,
        context: &RequestContext,
        staff_id: Uuid,
        action: AuditAction,
        thread_id: Uuid,
        now: Instant,
    ) -> Result<(), StaffError> {
        audit::record(
            tx,
            context,
            Actor::Staff(staff_id),
            action,
            Some((SUBJECT_THREAD, thread_id)),
            serde_json::json!({}),
            now.get(),
        )
        .await?;
        Ok(())
    }

    /// The staff member takes the thread in charge (« En cours d'instruction », assigned to
    /// them); returns the new version.
    ///
    /// # Errors
    /// `NotFound`, `Conflict` when the thread changed since `expected_version`, `Refused`
    /// when its status does not allow it, `Core` otherwise.
    #[tracing::instrument(
        name = "messaging.staff.claim",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version)
    )]
    pub async fn claim(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let change = ThreadChange {
            assigned_staff_id: Some(Some(staff_id)),
            ..ThreadChange::default()
        };
        let step = (ThreadEvent::StaffTookCharge, ACTION_CLAIMED);
        self.move_thread(staff_id, thread_id, expected_version, step, change, context)
            .await
    }

    /// The staff member answers the member without files:
    /// [`StaffMessaging::staff_reply_with_attachments`].
    ///
    /// # Errors
    /// `Invalid` for a bad body, `NotFound`, `Conflict`, `Refused`, or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.staff_reply",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version)
    )]
    pub async fn staff_reply(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        body: &str,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        self.staff_reply_with_attachments(
            staff_id,
            thread_id,
            expected_version,
            body,
            Vec::new(),
            context,
        )
        .await
    }

    /// The staff member answers the member, with files checked, written and recorded like a
    /// member's (an attestation, a form to fill); the thread stays open (« En cours
    /// d'instruction »), or stays « Traité » for an addition to a closed one. The member is
    /// told by email and SMS as they chose, with a link only. The thread's first answer also
    /// records its delay facts (see `first_answer`). Returns the new version.
    ///
    /// # Errors
    /// `Invalid` for a bad body or file (nothing stored), `NotFound`, `Conflict`, `Refused`,
    /// or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.staff_reply_with_attachments",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version, uploads = uploads.len())
    )]
    pub async fn staff_reply_with_attachments(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        body: &str,
        uploads: Vec<Upload>,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let body = parse_body(self, body);
        let prepared = self
            .shared
            .prepare_attachments(None, Attachments::uploads(uploads))
            .await?;
        let body = match body {
            Ok(body) if prepared.problems.is_empty() => body,
            Ok(_) => return Err(StaffError::Invalid(prepared.problems)),
            Err(StaffError::Invalid(mut problems)) => {
                problems.extend(prepared.problems);
                return Err(StaffError::Invalid(problems));
            }
            Err(other) => return Err(other),
        };
        let staff = self.acting_staff(staff_id).await?;
        self.versioned(&staff, thread_id, expected_version).await?;
        let written = self.shared.write_attachments(prepared).await?;
        let replied = self
            .record_staff_reply(
                &staff,
                thread_id,
                expected_version,
                &body,
                &written,
                context,
            )
            .await;
        self.shared.settle(&written, replied).await
    }

    /// The transaction of [`StaffMessaging::staff_reply_with_attachments`].
    async fn record_staff_reply(
        &self,
        staff: &ActingStaff,
        thread_id: Uuid,
        expected_version: i32,
        body: &Body,
        written: &Written,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let staff_id = staff.id;
        let now = self.shared.now();
        let thread = self.versioned(staff, thread_id, expected_version).await?;
        let first_answer = first_answer_of(&thread, body.as_str(), !written.is_empty(), now);
        let next = thread.status.after(ThreadEvent::StaffReplied)?;
        let change = ThreadChange {
            status: Some(next),
            unread_by_member: Some(true),
            assigned_staff_id: thread.assigned_staff_id.is_none().then_some(Some(staff_id)),
            ..ThreadChange::default()
        };
        let tx = self.shared.db.begin().await?;
        self.apply(&tx, staff, thread_id, expected_version, change, now)
            .await?;
        let message_id = store::add_message(
            &tx,
            (thread_id, thread.member_id),
            Author::Staff(staff_id),
            body.as_str(),
            false,
            now,
        )
        .await?;
        Shared::record_attachments(&tx, None, (message_id, thread.member_id), written, now).await?;
        if let Some(answer) = first_answer {
            thread_delays::record_first_answer(&tx, thread_id, answer).await?;
        }
        Self::audit_staff(&tx, context, staff_id, ACTION_STAFF_REPLIED, thread_id, now).await?;
        self.shared
            .notify_reply(&tx, thread.member_id, thread_id, &thread.reference, now)
            .await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    /// Adds an staff members' internal note, never shown to the member. It changes neither the
    /// status nor the version (a note overwrites nothing) nor the member's « last
    /// activity » (which would tell them something happened).
    ///
    /// # Errors
    /// `Invalid` for a bad body, `NotFound`, or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.add_note",
        skip_all,
        fields(%staff_id, %thread_id)
    )]
    pub async fn add_note(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        body: &str,
        context: &RequestContext,
    ) -> Result<(), StaffError> {
        let body = parse_body(self, body)?;
        let staff = self.acting_staff(staff_id).await?;
        let now = self.shared.now();
        let thread = Self::fund_thread(&self.shared.db, &staff, thread_id).await?;
        let tx = self.shared.db.begin().await?;
        store::add_message(
            &tx,
            (thread_id, thread.member_id),
            Author::Staff(staff_id),
            body.as_str(),
            true,
            now,
        )
        .await?;
        Self::audit_staff(&tx, context, staff_id, ACTION_NOTE, thread_id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The staff member closes the thread (« Traité »); returns the new version.
    ///
    /// # Errors
    /// `NotFound`, `Conflict`, `Refused` (already closed), or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.close",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version)
    )]
    pub async fn close(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let change = ThreadChange {
            closed_at: Some(Some(self.shared.now())),
            ..ThreadChange::default()
        };
        let step = (ThreadEvent::StaffClosed, ACTION_CLOSED);
        self.move_thread(staff_id, thread_id, expected_version, step, change, context)
            .await
    }

    /// Moves a thread by a staff member's `event` (its status from the domain table), with the
    /// other columns of `change`, at `expected_version`, audited as `action`, in one
    /// transaction. Returns the new version.
    pub(super) async fn move_thread(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        (event, action): (ThreadEvent, AuditAction),
        change: ThreadChange,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let now = self.shared.now();
        let row = self.versioned(&staff, thread_id, expected_version).await?;
        let next = row.status.after(event)?;
        let change = ThreadChange {
            status: Some(next),
            ..change
        };
        self.commit_change(
            &staff,
            (thread_id, expected_version),
            change,
            (action, serde_json::json!({})),
            context,
            now,
        )
        .await
    }

    /// In one transaction, `change` to the thread at `expected_version` and its audit event
    /// `action` with `details`; returns the new version.
    pub(super) async fn commit_change(
        &self,
        staff: &ActingStaff,
        (thread_id, expected_version): (Uuid, i32),
        change: ThreadChange,
        (action, details): (AuditAction, serde_json::Value),
        context: &RequestContext,
        now: Instant,
    ) -> Result<i32, StaffError> {
        let tx = self.shared.db.begin().await?;
        self.apply(&tx, staff, thread_id, expected_version, change, now)
            .await?;
        audit::record(
            &tx,
            context,
            Actor::Staff(staff.id),
            action,
            Some((SUBJECT_THREAD, thread_id)),
            details,
            now.get(),
        )
        .await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }
}

fn parse_body(service: &StaffMessaging, body: &str) -> Result<Body, StaffError> {
    Body::parse(body, &service.shared.settings.limits)
        .map_err(|e| StaffError::Invalid(vec![FormProblem::new("body", e.message_fr())]))
}
