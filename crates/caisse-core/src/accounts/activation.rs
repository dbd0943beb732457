//! Activating a registered account through the mailed link. Opening the link shows a page
//! with a button; only the button (a POST) activates, because mail scanners open links.

use caisse_domain::AuditAction;
use caisse_store::TransactionTrait;
use caisse_store::account_links::{self, Purpose};
use caisse_store::entities::{account_link, member};
use caisse_store::members::{self, ContactChange, account_status};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Accounts;
use super::errors::AccountError;
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::security_mail::{self, SecurityMail, Undo};
use crate::tokens::token_digest;

/// What the registration asked to record once the address is proven.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct ActivationPayload {
    pub(super) email: String,
    pub(super) phone: String,
}

impl ActivationPayload {
    pub(super) fn to_json(&self) -> Result<String, CoreError> {
        serde_json::to_string(self).map_err(|e| CoreError::InvalidData(e.to_string()))
    }
}

impl Accounts {
    /// The unused, unexpired link behind `token` for `purpose`, and its member.
    pub(super) async fn live_link(
        &self,
        token: &str,
        purpose: Purpose,
    ) -> Result<(account_link::Model, member::Model), AccountError> {
        let link = account_links::find(&self.db, &token_digest(token), purpose)
            .await?
            .ok_or(AccountError::Unusable)?;
        if link.used_at.is_some() || link.expires_at <= self.clock.now() {
            return Err(AccountError::Unusable);
        }
        let member = members::get(&self.db, link.member_id)
            .await?
            .ok_or(AccountError::Unusable)?;
        Ok((link, member))
    }

    /// Checks that an activation link can be used (before showing its page).
    ///
    /// # Errors
    /// [`AccountError::Unusable`].
    pub async fn check_activation(&self, token: &str) -> Result<(), AccountError> {
        self.pending_activation(token).await.map(|_| ())
    }

    /// The live activation link behind `token` and its member, whose account is still pending.
    async fn pending_activation(
        &self,
        token: &str,
    ) -> Result<(account_link::Model, member::Model), AccountError> {
        let (link, member) = self.live_link(token, Purpose::Activation).await?;
        let pending = members::account(&self.db, member.id)
            .await?
            .is_some_and(|a| a.status == account_status::PENDING);
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
    pub async fn activate(
        &self,
        token: &str,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let (link, member) = self.pending_activation(token).await?;
        let payload: ActivationPayload = link
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(|| CoreError::InvalidData("activation payload".into()))?;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        if !account_links::consume(&txn, &link.token_hash, now).await? {
            txn.rollback().await?;
            return Err(AccountError::Unusable);
        }
        members::change_contact(
            &txn,
            member.id,
            ContactChange::Email(payload.email.clone()),
            now,
        )
        .await?;
        members::change_contact(&txn, member.id, ContactChange::Phone(payload.phone), now).await?;
        members::set_account_status(&txn, member.id, account_status::ACTIVE, now).await?;
        security_mail::enqueue(
            &txn,
            &self.seal,
            self.base_url(),
            SecurityMail {
                member_id: member.id,
                recipient: &payload.email,
                subject: "Votre compte est activé",
                body: format!(
                    "Bonjour {first_name},\n\n\
                     Votre compte en ligne est activé. Connectez-vous avec votre numéro de \
                     sécurité sociale et le mot de passe que vous avez choisi :\n{base}/connexion\n\n{fund}\n",
                    first_name = member.first_name,
                    base = self.base_url(),
                    fund = self.fund_name(&member),
                ),
                undo: Undo::default(),
            },
            now,
        )
        .await?;
        audit::record(
            &txn,
            context,
            Actor::Member(member.id),
            AuditAction::MemberAccountActivated,
            Some(("member", member.id)),
            json!({}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
