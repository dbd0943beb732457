//! « Mes paiements » (`/paiements`): the member's payments by month, newest first, with
//! each month's total, filters (beneficiary, kind, period) and pages of whole months; and
//! `/paiements/{id}`: one payment, its care by beneficiary with « Pourquoi ce montant ? »
//! under each line, the deductions and the year's counters, the indemnités journalières.
//! Each month and each payment link to the month's statement (`payment_documents`).
//! Another member's payment answers 404, like a missing one.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::claims::MemberPaymentEntry;
use caisse_core::claims::member_payments::{
    PaymentFilters, PaymentPeriod, PaymentsPage, parse_before,
};
use caisse_core::claims::payment_detail::{ComplementRow, LineCorrection, PaymentDetail};
use caisse_domain::AmountCents;
use caisse_domain::claims::{AnnualCapGroup, IjPayee, MemberPaymentKind, Payee};
use caisse_domain::french::{amount, letter_date, month_year, numeric_date};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::payment_documents::statement_href;
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{CurrentMember, urlencode};

const SECTION: &str = "paiements";

/// The objet and nature « Signaler un remboursement » opens « Nouveau message » with.
pub const REPORT_OBJET: &str = "remboursement.question";
/// See [`REPORT_OBJET`].
pub const REPORT_NATURE: &str = "signalement";

/// What the list's address may carry; values that do not read filter nothing.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    beneficiaire: Option<String>,
    nature: Option<String>,
    periode: Option<String>,
    /// `2026-03-01`: payments before that month's first day (the next page).
    avant: Option<String>,
}

/// The filters and the page a query names.
pub struct ListRequest {
    /// What to show.
    pub filters: PaymentFilters,
    /// Before which month.
    pub before: Option<Date>,
}

impl ListQuery {
    /// The filters it names; an unknown value is ignored (an old link, a typo).
    pub fn request(&self) -> ListRequest {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        ListRequest {
            filters: PaymentFilters::parse(
                &text(&self.beneficiaire),
                &text(&self.nature),
                &text(&self.periode),
            ),
            before: parse_before(&text(&self.avant)),
        }
    }
}

/// One payment of the list.
struct Row {
    href: String,
    date: String,
    payee: String,
    kind: &'static str,
    amount: String,
}

impl Row {
    fn of(entry: &MemberPaymentEntry) -> Row {
        Row {
            href: format!("/paiements/{}", entry.id),
            date: numeric_date(entry.day),
            payee: payee_fr(entry.payee, &entry.payee_name),
            kind: kind_fr(entry.kind, entry.includes_ij),
            amount: amount(entry.amount),
        }
    }
}

/// The kind as the member reads it: a reimbursement the day's IJ joined says both.
fn kind_fr(kind: MemberPaymentKind, includes_ij: bool) -> &'static str {
    kind.label_with_ij_fr(includes_ij)
}

/// « vous » for the member's own payment, else who was paid.
fn payee_fr(payee: Payee, name: &str) -> String {
    match payee {
        Payee::Member => "Vous".to_owned(),
        Payee::Professional | Payee::Employer => name.to_owned(),
    }
}

/// « mars 2026 ».
fn month_fr(day: Date) -> String {
    month_year(day)
}

struct MonthView {
    heading: String,
    total: String,
    rows: Vec<Row>,
    statement_href: String,
}

#[derive(Template)]
#[template(path = "payments/list.html")]
struct ListPage {
    layout: Layout,
    months: Vec<MonthView>,
    filtered: bool,
    beneficiaries: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    periods: Vec<(&'static str, &'static str)>,
    beneficiary: String,
    kind: String,
    period: String,
    older: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let request = query.request();
    let page = state
        .payments
        .list(member.id, &request.filters, request.before)
        .await?;
    let overview = state
        .people
        .member_overview(member.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let filters = request.filters;
    let beneficiary = filters.rank.map(|r| r.to_string()).unwrap_or_default();
    let kind = filters
        .kind
        .map(|k| k.code())
        .unwrap_or_default()
        .to_owned();
    let period = filters.period.code().to_owned();
    let PaymentsPage { months, older } = page;
    let older = older.map(|day| {
        format!(
            "/paiements?beneficiaire={}&nature={}&periode={}&avant={day}",
            urlencode(&beneficiary),
            urlencode(&kind),
            urlencode(&period),
        )
    });
    let view = ListPage {
        layout: Layout::new(
            &member.visitor,
            &state.config.brand,
            "Mes paiements",
            SECTION,
        ),
        months: months
            .iter()
            .map(|m| MonthView {
                heading: month_fr(m.first_day),
                total: amount(m.total),
                rows: m.payments.iter().map(Row::of).collect(),
                statement_href: statement_href(m.first_day),
            })
            .collect(),
        filtered: filters != PaymentFilters::default() || request.before.is_some(),
        beneficiaries: overview
            .beneficiaries
            .iter()
            .map(|b| (b.rank.to_string(), b.full_name.clone()))
            .collect(),
        kinds: MemberPaymentKind::ALL
            .iter()
            .map(|k| (k.code(), k.label_fr()))
            .collect(),
        periods: PaymentPeriod::ALL
            .iter()
            .map(|p| (p.code(), p.label_fr()))
            .collect(),
        beneficiary,
        kind,
        period,
        older,
    };
    Ok(render(&view)?.into_response())
}

struct LineView {
    act: String,
    date: String,
    professional: String,
    tiers_payant: bool,
    charged: String,
    base: String,
    rate: String,
    reimbursed: String,
    explanation: Vec<String>,
    report_href: String,
    correction: Option<String>,
}

struct BeneficiaryView {
    name: String,
    lines: Vec<LineView>,
}

struct DeductionView {
    beneficiary: String,
    label: &'static str,
    date: String,
    amount: String,
}

struct IjView {
    period: String,
    days: u32,
    daily: String,
    gross: String,
    withheld: String,
    net: String,
    payee: &'static str,
}

#[derive(Template)]
#[template(path = "payments/detail.html")]
struct DetailPage {
    layout: Layout,
    heading: String,
    kind: &'static str,
    payee: String,
    amount: String,
    recovered: Option<String>,
    professional: bool,
    member_owes: Option<String>,
    beneficiaries: Vec<BeneficiaryView>,
    deductions: Vec<DeductionView>,
    counters: Vec<String>,
    ij: Vec<IjView>,
    complements: Vec<String>,
    statement_href: String,
    statement_month: String,
}

/// A corrected line, in a sentence: the new amount, and how the difference is settled (in
/// tiers payant, between the fund and the professional: the member has nothing to do).
fn correction_fr(c: LineCorrection, tiers_payant: bool) -> String {
    let difference = AmountCents::new((c.new.cents() - c.old.cents()).abs());
    let settled = if c.new.cents() > c.old.cents() {
        format!(
            "le complément de {} est versé par un paiement suivant",
            amount(difference)
        )
    } else if tiers_payant {
        format!(
            "le trop-versé de {} est récupéré auprès du professionnel de santé",
            amount(difference)
        )
    } else {
        format!(
            "le trop-perçu de {} est déduit de vos prochains remboursements",
            amount(difference)
        )
    };
    format!(
        "Remboursement corrigé par votre caisse le {}\u{a0}: {} au lieu de {}\u{a0}; {settled}.",
        numeric_date(c.on),
        amount(c.new),
        amount(c.old)
    )
}

/// A complement this payment pays, in a sentence.
fn complement_fr(c: &ComplementRow) -> String {
    format!(
        "Soins du {}\u{a0}: {}, le remboursement ayant été corrigé de {} à {}.",
        numeric_date(c.date_of_care),
        amount(c.amount),
        amount(c.old),
        amount(c.new)
    )
}

/// The « Nouveau message » address that reports a line.
fn report_href(reference: &str, act: &str, date: &str) -> String {
    let subject = format!("Signalement d'un remboursement du {date}");
    let body = format!(
        "Je signale le remboursement suivant : {act}, soins du {date} (référence {reference}).\n\n"
    );
    format!(
        "/messagerie/nouveau?objet={}&nature={}&sujet={}&message={}",
        urlencode(REPORT_OBJET),
        urlencode(REPORT_NATURE),
        urlencode(&subject),
        urlencode(&body)
    )
}

fn counter_fr(group: AnnualCapGroup) -> &'static str {
    match group {
        AnnualCapGroup::ParticipationsForfaitaires => "participations forfaitaires",
        AnnualCapGroup::Franchises => "franchises médicales",
    }
}

fn detail_page(state: &AppState, member: &CurrentMember, d: PaymentDetail) -> DetailPage {
    let date = letter_date(d.head.day);
    DetailPage {
        layout: Layout::new(
            &member.visitor,
            &state.config.brand,
            format!("Paiement du {date}"),
            SECTION,
        ),
        heading: format!("Paiement du {date}"),
        statement_href: statement_href(d.head.day),
        statement_month: month_fr(d.head.day),
        kind: kind_fr(d.kind, !d.ij.is_empty()),
        payee: payee_fr(d.head.payee, &d.head.payee_name),
        amount: amount(d.amount),
        recovered: (d.head.own && d.head.recovered.cents() > 0).then(|| amount(d.head.recovered)),
        professional: d.head.payee == Payee::Professional,
        member_owes: (d.member_owes.cents() > 0).then(|| amount(d.member_owes)),
        beneficiaries: d
            .beneficiaries
            .iter()
            .map(|b| BeneficiaryView {
                name: b.name.clone(),
                lines: b
                    .lines
                    .iter()
                    .map(|l| {
                        let day = numeric_date(l.date_of_care);
                        LineView {
                            report_href: report_href(&l.reference(), &l.act, &day),
                            act: l.act.clone(),
                            date: day,
                            professional: l.professional.clone(),
                            tiers_payant: l.tiers_payant,
                            charged: amount(l.charged),
                            base: amount(l.base),
                            rate: l.rate.label_fr(),
                            reimbursed: amount(l.reimbursed),
                            explanation: l.explanation.clone(),
                            correction: l.correction.map(|c| correction_fr(c, l.tiers_payant)),
                        }
                    })
                    .collect(),
            })
            .collect(),
        deductions: d
            .deductions
            .iter()
            .map(|r| DeductionView {
                beneficiary: r.beneficiary.clone(),
                label: r.kind.label_fr(),
                date: numeric_date(r.date_of_care),
                amount: amount(r.applied),
            })
            .collect(),
        complements: d.complements.iter().map(complement_fr).collect(),
        counters: d
            .counters
            .iter()
            .map(|c| {
                format!(
                    "{} : {} sur le plafond annuel de {} ({} {}).",
                    c.beneficiary,
                    amount(c.used),
                    amount(c.cap),
                    counter_fr(c.group),
                    c.year
                )
            })
            .collect(),
        ij: d
            .ij
            .iter()
            .map(|p| IjView {
                period: format!("du {} au {}", numeric_date(p.from), numeric_date(p.to)),
                days: p.days,
                daily: amount(p.daily),
                gross: amount(p.gross),
                withheld: amount(caisse_domain::AmountCents::new(
                    p.csg.cents() + p.crds.cents(),
                )),
                net: amount(p.net),
                payee: match p.payee {
                    IjPayee::Member => "Versées sur votre compte",
                    IjPayee::Employer => "Versées à votre employeur (subrogation)",
                },
            })
            .collect(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let detail = state
        .payments
        .detail(member.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(render(&detail_page(&state, &member, detail))?.into_response())
}
