//! Group commit of new threads: the second half of a send. A send checks the form and the
//! files, writes the files, and hands the rest to this node's writer task, which takes every
//! send waiting at that moment, reads their members in one query, composes each thread (due
//! date in the member's fund calendar, reference, audit event, confirmation mail) and writes
//! them all in one transaction with one `INSERT` per table, then answers each send after the
//! commit. Under load a commit carries many sends, so the database does one commit and a few
//! statements where it did several per send; alone, a send waits for nothing.
//!
//! The writer also counts the batch's sends against each member's sends of the day, in one
//! statement before anything else (`quotas::count_sends`); a send past the number is refused,
//! and a send that fails afterwards is given back.
//!
//! If a batch fails (a reference clash, a draft that expired meanwhile, a database error),
//! its sends are written again one transaction each, so one bad send never fails the others;
//! a send whose reference was taken gets a new one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use caisse_domain::Instant;
use caisse_domain::messaging::{Nature, ThreadStatus, due_date};
use caisse_store::audit::NewEvent;
use caisse_store::messaging::{NewThread, TeamRouting};
use caisse_store::new_threads::{ThreadRow, insert_with_events_and_mails};
use caisse_store::outbox::NewMessage;
use caisse_store::{Backend, Db, TransactionTrait, database_backend};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::attachments::Written;
use super::errors::MemberError;
use super::member::{SentThread, new_reference, zone_of};
use super::notify::sent_confirmation;
use super::people::{self, Member, Notices};
use super::quotas::{self, MessagingQuotas};
use super::shared::Shared;
use super::{ACTION_SENT, SUBJECT_THREAD};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// Most sends in one transaction: bounds the statement size (16 parameters a thread, far
/// below both databases' limits) and the time the first of them waits.
const MAX_BATCH: usize = 128;

/// Sends waiting for the writer before new ones wait to be queued.
const QUEUE_DEPTH: usize = 4 * MAX_BATCH;

/// How long a batch waits for a database that could not be reached (a primary switch takes
/// a few seconds) before its sends fail.
const UNAVAILABLE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// Attempts of one send whose reference was taken (40 random bits: one clash is rare).
const REFERENCE_ATTEMPTS: usize = 3;

/// A checked send with its files written: what the member wrote and to whom.
#[derive(Clone, Debug)]
pub(super) struct SendRequest {
    pub member_id: Uuid,
    pub recipient_code: String,
    pub objet_code: String,
    pub nature: Nature,
    /// The answer's delay for this objet and nature, in working days.
    pub delay_days: u32,
    pub subject: String,
    pub body: String,
    pub written: Written,
    pub context: RequestContext,
    pub at: Instant,
}

/// Every row of one new thread, ready to be written.
struct PendingThread {
    row: ThreadRow,
    written: Written,
    audit: NewEvent,
    mail: Option<NewMessage>,
    sent: SentThread,
}

type Reply = oneshot::Sender<Result<SentThread, MemberError>>;
type Job = (SendRequest, Reply);
type MemberWithNotices = (Member, Notices);

/// The handle on this node's writer task, started by the first send (and again if the
/// runtime that ran it stopped, as between tests).
pub(super) struct ThreadWriter {
    db: Db,
    /// The portal's address, for the link in the confirmation mail.
    base_url: Arc<str>,
    quotas: MessagingQuotas,
    queue: Mutex<Option<mpsc::Sender<Job>>>,
}

impl ThreadWriter {
    pub(super) fn new(db: Db, base_url: &str, quotas: MessagingQuotas) -> ThreadWriter {
        ThreadWriter {
            db,
            base_url: Arc::from(base_url),
            quotas,
            queue: Mutex::new(None),
        }
    }

    /// Counts `request` in its member's sends of the day and, when it fits, creates its
    /// thread in the next transaction of the writer; returns once it is committed.
    ///
    /// # Errors
    /// `Quota` past the day's number; what the writing met otherwise.
    pub(super) async fn write(&self, request: SendRequest) -> Result<SentThread, MemberError> {
        // The writer may have written when it answers with an outage: the request that
        // handed it the send must not be run again blindly.
        crate::availability::note_write_elsewhere();
        let (reply, answer) = oneshot::channel();
        self.queue()
            .send((request, reply))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    fn queue(&self) -> mpsc::Sender<Job> {
        // A poisoned lock only means another send panicked while holding it; the sender
        // inside is still valid.
        let mut queue = self
            .queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(sender) = queue.as_ref().filter(|s| !s.is_closed()) {
            return sender.clone();
        }
        // One task: sends arriving while it writes make its next batch, and the larger the
        // batches the fewer statements (two or four tasks, measured, sent less per second).
        let (sender, receiver) = mpsc::channel(QUEUE_DEPTH);
        let task = Task {
            db: self.db.clone(),
            base_url: self.base_url.clone(),
            quotas: self.quotas,
        };
        tokio::spawn(task.run(receiver));
        *queue = Some(sender.clone());
        sender
    }
}

fn stopped() -> MemberError {
    MemberError::WriterStopped
}

/// The writer task.
struct Task {
    db: Db,
    base_url: Arc<str>,
    quotas: MessagingQuotas,
}

impl Task {
    /// Takes every send waiting (at most [`MAX_BATCH`]), writes them, repeats.
    async fn run(self, mut receiver: mpsc::Receiver<Job>) {
        let mut jobs = Vec::with_capacity(MAX_BATCH);
        while receiver.recv_many(&mut jobs, MAX_BATCH).await > 0 {
            let batch = std::mem::take(&mut jobs);
            metrics::histogram!("caisse_message_send_batch_size").record(batch.len() as f64);
            let batch = self.within_quotas(batch).await;
            if batch.len() == 1 {
                for (request, reply) in batch {
                    let written = self.write_alone(&request).await;
                    self.answer(&request, reply, written).await;
                }
            } else {
                self.write_together(batch).await;
            }
        }
    }

    /// Counts the sends of `batch` (retried while the database is out of reach) and answers
    /// those past their member's number of the day; returns the others. If the batch cannot
    /// be counted, each send is counted alone, so one never fails the others.
    async fn within_quotas(&self, batch: Vec<Job>) -> Vec<Job> {
        let members: Vec<Uuid> = batch.iter().map(|(r, _)| r.member_id).collect();
        // The day is the one of the batch's last send (a batch spans milliseconds).
        let Some(at) = batch.last().map(|(r, _)| r.at) else {
            return batch;
        };
        let fits =
            match patiently(|| quotas::count_sends(&self.db, &members, at, self.quotas)).await {
                Ok(fits) => fits,
                Err(error) if batch.len() > 1 => {
                    tracing::debug!(%error, "sends of a batch not counted; one by one");
                    let mut kept = Vec::with_capacity(batch.len());
                    for job in batch {
                        kept.extend(self.within_quotas_alone(job).await);
                    }
                    return kept;
                }
                Err(error) => {
                    if let Some((_, reply)) = batch.into_iter().next() {
                        let _ = reply.send(Err(error.into()));
                    }
                    return Vec::new();
                }
            };
        let mut kept = Vec::with_capacity(batch.len());
        for ((request, reply), fits) in batch.into_iter().zip(fits) {
            if fits {
                kept.push((request, reply));
            } else {
                let _ = reply.send(Err(self.quotas.sends_exceeded().into()));
            }
        }
        kept
    }

    /// [`Task::within_quotas`] for one send.
    async fn within_quotas_alone(&self, (request, reply): Job) -> Option<Job> {
        let members = [request.member_id];
        let counted =
            patiently(|| quotas::count_sends(&self.db, &members, request.at, self.quotas)).await;
        match counted {
            Ok(fits) if fits.first().copied().unwrap_or(false) => Some((request, reply)),
            Ok(_) => {
                let _ = reply.send(Err(self.quotas.sends_exceeded().into()));
                None
            }
            // The quota row refers to the member: there is no such member.
            Err(error) if is_foreign_key_violation(&error) => {
                let _ = reply.send(Err(MemberError::NotFound));
                None
            }
            Err(error) => {
                let _ = reply.send(Err(error.into()));
                None
            }
        }
    }

    /// Answers a counted send; gives its count back when it failed. The send may have given
    /// up (its request dropped): then there is no one to tell.
    async fn answer(
        &self,
        request: &SendRequest,
        reply: Reply,
        result: Result<SentThread, MemberError>,
    ) {
        if result.is_err() {
            quotas::give_back_send(&self.db, request.member_id, request.at).await;
        }
        let _ = reply.send(result);
    }

    /// One transaction for the whole batch; on failure, one per send.
    async fn write_together(&self, batch: Vec<Job>) {
        let ids: Vec<Uuid> = batch.iter().map(|(r, _)| r.member_id).collect();
        let members: HashMap<Uuid, MemberWithNotices> =
            match people::many_with_notices(&self.db, &ids).await {
                Ok(found) => found,
                Err(error) => {
                    tracing::debug!(%error, "members of a batch of sends unreadable; one by one");
                    return self.write_each(batch).await;
                }
            };
        let mut pendings = Vec::with_capacity(batch.len());
        let mut waiting = Vec::with_capacity(batch.len());
        for (request, reply) in batch {
            match self.compose(&request, members.get(&request.member_id)) {
                Ok(pending) => {
                    pendings.push(pending);
                    waiting.push((request, reply));
                }
                Err(error) => self.answer(&request, reply, Err(error)).await,
            }
        }
        match write_batch(&self.db, &pendings).await {
            Ok(()) => {
                for (pending, (request, reply)) in pendings.into_iter().zip(waiting) {
                    self.answer(&request, reply, Ok(pending.sent)).await;
                }
            }
            Err(error) => {
                tracing::debug!(%error, sends = waiting.len(), "batch of sends failed; one by one");
                self.write_each(waiting).await;
            }
        }
    }

    async fn write_each(&self, jobs: Vec<Job>) {
        for (request, reply) in jobs {
            let written = self.write_alone(&request).await;
            self.answer(&request, reply, written).await;
        }
    }

    /// One send in its own transaction, under a new reference if its reference was taken.
    async fn write_alone(&self, request: &SendRequest) -> Result<SentThread, MemberError> {
        let member = people::with_notices(&self.db, request.member_id).await?;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let pending = self.compose(request, member.as_ref())?;
            match write_batch(&self.db, std::slice::from_ref(&pending)).await {
                Ok(()) => return Ok(pending.sent),
                Err(error) if attempts < REFERENCE_ATTEMPTS && is_unique_violation(&error) => {}
                Err(error) => return Err(error),
            }
        }
    }

    /// The rows of `request`'s thread, for its member (`NotFound` without one).
    fn compose(
        &self,
        request: &SendRequest,
        member: Option<&MemberWithNotices>,
    ) -> Result<PendingThread, MemberError> {
        let (member, notices) = member.ok_or(MemberError::NotFound)?;
        let due_on = due_date(
            request.at.get(),
            request.delay_days,
            zone_of(member.caisse_code),
        );
        let reference = new_reference(request.at.get().year())?;
        let row = ThreadRow::new(
            NewThread {
                reference: reference.clone(),
                member_id: member.id,
                caisse_code: member.caisse_code,
                recipient_code: request.recipient_code.clone(),
                objet_code: request.objet_code.clone(),
                nature: request.nature,
                subject: request.subject.clone(),
                status: ThreadStatus::INITIAL,
                due_on,
                // The team of the member's fund that handles the objet, if one does.
                team: TeamRouting::ByObjet,
                body: request.body.clone(),
            },
            request.at,
        );
        let id = row.id;
        Ok(PendingThread {
            audit: audit::event(
                &request.context,
                Actor::Member(member.id),
                ACTION_SENT,
                Some((SUBJECT_THREAD, id)),
                serde_json::json!({ "reference": reference }),
            ),
            mail: sent_confirmation(
                &self.base_url,
                member,
                notices.by_email,
                (id, &reference, due_on),
            )?,
            row,
            written: request.written.clone(),
            sent: SentThread {
                id,
                reference,
                due_on,
            },
        })
    }
}

/// `attempt`, again while the database cannot be reached, for at most
/// [`UNAVAILABLE_PATIENCE`]. For statements that may run twice (counting a send twice after
/// an answer lost in an outage only costs the member one send of the day).
async fn patiently<T, F, Fut>(attempt: F) -> Result<T, CoreError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, CoreError>>,
{
    let give_up_at = tokio::time::Instant::now() + UNAVAILABLE_PATIENCE;
    let mut pause = std::time::Duration::from_millis(50);
    loop {
        match attempt().await {
            Err(error)
                if error.is_unavailable() && tokio::time::Instant::now() + pause <= give_up_at =>
            {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(std::time::Duration::from_secs(1));
            }
            other => return other,
        }
    }
}

/// [`write_once`], again while the database cannot be reached, for at most
/// [`UNAVAILABLE_PATIENCE`]. The threads' ids are chosen before the first attempt and a batch
/// is all or nothing, so after a failure that may have come after the commit (the answer was
/// lost), the first thread's presence says whether to write again: never twice, never lost.
async fn write_batch(db: &Db, pendings: &[PendingThread]) -> Result<(), MemberError> {
    let Some(first) = pendings.first() else {
        return Ok(());
    };
    let give_up_at = tokio::time::Instant::now() + UNAVAILABLE_PATIENCE;
    let mut pause = std::time::Duration::from_millis(50);
    loop {
        let error = match write_once(db, pendings).await {
            Err(error) if is_unavailable(&error) => error,
            other => return other,
        };
        // Wait for the database, then ask whether the batch made it before the break.
        loop {
            if tokio::time::Instant::now() + pause > give_up_at {
                return Err(error);
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(std::time::Duration::from_secs(1));
            match caisse_store::new_threads::written(db, first.row.id).await {
                Ok(true) => return Ok(()),
                Ok(false) => break,
                Err(error) if error.is_unavailable() => {}
                Err(error) => return Err(CoreError::from(error).into()),
            }
        }
        tracing::info!(
            sends = pendings.len(),
            "database back: writing the batch again"
        );
    }
}

/// Whether `error` is the database being out of reach.
fn is_unavailable(error: &MemberError) -> bool {
    matches!(error, MemberError::Core(core) if core.is_unavailable())
}

/// One transaction: the threads and first messages, the files, the audit events, the mails.
/// On PostgreSQL a batch without files is one statement, a transaction by itself.
async fn write_once(db: &Db, pendings: &[PendingThread]) -> Result<(), MemberError> {
    if pendings.is_empty() {
        return Ok(());
    }
    let rows: Vec<&ThreadRow> = pendings.iter().map(|p| &p.row).collect();
    let events = pendings
        .iter()
        .map(|p| (p.audit.clone(), p.row.at.get()))
        .collect();
    let mails = pendings
        .iter()
        .filter_map(|p| p.mail.clone().map(|mail| (mail, p.row.at.get())))
        .collect();
    let with_files = pendings.iter().any(|p| !p.written.is_empty());
    if !with_files && database_backend(db) == Backend::Postgres {
        insert_with_events_and_mails(db, &rows, events, mails)
            .await
            .map_err(CoreError::from)?;
        return Ok(());
    }
    let tx = db.begin().await.map_err(CoreError::from)?;
    insert_with_events_and_mails(&tx, &rows, events, mails)
        .await
        .map_err(CoreError::from)?;
    for pending in pendings {
        Shared::record_attachments(
            &tx,
            Some(pending.row.new.member_id),
            (pending.row.first_message_id, pending.row.new.member_id),
            &pending.written,
            pending.row.at,
        )
        .await?;
    }
    tx.commit().await.map_err(CoreError::from)?;
    Ok(())
}

/// Whether `error` is a foreign key refusing a row.
fn is_foreign_key_violation(error: &CoreError) -> bool {
    let db_error = match error {
        CoreError::Db(db_error) | CoreError::Store(caisse_store::StoreError::Db(db_error)) => {
            db_error
        }
        _ => return false,
    };
    matches!(
        db_error.sql_err(),
        Some(caisse_store::SqlErr::ForeignKeyConstraintViolation(_))
    )
}

/// Whether `error` is a unique index refusing a row (for a send: its reference was taken).
fn is_unique_violation(error: &MemberError) -> bool {
    let db_error = match error {
        MemberError::Core(CoreError::Db(db_error))
        | MemberError::Core(CoreError::Store(caisse_store::StoreError::Db(db_error))) => db_error,
        _ => return false,
    };
    matches!(
        db_error.sql_err(),
        Some(caisse_store::SqlErr::UniqueConstraintViolation(_))
    )
}

#[cfg(test)]
mod tests;
