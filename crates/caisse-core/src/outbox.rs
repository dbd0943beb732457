//! The outbox as the use cases see it: queueing a message that carries a secret, and the
//! administrators' view of their fund's messages.
//!
//! **No secret readable at rest.** A mail or SMS carrying a secret (a link holding a token, a
//! login or confirmation code) is queued with [`enqueue_with_secrets`]: `body_text` keeps the
//! body with each secret replaced by « [lien masqué] » or « [code masqué] », and the body to
//! deliver is sealed (AES-256-GCM under a key derived from the server key, the message id as
//! associated data) into `sealed_body`. Only the delivery worker opens it
//! ([`body_to_deliver`]), just before handing the message to the transport, and the statement
//! that records the delivery erases it. Nothing is substituted into a stored template, so no
//! text a member typed can forge a secret into a mail. What staff read is `body_text`: masked,
//! even while the message waits.
//!
//! **Per fund.** Each message names the fund of the member or staff member it concerns; an
//! administrator lists, opens and retries only their fund's messages, and each reading is
//! audited (`admin.outbox.listed`, `admin.outbox.viewed`).

use std::sync::Arc;

use caisse_domain::{AuditAction, CaisseCode, Instant, StaffRole};
use caisse_store::outbox::{self as store, LEGACY_BODY_PREFIX};
pub use caisse_store::outbox::{
    Channel, Counts, NewMessage, OutboxMessage as StoredMessage, Recipient, Status,
};
use caisse_store::{ConnectionTrait, Db, TransactionTrait};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::clock::Clock;
use crate::sealing::Aead;

/// What a masked link reads in the outbox.
pub const LINK_MASK: &str = "[lien masqué]";
/// What a masked code reads in the outbox.
pub const CODE_MASK: &str = "[code masqué]";

/// Audit action of an administrator listing their fund's outbox.
pub const ACTION_LISTED: AuditAction = AuditAction::AdminOutboxListed;
/// Audit action of an administrator opening one message.
pub const ACTION_VIEWED: AuditAction = AuditAction::AdminOutboxViewed;
/// Audit action of an administrator putting a failed message back in the queue.
pub const ACTION_RETRIED: AuditAction = AuditAction::AdminOutboxRetried;
/// Audit subject kind of a message.
pub const SUBJECT_MESSAGE: &str = "outbox_message";

/// The key that seals the bodies of messages carrying secrets, derived from the server key
/// under its own label. `Debug` never shows it.
#[derive(Clone, Debug)]
pub struct OutboxSeal(Aead);

impl OutboxSeal {
    /// Derives the outbox's key from the server key.
    ///
    /// # Errors
    /// Never in practice (see [`crate::staff_totp::SealingKey::derive`]).
    pub fn derive(server_key: &[u8]) -> Result<OutboxSeal, CoreError> {
        Aead::derive(server_key, b"caisse: outbox bodies carrying secrets, v1").map(OutboxSeal)
    }
}

/// A secret a message body carries, as it appears in the body.
#[derive(Clone, Copy)]
pub enum Secret<'a> {
    /// A link holding this token (or the link itself): the whole link, up to the whitespace
    /// around it, is masked.
    Link(&'a str),
    /// A code to type.
    Code(&'a str),
}

/// `body` with every occurrence of `secret` masked as `shown`; with `whole_word`, the
/// whitespace-delimited word around each occurrence goes too. `None` when `secret` is empty or
/// not in the body.
fn mask_one(body: &str, secret: &str, shown: &str, whole_word: bool) -> Option<String> {
    if secret.trim().is_empty() || !body.contains(secret) {
        return None;
    }
    let mut masked = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(secret) {
        let end = at + secret.len();
        let (start, end) = if whole_word {
            let start = rest[..at].rfind(char::is_whitespace).map_or(0, |i| {
                i + rest[i..].chars().next().map_or(1, char::len_utf8)
            });
            let end = rest[end..]
                .find(char::is_whitespace)
                .map_or(rest.len(), |i| end + i);
            (start, end)
        } else {
            (at, end)
        };
        masked.push_str(&rest[..start]);
        masked.push_str(shown);
        rest = &rest[end..];
    }
    masked.push_str(rest);
    Some(masked)
}

/// The body with every secret masked; links first, so a code's digits inside a link's token
/// are gone with the link.
fn mask(body: &str, secrets: &[Secret<'_>]) -> Result<String, CoreError> {
    let links = secrets.iter().filter_map(|s| match s {
        Secret::Link(link) => Some((*link, LINK_MASK, true)),
        Secret::Code(_) => None,
    });
    let codes = secrets.iter().filter_map(|s| match s {
        Secret::Code(code) => Some((*code, CODE_MASK, false)),
        Secret::Link(_) => None,
    });
    let mut masked = body.to_owned();
    for (secret, shown, whole_word) in links.chain(codes) {
        masked = mask_one(&masked, secret, shown, whole_word).ok_or(CoreError::SecretNotInBody)?;
    }
    Ok(masked)
}

/// Queues `message`, whose body carries `secrets`: the stored `body_text` masks them and the
/// body to deliver is sealed for the new message's id. Call it inside the transaction of the
/// change that causes it.
///
/// # Errors
/// [`CoreError::SecretNotInBody`] when a secret is not in the body (a bug); otherwise when
/// sealing or the database fails.
pub async fn enqueue_with_secrets<C: ConnectionTrait>(
    db: &C,
    seal: &OutboxSeal,
    message: NewMessage,
    secrets: &[Secret<'_>],
    now: Instant,
) -> Result<Uuid, CoreError> {
    let id = Uuid::now_v7();
    let masked = mask(&message.body_text, secrets)?;
    let sealed = seal.0.seal(message.body_text.as_bytes(), id.as_bytes())?;
    store::enqueue_sealed(
        db,
        id,
        NewMessage {
            body_text: masked,
            ..message
        },
        sealed,
        now,
    )
    .await?;
    Ok(id)
}

/// Why a message's body to deliver cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SealedBodyError {
    /// Sealed under another server key (was the key changed?), for another message, or
    /// corrupt.
    #[error("the sealed body does not open with the current server key")]
    Unreadable,
    /// Not sealed yet (a body from before sealing, which the server seals at startup).
    #[error("the body is not sealed yet")]
    NotSealed,
}

/// The body the transport gets: the sealed body, opened, when the message carries secrets;
/// `body_text` otherwise. The delivery worker's alone (and tests').
///
/// # Errors
/// See [`SealedBodyError`].
pub fn body_to_deliver(
    seal: &OutboxSeal,
    message: &StoredMessage,
) -> Result<String, SealedBodyError> {
    let Some(sealed) = &message.sealed_body else {
        return Ok(message.body_text.clone());
    };
    if sealed.starts_with(LEGACY_BODY_PREFIX) {
        return Err(SealedBodyError::NotSealed);
    }
    let plain = seal
        .0
        .open(sealed, message.id.as_bytes())
        .ok_or(SealedBodyError::Unreadable)?;
    String::from_utf8(plain).map_err(|_| SealedBodyError::Unreadable)
}

/// Seals the bodies that the migration to sealed bodies left in clear (messages not delivered
/// when it ran); returns how many. Run at startup, before the delivery worker.
///
/// # Errors
/// When sealing or the database fails.
pub async fn seal_legacy_bodies(db: &Db, seal: &OutboxSeal) -> Result<u64, CoreError> {
    let mut sealed = 0;
    loop {
        let batch = store::legacy_bodies(db, 100).await?;
        if batch.is_empty() {
            return Ok(sealed);
        }
        for (id, current) in batch {
            let plain = current.strip_prefix(LEGACY_BODY_PREFIX).unwrap_or(&current);
            let body = seal.0.seal(plain.as_bytes(), id.as_bytes())?;
            if store::replace_sealed_body(db, id, &current, body).await? {
                sealed += 1;
            }
        }
    }
}

/// Why an administrator's reading of the outbox was refused.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// No such message in the administrator's fund (another fund's is the same), or an
    /// unknown or inactive staff account.
    #[error("not found")]
    NotFound,
    /// Not an administrator.
    #[error("not allowed")]
    Forbidden,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for OutboxError {
    fn from(error: caisse_store::StoreError) -> Self {
        OutboxError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for OutboxError {
    fn from(error: caisse_store::DbErr) -> Self {
        OutboxError::Core(error.into())
    }
}

/// A message as an administrator sees it: secrets masked. `Debug` shows neither the recipient
/// nor the text.
#[derive(Clone)]
pub struct OutboxMessage {
    /// Id.
    pub id: Uuid,
    /// Email or SMS.
    pub channel: Channel,
    /// Address or number.
    pub recipient: String,
    /// Subject (empty for SMS).
    pub subject: String,
    /// Where it stands.
    pub status: Status,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// Queued at.
    pub created_at: OffsetDateTime,
    /// Next attempt at.
    pub next_attempt_at: OffsetDateTime,
    /// Delivered at.
    pub sent_at: Option<OffsetDateTime>,
    /// The last failure, for operators.
    pub last_error: Option<String>,
    /// The body with its secrets masked.
    pub body_text: String,
}

impl std::fmt::Debug for OutboxMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMessage")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl OutboxMessage {
    fn of(stored: StoredMessage) -> OutboxMessage {
        OutboxMessage {
            id: stored.id,
            channel: stored.channel(),
            recipient: stored.recipient.as_str().to_owned(),
            subject: stored.subject,
            status: stored.status,
            attempts: stored.attempts,
            created_at: stored.created_at.get(),
            next_attempt_at: stored.next_attempt_at.get(),
            sent_at: stored.sent_at.map(Instant::get),
            last_error: stored.last_error,
            body_text: stored.body_text,
        }
    }
}

/// One page of a fund's outbox.
#[derive(Clone, Debug)]
pub struct OutboxPage {
    /// The fund's messages by status.
    pub counts: Counts,
    /// The page, newest first.
    pub messages: Vec<OutboxMessage>,
    /// Whether a next page exists.
    pub has_next: bool,
}

/// The administrators' outbox: their fund's messages only, every reading audited.
#[derive(Clone)]
pub struct OutboxAdmin {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl OutboxAdmin {
    /// The use cases over this database.
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> OutboxAdmin {
        OutboxAdmin { db, clock }
    }

    /// The fund of an active administrator.
    async fn administrator_fund(&self, staff_id: Uuid) -> Result<CaisseCode, OutboxError> {
        let staff = caisse_store::staff::find(&self.db, staff_id)
            .await?
            .filter(|s| s.active)
            .ok_or(OutboxError::NotFound)?;
        match staff.role {
            StaffRole::Administrateur => Ok(staff.caisse_code),
            _ => Err(OutboxError::Forbidden),
        }
    }

    /// How many messages of the administrator's fund wait, were sent and failed.
    ///
    /// # Errors
    /// See [`OutboxError`].
    #[tracing::instrument(name = "outbox.counts", skip_all, fields(%staff_id))]
    pub async fn counts(&self, staff_id: Uuid) -> Result<Counts, OutboxError> {
        let fund = self.administrator_fund(staff_id).await?;
        Ok(store::counts(&self.db, &fund).await?)
    }

    /// Page `page` (from 1) of the administrator's fund's messages, optionally of one status,
    /// with the counts; audited (`admin.outbox.listed`), since it shows recipients.
    ///
    /// # Errors
    /// See [`OutboxError`].
    #[tracing::instrument(
        name = "outbox.list",
        skip_all,
        fields(%staff_id, ?status, page = page, per_page = per_page)
    )]
    pub async fn list(
        &self,
        staff_id: Uuid,
        status: Option<Status>,
        page: u64,
        per_page: u64,
        context: &RequestContext,
    ) -> Result<OutboxPage, OutboxError> {
        let fund = self.administrator_fund(staff_id).await?;
        let page = page.max(1);
        let (rows, has_next) = store::list(&self.db, &fund, status, page - 1, per_page).await?;
        let counts = store::counts(&self.db, &fund).await?;
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            ACTION_LISTED,
            None,
            json!({
                "status": status.map(Status::code),
                "page": page,
                "messages": rows.iter().map(|m| m.id).collect::<Vec<_>>(),
            }),
            self.clock.instant(),
        )
        .await?;
        Ok(OutboxPage {
            counts,
            messages: rows.into_iter().map(OutboxMessage::of).collect(),
            has_next,
        })
    }

    /// One message of the administrator's fund, secrets masked; audited
    /// (`admin.outbox.viewed`). `NotFound` for another fund's, and then nothing is audited.
    ///
    /// # Errors
    /// See [`OutboxError`].
    #[tracing::instrument(name = "outbox.message", skip_all, fields(%staff_id, %id))]
    pub async fn message(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<OutboxMessage, OutboxError> {
        let fund = self.administrator_fund(staff_id).await?;
        let row = store::fund_message(&self.db, &fund, id)
            .await?
            .ok_or(OutboxError::NotFound)?;
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            ACTION_VIEWED,
            Some((SUBJECT_MESSAGE, id)),
            json!({}),
            self.clock.instant(),
        )
        .await?;
        Ok(OutboxMessage::of(row))
    }

    /// Puts a failed message of the administrator's fund back in the queue, audited
    /// (`admin.outbox.retried`); `Ok(false)` when it was not failed.
    ///
    /// # Errors
    /// `NotFound` for another fund's message; see [`OutboxError`].
    #[tracing::instrument(name = "outbox.retry", skip_all, fields(%staff_id, %id))]
    pub async fn retry(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<bool, OutboxError> {
        let fund = self.administrator_fund(staff_id).await?;
        store::fund_message(&self.db, &fund, id)
            .await?
            .ok_or(OutboxError::NotFound)?;
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        let retried = store::retry(&txn, &fund, id, now).await?;
        if retried {
            audit::record(
                &txn,
                context,
                Actor::Staff(staff_id),
                ACTION_RETRIED,
                Some((SUBJECT_MESSAGE, id)),
                json!({}),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(retried)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_then_codes_are_masked_and_a_missing_secret_is_a_bug() {
        let body = "Code : 123456, saisissez 123456\nLien : https://x.fr/t/ab123456cd\nFin";
        let masked = mask(body, &[Secret::Code("123456"), Secret::Link("ab123456cd")]).unwrap();
        assert_eq!(
            masked,
            "Code : [code masqué], saisissez [code masqué]\nLien : [lien masqué]\nFin"
        );
        assert!(mask(body, &[Secret::Code("654321")]).is_err());
        assert!(mask(body, &[Secret::Code("")]).is_err());
    }

    #[test]
    fn a_link_is_masked_whole_up_to_the_whitespace_around_it() {
        assert_eq!(
            mask_one(
                "ouvrez :\nhttps://x.fr/a/TOKEN\n\nFin",
                "TOKEN",
                LINK_MASK,
                true
            )
            .unwrap(),
            "ouvrez :\n[lien masqué]\n\nFin"
        );
        assert_eq!(
            mask_one("https://x.fr/é/TOKEN", "TOKEN", LINK_MASK, true).unwrap(),
            "[lien masqué]"
        );
        assert_eq!(
            mask_one(
                "é\u{2003}https://x.fr/TOKEN?x=1 suite",
                "TOKEN",
                LINK_MASK,
                true
            )
            .unwrap(),
            "é\u{2003}[lien masqué] suite"
        );
    }
}
