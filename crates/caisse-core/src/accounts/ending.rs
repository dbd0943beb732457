//! How an account use case ends, once: in its transaction, the security mail that tells the
//! member (with its « Ce n'était pas moi » link), the audit event, then the commit — so the
//! change, its mail and its record of who did it commit or roll back together.

use caisse_domain::{AuditAction, Email, Instant};
use caisse_store::Tx;
use caisse_store::members::MemberRecord;
use serde_json::json;
use uuid::Uuid;

use super::Accounts;
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::mails::MailText;
use crate::security_mail::{self, SecurityMail, Undo};

/// A security mail telling a member what was done on their account.
pub(super) struct Notice<'a> {
    /// Whose account.
    pub(super) member: &'a MemberRecord,
    /// Where to send it: the address on file when `None` (a member without one is not told).
    pub(super) to: Option<&'a Email>,
    /// Subject and body, without the closing « Ce n'était pas moi » paragraph.
    pub(super) text: MailText,
    /// What « Ce n'était pas moi » must undo besides the usual measures.
    pub(super) undo: Undo,
}

impl<'a> Notice<'a> {
    /// A mail to the member's address on file, undoing nothing more than the usual measures.
    pub(super) fn to_member(member: &'a MemberRecord, text: MailText) -> Notice<'a> {
        Notice {
            member,
            to: None,
            text,
            undo: Undo::default(),
        }
    }
}

/// The audit event that ends a use case, and the mail that goes with it, if any.
pub(super) struct Ending<'a> {
    actor: Actor,
    action: AuditAction,
    member: Option<Uuid>,
    details: serde_json::Value,
    notice: Option<Notice<'a>>,
}

impl<'a> Ending<'a> {
    /// `action` by the member on their own account.
    pub(super) fn by_member(member_id: Uuid, action: AuditAction) -> Ending<'a> {
        Ending::about(Actor::Member(member_id), action, Some(member_id))
    }

    /// `action` by `actor`, about member `member` when there is one.
    pub(super) fn about(actor: Actor, action: AuditAction, member: Option<Uuid>) -> Ending<'a> {
        Ending {
            actor,
            action,
            member,
            details: json!({}),
            notice: None,
        }
    }

    /// With these (non-personal) details in the audit event.
    pub(super) fn details(mut self, details: serde_json::Value) -> Ending<'a> {
        self.details = details;
        self
    }

    /// Telling the member by mail.
    pub(super) fn telling(mut self, notice: Notice<'a>) -> Ending<'a> {
        self.notice = Some(notice);
        self
    }
}

impl Accounts {
    /// Ends a use case in `txn`: the security mail, if any, the audit event, the commit.
    ///
    /// # Errors
    /// When randomness or the database fails; then nothing is committed.
    pub(super) async fn finish(
        &self,
        txn: Tx,
        context: &RequestContext,
        ending: Ending<'_>,
        now: Instant,
    ) -> Result<(), CoreError> {
        if let Some(notice) = ending.notice {
            let recipient = notice.to.or(notice.member.email.as_ref());
            if let Some(recipient) = recipient {
                security_mail::enqueue(
                    &txn,
                    &self.seal,
                    self.base_url(),
                    SecurityMail {
                        member_id: notice.member.id,
                        caisse: Some(&notice.member.caisse_code),
                        recipient,
                        text: notice.text,
                        undo: notice.undo,
                    },
                    now,
                )
                .await?;
            }
        }
        audit::record(
            &txn,
            context,
            ending.actor,
            ending.action,
            ending.member.map(|id| ("member", id)),
            ending.details,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
