//! « Ce n'était pas moi »: the member disowns what a security mail reported. Every session,
//! API token and trusted device ends, pending bank details are cancelled and further changes
//! frozen until an advisor lifts the freeze, a replaced email address or mobile number is put
//! back, and the fund gets an alert. The link's page asks for a click first (mail scanners
//! open links).

use caisse_domain::AuditAction;
use caisse_store::account_links::{self, Purpose};
use caisse_store::members::{self, ContactChange};
use caisse_store::sessions::SubjectKind;
use caisse_store::{
    TransactionTrait, api_tokens, bank_changes, devices, security_alerts, sessions,
};
use serde_json::json;

use super::Accounts;
use super::errors::AccountError;
use crate::audit::{self, Actor, RequestContext};
use crate::security_mail::Undo;

impl Accounts {
    /// Checks that a « Ce n'était pas moi » link can be used.
    ///
    /// # Errors
    /// [`AccountError::Unusable`].
    pub async fn check_not_me(&self, token: &str) -> Result<(), AccountError> {
        self.live_link(token, Purpose::NotMe).await.map(|_| ())
    }

    /// Takes every protective measure.
    ///
    /// # Errors
    /// [`AccountError::Unusable`] when the link is unknown, expired or already used.
    pub async fn not_me(&self, token: &str, context: &RequestContext) -> Result<(), AccountError> {
        let (link, member) = self.live_link(token, Purpose::NotMe).await?;
        let undo: Undo = link
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        if !account_links::consume(&txn, &link.token_hash, now).await? {
            txn.rollback().await?;
            return Err(AccountError::Unusable);
        }
        sessions::revoke_all(&txn, SubjectKind::Member, member.id, now).await?;
        api_tokens::revoke_all(&txn, member.id, now).await?;
        devices::revoke_all_trusted(&txn, member.id, now).await?;
        bank_changes::cancel_pending(&txn, member.id, now).await?;
        // A pending email change must not complete either.
        account_links::invalidate_unused(&txn, member.id, Purpose::EmailChange, now).await?;
        if members::account(&txn, member.id).await?.is_some() {
            members::set_bank_frozen(&txn, member.id, true, now).await?;
        }
        if let Some(email) = undo.email {
            members::change_contact(&txn, member.id, ContactChange::Email(email), now).await?;
        }
        if let Some(phone) = undo.phone {
            members::change_contact(&txn, member.id, ContactChange::Phone(phone), now).await?;
        }
        security_alerts::raise(&txn, member.id, &member.caisse_code, "not_me", now).await?;
        audit::record(
            &txn,
            context,
            Actor::Member(member.id),
            AuditAction::MemberSecurityNotMe,
            Some(("member", member.id)),
            json!({}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
