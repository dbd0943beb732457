//! The hash chain of a dossier's events: each event's SHA-256 covers the previous hash and
//! every stored column of the event, so a changed, removed or inserted event shows.

use caisse_domain::demarches::{DossierAction, DossierState};
use caisse_domain::{ActorKind, Instant};
use caisse_store::ConnectionTrait;
use caisse_store::dossiers::StoredDossier;
use caisse_store::dossiers::events::{self, NewDossierEvent};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::errors::DossierError;

/// One event to append to a dossier's history.
pub(super) struct Event {
    pub(super) actor: (ActorKind, Option<Uuid>),
    pub(super) action: DossierAction,
    pub(super) moved: Option<(DossierState, DossierState)>,
    pub(super) note: Option<String>,
    pub(super) details: serde_json::Value,
}

impl Event {
    pub(super) fn new(actor: (ActorKind, Option<Uuid>), action: DossierAction) -> Event {
        Event {
            actor,
            action,
            moved: None,
            note: None,
            details: serde_json::json!({}),
        }
    }

    pub(super) fn moved(mut self, from: DossierState, to: DossierState) -> Event {
        self.moved = Some((from, to));
        self
    }

    pub(super) fn note(mut self, note: impl Into<String>) -> Event {
        self.note = Some(note.into());
        self
    }

    pub(super) fn details(mut self, details: serde_json::Value) -> Event {
        self.details = details;
        self
    }
}

/// The hash of `event` after `prev_hash`.
pub(crate) fn hash(event: &NewDossierEvent) -> String {
    let mut digest = Sha256::new();
    let parts = [
        event.prev_hash.clone(),
        event.dossier_id.to_string(),
        event.seq.to_string(),
        event.at.get().unix_timestamp().to_string(),
        event.actor_kind.code().to_owned(),
        event.actor_id.map(|id| id.to_string()).unwrap_or_default(),
        event.action.code().to_owned(),
        event
            .from_state
            .map(|s| s.code())
            .unwrap_or_default()
            .to_owned(),
        event
            .to_state
            .map(|s| s.code())
            .unwrap_or_default()
            .to_owned(),
        event.note.clone().unwrap_or_default(),
        event.details.clone(),
    ];
    for part in parts {
        // Length-prefixed, so no two sequences of parts hash the same.
        digest.update(part.len().to_le_bytes());
        digest.update(part.as_bytes());
    }
    digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Appends `event` to `dossier`'s chain in the caller's transaction and moves the dossier's
/// head: [`DossierError::Conflict`] when another writer appended first.
pub(super) async fn append<C: ConnectionTrait>(
    db: &C,
    dossier: &mut StoredDossier,
    event: Event,
    at: Instant,
) -> Result<(), DossierError> {
    let mut new = NewDossierEvent {
        dossier_id: dossier.id,
        member_id: dossier.member_id,
        seq: dossier.event_count + 1,
        at,
        actor_kind: event.actor.0,
        actor_id: event.actor.1,
        action: event.action,
        from_state: event.moved.map(|(from, _)| from),
        to_state: event.moved.map(|(_, to)| to),
        note: event.note,
        details: event.details.to_string(),
        prev_hash: dossier.event_head.clone(),
        hash: String::new(),
    };
    new.hash = hash(&new);
    let head = new.hash.clone();
    if !events::append(db, new).await? {
        return Err(DossierError::Conflict);
    }
    dossier.event_count += 1;
    dossier.event_head = head;
    Ok(())
}

/// Whether the stored chain of events holds: each links to the one before and hashes right.
pub fn holds(chain: &[NewDossierEvent]) -> bool {
    let mut prev = String::new();
    for (index, event) in chain.iter().enumerate() {
        let seq_ok = usize::try_from(event.seq).is_ok_and(|seq| seq == index + 1);
        if !seq_ok || event.prev_hash != prev || hash(event) != event.hash {
            return false;
        }
        prev = event.hash.clone();
    }
    true
}
