//! Back office, a member's payments: the latest beside a thread and on the account page
//! ([`RecentPayments`], `templates/back_office/payments_recent.html`), all of them at
//! `/agent/comptes/{id}/paiements`, and one payment at `…/paiements/{payment}` with its lines
//! by beneficiary, « Pourquoi ce montant ? », each line's corrections and the form to correct
//! or cancel it (`corrections.rs`). Every reading is audited and scoped to the staff member's
//! fund by `caisse_core::claims::staff_payments`.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::audit::RequestContext;
use caisse_core::claims::MemberPaymentEntry;
use caisse_core::claims::staff_payments::{
    CorrectionView, StaffPaymentError, StaffPaymentList, StaffPaymentView,
};
use caisse_domain::AmountCents;
use caisse_domain::claims::{CorrectionEffect, CorrectionStatus, Payee};
use caisse_domain::french::{amount, letter_date, numeric_date};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::{paris_fr, render};
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// Payments shown beside a thread and on the account page; the list page shows more.
pub const RECENT: u64 = 5;
/// Payments the list page shows at most.
pub const LISTED: u64 = 100;

/// The web answer of a refused reading or correction.
pub fn app_error(error: StaffPaymentError) -> AppError {
    match error {
        StaffPaymentError::NotFound => AppError::NotFound,
        StaffPaymentError::NotSupervisor => AppError::Forbidden,
        other => AppError::unexpected(other),
    }
}

/// One payment of a list.
pub struct PaymentRow {
    pub id: Uuid,
    pub date: String,
    pub payee: String,
    pub amount: String,
    pub kind: &'static str,
}

impl PaymentRow {
    fn of(entry: &MemberPaymentEntry) -> PaymentRow {
        PaymentRow {
            id: entry.id,
            date: numeric_date(entry.day),
            payee: payee_fr(entry.payee, &entry.payee_name),
            amount: amount(entry.amount),
            kind: entry.kind.label_fr(),
        }
    }
}

fn payee_fr(payee: Payee, name: &str) -> String {
    match payee {
        Payee::Member => format!("L'assuré ({name})"),
        Payee::Professional | Payee::Employer => name.to_owned(),
    }
}

/// The latest payments of a member, for a partial of a staff page.
pub struct RecentPayments {
    pub member_id: Uuid,
    pub rows: Vec<PaymentRow>,
    pub more: bool,
}

impl RecentPayments {
    fn of(list: &StaffPaymentList) -> RecentPayments {
        RecentPayments {
            member_id: list.member_id,
            rows: list.payments.iter().map(PaymentRow::of).collect(),
            more: list.more,
        }
    }

    /// The member's latest payments, if the member is of the staff member's fund (a thread
    /// transferred from another fund shows none).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn load(
        state: &AppState,
        staff: &CurrentStaff,
        member_id: Uuid,
        context: &RequestContext,
    ) -> Result<Option<RecentPayments>, AppError> {
        match state
            .staff_payments
            .list(staff.id, member_id, RECENT, context)
            .await
        {
            Ok(list) => Ok(Some(RecentPayments::of(&list))),
            Err(StaffPaymentError::NotFound) => Ok(None),
            Err(other) => Err(app_error(other)),
        }
    }
}

#[derive(Template)]
#[template(path = "back_office/payments_list.html")]
struct ListPage {
    layout: Layout,
    payments: RecentPayments,
}

/// `GET /agent/comptes/{id}/paiements`: the member's payments, newest first.
pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(member_id): Path<Uuid>,
) -> Result<Response, AppError> {
    let list = state
        .staff_payments
        .list(staff.id, member_id, LISTED, &context)
        .await
        .map_err(app_error)?;
    let page = ListPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Paiements de l'assuré",
            "agent-comptes",
        ),
        payments: RecentPayments::of(&list),
    };
    Ok(render(&page)?.into_response())
}

/// A correction of a line, as the page words it.
pub struct CorrectionRow {
    pub requested: String,
    pub old: String,
    pub new: String,
    pub reason: String,
    pub status: &'static str,
    pub waiting: bool,
    pub effect: String,
    pub decided: Option<String>,
}

impl CorrectionRow {
    /// The correction `c`, worded.
    pub fn of(c: &CorrectionView) -> CorrectionRow {
        let s = &c.stored;
        let professional = s.payee == Payee::Professional;
        let effect = match (c.effect(), s.status) {
            (_, CorrectionStatus::Refusee) => "Aucun : la correction est refusée.".to_owned(),
            (Some(CorrectionEffect::Overpayment(a)), CorrectionStatus::AValider)
                if professional =>
            {
                format!(
                    "Indu du professionnel de {}\u{a0}: sa dette sera créée une fois validée.",
                    amount(a)
                )
            }
            (Some(CorrectionEffect::Overpayment(a)), CorrectionStatus::AValider) => {
                format!(
                    "Trop-versé de {} : une dette de l'assuré sera créée une fois validée.",
                    amount(a)
                )
            }
            (Some(CorrectionEffect::Overpayment(a)), CorrectionStatus::Appliquee)
                if professional =>
            {
                sender_debt_fr(a, c)
            }
            (Some(CorrectionEffect::Overpayment(a)), CorrectionStatus::Appliquee) => format!(
                "Trop-versé de {} : dette de l'assuré, retenue sur ses prochains remboursements.",
                amount(a)
            ),
            (Some(CorrectionEffect::Complement(a)), CorrectionStatus::AValider) => format!(
                "Complément de {} : versé au prochain paiement une fois validé.",
                amount(a)
            ),
            (Some(CorrectionEffect::Complement(a)), CorrectionStatus::Appliquee) => {
                match c.complement_paid_on {
                    Some(day) => {
                        format!("Complément de {} versé le {}.", amount(a), letter_date(day))
                    }
                    None => format!("Complément de {} : versé au prochain paiement.", amount(a)),
                }
            }
            (None, _) => "Aucun.".to_owned(),
        };
        CorrectionRow {
            requested: format!("{}, {}", paris_fr(s.requested_at.get()), c.requested_by),
            old: amount(s.old),
            new: amount(s.new),
            reason: s.reason.clone(),
            status: s.status.label_fr(),
            waiting: s.status == CorrectionStatus::AValider,
            effect,
            decided: match (&c.decided_by, s.decided_at) {
                (Some(by), Some(at)) => Some(format!("{}, {by}", paris_fr(at.get()))),
                _ => None,
            },
        }
    }
}

/// The professional's debt an applied correction recorded: what is left to withhold from their
/// next payments, or that it is settled.
fn sender_debt_fr(overpaid: AmountCents, c: &CorrectionView) -> String {
    let Some(debt) = c.sender_debt.as_ref().filter(|d| d.recovered.cents() > 0) else {
        return format!(
            "Indu du professionnel\u{a0}: {} à récupérer sur ses prochains paiements.",
            amount(overpaid)
        );
    };
    match debt.settled_at {
        Some(at) => format!(
            "Indu du professionnel de {}\u{a0}: récupéré sur ses paiements (soldé le {}).",
            amount(debt.amount),
            letter_date(caisse_domain::paris_time::paris_time(at.get()).date())
        ),
        None => format!(
            "Indu du professionnel de {}\u{a0}: {} déjà retenus, {} à récupérer sur ses prochains paiements.",
            amount(debt.amount),
            amount(debt.recovered),
            amount(debt.left())
        ),
    }
}

/// One line of the payment, with its corrections and what it reimburses now.
struct LineRow {
    sheet_id: Uuid,
    line_no: usize,
    act: String,
    date: String,
    professional: String,
    tiers_payant: bool,
    charged: String,
    base: String,
    rate: String,
    reimbursed: String,
    current: String,
    current_cents: i64,
    corrected: bool,
    waiting: bool,
    explanation: Vec<String>,
    corrections: Vec<CorrectionRow>,
}

impl LineRow {
    /// The ids of its form fields.
    fn key(&self) -> String {
        format!("{}-{}", self.sheet_id, self.line_no)
    }
}

struct BeneficiaryRows {
    name: String,
    lines: Vec<LineRow>,
}

#[derive(Template)]
#[template(path = "back_office/payment_detail.html")]
struct DetailPage {
    layout: Layout,
    member_id: Uuid,
    member_name: String,
    payment_id: Uuid,
    heading: String,
    kind: &'static str,
    payee: String,
    amount: String,
    recovered: Option<String>,
    beneficiaries: Vec<BeneficiaryRows>,
    deductions: Vec<[String; 4]>,
    approval_above: String,
    done: Option<&'static str>,
    refused: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    /// The confirmation's code.
    #[serde(default)]
    pub fait: Option<String>,
    /// The refusal's code.
    #[serde(default)]
    pub refus: Option<String>,
}

/// The confirmation of a correction, by the code of the address.
fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "corrigee" => Some("La correction est appliquée."),
        "a-valider" => Some(
            "La correction dépasse le montant qu'un superviseur doit valider : elle attend sa validation, rien ne change d'ici là.",
        ),
        _ => None,
    }
}

/// Why a correction was refused, by the code of the address.
pub fn refusal_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "montant" => Some("Le montant corrigé n'est pas un montant en euros (par exemple 19,50)."),
        "motif" => Some("Indiquez le motif de la correction (1 000 caractères au plus)."),
        "identique" => Some("Le montant corrigé est celui déjà remboursé : rien n'est à corriger."),
        "au-dessus" => {
            Some("Le montant corrigé dépasse le montant payé par l'assuré pour cet acte.")
        }
        "en-attente" => {
            Some("Une correction de cette ligne attend déjà la validation d'un superviseur.")
        }
        "modifiee" => Some(
            "Le montant de la ligne a changé depuis l'affichage du formulaire (une autre correction) : rien n'a été fait. Vérifiez la ligne avant de recommencer.",
        ),
        "deja-decidee" => Some("Cette correction a déjà été validée ou refusée."),
        "quatre-yeux" => Some(
            "Une correction est validée ou refusée par un autre agent que celui qui l'a demandée.",
        ),
        _ => None,
    }
}

/// `GET /agent/comptes/{id}/paiements/{payment}`: the payment, its lines and corrections.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path((member_id, payment_id)): Path<(Uuid, Uuid)>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let view = state
        .staff_payments
        .detail(staff.id, member_id, payment_id, &context)
        .await
        .map_err(app_error)?;
    let page = detail_page(&state, &staff, &view, &query);
    Ok(render(&page)?.into_response())
}

fn detail_page(
    state: &AppState,
    staff: &CurrentStaff,
    view: &StaffPaymentView,
    query: &NoticeQuery,
) -> DetailPage {
    let d = &view.detail;
    let heading = format!("Paiement du {}", letter_date(d.head.day));
    DetailPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            heading.clone(),
            "agent-comptes",
        ),
        member_id: view.member_id,
        member_name: view.member_name.clone(),
        payment_id: d.head.id,
        heading,
        kind: d.kind.label_fr(),
        payee: payee_fr(d.head.payee, &d.head.payee_name),
        amount: amount(d.amount),
        recovered: (d.head.own && d.head.recovered.cents() > 0).then(|| amount(d.head.recovered)),
        beneficiaries: d
            .beneficiaries
            .iter()
            .map(|b| BeneficiaryRows {
                name: b.name.clone(),
                lines: b
                    .lines
                    .iter()
                    .map(|l| {
                        let current = view.current_amount(l.sheet_id, l.line_no, l.reimbursed);
                        LineRow {
                            sheet_id: l.sheet_id,
                            line_no: l.line_no,
                            act: l.act.clone(),
                            date: numeric_date(l.date_of_care),
                            professional: l.professional.clone(),
                            tiers_payant: l.tiers_payant,
                            charged: amount(l.charged),
                            base: amount(l.base),
                            rate: l.rate.label_fr(),
                            reimbursed: amount(l.reimbursed),
                            current: amount(current),
                            current_cents: current.cents(),
                            corrected: current != l.reimbursed,
                            waiting: view.waiting(l.sheet_id, l.line_no),
                            explanation: l.explanation.clone(),
                            corrections: view
                                .corrections_of(l.sheet_id, l.line_no)
                                .into_iter()
                                .map(CorrectionRow::of)
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        deductions: d
            .deductions
            .iter()
            .map(|r| {
                [
                    r.beneficiary.clone(),
                    r.kind.label_fr().to_owned(),
                    numeric_date(r.date_of_care),
                    amount(r.applied),
                ]
            })
            .collect(),
        approval_above: amount(state.staff_payments.approval_above()),
        done: done_message(query.fait.as_deref()),
        refused: refusal_message(query.refus.as_deref()),
    }
}
