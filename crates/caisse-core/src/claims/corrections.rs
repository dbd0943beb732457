//! Cancelling or correcting a paid line, with a reason: the difference becomes an overpayment
//! debt of the payee — the member's (recovered from their next reimbursements like the others,
//! with its avis de sommes à payer), or in tiers payant the professional's (`sender_debts`,
//! withheld from their next payments by [`super::payments`]) — or a complementary payment that
//! the next payment run makes ([`super::complements`]). Above the configured amount a
//! correction waits for a supervisor of the fund other than the one who asked (four eyes);
//! until approved nothing changes in money. The liquidated line is never rewritten: each
//! correction is kept beside it, with who asked and decided, when, why, and the old and new
//! amounts. Every write is one transaction with its audit event, under a lock of the line's
//! sheet, and checks the amount the form was shown, so a form sent twice does not correct
//! twice.

use caisse_domain::claims::{
    CorrectionEffect, CorrectionStatus, Payee, SheetState, line_reimbursed,
};
use caisse_domain::{AmountCents, AuditAction};
use caisse_store::claims::corrections::{self, NewCorrection, StoredCorrection};
use caisse_store::claims::{debts, sender_debts};
use caisse_store::{TransactionTrait, Tx, members};
use serde_json::json;
use uuid::Uuid;

use super::staff_payments::{
    CorrectionView, REASON_MAX_CHARS, StaffPaymentError, StaffPayments, audit_correction,
    current_amount, supervisor_of,
};
use super::statements::sheet_detail;
use crate::audit::{self, Actor, RequestContext};

/// Corrections listed for supervisors at most.
pub const WAITING_SHOWN: u64 = 200;

/// An advisor's correction of one line of a payment.
#[derive(Clone)]
pub struct CorrectionRequest {
    /// The member.
    pub member_id: Uuid,
    /// The payment that paid the line.
    pub payment_id: Uuid,
    /// The line's sheet.
    pub sheet_id: Uuid,
    /// The line, from 1.
    pub line_no: usize,
    /// What the form showed the line reimbursed: the correction is made from it only.
    pub shown: AmountCents,
    /// What the line should have reimbursed (0 cancels it).
    pub corrected: AmountCents,
    /// Why.
    pub reason: String,
}

impl std::fmt::Debug for CorrectionRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorrectionRequest")
            .field("payment_id", &self.payment_id)
            .field("sheet_id", &self.sheet_id)
            .field("line_no", &self.line_no)
            .finish_non_exhaustive()
    }
}

/// What a correction became.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorrectionOutcome {
    /// In force: its debt or complement is recorded.
    Applied(Uuid),
    /// Waits for a supervisor.
    Waiting(Uuid),
}

/// A correction waiting for approval, with the member it concerns. `Debug` shows no name.
#[derive(Clone, PartialEq, Eq)]
pub struct WaitingCorrection {
    /// The correction.
    pub correction: CorrectionView,
    /// « Sophie WEBER ».
    pub member_name: String,
}

impl std::fmt::Debug for WaitingCorrection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitingCorrection")
            .field("correction", &self.correction)
            .finish_non_exhaustive()
    }
}

/// What applying a correction recorded.
#[derive(Default)]
struct Applied {
    debt_id: Option<Uuid>,
    sender_debt_id: Option<Uuid>,
    complement: AmountCents,
}

/// Records the correction's effect: the payee's debt (the professional's in tiers payant, named
/// by the correction's id), or the complement the next run pays.
async fn apply(
    txn: &Tx,
    c: &StoredCorrection,
    effect: CorrectionEffect,
    now: caisse_domain::Instant,
) -> Result<Applied, StaffPaymentError> {
    Ok(match effect {
        CorrectionEffect::Overpayment(amount) if c.payee == Payee::Professional => Applied {
            sender_debt_id: Some(
                sender_debts::insert(txn, c.caisse, &c.sender, amount, c.id, now).await?,
            ),
            ..Applied::default()
        },
        CorrectionEffect::Overpayment(amount) => Applied {
            debt_id: Some(
                debts::insert(
                    txn,
                    c.caisse,
                    c.member_id,
                    c.sheet_id,
                    c.date_of_care,
                    amount,
                    now,
                )
                .await?,
            ),
            ..Applied::default()
        },
        CorrectionEffect::Complement(amount) => Applied {
            complement: amount,
            ..Applied::default()
        },
    })
}

fn valid_reason(reason: &str) -> Result<&str, StaffPaymentError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX_CHARS {
        return Err(StaffPaymentError::Reason);
    }
    Ok(reason)
}

impl StaffPayments {
    /// Corrects a paid line of the member's payment: applied at once up to the approval
    /// amount, else waiting for a supervisor.
    ///
    /// # Errors
    /// [`StaffPaymentError::NotFound`] for another fund's member, a payment, sheet or line
    /// that is not theirs or not paid; the other variants for a correction refused.
    #[tracing::instrument(name = "staff_payments.correct", skip_all, fields(%staff_id, payment_id = %request.payment_id))]
    pub async fn correct(
        &self,
        staff_id: Uuid,
        request: &CorrectionRequest,
        context: &RequestContext,
    ) -> Result<CorrectionOutcome, StaffPaymentError> {
        let (staff, _) = self.member_of_fund(staff_id, request.member_id).await?;
        let reason = valid_reason(&request.reason)?;
        let sheet = sheet_detail(&self.db, request.sheet_id)
            .await?
            .filter(|s| {
                s.member_id == request.member_id
                    && s.caisse == staff.caisse_code
                    && s.state == SheetState::Payee
                    && s.payment_id == Some(request.payment_id)
            })
            .ok_or(StaffPaymentError::NotFound)?;
        let liquidation = sheet
            .liquidation
            .as_ref()
            .ok_or(StaffPaymentError::NotFound)?;
        let line = liquidation
            .lines
            .iter()
            .find(|l| l.liquidation.line_no == request.line_no)
            .ok_or(StaffPaymentError::NotFound)?;
        let payee = liquidation.totals.payee;
        let charged = line.liquidation.charged;
        if request.corrected > charged {
            return Err(StaffPaymentError::AboveCharged { charged });
        }

        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        let sender = corrections::lock_sheet(&txn, sheet.id, sheet.date_of_care)
            .await?
            .ok_or(StaffPaymentError::NotFound)?;
        let earlier = corrections::of_sheets(&txn, &[sheet.id]).await?;
        let of_line: Vec<&StoredCorrection> = earlier
            .iter()
            .filter(|c| c.line_no == request.line_no)
            .collect();
        if of_line
            .iter()
            .any(|c| c.status == CorrectionStatus::AValider)
        {
            return Err(StaffPaymentError::AlreadyWaiting);
        }
        let current = current_amount(
            &of_line,
            sheet.id,
            request.line_no,
            line_reimbursed(&line.liquidation),
        );
        if current != request.shown {
            return Err(StaffPaymentError::Stale { current });
        }
        let effect = CorrectionEffect::of(current, request.corrected)
            .ok_or(StaffPaymentError::NothingToCorrect)?;
        let waits = effect.needs_approval(self.settings.approval_above);
        let mut correction = StoredCorrection {
            id: Uuid::now_v7(),
            caisse: staff.caisse_code,
            member_id: request.member_id,
            sheet_id: sheet.id,
            date_of_care: sheet.date_of_care,
            line_no: request.line_no,
            payment_id: request.payment_id,
            payee,
            sender,
            old: current,
            new: request.corrected,
            reason: reason.to_owned(),
            status: if waits {
                CorrectionStatus::AValider
            } else {
                CorrectionStatus::Appliquee
            },
            requested_by: staff_id,
            requested_at: now,
            decided_by: None,
            decided_at: None,
            debt_id: None,
            complement: AmountCents::new(0),
            complement_payment_id: None,
        };
        let applied = if waits {
            Applied::default()
        } else {
            apply(&txn, &correction, effect, now).await?
        };
        correction.debt_id = applied.debt_id;
        correction.complement = applied.complement;
        corrections::insert(
            &txn,
            NewCorrection {
                id: correction.id,
                caisse: correction.caisse,
                member_id: correction.member_id,
                sheet_id: correction.sheet_id,
                date_of_care: correction.date_of_care,
                line_no: correction.line_no,
                payment_id: correction.payment_id,
                payee,
                sender: &correction.sender,
                old: correction.old,
                new: correction.new,
                reason,
                status: correction.status,
                requested_by: staff_id,
                debt_id: correction.debt_id,
                complement: correction.complement,
            },
            now,
        )
        .await?;
        audit_correction(
            &txn,
            context,
            staff_id,
            AuditAction::StaffLineCorrectionRequested,
            &correction,
            applied.sender_debt_id,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(if waits {
            CorrectionOutcome::Waiting(correction.id)
        } else {
            CorrectionOutcome::Applied(correction.id)
        })
    }

    /// Approves a correction waiting for approval: its debt or complement is recorded now.
    ///
    /// # Errors
    /// [`StaffPaymentError::NotFound`] for another fund's correction or none;
    /// [`StaffPaymentError::NotSupervisor`], [`StaffPaymentError::FourEyes`],
    /// [`StaffPaymentError::AlreadyDecided`], or [`StaffPaymentError::Stale`] when the line
    /// was corrected otherwise meanwhile (it still waits, to be refused).
    #[tracing::instrument(name = "staff_payments.approve", skip_all, fields(%staff_id, %correction_id))]
    pub async fn approve(
        &self,
        staff_id: Uuid,
        correction_id: Uuid,
        context: &RequestContext,
    ) -> Result<(), StaffPaymentError> {
        self.decide(staff_id, correction_id, true, context).await
    }

    /// Refuses a correction waiting for approval: nothing changes in money.
    ///
    /// # Errors
    /// As [`Self::approve`], without `Stale`.
    #[tracing::instrument(name = "staff_payments.refuse", skip_all, fields(%staff_id, %correction_id))]
    pub async fn refuse(
        &self,
        staff_id: Uuid,
        correction_id: Uuid,
        context: &RequestContext,
    ) -> Result<(), StaffPaymentError> {
        self.decide(staff_id, correction_id, false, context).await
    }

    async fn decide(
        &self,
        staff_id: Uuid,
        correction_id: Uuid,
        approve: bool,
        context: &RequestContext,
    ) -> Result<(), StaffPaymentError> {
        let staff = self.active_staff(staff_id).await?;
        let found = corrections::find(&self.db, correction_id)
            .await?
            .filter(|c| c.caisse == staff.caisse_code)
            .ok_or(StaffPaymentError::NotFound)?;
        supervisor_of(&staff, found.caisse)?;
        if found.requested_by == staff_id {
            return Err(StaffPaymentError::FourEyes);
        }
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        corrections::lock_sheet(&txn, found.sheet_id, found.date_of_care).await?;
        let mut correction = corrections::find(&txn, correction_id)
            .await?
            .ok_or(StaffPaymentError::NotFound)?;
        if correction.status != CorrectionStatus::AValider {
            return Err(StaffPaymentError::AlreadyDecided);
        }
        let (status, action, applied) = if approve {
            let earlier = corrections::of_sheets(&txn, &[correction.sheet_id]).await?;
            let of_line: Vec<&StoredCorrection> = earlier
                .iter()
                .filter(|c| c.line_no == correction.line_no)
                .collect();
            // Applied corrections of the line since this one was asked: it no longer
            // starts from the amount the line reimburses.
            let current = current_amount(
                &of_line,
                correction.sheet_id,
                correction.line_no,
                correction.old,
            );
            if current != correction.old {
                return Err(StaffPaymentError::Stale { current });
            }
            let effect = CorrectionEffect::of(correction.old, correction.new)
                .ok_or(StaffPaymentError::NothingToCorrect)?;
            let applied = apply(&txn, &correction, effect, now).await?;
            (
                CorrectionStatus::Appliquee,
                AuditAction::StaffLineCorrectionApproved,
                applied,
            )
        } else {
            (
                CorrectionStatus::Refusee,
                AuditAction::StaffLineCorrectionRefused,
                Applied::default(),
            )
        };
        if !corrections::decide(
            &txn,
            correction_id,
            status,
            staff_id,
            applied.debt_id,
            applied.complement,
            now,
        )
        .await?
        {
            return Err(StaffPaymentError::AlreadyDecided);
        }
        correction.status = status;
        correction.debt_id = applied.debt_id;
        correction.complement = applied.complement;
        audit_correction(
            &txn,
            context,
            staff_id,
            action,
            &correction,
            applied.sender_debt_id,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The fund's corrections waiting for approval, oldest first, for a supervisor (audited:
    /// the list names members).
    ///
    /// # Errors
    /// [`StaffPaymentError::NotSupervisor`] for an advisor; `NotFound` for no active staff.
    #[tracing::instrument(name = "staff_payments.waiting", skip_all, fields(%staff_id))]
    pub async fn waiting(
        &self,
        staff_id: Uuid,
        context: &RequestContext,
    ) -> Result<Vec<WaitingCorrection>, StaffPaymentError> {
        let staff = self.active_staff(staff_id).await?;
        supervisor_of(&staff, staff.caisse_code)?;
        let stored =
            corrections::waiting_of_fund(&self.db, staff.caisse_code, WAITING_SHOWN).await?;
        let member_ids: Vec<Uuid> = stored.iter().map(|c| c.member_id).collect();
        let views = self.describe(stored).await?;
        let mut waiting = Vec::with_capacity(views.len());
        for view in views {
            let member_name = members::find(&self.db, view.stored.member_id)
                .await?
                .map_or_else(String::new, |m| m.display_name());
            waiting.push(WaitingCorrection {
                correction: view,
                member_name,
            });
        }
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffMemberViewed,
            None,
            json!({ "view": "corrections_waiting", "members": member_ids }),
            self.clock.instant(),
        )
        .await?;
        Ok(waiting)
    }
}
