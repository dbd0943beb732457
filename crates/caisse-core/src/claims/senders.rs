//! The keys professionals' software sends lots with (`caisse admin claim-sender add|revoke`,
//! `Authorization: Bearer` on `POST /api/v1/claims/lots`). A key is shown once; only its
//! SHA-256 is kept, so a stolen database holds no usable key.

use caisse_domain::claims::ProfessionalId;
use caisse_domain::{AuditAction, CaisseCode, Iban, Instant};
use caisse_store::claims::senders::{self, ClaimSender, NewSender};
use caisse_store::{Db, TransactionTrait};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::tokens::{random_token, token_digest};

/// What every key starts with, so that a leaked one is recognisable.
pub const KEY_PREFIX: &str = "cs_";

/// A new key: its id and the key itself, to give the sender once.
pub struct NewKey {
    /// The key's id.
    pub id: Uuid,
    /// The key; never stored.
    pub key: String,
}

// The key is a secret.
impl std::fmt::Debug for NewKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Makes a key for `sender` to send lots to `caisse`; audited.
///
/// # Errors
/// When randomness or the database fails.
pub async fn add(
    db: &Db,
    caisse: CaisseCode,
    sender: &ProfessionalId,
    name: &str,
    iban: &Iban,
    now: OffsetDateTime,
) -> Result<NewKey, CoreError> {
    let key = format!(
        "{KEY_PREFIX}{}",
        random_token().map_err(CoreError::Randomness)?
    );
    let txn = db.begin().await?;
    let id = senders::insert(
        &txn,
        NewSender {
            caisse,
            sender,
            name,
            iban,
            key_hash: &token_digest(&key),
        },
        Instant::from(now),
    )
    .await?;
    audit::record(
        &txn,
        &RequestContext::default(),
        Actor::System,
        AuditAction::ClaimSenderAdded,
        Some(("claim_sender", id)),
        serde_json::json!({ "caisse": caisse.as_str(), "sender": sender.code() }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(NewKey { id, key })
}

/// Revokes every live key of `sender` in `caisse`; returns how many; audited.
///
/// # Errors
/// When the database fails.
pub async fn revoke(
    db: &Db,
    caisse: CaisseCode,
    sender: &ProfessionalId,
    now: OffsetDateTime,
) -> Result<u64, CoreError> {
    let txn = db.begin().await?;
    let revoked = senders::revoke(&txn, caisse, sender, Instant::from(now)).await?;
    audit::record(
        &txn,
        &RequestContext::default(),
        Actor::System,
        AuditAction::ClaimSenderRevoked,
        None,
        serde_json::json!({
            "caisse": caisse.as_str(),
            "sender": sender.code(),
            "keys": revoked,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(revoked)
}

/// The sender a key belongs to, if the key is live. The same work whether it matches or
/// not: one digest, one indexed lookup.
///
/// # Errors
/// When the database fails.
pub async fn authenticate(db: &Db, key: &str) -> Result<Option<ClaimSender>, CoreError> {
    Ok(senders::find_live(db, &token_digest(key)).await?)
}

/// The live sender `sender` of `caisse` (its newest key), if any: whom a lot read from a
/// file is accepted for.
///
/// # Errors
/// When the database fails.
pub async fn registered(
    db: &Db,
    caisse: CaisseCode,
    sender: &ProfessionalId,
) -> Result<Option<ClaimSender>, CoreError> {
    Ok(senders::newest(db, caisse, sender)
        .await?
        .filter(|s| s.revoked_at.is_none()))
}

/// Every key of a fund, newest first.
///
/// # Errors
/// When the database fails.
pub async fn of_fund(db: &Db, caisse: CaisseCode) -> Result<Vec<ClaimSender>, CoreError> {
    Ok(senders::of_fund(db, caisse).await?)
}
