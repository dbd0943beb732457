//! Queries on the outbox. Delivery is at-least-once: a worker *claims* a message by setting a
//! lease (`locked_until`); if the worker dies, the lease expires and another worker claims it
//! again. Claiming is one conditional `UPDATE` per row, which is atomic on both databases.

use sea_orm::sea_query::{Expr, ExprTrait, InsertStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, UpdateMany,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::entities::outbox_message::{self, ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// Delivery channel of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// Email (SMTP).
    Email,
    /// Text message.
    Sms,
}

impl Channel {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Channel> {
        match code {
            "email" => Some(Channel::Email),
            "sms" => Some(Channel::Sms),
            _ => None,
        }
    }
}

/// Where a message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Waiting for (another) delivery attempt.
    Pending,
    /// Kept in the outbox for reading, because no transport is configured (development).
    Retained,
    /// Handed to the transport.
    Sent,
    /// Every attempt failed; waits for an operator to retry it.
    Failed,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Retained,
        Status::Sent,
        Status::Failed,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Retained => "retained",
            Status::Sent => "sent",
            Status::Failed => "failed",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A message to enqueue.
#[derive(Clone, Debug)]
pub struct NewMessage {
    /// Delivery channel.
    pub channel: Channel,
    /// Email address or E.164 phone number.
    pub recipient: String,
    /// Subject line (empty for SMS).
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
}

/// Inserts a message; call it inside the transaction of the change that causes it.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    message: NewMessage,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    pending(id, message, now).insert(db).await?;
    Ok(id)
}

/// One `INSERT` queueing `messages` (the mails of a batch of sends, see
/// [`crate::new_threads::insert_with_events_and_mails`]); `None` for no message.
pub(crate) fn insert_many(messages: Vec<(NewMessage, OffsetDateTime)>) -> Option<InsertStatement> {
    if messages.is_empty() {
        return None;
    }
    Some(
        Entity::insert_many(
            messages
                .into_iter()
                .map(|(message, at)| pending(Uuid::now_v7(), message, at)),
        )
        .into_query(),
    )
}

fn pending(id: Uuid, message: NewMessage, now: OffsetDateTime) -> ActiveModel {
    let now = normalize_instant(now);
    ActiveModel {
        id: Set(id),
        channel: Set(message.channel.code().to_owned()),
        recipient: Set(message.recipient),
        subject: Set(message.subject),
        body_text: Set(message.body_text),
        status: Set(Status::Pending.code().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    }
}

fn claimable(now: OffsetDateTime) -> Condition {
    Condition::all()
        .add(Column::Status.eq(Status::Pending.code()))
        .add(Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(Column::LockedUntil.is_null())
                .add(Column::LockedUntil.lt(now)),
        )
}

/// Claims up to `limit` due messages for `lease`; a message claimed here is not claimed by anyone
/// else until the lease ends or the claimer records an outcome.
pub async fn claim_due<C: ConnectionTrait>(
    db: &C,
    now: OffsetDateTime,
    lease: Duration,
    limit: u64,
) -> Result<Vec<Model>, StoreError> {
    let now = normalize_instant(now);
    // One statement: the subquery picks the due messages, the outer condition checks each
    // again once its row is locked, so a message another worker claimed meanwhile is skipped.
    let due = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(claimable(now))
        .order_by_asc(Column::NextAttemptAt)
        .limit(limit)
        .into_query();
    let mut claimed = Entity::update_many()
        .col_expr(Column::LockedUntil, Expr::value(now + lease))
        .filter(Column::Id.in_subquery(due))
        .filter(claimable(now))
        .exec_with_returning(db)
        .await?;
    claimed.sort_by_key(|m| (m.next_attempt_at, m.id));
    Ok(claimed)
}

/// What happened to one delivery attempt.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The transport accepted the message.
    Sent,
    /// No transport: the message stays readable in the outbox.
    Retained,
    /// The attempt failed; try again at `retry_at`, or give up when `None`.
    Failed {
        /// Why, for the operators.
        error: String,
        /// When to try again.
        retry_at: Option<OffsetDateTime>,
    },
}

/// Records the outcome of an attempt on a claimed message and releases its lease.
pub async fn record_outcome<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    outcome: Outcome,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    outcome_update(outcome, now)
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records the outcomes of a batch of attempts: one statement for every message sent, one for
/// every message retained, one per failure (each has its own error and retry time).
pub async fn record_outcomes<C: ConnectionTrait>(
    db: &C,
    outcomes: Vec<(Uuid, Outcome)>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut sent = Vec::new();
    let mut retained = Vec::new();
    for (id, outcome) in outcomes {
        match outcome {
            Outcome::Sent => sent.push(id),
            Outcome::Retained => retained.push(id),
            failed @ Outcome::Failed { .. } => record_outcome(db, id, failed, now).await?,
        }
    }
    for (ids, outcome) in [(sent, Outcome::Sent), (retained, Outcome::Retained)] {
        if !ids.is_empty() {
            outcome_update(outcome, now)
                .filter(Column::Id.is_in(ids))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// The `UPDATE` recording `outcome` and releasing the lease, for the caller to scope.
fn outcome_update(outcome: Outcome, now: OffsetDateTime) -> UpdateMany<Entity> {
    let now = normalize_instant(now);
    let update = Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<OffsetDateTime>::None),
        );
    match outcome {
        Outcome::Sent => update
            .col_expr(Column::Status, Expr::value(Status::Sent.code()))
            .col_expr(Column::SentAt, Expr::value(Some(now)))
            .col_expr(Column::LastError, Expr::value(Option::<String>::None)),
        Outcome::Retained => update
            .col_expr(Column::Status, Expr::value(Status::Retained.code()))
            .col_expr(Column::LastError, Expr::value(Option::<String>::None)),
        Outcome::Failed {
            error,
            retry_at: Some(at),
        } => update
            .col_expr(Column::LastError, Expr::value(Some(error)))
            .col_expr(Column::NextAttemptAt, Expr::value(normalize_instant(at))),
        Outcome::Failed {
            error,
            retry_at: None,
        } => update
            .col_expr(Column::Status, Expr::value(Status::Failed.code()))
            .col_expr(Column::LastError, Expr::value(Some(error))),
    }
}

/// Puts a failed message back in the queue, due now. Returns false when it was not failed.
pub async fn retry<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(Status::Pending.code()))
        .col_expr(Column::NextAttemptAt, Expr::value(normalize_instant(now)))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(Status::Failed.code()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Number of messages in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Waiting for delivery.
    pub pending: u64,
    /// Kept for reading (no transport).
    pub retained: u64,
    /// Delivered.
    pub sent: u64,
    /// Given up; needs an operator.
    pub failed: u64,
}

/// Counts messages by status.
pub async fn counts<C: ConnectionTrait>(db: &C) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    for status in Status::ALL {
        let n = Entity::find()
            .filter(Column::Status.eq(status.code()))
            .count(db)
            .await?;
        match status {
            Status::Pending => counts.pending = n,
            Status::Retained => counts.retained = n,
            Status::Sent => counts.sent = n,
            Status::Failed => counts.failed = n,
        }
    }
    Ok(counts)
}

/// The messages waiting (pending) and given up (failed), for the depth gauges: two index
/// ranges, never the sent or retained history.
pub async fn depth<C: ConnectionTrait>(db: &C) -> Result<(u64, u64), StoreError> {
    let count = async |status: Status| {
        Entity::find()
            .filter(Column::Status.eq(status.code()))
            .count(db)
            .await
    };
    Ok((count(Status::Pending).await?, count(Status::Failed).await?))
}

/// One page of messages, newest first, optionally of one status. Returns the page and whether a
/// next page exists.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    status: Option<Status>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<Model>, bool), StoreError> {
    let mut query = Entity::find()
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id);
    if let Some(status) = status {
        query = query.filter(Column::Status.eq(status.code()));
    }
    let mut rows = query
        .offset(page.saturating_mul(per_page))
        .limit(per_page + 1)
        .all(db)
        .await?;
    let has_next = rows.len() as u64 > per_page;
    rows.truncate(per_page as usize);
    Ok((rows, has_next))
}

/// One message by id.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find_by_id(id).one(db).await?)
}

/// Every message to one recipient, oldest first (used by tests and support tools).
pub async fn for_recipient<C: ConnectionTrait>(
    db: &C,
    recipient: &str,
) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find()
        .filter(outbox_message::Column::Recipient.eq(recipient))
        .order_by_asc(Column::CreatedAt)
        .all(db)
        .await?)
}
