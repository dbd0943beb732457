//! The append-only audit log: this module only inserts and reads.

use caisse_domain::AuditAction;
use sea_orm::sea_query::InsertStatement;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::audit_event::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// One event to record.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// "member", "staff", "system" or "anonymous".
    pub actor_kind: &'static str,
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

/// Appends an event.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    event: NewEvent,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    active_model(event, now).insert(db).await?;
    Ok(())
}

/// One `INSERT` appending `events` (the events of a batch of sends, see
/// [`crate::new_threads::insert_with_events_and_mails`]); `None` for no event.
pub(crate) fn insert_many(events: Vec<(NewEvent, OffsetDateTime)>) -> Option<InsertStatement> {
    if events.is_empty() {
        return None;
    }
    Some(
        Entity::insert_many(
            events
                .into_iter()
                .map(|(event, at)| active_model(event, at)),
        )
        .into_query(),
    )
}

fn active_model(event: NewEvent, at: OffsetDateTime) -> ActiveModel {
    ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(normalize_instant(at)),
        actor_kind: Set(event.actor_kind.to_owned()),
        actor_id: Set(event.actor_id),
        action: Set(event.action.code().to_owned()),
        subject_kind: Set(event.subject_kind.map(str::to_owned)),
        subject_id: Set(event.subject_id),
        ip: Set(event.ip.chars().take(64).collect()),
        user_agent: Set(event.user_agent.chars().take(256).collect()),
        details: Set(event.details.to_string()),
    }
}

/// The latest events about one subject, newest first.
pub async fn for_subject<C: ConnectionTrait>(
    db: &C,
    subject_kind: &str,
    subject_id: Uuid,
    limit: u64,
) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::SubjectKind.eq(subject_kind))
        .filter(Column::SubjectId.eq(subject_id))
        .order_by_desc(Column::At)
        // Instants are whole seconds; ids are UUIDv7, ordered by creation within a second.
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The latest events by one actor, newest first.
pub async fn by_actor<C: ConnectionTrait>(
    db: &C,
    actor_kind: &str,
    actor_id: Uuid,
    limit: u64,
) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::ActorKind.eq(actor_kind))
        .filter(Column::ActorId.eq(actor_id))
        .order_by_desc(Column::At)
        // Instants are whole seconds; ids are UUIDv7, ordered by creation within a second.
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// How many distinct client addresses performed `action` about a subject since `since`
/// (many addresses failing on one account is the mark of a distributed attack).
pub async fn distinct_ips_since<C: ConnectionTrait>(
    db: &C,
    subject_kind: &str,
    subject_id: Uuid,
    action: AuditAction,
    since: OffsetDateTime,
) -> Result<u64, StoreError> {
    let ips: Vec<String> = Entity::find()
        .select_only()
        .column(Column::Ip)
        .distinct()
        .filter(Column::SubjectKind.eq(subject_kind))
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::Action.eq(action.code()))
        .filter(Column::At.gte(normalize_instant(since)))
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
    since: OffsetDateTime,
) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::SubjectKind.eq(subject_kind))
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::Action.eq(action.code()))
        .filter(Column::At.gte(normalize_instant(since)))
        .count(db)
        .await?)
}
