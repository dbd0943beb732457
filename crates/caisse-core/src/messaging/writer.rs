//! Group commit of new threads. Each send prepares every row it needs (thread, first
//! message, files, audit event, confirmation mail) and hands them to this node's writer task,
//! which writes all the sends waiting at that moment in one transaction with one `INSERT` per
//! table, then answers each send after the commit. Under load a commit carries many sends, so
//! the database does one commit and a few statements where it did several per send; alone, a
//! send waits for nothing.
//!
//! If a batch fails (a reference clash, a draft that expired meanwhile, a database error),
//! its sends are written again one transaction each, so one bad send never fails the others.

use std::sync::Mutex;

use caisse_store::audit::{self as audit_store, NewEvent};
use caisse_store::new_threads::{ThreadRow, insert_threads};
use caisse_store::outbox::{self, NewMessage};
use caisse_store::{Db, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

use super::attachments::Written;
use super::{MessagingError, MessagingService};
use crate::CoreError;

/// Most sends in one transaction: bounds the statement size (16 parameters a thread, far
/// below both databases' limits) and the time the first of them waits.
const MAX_BATCH: usize = 128;

/// Sends waiting for the writer before new ones wait to be queued.
const QUEUE_DEPTH: usize = 4 * MAX_BATCH;

/// Every row of one new thread, ready to be written.
#[derive(Clone, Debug)]
pub(super) struct PendingThread {
    /// The thread and its first message.
    pub row: ThreadRow,
    /// Its files.
    pub written: Written,
    /// `member.message.sent`.
    pub audit: NewEvent,
    /// The acknowledgement, if the member wants mail.
    pub mail: Option<NewMessage>,
}

type Job = (PendingThread, oneshot::Sender<Result<(), MessagingError>>);

/// The handle on this node's writer task, started by the first send (and again if the
/// runtime that ran it stopped, as between tests).
pub(super) struct ThreadWriter {
    db: Db,
    queue: Mutex<Option<mpsc::Sender<Job>>>,
}

impl ThreadWriter {
    pub(super) fn new(db: Db) -> ThreadWriter {
        ThreadWriter {
            db,
            queue: Mutex::new(None),
        }
    }

    /// Writes `pending` in the next transaction of the writer; returns once it is committed.
    pub(super) async fn write(&self, pending: PendingThread) -> Result<(), MessagingError> {
        let (reply, answer) = oneshot::channel();
        self.queue()
            .send((pending, reply))
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
        let (sender, receiver) = mpsc::channel(QUEUE_DEPTH);
        tokio::spawn(run(self.db.clone(), receiver));
        *queue = Some(sender.clone());
        sender
    }
}

fn stopped() -> MessagingError {
    CoreError::InvalidData("the thread writer stopped".to_owned()).into()
}

/// The writer task: takes every send waiting (at most [`MAX_BATCH`]), writes them, repeats.
async fn run(db: Db, mut receiver: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (pendings, replies): (Vec<_>, Vec<_>) = std::mem::take(&mut batch).into_iter().unzip();
        metrics::histogram!("caisse_message_send_batch_size").record(pendings.len() as f64);
        match write_batch(&db, &pendings).await {
            Ok(()) => {
                for reply in replies {
                    // The send may have given up (its request dropped): nothing to tell.
                    let _ = reply.send(Ok(()));
                }
            }
            Err(error) if pendings.len() == 1 => {
                let _ = replies.into_iter().next().map(|reply| reply.send(Err(error)));
            }
            Err(error) => {
                tracing::debug!(%error, sends = pendings.len(), "batch of sends failed; writing them one by one");
                for (pending, reply) in pendings.iter().zip(replies) {
                    let _ = reply.send(write_batch(&db, std::slice::from_ref(pending)).await);
                }
            }
        }
    }
}

/// One transaction: the threads and first messages, the files, the audit events, the mails.
async fn write_batch(db: &Db, pendings: &[PendingThread]) -> Result<(), MessagingError> {
    let tx = db.begin().await.map_err(CoreError::from)?;
    let rows: Vec<&ThreadRow> = pendings.iter().map(|p| &p.row).collect();
    insert_threads(&tx, &rows).await.map_err(CoreError::from)?;
    for pending in pendings {
        MessagingService::record_attachments(
            &tx,
            Some(pending.row.new.member_id),
            pending.row.first_message_id,
            &pending.written,
            pending.row.at,
        )
        .await?;
    }
    audit_store::record_many(
        &tx,
        pendings
            .iter()
            .map(|p| (p.audit.clone(), p.row.at))
            .collect(),
    )
    .await
    .map_err(CoreError::from)?;
    outbox::enqueue_many(
        &tx,
        pendings
            .iter()
            .filter_map(|p| p.mail.clone().map(|mail| (mail, p.row.at)))
            .collect(),
    )
    .await
    .map_err(CoreError::from)?;
    tx.commit().await.map_err(CoreError::from)?;
    Ok(())
}

/// Whether `error` is a unique index refusing a row (for a send: its reference was taken).
pub(super) fn is_unique_violation(error: &MessagingError) -> bool {
    let db_error = match error {
        MessagingError::Core(CoreError::Db(db_error))
        | MessagingError::Core(CoreError::Store(caisse_store::StoreError::Db(db_error))) => {
            db_error
        }
        _ => return false,
    };
    matches!(
        db_error.sql_err(),
        Some(caisse_store::SqlErr::UniqueConstraintViolation(_))
    )
}

#[cfg(test)]
mod tests;
