//! Queries on the outbox. Delivery is at-least-once: a worker *claims* a message by setting a
//! lease (`locked_until`); if the worker dies, the lease expires and another worker claims it
//! again. Claiming is one conditional `UPDATE` per row, which is atomic on both databases.
//!
//! Each message names the fund it concerns (`caisse_code`), and staff read only their fund's
//! ([`list`], [`fund_message`], [`counts`], [`retry`]). A message carrying a secret (a link
//! holding a token, a code) keeps in `body_text` only a masked body; the body to deliver is
//! `sealed_body`, sealed by `caisse_core::outbox`, and the statement that records the delivery
//! erases it.

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
    /// Handed to the transport.
    Sent,
    /// Every attempt failed; waits for an operator to retry it.
    Failed,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 3] = [Status::Pending, Status::Sent, Status::Failed];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sent => "sent",
            Status::Failed => "failed",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A message to enqueue. `Debug` shows neither the recipient nor the text (a body may hold a
/// secret until it is sealed).
#[derive(Clone)]
pub struct NewMessage {
    /// Delivery channel.
    pub channel: Channel,
    /// Email address or E.164 phone number.
    pub recipient: String,
    /// Subject line (empty for SMS).
    pub subject: String,
    /// Plain-text body (with its secrets masked when [`enqueue_sealed`] stores it).
    pub body_text: String,
    /// The fund of the member or staff member the message concerns, whose administrators
    /// follow it; `None` when no fund is known (no fund's staff sees it).
    pub caisse_code: Option<String>,
}

impl std::fmt::Debug for NewMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMessage")
            .field("channel", &self.channel)
            .field("caisse_code", &self.caisse_code)
            .finish_non_exhaustive()
    }
}

/// Inserts a message carrying no secret; call it inside the transaction of the change that
/// causes it.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    message: NewMessage,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    pending(id, message, None, now).insert(db).await?;
    Ok(id)
}

/// Inserts message `id`, whose `body_text` is masked and whose body to deliver is
/// `sealed_body` (sealed for this id by `caisse_core::outbox`).
pub async fn enqueue_sealed<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    message: NewMessage,
    sealed_body: String,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    pending(id, message, Some(sealed_body), now)
        .insert(db)
        .await?;
    Ok(())
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
                .map(|(message, at)| pending(Uuid::now_v7(), message, None, at)),
        )
        .into_query(),
    )
}

fn pending(
    id: Uuid,
    message: NewMessage,
    sealed_body: Option<String>,
    now: OffsetDateTime,
) -> ActiveModel {
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
        caisse_code: Set(message.caisse_code),
        sealed_body: Set(sealed_body),
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
    let mut claim = Entity::update_many()
        .col_expr(Column::LockedUntil, Expr::value(now + lease))
        .filter(Column::Id.in_subquery(due))
        .filter(claimable(now))
        .into_query();
    // Only the ids come back from the UPDATE: on SQLite, a pooled connection opened before a
    // migration added columns returns NULL for those columns in a RETURNING clause (the
    // sealed body, the fund), where a SELECT reads them right.
    claim.returning_col(Column::Id);
    let ids = db
        .query_all(&claim)
        .await?
        .iter()
        .map(|row| row.try_get::<Uuid>("", "id"))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids))
        .order_by_asc(Column::NextAttemptAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}

/// What happened to one delivery attempt.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The transport accepted the message; its sealed body is erased.
    Sent,
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

/// Records the outcomes of a batch of attempts: one statement for every message sent, one per
/// failure (each has its own error and retry time).
pub async fn record_outcomes<C: ConnectionTrait>(
    db: &C,
    outcomes: Vec<(Uuid, Outcome)>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut sent = Vec::new();
    for (id, outcome) in outcomes {
        match outcome {
            Outcome::Sent => sent.push(id),
            failed @ Outcome::Failed { .. } => record_outcome(db, id, failed, now).await?,
        }
    }
    if !sent.is_empty() {
        outcome_update(Outcome::Sent, now)
            .filter(Column::Id.is_in(sent))
            .exec(db)
            .await?;
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
        // Delivered: the secrets it carried go with the same statement.
        Outcome::Sent => update
            .col_expr(Column::Status, Expr::value(Status::Sent.code()))
            .col_expr(Column::SentAt, Expr::value(Some(now)))
            .col_expr(Column::LastError, Expr::value(Option::<String>::None))
            .col_expr(Column::SealedBody, Expr::value(Option::<String>::None)),
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

/// Puts a failed message of fund `caisse_code` back in the queue, due now. Returns false when
/// it was not failed or is not that fund's.
pub async fn retry<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(Status::Pending.code()))
        .col_expr(Column::NextAttemptAt, Expr::value(normalize_instant(now)))
        .filter(Column::Id.eq(id))
        .filter(Column::CaisseCode.eq(caisse_code))
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
    /// Delivered.
    pub sent: u64,
    /// Given up; needs an operator.
    pub failed: u64,
}

/// Counts the messages of fund `caisse_code` by status.
pub async fn counts<C: ConnectionTrait>(db: &C, caisse_code: &str) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    for status in Status::ALL {
        let n = Entity::find()
            .filter(Column::CaisseCode.eq(caisse_code))
            .filter(Column::Status.eq(status.code()))
            .count(db)
            .await?;
        match status {
            Status::Pending => counts.pending = n,
            Status::Sent => counts.sent = n,
            Status::Failed => counts.failed = n,
        }
    }
    Ok(counts)
}

/// The messages waiting (pending) and given up (failed) of every fund, for the depth gauges
/// (figures, no message): two index ranges, never the sent history.
pub async fn depth<C: ConnectionTrait>(db: &C) -> Result<(u64, u64), StoreError> {
    let count = async |status: Status| {
        Entity::find()
            .filter(Column::Status.eq(status.code()))
            .count(db)
            .await
    };
    Ok((count(Status::Pending).await?, count(Status::Failed).await?))
}

/// One page of the messages of fund `caisse_code`, newest first, optionally of one status.
/// Returns the page and whether a next page exists.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    status: Option<Status>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<Model>, bool), StoreError> {
    let mut query = Entity::find()
        .filter(Column::CaisseCode.eq(caisse_code))
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

/// One message of fund `caisse_code`; `None` for another fund's or a missing one.
pub async fn fund_message<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    id: Uuid,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find_by_id(id)
        .filter(Column::CaisseCode.eq(caisse_code))
        .one(db)
        .await?)
}

/// One message by id, whatever its fund (tests and the command line; staff pages go through
/// [`fund_message`]).
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find_by_id(id).one(db).await?)
}

/// Prefix of a body the migration to sealed bodies (`m0012`) moved out of `body_text` of an
/// undelivered message, still in clear: `caisse_core::outbox` seals it at startup.
pub const LEGACY_BODY_PREFIX: &str = "plain:";

/// Up to `limit` messages whose body to deliver is still in clear ([`LEGACY_BODY_PREFIX`]):
/// their ids and those bodies.
pub async fn legacy_bodies<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<(Uuid, String)>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::SealedBody)
        .filter(Column::SealedBody.starts_with(LEGACY_BODY_PREFIX))
        .order_by_asc(Column::Id)
        .limit(limit)
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?)
}

/// Replaces the sealed body of message `id` if it is still `current` (another node may have
/// sealed it meanwhile); returns whether it did.
pub async fn replace_sealed_body<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    current: &str,
    sealed_body: String,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::SealedBody, Expr::value(Some(sealed_body)))
        .filter(Column::Id.eq(id))
        .filter(Column::SealedBody.eq(current))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
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
