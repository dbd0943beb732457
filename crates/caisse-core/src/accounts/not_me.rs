//! « Ce n'était pas moi »: the member disowns what a security mail reported. Every session,
//! API token and trusted device ends, FranceConnect links are removed, pending bank details are cancelled and further changes
//! frozen until a staff member lifts the freeze, a replaced email address or mobile number is put
//! back, and the fund gets an alert. The link's page asks for a click first (mail scanners
//! open links).

use caisse_domain::{AlertKind, AuditAction, LinkPurpose, SubjectKind};
use caisse_store::members::{self, ContactChange};
use caisse_store::one_time::spend_unused_links;
use caisse_store::{
    TransactionTrait, api_tokens, bank_changes, devices, security_alerts, sessions,
};

use super::Accounts;
use super::ending::Ending;
use super::errors::AccountError;
use crate::audit::RequestContext;
use crate::one_time::{self, LinkKind};
use crate::security_mail::Undo;

impl Accounts {
    /// Checks that a « Ce n'était pas moi » link can be used.
    ///
    /// # Errors
    /// [`AccountError::Unusable`].
    #[tracing::instrument(name = "accounts.check_not_me", skip_all)]
    pub async fn check_not_me(&self, token: &str) -> Result<(), AccountError> {
        self.live_link(token, LinkPurpose::NotMe).await.map(|_| ())
    }

    /// Takes every protective measure.
    ///
    /// # Errors
    /// [`AccountError::Unusable`] when the link is unknown, expired or already used.
    #[tracing::instrument(name = "accounts.not_me", skip_all)]
    pub async fn not_me(&self, token: &str, context: &RequestContext) -> Result<(), AccountError> {
        let (link, member) = self.live_link(token, LinkPurpose::NotMe).await?;
        // An unreadable payload undoes nothing more: the protective measures matter most.
        let undo: Undo = link
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        let kind = LinkKind::Account(LinkPurpose::NotMe);
        if !one_time::consume_link(&txn, kind, &link, now).await? {
            txn.rollback().await?;
            return Err(AccountError::Unusable);
        }
        sessions::revoke_all(&txn, SubjectKind::Member, member.id, now).await?;
        api_tokens::revoke_all(&txn, member.id, now).await?;
        devices::revoke_all_trusted(&txn, member.id, now).await?;
        // A FranceConnect identity linked by someone else would let them back in.
        caisse_store::oidc::delete_links_of_member(&txn, member.id).await?;
        bank_changes::cancel_pending(&txn, member.id, now).await?;
        // A pending email change must not complete either.
        spend_unused_links(
            &txn,
            LinkKind::Account(LinkPurpose::EmailChange),
            member.id,
            now,
        )
        .await?;
        if members::find_account(&txn, member.id).await?.is_some() {
            members::set_bank_frozen(&txn, member.id, true, now).await?;
        }
        if let Some(email) = undo.previous_email() {
            members::change_contact(&txn, member.id, ContactChange::Email(email), now).await?;
        }
        if let Some(phone) = undo.previous_phone() {
            members::change_contact(&txn, member.id, ContactChange::Phone(phone), now).await?;
        }
        security_alerts::raise(&txn, member.id, &member.caisse_code, AlertKind::NotMe, now).await?;
        let ending = Ending::by_member(member.id, AuditAction::MemberSecurityNotMe);
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }
}
