//! `/api/v1/payments`: « Mes paiements » for the mobile app, the same list (by month, whole
//! months a page, the same filters) and the same detail as the pages, with the French
//! explanation of every line. Another member's payment answers 404, like a missing one.

use axum::Json;
use axum::extract::State;
use caisse_core::claims::MemberPaymentEntry;
use caisse_core::claims::member_payments::{PaymentFilters, parse_before};
use caisse_core::claims::payment_detail::PaymentDetail;
use caisse_domain::claims::Payee;
use serde::{Deserialize, Serialize};
use time::Date;
use time::format_description::well_known::Iso8601;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ApiError;
use super::extract::{ApiMember, Path, Query};
use crate::state::AppState;

fn date(value: Date) -> String {
    value.format(&Iso8601::DATE).unwrap_or_default()
}

/// A payment in the list.
#[derive(Serialize, ToSchema)]
pub struct PaymentDto {
    id: Uuid,
    /// Payment day (`AAAA-MM-JJ`).
    day: String,
    /// `soins`, `indemnites_journalieres` or `professionnel`.
    kind: &'static str,
    /// « Soins », « Indemnités journalières » or « Paiement au professionnel ».
    kind_label: &'static str,
    /// Indemnités journalières are part of it (with care, when they joined the day's
    /// reimbursement).
    includes_ij: bool,
    /// `member`, `professional` or `employer`.
    payee: &'static str,
    /// The professional's or the employer's name; none for the member.
    payee_name: Option<String>,
    /// For the member's own payment, what was transferred; otherwise the member's share.
    amount_cents: i64,
}

/// The payments of one month.
#[derive(Serialize, ToSchema)]
pub struct PaymentMonthDto {
    /// `AAAA-MM`.
    #[schema(example = "2026-03")]
    month: String,
    /// The sum of the month's payments.
    total_cents: i64,
    payments: Vec<PaymentDto>,
}

/// A page of payments: whole months, newest first.
#[derive(Serialize, ToSchema)]
pub struct PaymentPageDto {
    months: Vec<PaymentMonthDto>,
    /// Pass it as `before` for the older payments; absent on the last page.
    #[schema(example = "2025-11-01")]
    before: Option<String>,
}

/// A liquidated line.
#[derive(Serialize, ToSchema)]
pub struct PaymentLineDto {
    /// The line's reference, to quote when reporting it.
    reference: String,
    /// The act, named.
    act: String,
    date_of_care: String,
    professional: String,
    /// Paid directly to the professional.
    tiers_payant: bool,
    charged_cents: i64,
    base_cents: i64,
    /// Basis points (7000 = 70 %).
    rate_bp: u16,
    reimbursed_cents: i64,
    /// « Pourquoi ce montant ? », sentence by sentence.
    explanation: Vec<String>,
}

/// The care of one beneficiary.
#[derive(Serialize, ToSchema)]
pub struct PaymentBeneficiaryDto {
    rank: u8,
    name: String,
    lines: Vec<PaymentLineDto>,
}

/// A participation forfaitaire or franchise deducted.
#[derive(Serialize, ToSchema)]
pub struct PaymentDeductionDto {
    beneficiary: String,
    label: &'static str,
    date_of_care: String,
    amount_cents: i64,
}

/// A beneficiary's deductions of the year against the cap.
#[derive(Serialize, ToSchema)]
pub struct PaymentCounterDto {
    beneficiary: String,
    /// `pf` or `franchises`.
    group: &'static str,
    year: i32,
    used_cents: i64,
    cap_cents: i64,
}

/// Indemnités journalières in the payment.
#[derive(Serialize, ToSchema)]
pub struct PaymentIjDto {
    from: String,
    to: String,
    days: u32,
    daily_gross_cents: i64,
    gross_cents: i64,
    csg_cents: i64,
    crds_cents: i64,
    net_cents: i64,
    /// `assure` or `employeur`.
    payee: &'static str,
}

/// A payment with its lines and their explanations.
#[derive(Serialize, ToSchema)]
pub struct PaymentDetailDto {
    payment: PaymentDto,
    /// Withheld from the member's own payment for their debts.
    recovered_cents: i64,
    /// In tiers payant: the participations and franchises the member still owes.
    member_owes_cents: i64,
    beneficiaries: Vec<PaymentBeneficiaryDto>,
    deductions: Vec<PaymentDeductionDto>,
    counters: Vec<PaymentCounterDto>,
    indemnites_journalieres: Vec<PaymentIjDto>,
}

/// Filters of the list; a value that does not read filters nothing.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentsQuery {
    /// A beneficiary's rank (1: the insured member).
    beneficiary: Option<String>,
    /// `soins`, `indemnites_journalieres` or `professionnel`.
    kind: Option<String>,
    /// `3m`, `6m`, `12m`, `24m` or `tout` (the default).
    period: Option<String>,
    /// The `before` of the previous page (`AAAA-MM-JJ`).
    before: Option<String>,
}

fn payee_code(payee: Payee) -> &'static str {
    payee.code()
}

fn entry_dto(entry: &MemberPaymentEntry) -> PaymentDto {
    PaymentDto {
        id: entry.id,
        day: date(entry.day),
        kind: entry.kind.code(),
        kind_label: entry.kind.label_fr(),
        includes_ij: entry.includes_ij,
        payee: payee_code(entry.payee),
        payee_name: (entry.payee != Payee::Member).then(|| entry.payee_name.clone()),
        amount_cents: entry.amount.cents(),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/payments",
    operation_id = "list_payments",
    tag = "paiements",
    security(("bearer" = [])),
    params(PaymentsQuery),
    responses(
        (status = 200, description = "The member's payments, by month", body = PaymentPageDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    member: ApiMember,
    Query(query): Query<PaymentsQuery>,
) -> Result<Json<PaymentPageDto>, ApiError> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let filters = PaymentFilters::parse(
        &text(&query.beneficiary),
        &text(&query.kind),
        &text(&query.period),
    );
    let before = parse_before(&text(&query.before));
    let page = state.payments.list(member.id, &filters, before).await?;
    Ok(Json(PaymentPageDto {
        months: page
            .months
            .iter()
            .map(|m| PaymentMonthDto {
                month: format!(
                    "{:04}-{:02}",
                    m.first_day.year(),
                    u8::from(m.first_day.month())
                ),
                total_cents: m.total.cents(),
                payments: m.payments.iter().map(entry_dto).collect(),
            })
            .collect(),
        before: page.older.map(date),
    }))
}

fn detail_dto(d: &PaymentDetail) -> PaymentDetailDto {
    PaymentDetailDto {
        payment: PaymentDto {
            id: d.head.id,
            day: date(d.head.day),
            kind: d.kind.code(),
            kind_label: d.kind.label_fr(),
            includes_ij: !d.ij.is_empty(),
            payee: payee_code(d.head.payee),
            payee_name: (d.head.payee != Payee::Member).then(|| d.head.payee_name.clone()),
            amount_cents: d.amount.cents(),
        },
        recovered_cents: if d.head.own {
            d.head.recovered.cents()
        } else {
            0
        },
        member_owes_cents: d.member_owes.cents(),
        beneficiaries: d
            .beneficiaries
            .iter()
            .map(|b| PaymentBeneficiaryDto {
                rank: b.rank,
                name: b.name.clone(),
                lines: b
                    .lines
                    .iter()
                    .map(|l| PaymentLineDto {
                        reference: l.reference(),
                        act: l.act.clone(),
                        date_of_care: date(l.date_of_care),
                        professional: l.professional.clone(),
                        tiers_payant: l.tiers_payant,
                        charged_cents: l.charged.cents(),
                        base_cents: l.base.cents(),
                        rate_bp: l.rate.get(),
                        reimbursed_cents: l.reimbursed.cents(),
                        explanation: l.explanation.clone(),
                    })
                    .collect(),
            })
            .collect(),
        deductions: d
            .deductions
            .iter()
            .map(|r| PaymentDeductionDto {
                beneficiary: r.beneficiary.clone(),
                label: r.kind.label_fr(),
                date_of_care: date(r.date_of_care),
                amount_cents: r.applied.cents(),
            })
            .collect(),
        counters: d
            .counters
            .iter()
            .map(|c| PaymentCounterDto {
                beneficiary: c.beneficiary.clone(),
                group: c.group.code(),
                year: c.year,
                used_cents: c.used.cents(),
                cap_cents: c.cap.cents(),
            })
            .collect(),
        indemnites_journalieres: d
            .ij
            .iter()
            .map(|p| PaymentIjDto {
                from: date(p.from),
                to: date(p.to),
                days: p.days,
                daily_gross_cents: p.daily.cents(),
                gross_cents: p.gross.cents(),
                csg_cents: p.csg.cents(),
                crds_cents: p.crds.cents(),
                net_cents: p.net.cents(),
                payee: p.payee.code(),
            })
            .collect(),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/payments/{id}",
    operation_id = "show_payment",
    tag = "paiements",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The payment")),
    responses(
        (status = 200, description = "The payment, its lines and why each amount", body = PaymentDetailDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such payment, or not the member's", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<Uuid>,
) -> Result<Json<PaymentDetailDto>, ApiError> {
    let detail = state
        .payments
        .detail(member.id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(detail_dto(&detail)))
}
