//! Closing the account (seed 004: « résilier mon compte »). The member file stays (the fund
//! still insures the person); the portal account stops working until a provisional code by
//! post reopens it.

use caisse_domain::{AccountStatus, AuditAction, SubjectKind};
use caisse_store::members;
use caisse_store::{TransactionTrait, api_tokens, bank_changes, devices, sessions};
use uuid::Uuid;

use super::Accounts;
use super::ending::{Ending, Notice};
use super::errors::AccountError;
use crate::CoreError;
use crate::audit::RequestContext;
use crate::mails::{self, account::Closed};

impl Accounts {
    /// Closes the account after the current password; ends every session.
    ///
    /// # Errors
    /// [`AccountError::WrongPassword`].
    #[tracing::instrument(name = "accounts.close_account", skip_all, fields(%member_id))]
    pub async fn close_account(
        &self,
        member_id: Uuid,
        current_password: &str,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let member = self.member(member_id).await?;
        self.confirm_password(&member, current_password, context)
            .await?;
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        members::set_account_status(&txn, member_id, AccountStatus::Closed, now).await?;
        sessions::revoke_all(&txn, SubjectKind::Member, member_id, now).await?;
        api_tokens::revoke_all(&txn, member_id, now).await?;
        devices::revoke_all_trusted(&txn, member_id, now).await?;
        bank_changes::cancel_pending(&txn, member_id, now).await?;
        let text = mails::mail(&Closed {
            first_name: &member.first_name,
            base_url: self.base_url(),
        })
        .map_err(CoreError::from)?;
        let ending = Ending::by_member(member_id, AuditAction::MemberAccountClosed)
            .telling(Notice::to_member(&member, text));
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }
}
