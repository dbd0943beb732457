//! Security mails: every mail that reports something done on an account (a lock, a new
//! password, a changed address…) ends with a « Ce n'était pas moi » link. Opening it lets the
//! member disown the operation: every session ends, bank-detail changes freeze and the fund is
//! alerted (see [`crate::not_me`]).
//!
//! The link is created in the caller's transaction, with the mail, so a mail never carries a
//! link that does not exist. The link, and any other secret of the mail, is sealed in the
//! outbox until delivery (see [`crate::outbox`]).

use caisse_store::account_links::{self, NewLink, Purpose};
use caisse_store::outbox::{Channel, NewMessage};
use caisse_store::{ConnectionTrait, members};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::CoreError;
use crate::outbox::{OutboxSeal, Secret, enqueue_with_secrets};
use crate::tokens::{random_token, token_digest};

/// How long a « Ce n'était pas moi » link works: long enough for a member back from holiday.
pub const NOT_ME_LIFETIME: Duration = Duration::days(30);

/// What a « Ce n'était pas moi » must undo besides the usual measures.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Undo {
    /// Put this email address back (the operation replaced it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Put this mobile number back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

debug_fields!(Undo {});

/// A security mail to send.
#[derive(Clone)]
pub struct SecurityMail<'a> {
    /// Whose account.
    pub member_id: Uuid,
    /// Where to send it.
    pub recipient: &'a str,
    /// Subject line.
    pub subject: &'a str,
    /// Body, without the closing « Ce n'était pas moi » paragraph.
    pub body: String,
    /// What to undo if the member disowns the operation.
    pub undo: Undo,
}

debug_fields!(SecurityMail<'a> { member_id, undo });

/// Queues the mail with a fresh « Ce n'était pas moi » link under `base_url`.
///
/// # Errors
/// When randomness or the database fails.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    seal: &OutboxSeal,
    base_url: &str,
    mail: SecurityMail<'_>,
    now: OffsetDateTime,
) -> Result<(), CoreError> {
    enqueue_carrying(db, seal, base_url, mail, &[], now).await
}

/// [`enqueue`] for a mail whose body carries other `secrets` too (a login code, a reset
/// link), sealed with the « Ce n'était pas moi » link.
///
/// # Errors
/// When randomness or the database fails, or a secret is not in the body.
pub async fn enqueue_carrying<C: ConnectionTrait>(
    db: &C,
    seal: &OutboxSeal,
    base_url: &str,
    mail: SecurityMail<'_>,
    secrets: &[Secret<'_>],
    now: OffsetDateTime,
) -> Result<(), CoreError> {
    let token = random_token().map_err(|e| CoreError::InvalidData(e.to_string()))?;
    let payload = if mail.undo == Undo::default() {
        None
    } else {
        Some(serde_json::to_string(&mail.undo).map_err(|e| CoreError::InvalidData(e.to_string()))?)
    };
    account_links::insert(
        db,
        NewLink {
            token_hash: token_digest(&token),
            member_id: mail.member_id,
            purpose: Purpose::NotMe,
            payload,
            expires_at: now + NOT_ME_LIFETIME,
        },
        now,
    )
    .await?;
    let link = format!(
        "{}/ce-n-etait-pas-moi/{token}",
        base_url.trim_end_matches('/')
    );
    let caisse_code = members::get(db, mail.member_id)
        .await?
        .map(|member| member.caisse_code);
    let mut carried = vec![Secret::Link(&token)];
    carried.extend_from_slice(secrets);
    enqueue_with_secrets(
        db,
        seal,
        NewMessage {
            channel: Channel::Email,
            recipient: mail.recipient.to_owned(),
            subject: mail.subject.to_owned(),
            body_text: format!(
                "{body}\n\
                 Ce n'était pas vous ? Ouvrez ce lien pour le signaler :\n{link}\n\
                 Toutes les connexions à votre compte seront fermées, les changements de \
                 coordonnées bancaires bloqués et votre caisse prévenue.\n",
                body = mail.body.trim_end_matches('\n').to_owned() + "\n",
            ),
            caisse_code,
        },
        &carried,
        now,
    )
    .await?;
    Ok(())
}

/// A mail without « Ce n'était pas moi » link, to a member of fund `caisse_code`: for messages
/// that report nothing done on the account.
pub fn plain(recipient: &str, subject: &str, body: String, caisse_code: &str) -> NewMessage {
    NewMessage {
        channel: Channel::Email,
        recipient: recipient.to_owned(),
        subject: subject.to_owned(),
        body_text: body,
        caisse_code: Some(caisse_code.to_owned()),
    }
}
