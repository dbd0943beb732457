//! A member's payments and lines as advisors read them, beside a thread and on the member's
//! account page: the latest payments, and one payment with its lines by beneficiary (the
//! member's own reading, [`super::payment_detail`], with « Pourquoi ce montant ? » from the
//! domain's `explain_line`) and every correction of its lines. Each reading is scoped to the
//! staff member's fund (another fund's member or payment reads as a missing one) and audited.
//! Corrections themselves are in [`super::corrections`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use caisse_domain::claims::{CorrectionEffect, CorrectionStatus};
use caisse_domain::{AmountCents, AuditAction, CaisseCode, Instant, StaffRole};
use caisse_store::claims::corrections::{self, StoredCorrection};
use caisse_store::claims::member_payments::{self, MemberPaymentEntry, MemberPaymentFilter};
use caisse_store::claims::sender_debts::{self, SenderDebt};
use caisse_store::members::MemberRecord;
use caisse_store::staff::StaffMember;
use caisse_store::{ConnectionTrait, Db, members, staff};
use serde_json::json;
use time::Date;
use uuid::Uuid;

use super::payment_detail::{self, PaymentDetail};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::clock::Clock;

/// How corrections are approved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CorrectionSettings {
    /// A correction whose difference is above this waits for a supervisor.
    pub approval_above: AmountCents,
}

/// The approval amount of the configuration's default: 150 €.
pub const APPROVAL_ABOVE_CENTS: i64 = 15_000;

impl Default for CorrectionSettings {
    fn default() -> Self {
        CorrectionSettings {
            approval_above: AmountCents::new(APPROVAL_ABOVE_CENTS),
        }
    }
}

/// What a staff reading or correction of payments did not do.
#[derive(Debug, thiserror::Error)]
pub enum StaffPaymentError {
    /// No such member, payment, line or correction in the staff member's fund (missing or
    /// another fund's: one answer for both), or the staff account is not active.
    #[error("not found in the staff member's fund")]
    NotFound,
    /// Only a supervisor (or an administrator) approves or refuses a correction.
    #[error("only a supervisor decides a correction")]
    NotSupervisor,
    /// The one who asked for a correction cannot approve or refuse it.
    #[error("a correction is decided by another staff member than the one who asked")]
    FourEyes,
    /// The correction was decided already (a form sent twice).
    #[error("the correction was already decided")]
    AlreadyDecided,
    /// A correction of this line already waits for approval.
    #[error("a correction of this line already waits for approval")]
    AlreadyWaiting,
    /// The line's amount changed since the form was shown (a form sent twice, or a colleague's
    /// correction): nothing was done.
    #[error("the line's amount changed since the form was shown")]
    Stale {
        /// What the line reimburses now.
        current: AmountCents,
    },
    /// The corrected amount is the one paid.
    #[error("the corrected amount is the amount paid")]
    NothingToCorrect,
    /// The corrected amount is above what was charged.
    #[error("the corrected amount is above the amount charged")]
    AboveCharged {
        /// What was charged.
        charged: AmountCents,
    },
    /// The reason is empty or longer than [`REASON_MAX_CHARS`].
    #[error("the reason is missing or too long")]
    Reason,
    /// Unexpected.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for StaffPaymentError {
    fn from(error: caisse_store::StoreError) -> Self {
        StaffPaymentError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for StaffPaymentError {
    fn from(error: caisse_store::DbErr) -> Self {
        StaffPaymentError::Core(error.into())
    }
}

/// The longest reason kept, in characters.
pub const REASON_MAX_CHARS: usize = 1000;

/// The member's latest payments, for a staff page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffPaymentList {
    /// The member.
    pub member_id: Uuid,
    /// Their payments, newest first.
    pub payments: Vec<MemberPaymentEntry>,
    /// More are kept than shown.
    pub more: bool,
}

/// A correction as staff pages show it. `Debug` shows no reason.
#[derive(Clone, PartialEq, Eq)]
pub struct CorrectionView {
    /// The correction.
    pub stored: StoredCorrection,
    /// Who asked.
    pub requested_by: String,
    /// Who approved or refused it.
    pub decided_by: Option<String>,
    /// The day its complementary payment was made, if it was.
    pub complement_paid_on: Option<Date>,
    /// The professional's debt it recorded (tiers payant), with what was withheld of it.
    pub sender_debt: Option<SenderDebt>,
}

impl std::fmt::Debug for CorrectionView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorrectionView")
            .field("stored", &self.stored)
            .finish_non_exhaustive()
    }
}

impl CorrectionView {
    /// What the difference makes.
    pub fn effect(&self) -> Option<CorrectionEffect> {
        CorrectionEffect::of(self.stored.old, self.stored.new)
    }
}

/// A payment as an advisor reads it: the member's reading, and the corrections of its lines.
/// `Debug` shows no name.
#[derive(Clone, PartialEq, Eq)]
pub struct StaffPaymentView {
    /// The member.
    pub member_id: Uuid,
    /// « Sophie WEBER ».
    pub member_name: String,
    /// The payment as the member reads it.
    pub detail: PaymentDetail,
    /// Every correction of its lines, oldest first.
    pub corrections: Vec<CorrectionView>,
}

impl std::fmt::Debug for StaffPaymentView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffPaymentView")
            .field("member_id", &self.member_id)
            .field("detail", &self.detail)
            .field("corrections", &self.corrections)
            .finish_non_exhaustive()
    }
}

impl StaffPaymentView {
    /// The corrections of one line, oldest first.
    pub fn corrections_of(&self, sheet_id: Uuid, line_no: usize) -> Vec<&CorrectionView> {
        self.corrections
            .iter()
            .filter(|c| c.stored.sheet_id == sheet_id && c.stored.line_no == line_no)
            .collect()
    }

    /// What the line reimburses now: the last applied correction's amount, else the
    /// liquidation's.
    pub fn current_amount(
        &self,
        sheet_id: Uuid,
        line_no: usize,
        liquidated: AmountCents,
    ) -> AmountCents {
        current_amount(&self.corrections_stored(), sheet_id, line_no, liquidated)
    }

    /// A correction of the line waits for approval.
    pub fn waiting(&self, sheet_id: Uuid, line_no: usize) -> bool {
        self.corrections_of(sheet_id, line_no)
            .iter()
            .any(|c| c.stored.status == CorrectionStatus::AValider)
    }

    fn corrections_stored(&self) -> Vec<&StoredCorrection> {
        self.corrections.iter().map(|c| &c.stored).collect()
    }
}

/// What a line reimburses after the applied corrections among `corrections`.
pub(super) fn current_amount(
    corrections: &[&StoredCorrection],
    sheet_id: Uuid,
    line_no: usize,
    liquidated: AmountCents,
) -> AmountCents {
    corrections
        .iter()
        .filter(|c| {
            c.sheet_id == sheet_id
                && c.line_no == line_no
                && c.status == CorrectionStatus::Appliquee
        })
        .max_by_key(|c| (c.decided_at.unwrap_or(c.requested_at), c.requested_at, c.id))
        .map_or(liquidated, |c| c.new)
}

/// The payments, lines and corrections of the back office.
#[derive(Clone)]
pub struct StaffPayments {
    pub(super) db: Db,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) settings: CorrectionSettings,
}

impl StaffPayments {
    /// The service over `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, settings: CorrectionSettings) -> StaffPayments {
        StaffPayments {
            db,
            clock,
            settings,
        }
    }

    /// The amount above which a correction waits for a supervisor.
    pub fn approval_above(&self) -> AmountCents {
        self.settings.approval_above
    }

    /// The member's latest payments, at most `limit`, read by a staff member of their fund
    /// (audited).
    ///
    /// # Errors
    /// [`StaffPaymentError::NotFound`] for a member of another fund or none.
    #[tracing::instrument(name = "staff_payments.list", skip_all, fields(%staff_id, %member_id))]
    pub async fn list(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
        limit: u64,
        context: &RequestContext,
    ) -> Result<StaffPaymentList, StaffPaymentError> {
        let (_, _member) = self.member_of_fund(staff_id, member_id).await?;
        let mut payments = member_payments::entries(
            &self.db,
            member_id,
            &MemberPaymentFilter::default(),
            Some(limit + 1),
        )
        .await?;
        let more = payments.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        payments.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        self.audit_view(
            staff_id,
            member_id,
            json!({ "view": "payments", "shown": payments.len() }),
            context,
        )
        .await?;
        Ok(StaffPaymentList {
            member_id,
            payments,
            more,
        })
    }

    /// One payment of the member with its lines and their corrections (audited).
    ///
    /// # Errors
    /// [`StaffPaymentError::NotFound`] for a member of another fund, or a payment that is not
    /// theirs.
    #[tracing::instrument(name = "staff_payments.detail", skip_all, fields(%staff_id, %member_id, %payment_id))]
    pub async fn detail(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
        payment_id: Uuid,
        context: &RequestContext,
    ) -> Result<StaffPaymentView, StaffPaymentError> {
        let (_, member) = self.member_of_fund(staff_id, member_id).await?;
        let view = self.view(member_id, &member, payment_id).await?;
        self.audit_view(
            staff_id,
            member_id,
            json!({ "view": "payment", "payment_id": payment_id }),
            context,
        )
        .await?;
        Ok(view)
    }

    /// The payment with its corrections, unaudited (the caller audits).
    pub(super) async fn view(
        &self,
        member_id: Uuid,
        member: &MemberRecord,
        payment_id: Uuid,
    ) -> Result<StaffPaymentView, StaffPaymentError> {
        let detail = payment_detail::read(&self.db, member_id, payment_id)
            .await?
            .ok_or(StaffPaymentError::NotFound)?;
        let sheet_ids: Vec<Uuid> = detail
            .beneficiaries
            .iter()
            .flat_map(|b| b.lines.iter().map(|l| l.sheet_id))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let stored = corrections::of_sheets(&self.db, &sheet_ids).await?;
        let corrections = self.describe(stored).await?;
        Ok(StaffPaymentView {
            member_id,
            member_name: member.display_name(),
            detail,
            corrections,
        })
    }

    /// Corrections with the names of who asked and decided, their complement's day and the
    /// professional's debt they recorded.
    pub(super) async fn describe(
        &self,
        stored: Vec<StoredCorrection>,
    ) -> Result<Vec<CorrectionView>, StaffPaymentError> {
        let ids: Vec<Uuid> = stored
            .iter()
            .flat_map(|c| std::iter::once(c.requested_by).chain(c.decided_by))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let names: HashMap<Uuid, String> = staff::by_ids(&self.db, &ids)
            .await?
            .into_iter()
            .map(|s| (s.id, s.display_name))
            .collect();
        let paid: Vec<Uuid> = stored
            .iter()
            .filter_map(|c| c.complement_payment_id)
            .collect();
        let days: HashMap<Uuid, Date> = corrections::payment_days(&self.db, &paid)
            .await?
            .into_iter()
            .collect();
        let correction_ids: Vec<Uuid> = stored.iter().map(|c| c.id).collect();
        let mut debts = sender_debts::of_corrections(&self.db, &correction_ids).await?;
        let name = |id: Uuid| {
            names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "Agent inconnu".to_owned())
        };
        Ok(stored
            .into_iter()
            .map(|c| CorrectionView {
                requested_by: name(c.requested_by),
                decided_by: c.decided_by.map(name),
                complement_paid_on: c
                    .complement_payment_id
                    .and_then(|id| days.get(&id).copied()),
                sender_debt: debts.remove(&c.id),
                stored: c,
            })
            .collect())
    }

    /// The active staff member and the member of their fund.
    pub(super) async fn member_of_fund(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
    ) -> Result<(StaffMember, MemberRecord), StaffPaymentError> {
        let staff = self.active_staff(staff_id).await?;
        let member = members::find(&self.db, member_id)
            .await?
            .filter(|m| m.caisse_code == staff.caisse_code)
            .ok_or(StaffPaymentError::NotFound)?;
        Ok((staff, member))
    }

    /// The active staff member `staff_id`.
    pub(super) async fn active_staff(
        &self,
        staff_id: Uuid,
    ) -> Result<StaffMember, StaffPaymentError> {
        staff::find(&self.db, staff_id)
            .await?
            .filter(|s| s.active)
            .ok_or(StaffPaymentError::NotFound)
    }

    async fn audit_view(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
        details: serde_json::Value,
        context: &RequestContext,
    ) -> Result<(), StaffPaymentError> {
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffMemberViewed,
            Some(("member", member_id)),
            details,
            self.clock.instant(),
        )
        .await?;
        Ok(())
    }
}

/// A supervisor (or administrator) of `caisse`, else the error a staff route shows.
pub(super) fn supervisor_of(
    staff: &StaffMember,
    caisse: CaisseCode,
) -> Result<(), StaffPaymentError> {
    if staff.caisse_code != caisse {
        return Err(StaffPaymentError::NotFound);
    }
    if staff.role < StaffRole::Superviseur {
        return Err(StaffPaymentError::NotSupervisor);
    }
    Ok(())
}

/// Records an audit event of a correction, in its transaction, with the debt it recorded (the
/// member's, or the professional's `sender_debt`).
pub(super) async fn audit_correction<C: ConnectionTrait>(
    db: &C,
    context: &RequestContext,
    staff_id: Uuid,
    action: AuditAction,
    correction: &StoredCorrection,
    sender_debt: Option<Uuid>,
    now: Instant,
) -> Result<(), StaffPaymentError> {
    audit::record(
        db,
        context,
        Actor::Staff(staff_id),
        action,
        Some(("member", correction.member_id)),
        json!({
            "correction_id": correction.id,
            "sheet_id": correction.sheet_id,
            "line_no": correction.line_no,
            "payment_id": correction.payment_id,
            "old_cents": correction.old.cents(),
            "new_cents": correction.new.cents(),
            "payee": correction.payee.code(),
            "debt_id": correction.debt_id,
            "sender_debt_id": sender_debt,
            "complement_cents": correction.complement.cents(),
        }),
        now,
    )
    .await?;
    Ok(())
}
