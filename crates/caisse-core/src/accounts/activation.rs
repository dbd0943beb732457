//! Activating a registered account through the mailed link. Opening the link shows a page
//! with a button; only the button (a POST) activates, because mail scanners open links.

use caisse_domain::{AccountStatus, AuditAction, Email, LinkPurpose, PhoneNumber};
use caisse_store::TransactionTrait;
use caisse_store::members::{self, ContactChange, MemberRecord};
use serde::{Deserialize, Serialize};

use super::Accounts;
use super::ending::{Ending, Notice};
use super::errors::AccountError;
use crate::CoreError;
use crate::audit::RequestContext;
use crate::mails::{self, account::Activated};
use crate::one_time::{self, Link, LinkKind};

/// What the registration asked to record once the address is proven: the link's payload.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct ActivationPayload {
    email: String,
    phone: String,
}

impl ActivationPayload {
    pub(super) fn new(email: &Email, phone: &PhoneNumber) -> ActivationPayload {
        ActivationPayload {
            email: email.as_str().to_owned(),
            phone: phone.as_e164().to_owned(),
        }
    }

    pub(super) fn to_json(&self) -> Result<String, CoreError> {
        Ok(serde_json::to_string(self)?)
    }

    /// The address and number of a link's payload.
    fn read(link: &Link) -> Result<(Email, PhoneNumber), CoreError> {
        let unreadable = || CoreError::UnreadablePayload {
            what: "activation payload",
        };
        let payload: ActivationPayload = link
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(unreadable)?;
        Ok((
            Email::parse(&payload.email).map_err(|_| unreadable())?,
            PhoneNumber::parse(&payload.phone).map_err(|_| unreadable())?,
        ))
    }
}

impl Accounts {
    /// The unused, unexpired link behind `token` for `purpose`, and its member.
    pub(super) async fn live_link(
        &self,
        token: &str,
        purpose: LinkPurpose,
    ) -> Result<(Link, MemberRecord), AccountError> {
        let link = one_time::live_link(
            &self.db,
            LinkKind::Account(purpose),
            token,
            self.clock.instant(),
        )
        .await?
        .map_err(|_| AccountError::Unusable)?;
        let member = members::find(&self.db, link.member_id)
            .await?
            .ok_or(AccountError::Unusable)?;
        Ok((link, member))
    }

    /// Checks that an activation link can be used (before showing its page).
    ///
    /// # Errors
    /// [`AccountError::Unusable`].
    #[tracing::instrument(name = "accounts.check_activation", skip_all)]
    pub async fn check_activation(&self, token: &str) -> Result<(), AccountError> {
        self.pending_activation(token).await.map(|_| ())
    }

    /// The live activation link behind `token` and its member, whose account is still pending.
    async fn pending_activation(&self, token: &str) -> Result<(Link, MemberRecord), AccountError> {
        let (link, member) = self.live_link(token, LinkPurpose::Activation).await?;
        let pending = members::find_account(&self.db, member.id)
            .await?
            .is_some_and(|a| a.status == AccountStatus::Pending);
        if pending {
            Ok((link, member))
        } else {
            Err(AccountError::Unusable)
        }
    }

    /// Activates: records the proven email address and the mobile number in the member
    /// file, opens the account and confirms by mail.
    ///
    /// # Errors
    /// [`AccountError::Unusable`] when the link is unknown, expired or used, or the account
    /// is no longer pending.
    #[tracing::instrument(name = "accounts.activate", skip_all)]
    pub async fn activate(
        &self,
        token: &str,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let (link, member) = self.pending_activation(token).await?;
        let (email, phone) = ActivationPayload::read(&link)?;
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        let kind = LinkKind::Account(LinkPurpose::Activation);
        if !one_time::consume_link(&txn, kind, &link, now).await? {
            txn.rollback().await?;
            return Err(AccountError::Unusable);
        }
        members::change_contact(&txn, member.id, ContactChange::Email(email.clone()), now).await?;
        members::change_contact(&txn, member.id, ContactChange::Phone(phone), now).await?;
        members::set_account_status(&txn, member.id, AccountStatus::Active, now).await?;
        let text = mails::mail(&Activated {
            first_name: &member.first_name,
            base_url: self.base_url(),
            fund: self.fund_name(&member),
        })
        .map_err(CoreError::from)?;
        let notice = Notice {
            to: Some(&email),
            ..Notice::to_member(&member, text)
        };
        let ending =
            Ending::by_member(member.id, AuditAction::MemberAccountActivated).telling(notice);
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }
}
