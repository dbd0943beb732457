//! Queries on the outbox. Delivery is at-least-once: a worker *claims* a message by setting a
//! lease (`locked_until`); if the worker dies, the lease expires and another worker claims it
//! again. Claiming is one conditional `UPDATE` per row, which is atomic on both databases.
//!
//! Each message names the fund it concerns (`caisse_code`), and staff read only their fund's
//! ([`list`], [`fund_message`], [`counts`], [`retry`]). A message carrying a secret (a link
//! holding a token, a code) keeps in `body_text` only a masked body; the body to deliver is
//! `sealed_body`, sealed by `caisse_core::outbox`, and the statement that records the delivery
//! erases it.

use caisse_domain::{CaisseCode, Email, Instant, PhoneNumber};
pub use caisse_domain::{Channel, OutboxStatus, OutboxStatus as Status};
use sea_orm::sea_query::{Expr, ExprTrait, InsertStatement, ValueTuple};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, UpdateMany,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::outbox_message::{self, ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// A message to enqueue. `Debug` shows neither the recipient nor the text (a body may hold a
/// secret until it is sealed).
///
/// Build it with [`NewMessage::email`] or [`NewMessage::sms`], which take the recipient as a
/// parsed address or number; the fields stay public for secure messaging, which fills them
/// from its rows until it moves to the records.
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

impl NewMessage {
    /// A mail to `to` about someone of fund `caisse`, if known.
    pub fn email(
        to: &Email,
        subject: impl Into<String>,
        body_text: String,
        caisse: Option<&CaisseCode>,
    ) -> NewMessage {
        NewMessage {
            channel: Channel::Email,
            recipient: to.as_str().to_owned(),
            subject: subject.into(),
            body_text,
            caisse_code: caisse.map(|code| code.as_str().to_owned()),
        }
    }

    /// A text message to `to` about someone of fund `caisse`, if known.
    pub fn sms(to: &PhoneNumber, body_text: String, caisse: Option<&CaisseCode>) -> NewMessage {
        NewMessage {
            channel: Channel::Sms,
            recipient: to.as_e164().to_owned(),
            subject: String::new(),
            body_text,
            caisse_code: caisse.map(|code| code.as_str().to_owned()),
        }
    }
}

impl std::fmt::Debug for NewMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMessage")
            .field("channel", &self.channel)
            .field("caisse_code", &self.caisse_code)
            .finish_non_exhaustive()
    }
}

/// A file joined to a mail: the `.ics` of an appointment. Its text carries no secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name, e.g. `rendez-vous.ics`.
    pub name: String,
    /// Media type, e.g. `text/calendar; charset=utf-8; method=REQUEST`.
    pub content_type: String,
    /// The file's text.
    pub body: String,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

/// Where a message goes: an address or a number, by its channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    /// An email address.
    Email(Email),
    /// A mobile number.
    Phone(PhoneNumber),
}

impl Recipient {
    /// The channel that reaches it.
    pub fn channel(&self) -> Channel {
        match self {
            Recipient::Email(_) => Channel::Email,
            Recipient::Phone(_) => Channel::Sms,
        }
    }

    /// The address, or the number in E.164 form, as transports take it.
    pub fn as_str(&self) -> &str {
        match self {
            Recipient::Email(email) => email.as_str(),
            Recipient::Phone(phone) => phone.as_e164(),
        }
    }
}

/// A queued message. `Debug` shows neither the recipient nor the subject nor the bodies.
#[derive(Clone)]
pub struct OutboxMessage {
    /// Id.
    pub id: Uuid,
    /// Where it goes (and so its channel).
    pub recipient: Recipient,
    /// Subject line (empty for SMS).
    pub subject: String,
    /// The body with its secrets masked.
    pub body_text: String,
    /// Where it stands.
    pub status: OutboxStatus,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// Next attempt at.
    pub next_attempt_at: Instant,
    /// End of the lease of the worker that claimed it.
    pub locked_until: Option<Instant>,
    /// The last failure, for operators.
    pub last_error: Option<String>,
    /// Queued at.
    pub created_at: Instant,
    /// Delivered at.
    pub sent_at: Option<Instant>,
    /// The fund of the person it concerns.
    pub caisse_code: Option<CaisseCode>,
    /// The body to deliver, sealed, while a message carrying a secret waits.
    pub sealed_body: Option<String>,
    /// The file joined to a mail, if any.
    pub attachment: Option<Attachment>,
}

impl OutboxMessage {
    /// Email or SMS.
    pub fn channel(&self) -> Channel {
        self.recipient.channel()
    }
}

impl std::fmt::Debug for OutboxMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMessage")
            .field("id", &self.id)
            .field("channel", &self.channel())
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("caisse_code", &self.caisse_code)
            .finish_non_exhaustive()
    }
}

fn message(row: Model) -> Result<OutboxMessage, StoreError> {
    let id = row.id;
    let corrupt = |column| StoreError::corrupt("outbox", column, id);
    let recipient = match Channel::from_code(&row.channel).ok_or_else(|| corrupt("channel"))? {
        Channel::Email => {
            Recipient::Email(Email::parse(&row.recipient).map_err(|_| corrupt("recipient"))?)
        }
        Channel::Sms => {
            Recipient::Phone(PhoneNumber::parse(&row.recipient).map_err(|_| corrupt("recipient"))?)
        }
    };
    Ok(OutboxMessage {
        recipient,
        status: OutboxStatus::from_code(&row.status).ok_or_else(|| corrupt("status"))?,
        caisse_code: row
            .caisse_code
            .as_deref()
            .map(|code| CaisseCode::parse(code).map_err(|_| corrupt("caisse_code")))
            .transpose()?,
        id,
        subject: row.subject,
        body_text: row.body_text,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        next_attempt_at: instant(row.next_attempt_at),
        locked_until: row.locked_until.map(instant),
        last_error: row.last_error,
        created_at: instant(row.created_at),
        sent_at: row.sent_at.map(instant),
        sealed_body: row.sealed_body,
        attachment: match (
            row.attachment_name,
            row.attachment_type,
            row.attachment_body,
        ) {
            (Some(name), Some(content_type), Some(body)) => Some(Attachment {
                name,
                content_type,
                body,
            }),
            (None, None, None) => None,
            _ => return Err(corrupt("attachment_name")),
        },
    })
}

fn messages(rows: Vec<Model>) -> Result<Vec<OutboxMessage>, StoreError> {
    rows.into_iter().map(message).collect()
}

/// Inserts a message carrying no secret; call it inside the transaction of the change that
/// causes it. `now` may still be an `OffsetDateTime` (secure messaging passes one).
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    message: NewMessage,
    now: impl Into<Instant>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    pending(id, message, None, now.into()).insert(db).await?;
    Ok(id)
}

/// Inserts a mail carrying no secret with a file joined (the `.ics` of an appointment); call
/// it inside the transaction of the change that causes it.
pub async fn enqueue_with_attachment<C: ConnectionTrait>(
    db: &C,
    message: NewMessage,
    attachment: Attachment,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let mut row = pending(id, message, None, now);
    row.attachment_name = Set(Some(attachment.name));
    row.attachment_type = Set(Some(attachment.content_type));
    row.attachment_body = Set(Some(attachment.body));
    row.insert(db).await?;
    Ok(id)
}

/// Inserts message `id`, whose `body_text` is masked and whose body to deliver is
/// `sealed_body` (sealed for this id by `caisse_core::outbox`).
pub async fn enqueue_sealed<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    message: NewMessage,
    sealed_body: String,
    now: Instant,
) -> Result<(), StoreError> {
    pending(id, message, Some(sealed_body), now)
        .insert(db)
        .await?;
    Ok(())
}

/// Queues `messages` (none carrying a secret) by multi-row `INSERT`s, one per few thousand:
/// what a batch job writes in its transaction rather than one statement per message.
pub async fn enqueue_many<C: ConnectionTrait>(
    db: &C,
    messages: Vec<NewMessage>,
    now: Instant,
) -> Result<(), StoreError> {
    const ARITY: usize = 14;
    let mut messages = messages.into_iter().peekable();
    while messages.peek().is_some() {
        let chunk: Vec<(NewMessage, Instant)> = messages
            .by_ref()
            .take(crate::claims::rows_per_statement(ARITY, 0))
            .map(|m| (m, now))
            .collect();
        if let Some(insert) = insert_many(chunk) {
            db.execute(&insert).await?;
        }
    }
    Ok(())
}

/// One `INSERT` queueing `messages` (the mails of a batch of sends, see
/// [`crate::new_threads::insert_with_events_and_mails`]); `None` for no message.
pub(crate) fn insert_many<T: Into<Instant>>(
    messages: Vec<(NewMessage, T)>,
) -> Option<InsertStatement> {
    if messages.is_empty() {
        return None;
    }
    Some(
        Entity::insert_many(
            messages
                .into_iter()
                .map(|(message, at)| pending(Uuid::now_v7(), message, None, at.into())),
        )
        .into_query(),
    )
}

fn pending(
    id: Uuid,
    message: NewMessage,
    sealed_body: Option<String>,
    now: Instant,
) -> ActiveModel {
    let now = now.get();
    ActiveModel {
        id: Set(id),
        channel: Set(message.channel.code().to_owned()),
        recipient: Set(message.recipient),
        subject: Set(message.subject),
        body_text: Set(message.body_text),
        status: Set(OutboxStatus::Pending.code().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        caisse_code: Set(message.caisse_code),
        sealed_body: Set(sealed_body),
        attachment_name: Set(None),
        attachment_type: Set(None),
        attachment_body: Set(None),
    }
}

fn claimable(now: Instant) -> Condition {
    let now = now.get();
    Condition::all()
        .add(Column::Status.eq(OutboxStatus::Pending.code()))
        .add(Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(Column::LockedUntil.is_null())
                .add(Column::LockedUntil.lt(now)),
        )
}

/// A claimed message whose stored values no longer parse: the worker gives it up (logged by
/// [`StoreError::corrupt`] when it was read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnreadableMessage {
    /// Its id.
    pub id: Uuid,
}

/// Claims up to `limit` due messages for `lease`; a message claimed here is not claimed by anyone
/// else until the lease ends or the claimer records an outcome. A claimed message that no
/// longer reads comes back as an [`UnreadableMessage`], so one bad row never stops the others.
pub async fn claim_due<C: ConnectionTrait>(
    db: &C,
    now: Instant,
    lease: Duration,
    limit: u64,
) -> Result<Vec<Result<OutboxMessage, UnreadableMessage>>, StoreError> {
    // One statement: the subquery picks the due messages, the outer condition checks each
    // again once its row is locked, so a message another worker claimed meanwhile is skipped.
    // Rows are matched by their whole key, `(id, created_at)`: on PostgreSQL the outbox is
    // partitioned by `created_at`, and by `id` alone the claim read every month of it (29 ms
    // a claim with 120,000 rows, docs/perf.md).
    let key = || Expr::tuple([Expr::col(Column::Id), Expr::col(Column::CreatedAt)]);
    let due = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::CreatedAt)
        .filter(claimable(now))
        .order_by_asc(Column::NextAttemptAt)
        .limit(limit)
        .into_query();
    let mut claim = Entity::update_many()
        .col_expr(Column::LockedUntil, Expr::value((now + lease).get()))
        .filter(key().in_subquery(due))
        .filter(claimable(now))
        .into_query();
    // Only the keys come back from the UPDATE: on SQLite, a pooled connection opened before a
    // migration added columns returns NULL for those columns in a RETURNING clause (the
    // sealed body, the fund), where a SELECT reads them right.
    claim
        .returning(sea_orm::sea_query::Query::returning().columns([Column::Id, Column::CreatedAt]));
    let keys = db
        .query_all(&claim)
        .await?
        .iter()
        .map(|row| {
            Ok(ValueTuple::Two(
                row.try_get::<Uuid>("", "id")?.into(),
                row.try_get::<OffsetDateTime>("", "created_at")?.into(),
            ))
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(key().in_tuples(keys))
        .order_by_asc(Column::NextAttemptAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            let id = row.id;
            message(row).map_err(|_| UnreadableMessage { id })
        })
        .collect())
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
        retry_at: Option<Instant>,
    },
}

/// Records the outcome of an attempt on a claimed message and releases its lease.
pub async fn record_outcome<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    outcome: Outcome,
    now: Instant,
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
    now: Instant,
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
fn outcome_update(outcome: Outcome, now: Instant) -> UpdateMany<Entity> {
    let now = now.get();
    let update = Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<OffsetDateTime>::None),
        );
    match outcome {
        // Delivered: the secrets it carried go with the same statement.
        Outcome::Sent => update
            .col_expr(Column::Status, Expr::value(OutboxStatus::Sent.code()))
            .col_expr(Column::SentAt, Expr::value(Some(now)))
            .col_expr(Column::LastError, Expr::value(Option::<String>::None))
            .col_expr(Column::SealedBody, Expr::value(Option::<String>::None)),
        Outcome::Failed {
            error,
            retry_at: Some(at),
        } => update
            .col_expr(Column::LastError, Expr::value(Some(error)))
            .col_expr(Column::NextAttemptAt, Expr::value(at.get())),
        Outcome::Failed {
            error,
            retry_at: None,
        } => update
            .col_expr(Column::Status, Expr::value(OutboxStatus::Failed.code()))
            .col_expr(Column::LastError, Expr::value(Some(error))),
    }
}

/// Puts a failed message of fund `caisse_code` back in the queue, due now. Returns false when
/// it was not failed or is not that fund's.
pub async fn retry<C: ConnectionTrait>(
    db: &C,
    caisse_code: &CaisseCode,
    id: Uuid,
    now: Instant,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(OutboxStatus::Pending.code()))
        .col_expr(Column::NextAttemptAt, Expr::value(now.get()))
        .filter(Column::Id.eq(id))
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(Column::Status.eq(OutboxStatus::Failed.code()))
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
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    caisse_code: &CaisseCode,
) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    for status in OutboxStatus::ALL {
        let n = Entity::find()
            .filter(Column::CaisseCode.eq(caisse_code.as_str()))
            .filter(Column::Status.eq(status.code()))
            .count(db)
            .await?;
        match status {
            OutboxStatus::Pending => counts.pending = n,
            OutboxStatus::Sent => counts.sent = n,
            OutboxStatus::Failed => counts.failed = n,
        }
    }
    Ok(counts)
}

/// The messages waiting (pending) and given up (failed) of every fund, for the depth gauges
/// (figures, no message): two index ranges, never the sent history.
pub async fn depth<C: ConnectionTrait>(db: &C) -> Result<(u64, u64), StoreError> {
    let count = async |status: OutboxStatus| {
        Entity::find()
            .filter(Column::Status.eq(status.code()))
            .count(db)
            .await
    };
    Ok((
        count(OutboxStatus::Pending).await?,
        count(OutboxStatus::Failed).await?,
    ))
}

/// One page of the messages of fund `caisse_code`, newest first, optionally of one status.
/// Returns the page and whether a next page exists.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caisse_code: &CaisseCode,
    status: Option<OutboxStatus>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<OutboxMessage>, bool), StoreError> {
    let mut query = Entity::find()
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
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
    Ok((messages(rows)?, has_next))
}

/// One message of fund `caisse_code`; `None` for another fund's or a missing one.
pub async fn fund_message<C: ConnectionTrait>(
    db: &C,
    caisse_code: &CaisseCode,
    id: Uuid,
) -> Result<Option<OutboxMessage>, StoreError> {
    Entity::find_by_id(id)
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .one(db)
        .await?
        .map(message)
        .transpose()
}

/// One message by id, whatever its fund (tests and the command line; staff pages go through
/// [`fund_message`]).
pub async fn get<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<OutboxMessage>, StoreError> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(message)
        .transpose()
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

/// Every message to one recipient (an address, or a number in E.164 form), oldest first
/// (used by tests and support tools).
pub async fn for_recipient<C: ConnectionTrait>(
    db: &C,
    recipient: &str,
) -> Result<Vec<OutboxMessage>, StoreError> {
    messages(
        Entity::find()
            .filter(outbox_message::Column::Recipient.eq(recipient))
            .order_by_asc(Column::CreatedAt)
            .all(db)
            .await?,
    )
}
