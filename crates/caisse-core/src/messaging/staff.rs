//! What advisors do: the fund's queue, opening a thread (audited), taking it, answering,
//! internal notes and closing. An advisor only reaches the threads of their own fund.
//!
//! Changes carry the version the advisor read. The version is checked first (so two
//! advisors who read the same thread get `Conflict`, not a status refusal) and then again
//! by the conditional `UPDATE` (so a race between the check and the write cannot lose an
//! answer).

use caisse_domain::AuditAction;
use caisse_domain::messaging::{Body, ThreadEvent};
use caisse_store::entities::{message_thread, staff};
use caisse_store::messaging::{self as store, Assignment, Author, ThreadChange};
use caisse_store::{ConnectionTrait, TransactionTrait, Tx as DatabaseTransaction, thread_delays};
use time::OffsetDateTime;
use uuid::Uuid;

use super::attachments::{Attachments, Upload, Written};
use super::first_answer::first_answer_of;
use super::views::{
    Page, QueueAssignment, QueueFilters, QueueTeam, ThreadDetail, ThreadMessage, ThreadSummary,
    page_window,
};
use super::{
    ACTION_CLAIMED, ACTION_CLOSED, ACTION_NOTE, ACTION_STAFF_REPLIED, ACTION_VIEWED,
    MessagingError, MessagingService, SUBJECT_THREAD,
};
use crate::accounts::FormProblem;
use crate::audit::{self, Actor, RequestContext};

impl MessagingService {
    pub(super) async fn active_staff(
        &self,
        staff_id: Uuid,
    ) -> Result<staff::Model, MessagingError> {
        caisse_store::staff::get(&self.db, staff_id)
            .await?
            .filter(|s| s.active)
            .ok_or(MessagingError::NotFound)
    }

    pub(super) async fn fund_thread<C: ConnectionTrait>(
        db: &C,
        staff: &staff::Model,
        thread_id: Uuid,
    ) -> Result<message_thread::Model, MessagingError> {
        store::fund_thread(db, &staff.caisse_code, thread_id)
            .await?
            .ok_or(MessagingError::NotFound)
    }

    /// The queue of the advisor's fund matching `filters`, earliest due first; page `page`
    /// (from 1). Offset pagination, like the member's list: queues are filtered down to
    /// screenfuls, and advisors jump to a page.
    ///
    /// # Errors
    /// `NotFound` for an unknown or inactive advisor, `Core` otherwise.
    pub async fn queue(
        &self,
        staff_id: Uuid,
        filters: &QueueFilters,
        page: u64,
    ) -> Result<Page<ThreadSummary>, MessagingError> {
        let staff = self.active_staff(staff_id).await?;
        let size = self.page_size();
        let (number, offset) = page_window(page, size);
        let found = store::fund_queue(
            &self.db,
            &staff.caisse_code,
            &store::QueueFilters {
                statuses: filters
                    .statuses
                    .iter()
                    .map(|s| s.code().to_owned())
                    .collect(),
                objet: filters.objet.clone(),
                nature: filters.nature.map(|n| n.code().to_owned()),
                overdue_on: filters.overdue_on.map(|date| {
                    (
                        date,
                        caisse_domain::messaging::ThreadStatus::Traite
                            .code()
                            .to_owned(),
                    )
                }),
                assignment: filters.assignment.map(|a| match a {
                    QueueAssignment::To(id) => Assignment::To(id),
                    QueueAssignment::Unassigned => Assignment::Unassigned,
                }),
                team: filters.team.as_ref().map(|t| match t {
                    QueueTeam::Code(code) => Some(code.clone()),
                    QueueTeam::Unrouted => None,
                }),
            },
            offset,
            size,
        )
        .await?;
        Ok(Page::from_rows(
            found,
            number,
            size,
            ThreadSummary::from_row,
        )?)
    }

    /// Opens a thread of the advisor's fund with every message, internal notes included,
    /// and audits the view (`staff.thread.viewed`; the member sees it in
    /// [`MessagingService::member_thread_viewers`]). `NotFound` for another fund's thread.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails.
    pub async fn staff_thread(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
    ) -> Result<ThreadDetail, MessagingError> {
        self.staff_thread_audited(staff_id, thread_id, context, serde_json::json!({}))
            .await
    }

    /// [`MessagingService::staff_thread`] with the view's audit `details` (the médiateur's
    /// queue names the referral).
    pub(super) async fn staff_thread_audited(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
        details: serde_json::Value,
    ) -> Result<ThreadDetail, MessagingError> {
        let row = self
            .open_as_staff(staff_id, thread_id, context, details)
            .await?;
        let mut messages: Vec<ThreadMessage> = store::messages(&self.db, thread_id, true)
            .await?
            .into_iter()
            .map(|m| ThreadMessage::from_row(m, true))
            .collect();
        self.list_attachments(&mut messages).await?;
        Ok(ThreadDetail {
            thread: ThreadSummary::from_row(row)?,
            messages,
        })
    }

    /// A thread of the advisor's fund, its opening audited as a view (`staff.thread.viewed`,
    /// with `details`); `NotFound` for another fund's thread, and then nothing is audited.
    pub(super) async fn open_as_staff(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
        details: serde_json::Value,
    ) -> Result<message_thread::Model, MessagingError> {
        let staff = self.active_staff(staff_id).await?;
        let row = Self::fund_thread(&self.db, &staff, thread_id).await?;
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            ACTION_VIEWED,
            Some((SUBJECT_THREAD, thread_id)),
            details,
            self.clock.now(),
        )
        .await?;
        Ok(row)
    }

    /// Reads the advisor's thread and checks it is still at `expected_version`: `Conflict`
    /// when it has moved on since the advisor read it.
    ///
    /// The read happens before the transaction on purpose: on SQLite, a transaction that
    /// reads and then writes cannot wait for another writer (the lock upgrade fails at
    /// once with « database is locked »), whereas one whose first statement is the write
    /// waits its turn. [`MessagingService::apply`] re-checks the version in the write.
    pub(super) async fn versioned(
        &self,
        staff: &staff::Model,
        thread_id: Uuid,
        expected_version: i32,
    ) -> Result<message_thread::Model, MessagingError> {
        let row = Self::fund_thread(&self.db, staff, thread_id).await?;
        if row.version != expected_version {
            return Err(MessagingError::Conflict {
                current_version: row.version,
            });
        }
        Ok(row)
    }

    /// Applies `change` at `expected_version` or reports the version that won.
    pub(super) async fn apply(
        &self,
        tx: &DatabaseTransaction,
        staff: &staff::Model,
        thread_id: Uuid,
        expected_version: i32,
        change: ThreadChange,
        now: OffsetDateTime,
    ) -> Result<(), MessagingError> {
        if store::update_if_version(tx, thread_id, expected_version, change, now).await? {
            return Ok(());
        }
        // Read outside the transaction: the winner has committed.
        let current = Self::fund_thread(&self.db, staff, thread_id).await?;
        Err(MessagingError::Conflict {
            current_version: current.version,
        })
    }

    pub(super) async fn audit_staff(
        tx: &DatabaseTransaction,
        context: &RequestContext,
        staff_id: Uuid,
        action: AuditAction,
        thread_id: Uuid,
        now: OffsetDateTime,
    ) -> Result<(), MessagingError> {
        audit::record(
            tx,
            context,
            Actor::Staff(staff_id),
            action,
            Some((SUBJECT_THREAD, thread_id)),
            serde_json::json!({}),
            now,
        )
        .await?;
        Ok(())
    }

    /// The advisor takes the thread in charge (« En cours d'instruction », assigned to
    /// them); returns the new version.
    ///
    /// # Errors
    /// `NotFound`, `Conflict` when the thread changed since `expected_version`, `Refused`
    /// when its status does not allow it, `Core` otherwise.
    pub async fn claim(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        context: &RequestContext,
    ) -> Result<i32, MessagingError> {
        let change = ThreadChange {
            assigned_staff_id: Some(Some(staff_id)),
            ..ThreadChange::default()
        };
        let step = (ThreadEvent::AdvisorTookCharge, ACTION_CLAIMED);
        self.move_thread(staff_id, thread_id, expected_version, step, change, context)
            .await
    }

    /// The advisor answers the member without files:
    /// [`MessagingService::staff_reply_with_attachments`].
    ///
    /// # Errors
    /// `Invalid` for a bad body, `NotFound`, `Conflict`, `Refused`, or `Core`.
    pub async fn staff_reply(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        body: &str,
        context: &RequestContext,
    ) -> Result<i32, MessagingError> {
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

    /// The advisor answers the member, with files checked, written and recorded like a
    /// member's (an attestation, a form to fill); the thread stays open (« En cours
    /// d'instruction »), or stays « Traité » for an addition to a closed one. The member is
    /// told by email and SMS as they chose, with a link only. The thread's first answer also
    /// records its delay facts (see `first_answer`). Returns the new version.
    ///
    /// # Errors
    /// `Invalid` for a bad body or file (nothing stored), `NotFound`, `Conflict`, `Refused`,
    /// or `Core`.
    pub async fn staff_reply_with_attachments(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        body: &str,
        uploads: Vec<Upload>,
        context: &RequestContext,
    ) -> Result<i32, MessagingError> {
        let body = parse_body(self, body);
        let prepared = self
            .prepare_attachments(None, Attachments::uploads(uploads))
            .await?;
        let body = match body {
            Ok(body) if prepared.problems.is_empty() => body,
            Ok(_) => return Err(MessagingError::Invalid(prepared.problems)),
            Err(MessagingError::Invalid(mut problems)) => {
                problems.extend(prepared.problems);
                return Err(MessagingError::Invalid(problems));
            }
            Err(other) => return Err(other),
        };
        let staff = self.active_staff(staff_id).await?;
        self.versioned(&staff, thread_id, expected_version).await?;
        let written = self.write_attachments(prepared).await?;
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
        self.settle(&written, replied).await
    }

    /// The transaction of [`MessagingService::staff_reply_with_attachments`].
    async fn record_staff_reply(
        &self,
        staff: &staff::Model,
        thread_id: Uuid,
        expected_version: i32,
        body: &Body,
        written: &Written,
        context: &RequestContext,
    ) -> Result<i32, MessagingError> {
        let staff_id = staff.id;
        let now = self.clock.now();
        let row = self.versioned(staff, thread_id, expected_version).await?;
        let first_answer = first_answer_of(&row, now)?;
        let member_id = row.member_id;
        let thread = ThreadSummary::from_row(row)?;
        let next = thread.status.after(ThreadEvent::AdvisorReplied)?;
        let change = ThreadChange {
            status: Some(next.code().to_owned()),
            unread_by_member: Some(true),
            assigned_staff_id: thread.assigned_staff_id.is_none().then_some(Some(staff_id)),
            ..ThreadChange::default()
        };
        let tx = self.db.begin().await?;
        self.apply(&tx, staff, thread_id, expected_version, change, now)
            .await?;
        let message_id = store::add_message(
            &tx,
            thread_id,
            Author::Staff(staff_id),
            body.as_str(),
            false,
            now,
        )
        .await?;
        Self::record_attachments(&tx, None, message_id, written, now).await?;
        if let Some(answer) = first_answer {
            thread_delays::record_first_answer(&tx, thread_id, answer).await?;
        }
        Self::audit_staff(&tx, context, staff_id, ACTION_STAFF_REPLIED, thread_id, now).await?;
        self.notify_reply(&tx, member_id, thread_id, &thread.reference, now)
            .await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    /// Adds an advisors' internal note, never shown to the member. It changes neither the
    /// status nor the version (a note overwrites nothing) nor the member's « last
    /// activity » (which would tell them something happened).
    ///
    /// # Errors
    /// `Invalid` for a bad body, `NotFound`, or `Core`.
    pub async fn add_note(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        body: &str,
        context: &RequestContext,
    ) -> Result<(), MessagingError> {
        let body = parse_body(self, body)?;
        let staff = self.active_staff(staff_id).await?;
        let now = self.clock.now();
        Self::fund_thread(&self.db, &staff, thread_id).await?;
        let tx = self.db.begin().await?;
        store::add_message(
            &tx,
            thread_id,
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

    /// The advisor closes the thread (« Traité »); returns the new version.
    ///
    /// # Errors
    /// `NotFound`, `Conflict`, `Refused` (already closed), or `Core`.
    pub async fn close(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        context: &RequestContext,
    ) -> Result<i32, MessagingError> {
        let change = ThreadChange {
            closed_at: Some(Some(self.clock.now())),
            ..ThreadChange::default()
        };
        let step = (ThreadEvent::AdvisorClosed, ACTION_CLOSED);
        self.move_thread(staff_id, thread_id, expected_version, step, change, context)
            .await
    }

    /// Moves a thread by an advisor's `event` (its status from the domain table), with the
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
    ) -> Result<i32, MessagingError> {
        let staff = self.active_staff(staff_id).await?;
        let now = self.clock.now();
        let row = self.versioned(&staff, thread_id, expected_version).await?;
        let next = ThreadSummary::from_row(row)?.status.after(event)?;
        let change = ThreadChange {
            status: Some(next.code().to_owned()),
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
        staff: &staff::Model,
        (thread_id, expected_version): (Uuid, i32),
        change: ThreadChange,
        (action, details): (AuditAction, serde_json::Value),
        context: &RequestContext,
        now: OffsetDateTime,
    ) -> Result<i32, MessagingError> {
        let tx = self.db.begin().await?;
        self.apply(&tx, staff, thread_id, expected_version, change, now)
            .await?;
        audit::record(
            &tx,
            context,
            Actor::Staff(staff.id),
            action,
            Some((SUBJECT_THREAD, thread_id)),
            details,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }
}

fn parse_body(service: &MessagingService, body: &str) -> Result<Body, MessagingError> {
    Body::parse(body, &service.settings.limits)
        .map_err(|e| MessagingError::Invalid(vec![FormProblem::new("body", e.message_fr())]))
}
