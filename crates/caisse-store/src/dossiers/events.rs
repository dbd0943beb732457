//! A dossier's history: append-only events, each carrying the hash of the one before it, so
//! that a changed or removed event breaks the chain (`caisse_core::demarches::chain` computes
//! and checks the hashes). Appending is a compare-and-set on the dossier's event count: two
//! writers never both extend the chain from the same event.

use caisse_domain::demarches::{DossierAction, DossierState};
use caisse_domain::{ActorKind, Instant};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::entities::dossier;
use crate::entities::dossier_event::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;
use crate::{ConnectionTrait, StoreError};

/// One event to append, with its hash already computed.
#[derive(Clone)]
pub struct NewDossierEvent {
    /// The dossier.
    pub dossier_id: Uuid,
    /// The dossier's member.
    pub member_id: Uuid,
    /// Its place in the chain, from 1.
    pub seq: u32,
    /// When.
    pub at: Instant,
    /// Who acted.
    pub actor_kind: ActorKind,
    /// Who, when known.
    pub actor_id: Option<Uuid>,
    /// What.
    pub action: DossierAction,
    /// The state before, for moves.
    pub from_state: Option<DossierState>,
    /// The state after, for moves.
    pub to_state: Option<DossierState>,
    /// What the member reads on the timeline.
    pub note: Option<String>,
    /// Non-personal details, JSON.
    pub details: String,
    /// The previous event's hash (empty for the first).
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

impl std::fmt::Debug for NewDossierEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDossierEvent")
            .field("dossier_id", &self.dossier_id)
            .field("seq", &self.seq)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

/// An event as stored.
pub type StoredDossierEvent = NewDossierEvent;

/// Appends `event` if the dossier's chain still ends at `event.seq - 1`: `false` when
/// another writer appended first (nothing written).
pub async fn append<C: ConnectionTrait>(
    db: &C,
    event: NewDossierEvent,
) -> Result<bool, StoreError> {
    let before = i32::try_from(event.seq.saturating_sub(1)).unwrap_or(i32::MAX);
    let moved = dossier::Entity::update_many()
        .col_expr(dossier::Column::EventCount, Expr::value(before + 1))
        .col_expr(dossier::Column::EventHead, Expr::value(event.hash.clone()))
        .filter(dossier::Column::Id.eq(event.dossier_id))
        .filter(dossier::Column::EventCount.eq(before))
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(false);
    }
    ActiveModel {
        id: Set(Uuid::new_v4()),
        dossier_id: Set(event.dossier_id),
        member_id: Set(event.member_id),
        seq: Set(before + 1),
        at: Set(event.at.get()),
        actor_kind: Set(event.actor_kind.code().to_owned()),
        actor_id: Set(event.actor_id),
        action: Set(event.action.code().to_owned()),
        from_state: Set(event.from_state.map(|s| s.code().to_owned())),
        to_state: Set(event.to_state.map(|s| s.code().to_owned())),
        note: Set(event.note),
        details: Set(event.details),
        prev_hash: Set(event.prev_hash),
        hash: Set(event.hash),
    }
    .insert(db)
    .await?;
    Ok(true)
}

fn stored(row: Model) -> Result<StoredDossierEvent, StoreError> {
    let corrupt = |column| StoreError::corrupt("dossier_events", column, row.id);
    let state = |code: Option<&str>, column| match code {
        None => Ok(None),
        Some(code) => DossierState::from_code(code)
            .map(Some)
            .ok_or_else(|| corrupt(column)),
    };
    Ok(NewDossierEvent {
        dossier_id: row.dossier_id,
        member_id: row.member_id,
        seq: u32::try_from(row.seq).map_err(|_| corrupt("seq"))?,
        at: instant(row.at),
        actor_kind: ActorKind::from_code(&row.actor_kind).ok_or_else(|| corrupt("actor_kind"))?,
        actor_id: row.actor_id,
        action: DossierAction::from_code(&row.action).ok_or_else(|| corrupt("action"))?,
        from_state: state(row.from_state.as_deref(), "from_state")?,
        to_state: state(row.to_state.as_deref(), "to_state")?,
        note: row.note,
        details: row.details,
        prev_hash: row.prev_hash,
        hash: row.hash,
    })
}

/// Every event of dossier `dossier_id`, in order.
pub async fn of_dossier<C: ConnectionTrait>(
    db: &C,
    dossier_id: Uuid,
) -> Result<Vec<StoredDossierEvent>, StoreError> {
    Entity::find()
        .filter(Column::DossierId.eq(dossier_id))
        .order_by_asc(Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}
