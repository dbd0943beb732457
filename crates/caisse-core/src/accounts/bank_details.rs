//! New bank details: the member re-enters their password, the change waits for a cool-off
//! period (payout fraud is the classic account takeover) during which the member can cancel,
//! and the member is told by mail at once, with « Ce n'était pas moi ».

use caisse_domain::{AuditAction, Iban};
use caisse_store::members::{self, ContactChange};
use caisse_store::{TransactionTrait, bank_changes};
use serde_json::json;
use time::{OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use super::Accounts;
use super::ending::{Ending, Notice};
use super::errors::{AccountError, FormProblem};
use crate::CoreError;
use crate::audit::{Actor, RequestContext};
use crate::mails::{self, profile::BankDetailsChanged};

/// A change waiting for its cool-off to end.
#[derive(Clone, Debug)]
pub struct PendingBankChange {
    /// The new IBAN, masked.
    pub iban_masked: String,
    /// When it was asked.
    pub requested_at: OffsetDateTime,
    /// When it applies.
    pub effective_at: OffsetDateTime,
}

impl Accounts {
    /// The member's change waiting to apply, if any.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "accounts.pending_bank_change", skip_all, fields(%member_id))]
    pub async fn pending_bank_change(
        &self,
        member_id: Uuid,
    ) -> Result<Option<PendingBankChange>, CoreError> {
        Ok(bank_changes::pending_of(&self.db, member_id)
            .await?
            .map(|c| PendingBankChange {
                iban_masked: c.iban.masked(),
                requested_at: c.requested_at.get(),
                effective_at: c.effective_at.get(),
            }))
    }

    /// Asks for new bank details. A change already pending is replaced.
    ///
    /// # Errors
    /// [`AccountError::Invalid`], [`AccountError::WrongPassword`] or
    /// [`AccountError::BankFrozen`].
    #[tracing::instrument(name = "accounts.request_bank_change", skip_all, fields(%member_id))]
    pub async fn request_bank_change(
        &self,
        member_id: Uuid,
        current_password: &str,
        iban: &str,
        context: &RequestContext,
    ) -> Result<PendingBankChange, AccountError> {
        let iban = Iban::parse(iban)
            .map_err(|e| AccountError::Invalid(vec![FormProblem::new("iban", e.message_fr())]))?;
        let member = self.member(member_id).await?;
        if member.iban.as_ref() == Some(&iban) {
            return Err(AccountError::Invalid(vec![FormProblem::new(
                "iban",
                "Ces coordonnées bancaires sont déjà celles de votre dossier.",
            )]));
        }
        self.confirm_password(&member, current_password, context)
            .await?;
        let frozen = members::find_account(&self.db, member_id)
            .await?
            .is_some_and(|a| a.bank_frozen);
        if frozen {
            return Err(AccountError::BankFrozen);
        }
        let now = self.clock.instant();
        let effective_at = now + self.settings.bank_change_cool_off;
        let txn = self.db.begin().await?;
        bank_changes::cancel_pending(&txn, member_id, now).await?;
        bank_changes::insert(&txn, member_id, &iban, effective_at, now).await?;
        let when = caisse_domain::paris_time::paris_time(effective_at.get());
        let text = mails::mail(&BankDetailsChanged {
            first_name: &member.first_name,
            iban_masked: &iban.masked(),
            effective_at: PrimitiveDateTime::new(when.date(), when.time()),
        })
        .map_err(CoreError::from)?;
        let ending = Ending::by_member(member_id, AuditAction::MemberBankDetailsChangeRequested)
            .details(json!({ "effective_at": effective_at.unix_timestamp() }))
            .telling(Notice::to_member(&member, text));
        self.finish(txn, context, ending, now).await?;
        Ok(PendingBankChange {
            iban_masked: iban.masked(),
            requested_at: now.get(),
            effective_at: effective_at.get(),
        })
    }

    /// Withdraws the pending change.
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] when nothing was pending (or it already applied).
    #[tracing::instrument(name = "accounts.cancel_bank_change", skip_all, fields(%member_id))]
    pub async fn cancel_bank_change(
        &self,
        member_id: Uuid,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        if bank_changes::cancel_pending(&txn, member_id, now).await? == 0 {
            txn.rollback().await?;
            return Err(AccountError::NothingToDo);
        }
        let ending = Ending::by_member(member_id, AuditAction::MemberBankDetailsChangeCancelled);
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }

    /// Applies the changes whose cool-off has ended (periodic job); returns how many.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "accounts.apply_due_bank_changes", skip_all)]
    pub async fn apply_due_bank_changes(&self) -> Result<u64, CoreError> {
        let now = self.clock.instant();
        let mut applied = 0;
        for change in bank_changes::due(&self.db, now, 500).await? {
            let txn = self.db.begin().await?;
            // A cancellation that came first wins: the conditional update fails. Writing before
            // reading also keeps SQLite from refusing the upgrade of a read transaction.
            if !bank_changes::mark_applied(&txn, change.id, now).await? {
                txn.rollback().await?;
                continue;
            }
            let frozen = members::find_account(&txn, change.member_id)
                .await?
                .is_some_and(|a| a.bank_frozen);
            if frozen {
                txn.rollback().await?;
                continue;
            }
            members::change_contact(
                &txn,
                change.member_id,
                ContactChange::Iban(change.iban),
                now,
            )
            .await?;
            let ending = Ending::about(
                Actor::System,
                AuditAction::MemberBankDetailsChanged,
                Some(change.member_id),
            );
            self.finish(txn, &RequestContext::default(), ending, now)
                .await?;
            applied += 1;
        }
        Ok(applied)
    }
}
