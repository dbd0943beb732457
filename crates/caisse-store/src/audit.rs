//! The append-only audit log: this module only inserts and reads.

use caisse_domain::{ActorKind, AuditAction, Instant};
use sea_orm::sea_query::InsertStatement;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::audit_event::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// One event to record. `Debug` shows neither the client nor the details.
#[derive(Clone)]
pub struct NewEvent {
    /// Who acted.
    pub actor_kind: ActorKind,
    /// Who acted, when known.
    pub actor_id: Option<Uuid>,
    /// What happened.
    pub action: AuditAction,
    /// Kind of the thing acted upon, e.g. "member".
    pub subject_kind: Option<&'static str>,
    /// Its id.
    pub subject_id: Option<Uuid>,
    /// Client address.
    pub ip: String,
    /// Client user agent.
    pub user_agent: String,
    /// JSON object with non-sensitive details.
    pub details: serde_json::Value,
}

impl std::fmt::Debug for NewEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewEvent")
            .field("actor_kind", &self.actor_kind)
            .field("actor_id", &self.actor_id)
            .field("action", &self.action)
            .field("subject_kind", &self.subject_kind)
            .field("subject_id", &self.subject_id)
            .finish_non_exhaustive()
    }
}

/// A recorded event. `Debug` shows neither the client nor the details.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Id (UUIDv7: ordered by creation).
    pub id: Uuid,
    /// When it happened.
    pub at: Instant,
    /// Who acted.
    pub actor_kind: ActorKind,
    /// Who acted, when known.
    pub actor_id: Option<Uuid>,
    /// What happened.
    pub action: AuditAction,
    /// Kind of the thing acted upon, e.g. "member".
    pub subject_kind: Option<String>,
    /// Its id.
    pub subject_id: Option<Uuid>,
    /// Client address.
    pub ip: String,
    /// Client user agent.
    pub user_agent: String,
    /// JSON object with non-sensitive details, as stored.
    pub details: String,
}

impl std::fmt::Debug for AuditEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditEvent")
            .field("id", &self.id)
            .field("at", &self.at)
            .field("actor_kind", &self.actor_kind)
            .field("actor_id", &self.actor_id)
            .field("action", &self.action)
            .field("subject_kind", &self.subject_kind)
            .field("subject_id", &self.subject_id)
            .finish_non_exhaustive()
    }
}

fn event(row: Model) -> Result<AuditEvent, StoreError> {
    let id = row.id;
    Ok(AuditEvent {
        actor_kind: ActorKind::from_code(&row.actor_kind)
            .ok_or_else(|| StoreError::corrupt("audit_events", "actor_kind", id))?,
        action: AuditAction::from_code(&row.action)
            .ok_or_else(|| StoreError::corrupt("audit_events", "action", id))?,
        id,
        at: instant(row.at),
        actor_id: row.actor_id,
        subject_kind: row.subject_kind,
        subject_id: row.subject_id,
        ip: row.ip,
        user_agent: row.user_agent,
        details: row.details,
    })
}

fn events(rows: Vec<Model>) -> Result<Vec<AuditEvent>, StoreError> {
    rows.into_iter().map(event).collect()
}

/// Appends an event.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    event: NewEvent,
    now: Instant,
) -> Result<(), StoreError> {
    active_model(event, now).insert(db).await?;
    Ok(())
}

/// One `INSERT` appending `events` (the events of a batch of sends, see
/// [`crate::new_threads::insert_with_events_and_mails`]); `None` for no event. The instants
/// may still be `OffsetDateTime`s (secure messaging passes them).
pub(crate) fn insert_many<T: Into<Instant>>(events: Vec<(NewEvent, T)>) -> Option<InsertStatement> {
    if events.is_empty() {
        return None;
    }
    Some(
        Entity::insert_many(
            events
                .into_iter()
                .map(|(event, at)| active_model(event, at.into())),
        )
        .into_query(),
    )
}

fn active_model(event: NewEvent, at: Instant) -> ActiveModel {
    ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(at.get()),
        actor_kind: Set(event.actor_kind.code().to_owned()),
        actor_id: Set(event.actor_id),
        action: Set(event.action.code().to_owned()),
        subject_kind: Set(event.subject_kind.map(str::to_owned)),
        subject_id: Set(event.subject_id),
        ip: Set(event.ip.chars().take(64).collect()),
        user_agent: Set(event.user_agent.chars().take(256).collect()),
        details: Set(event.details.to_string()),
    }
}

/// `select` newest first, at most `limit` events. Instants are whole seconds; ids are UUIDv7,
/// ordered by creation within a second.
fn newest_first(select: sea_orm::Select<Entity>, limit: u64) -> sea_orm::Select<Entity> {
    select
        .order_by_desc(Column::At)
        .order_by_desc(Column::Id)
        .limit(limit)
}

/// The latest events about one subject, newest first.
pub async fn for_subject<C: ConnectionTrait>(
    db: &C,
    subject_kind: &str,
    subject_id: Uuid,
    limit: u64,
) -> Result<Vec<AuditEvent>, StoreError> {
    let matching = Entity::find()
        .filter(Column::SubjectKind.eq(subject_kind))
        .filter(Column::SubjectId.eq(subject_id));
    events(newest_first(matching, limit).all(db).await?)
}

/// The latest events by one actor, newest first.
pub async fn by_actor<C: ConnectionTrait>(
    db: &C,
    actor_kind: ActorKind,
    actor_id: Uuid,
    limit: u64,
) -> Result<Vec<AuditEvent>, StoreError> {
    let matching = Entity::find()
        .filter(Column::ActorKind.eq(actor_kind.code()))
        .filter(Column::ActorId.eq(actor_id));
    events(newest_first(matching, limit).all(db).await?)
}

/// How many distinct client addresses performed `action` about a subject since `since`
/// (many addresses failing on one account is the mark of a distributed attack).
pub async fn distinct_ips_since<C: ConnectionTrait>(
    db: &C,
    subject_kind: &str,
    subject_id: Uuid,
    action: AuditAction,
    since: Instant,
) -> Result<u64, StoreError> {
    let ips: Vec<String> = Entity::find()
        .select_only()
        .column(Column::Ip)
        .distinct()
        .filter(Column::SubjectKind.eq(subject_kind))
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::Action.eq(action.code()))
        .filter(Column::At.gte(since.get()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ips.len() as u64)
}

/// How many times `action` happened about a subject since `since`.
pub async fn count_since<C: ConnectionTrait>(
    db: &C,
    subject_kind: &str,
    subject_id: Uuid,
    action: AuditAction,
    since: Instant,
) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::SubjectKind.eq(subject_kind))
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::Action.eq(action.code()))
        .filter(Column::At.gte(since.get()))
        .count(db)
        .await?)
}
