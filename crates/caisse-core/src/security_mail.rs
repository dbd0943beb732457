//! Security mails: every mail that reports something done on an account (a lock, a new
//! password, a changed address…) ends with a « Ce n'était pas moi » link. Opening it lets the
//! member disown the operation: every session ends, bank-detail changes freeze and the fund is
//! alerted (see `accounts::not_me`).
//!
//! The link is created in the caller's transaction, with the mail, so a mail never carries a
//! link that does not exist. The link, and any other secret of the mail, is sealed in the
//! outbox until delivery (see [`crate::outbox`]).

use caisse_domain::{CaisseCode, Email, Instant, LinkPurpose, PhoneNumber};
use caisse_store::ConnectionTrait;
use caisse_store::outbox::NewMessage;
use serde::{Deserialize, Serialize};
use time::Duration;
use uuid::Uuid;

use crate::CoreError;
use crate::mails::security::WithNotMeLink;
use crate::mails::{self, MailText};
use crate::one_time::{self, LinkKind};
use crate::outbox::{OutboxSeal, Secret, enqueue_with_secrets};

/// How long a « Ce n'était pas moi » link works: long enough for a member back from holiday.
pub const NOT_ME_LIFETIME: Duration = Duration::days(30);

/// What a « Ce n'était pas moi » must undo besides the usual measures: the JSON payload of
/// the link. `Debug` shows only which fields are set.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Undo {
    /// Put this email address back (the operation replaced it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    /// Put this mobile number back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
}

impl std::fmt::Debug for Undo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Undo")
            .field("email", &self.email.is_some())
            .field("phone", &self.phone.is_some())
            .finish()
    }
}

impl Undo {
    /// Puts this email address back.
    pub fn email(email: &Email) -> Undo {
        Undo {
            email: Some(email.as_str().to_owned()),
            phone: None,
        }
    }

    /// Puts this mobile number back, if there was one.
    pub fn phone(phone: Option<&PhoneNumber>) -> Undo {
        Undo {
            email: None,
            phone: phone.map(|p| p.as_e164().to_owned()),
        }
    }

    /// The email address to put back, when one was recorded and still parses.
    pub fn previous_email(&self) -> Option<Email> {
        self.email.as_deref().and_then(|e| Email::parse(e).ok())
    }

    /// The mobile number to put back, when one was recorded and still parses.
    pub fn previous_phone(&self) -> Option<PhoneNumber> {
        self.phone
            .as_deref()
            .and_then(|p| PhoneNumber::parse(p).ok())
    }
}

/// A security mail to send.
#[derive(Clone)]
pub struct SecurityMail<'a> {
    /// Whose account.
    pub member_id: Uuid,
    /// Their fund, whose administrators follow the message.
    pub caisse: Option<&'a CaisseCode>,
    /// Where to send it.
    pub recipient: &'a Email,
    /// Subject and body, without the closing « Ce n'était pas moi » paragraph.
    pub text: MailText,
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
    now: Instant,
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
    now: Instant,
) -> Result<(), CoreError> {
    let payload = if mail.undo == Undo::default() {
        None
    } else {
        Some(serde_json::to_string(&mail.undo)?)
    };
    let token = one_time::issue_link(
        db,
        LinkKind::Account(LinkPurpose::NotMe),
        mail.member_id,
        payload,
        NOT_ME_LIFETIME,
        false,
        now,
    )
    .await?;
    let body = mails::body(&WithNotMeLink {
        body: mail.text.body.trim_end_matches('\n'),
        base_url: base_url.trim_end_matches('/'),
        token: &token,
    })?;
    let mut carried = vec![Secret::Link(&token)];
    carried.extend_from_slice(secrets);
    enqueue_with_secrets(
        db,
        seal,
        NewMessage::email(mail.recipient, mail.text.subject, body, mail.caisse),
        &carried,
        now,
    )
    .await?;
    Ok(())
}
