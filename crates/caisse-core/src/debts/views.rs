//! A member's debts as their pages and the API show them: the list, and one debt with why it
//! is owed (the care sheet and its deductions, or the back office's correction of a line paid
//! too much), what was withheld or paid, its contest, its
//! deadline and how to pay.

use std::collections::BTreeMap;

use caisse_domain::claims::{DeductionKind, ProfessionalId};
use caisse_domain::messaging::ThreadStatus;
use caisse_domain::{AmountCents, CreditorReference, Instant};
use caisse_store::claims::corrections;
use caisse_store::claims::debt_payments::{self, DebtPayment, Recovery};
use caisse_store::claims::debts::{self, Debt};
use caisse_store::claims::senders;
use caisse_store::messaging;
use time::Date;
use uuid::Uuid;

use super::{DAYS_TO_PAY_AFTER_NOTICE, DebtError, DebtService, FundAccount};
use crate::claims::statements;

/// Where a debt stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DebtState {
    /// Something is left, recovered from the next reimbursements.
    Open,
    /// Something is left, but the member contests it: recovery waits for the answer.
    Contested,
    /// Nothing is left.
    Settled,
}

impl DebtState {
    /// The stable code of the API.
    pub fn code(self) -> &'static str {
        match self {
            DebtState::Open => "open",
            DebtState::Contested => "contested",
            DebtState::Settled => "settled",
        }
    }

    /// The French label of the pages.
    pub fn label_fr(self) -> &'static str {
        match self {
            DebtState::Open => "À régler",
            DebtState::Contested => "Contestée",
            DebtState::Settled => "Réglée",
        }
    }
}

/// A debt in the member's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebtSummary {
    /// Id.
    pub id: Uuid,
    /// The day of the care it comes from.
    pub date_of_care: Date,
    /// What was owed at the start.
    pub amount: AmountCents,
    /// What is left.
    pub left: AmountCents,
    /// Where it stands.
    pub state: DebtState,
    /// When it was recorded.
    pub created_at: Instant,
}

/// The care a debt comes from. `Debug` names nothing: the care is health data.
#[derive(Clone, PartialEq, Eq)]
pub struct CareOrigin {
    /// The care sheet.
    pub sheet_id: Uuid,
    /// The day of care.
    pub date_of_care: Date,
    /// Who billed it: the name its software gave, else its number.
    pub professional: String,
    /// Paid to the professional (tiers payant): nothing reimbursed to withhold from.
    pub tiers_payant: bool,
    /// The participations and franchises deducted on the sheet, summed by kind.
    pub deductions: Vec<(DeductionKind, AmountCents)>,
}

impl std::fmt::Debug for CareOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CareOrigin")
            .field("sheet_id", &self.sheet_id)
            .finish_non_exhaustive()
    }
}

/// The contest of a debt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contest {
    /// The réclamation thread.
    pub thread_id: Uuid,
    /// Its reference (`M-2026-…`).
    pub reference: String,
    /// Whether the fund has not answered it yet (recovery waits while it is open).
    pub open: bool,
}

/// One debt, as its page shows it.
#[derive(Clone, Debug)]
pub struct DebtDetail {
    /// What the list shows.
    pub summary: DebtSummary,
    /// The reference a transfer quotes.
    pub reference: CreditorReference,
    /// Why it is owed.
    pub origin: Option<CareOrigin>,
    /// When the back office corrected a paid line downwards: what the line had reimbursed and
    /// what it should have (the debt is the difference, paid too much).
    pub overpayment: Option<(AmountCents, AmountCents)>,
    /// What reimbursements withheld, oldest first.
    pub recoveries: Vec<Recovery>,
    /// What the member paid by transfer or card, oldest first.
    pub payments: Vec<DebtPayment>,
    /// Its contest, if any.
    pub contest: Option<Contest>,
    /// The day of the *avis de sommes à payer*, once sent.
    pub noticed_on: Option<Date>,
    /// The day an *avis* is sent if the debt is still open then (before one was sent).
    pub notice_expected_on: Date,
    /// The last day to pay, once the *avis* is sent.
    pub deadline: Option<Date>,
    /// The fund's account, when transfers are accepted.
    pub account: Option<FundAccount>,
    /// Whether the member may pay by card.
    pub card: bool,
}

fn state_of(debt: &Debt, contest: Option<&Contest>) -> DebtState {
    if debt.settled_at.is_some() || debt.left().cents() == 0 {
        DebtState::Settled
    } else if contest.is_some_and(|c| c.open) {
        DebtState::Contested
    } else {
        DebtState::Open
    }
}

fn summary(debt: &Debt, state: DebtState) -> DebtSummary {
    DebtSummary {
        id: debt.id,
        date_of_care: debt.date_of_care,
        amount: debt.amount,
        left: debt.left(),
        state,
        created_at: debt.created_at,
    }
}

impl DebtService {
    /// Every debt of the member, newest first.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "debts.list", skip_all, fields(%member_id))]
    pub async fn list(&self, member_id: Uuid) -> Result<Vec<DebtSummary>, DebtError> {
        let all = debts::all_of(&self.db, member_id).await?;
        let mut list = Vec::with_capacity(all.len());
        for debt in &all {
            let contest = self.contest_of(member_id, debt).await?;
            list.push(summary(debt, state_of(debt, contest.as_ref())));
        }
        Ok(list)
    }

    /// One debt of the member, a reference given to it if it had none.
    ///
    /// # Errors
    /// `NotFound` for a missing id or another member's debt; `Core` when the database fails.
    #[tracing::instrument(name = "debts.detail", skip_all, fields(%member_id, %debt_id))]
    pub async fn detail(&self, member_id: Uuid, debt_id: Uuid) -> Result<DebtDetail, DebtError> {
        let debt = self.own_debt(member_id, debt_id).await?;
        let contest = self.contest_of(member_id, &debt).await?;
        let Some(reference) = debt.reference.clone() else {
            return Err(DebtError::NotFound);
        };
        let noticed_on = debt.notice_at.map(|at| at.get().date());
        Ok(DebtDetail {
            summary: summary(&debt, state_of(&debt, contest.as_ref())),
            reference,
            origin: self.origin(&debt).await?,
            overpayment: corrections::of_debt(&self.db, debt.id)
                .await?
                .map(|c| (c.old, c.new)),
            recoveries: debt_payments::recoveries(&self.db, debt.id).await?,
            payments: debt_payments::payments(&self.db, debt.id).await?,
            contest,
            noticed_on,
            notice_expected_on: (debt.created_at.get() + self.settings.notice_after).date(),
            deadline: noticed_on
                .map(|day| day.saturating_add(time::Duration::days(DAYS_TO_PAY_AFTER_NOTICE))),
            account: self.settings.account.clone(),
            card: self.card_payments(),
        })
    }

    /// The member's debt `debt_id`, with a reference (given now to an older debt).
    pub(super) async fn own_debt(&self, member_id: Uuid, debt_id: Uuid) -> Result<Debt, DebtError> {
        let found = debt_payments::of_member(&self.db, member_id, debt_id).await?;
        match found {
            Some(debt) if debt.reference.is_some() => Ok(debt),
            Some(_) => {
                debt_payments::assign_reference(&self.db, debt_id).await?;
                debt_payments::of_member(&self.db, member_id, debt_id)
                    .await?
                    .ok_or(DebtError::NotFound)
            }
            None => Err(DebtError::NotFound),
        }
    }

    pub(super) async fn contest_of(
        &self,
        member_id: Uuid,
        debt: &Debt,
    ) -> Result<Option<Contest>, DebtError> {
        let Some(thread_id) = debt.contest_thread_id else {
            return Ok(None);
        };
        Ok(messaging::member_thread(&self.db, member_id, thread_id)
            .await?
            .map(|thread| Contest {
                thread_id,
                reference: thread.reference,
                open: thread.status != ThreadStatus::Traite,
            }))
    }

    async fn origin(&self, debt: &Debt) -> Result<Option<CareOrigin>, DebtError> {
        let Some(sheet) = statements::sheet_detail(&self.db, debt.sheet_id).await? else {
            return Ok(None);
        };
        let mut deductions: BTreeMap<&'static str, (DeductionKind, i64)> = BTreeMap::new();
        for line in sheet.liquidation.iter().flat_map(|l| &l.lines) {
            if let Some(deduction) = line.liquidation.deduction
                && deduction.applied.cents() > 0
            {
                let entry = deductions
                    .entry(deduction.kind.code())
                    .or_insert((deduction.kind, 0));
                entry.1 += deduction.applied.cents();
            }
        }
        Ok(Some(CareOrigin {
            sheet_id: sheet.id,
            date_of_care: sheet.date_of_care,
            tiers_payant: sheet.tiers_payant,
            professional: self.professional_name(debt, &sheet.professional).await?,
            deductions: deductions
                .into_values()
                .map(|(kind, cents)| (kind, AmountCents::new(cents)))
                .collect(),
        }))
    }

    async fn professional_name(
        &self,
        debt: &Debt,
        professional: &ProfessionalId,
    ) -> Result<String, DebtError> {
        Ok(senders::newest(&self.db, debt.caisse, professional)
            .await?
            .map_or_else(|| format!("n° {}", professional.as_str()), |s| s.name))
    }
}
