//! `GET /api/v1/debts` and `GET /api/v1/debts/{id}`: the member's debts (« Sommes à payer »)
//! for the app, as the pages show them. Another member's debt is a 404, like a missing one.

use axum::Json;
use axum::extract::State;
use caisse_core::debts::{DebtDetail, DebtError, DebtSummary, PaymentChannel};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::ApiError;
use super::extract::{ApiMember, Path};
use super::me::iso_date;
use crate::state::AppState;

/// A debt in the list.
#[derive(Serialize, ToSchema)]
pub struct DebtDto {
    id: Uuid,
    /// The day of the care it comes from (`2026-03-02`).
    date_of_care: String,
    /// What was owed at the start, in cents.
    amount_cents: i64,
    /// What is left to pay, in cents.
    left_cents: i64,
    /// `open` (recovered from the next reimbursements), `contested` (recovery paused while
    /// the réclamation is open) or `settled`.
    #[schema(example = "open")]
    state: &'static str,
}

impl From<&DebtSummary> for DebtDto {
    fn from(debt: &DebtSummary) -> Self {
        DebtDto {
            id: debt.id,
            date_of_care: iso_date(debt.date_of_care),
            amount_cents: debt.amount.cents(),
            left_cents: debt.left.cents(),
            state: debt.state.code(),
        }
    }
}

/// The member's debts, newest first.
#[derive(Serialize, ToSchema)]
pub struct DebtListDto {
    debts: Vec<DebtDto>,
}

/// What was withheld from a reimbursement, or paid by the member.
#[derive(Serialize, ToSchema)]
pub struct DebtMovementDto {
    /// `recovery` (withheld from a reimbursement), `transfer` or `card`.
    #[schema(example = "recovery")]
    kind: &'static str,
    /// The day.
    date: String,
    amount_cents: i64,
}

/// A participation or franchise deducted on the care sheet.
#[derive(Serialize, ToSchema)]
pub struct DeductionDto {
    /// French label (« Participation forfaitaire »…).
    label: &'static str,
    amount_cents: i64,
}

/// How to pay by transfer.
#[derive(Serialize, ToSchema)]
pub struct TransferDto {
    holder: String,
    iban: String,
    bic: String,
}

/// One debt.
#[derive(Serialize, ToSchema)]
pub struct DebtDetailDto {
    #[serde(flatten)]
    debt: DebtDto,
    /// The ISO 11649 creditor reference to quote in a transfer (`RF…`).
    reference: String,
    /// Who billed the care.
    professional: Option<String>,
    deductions: Vec<DeductionDto>,
    /// Withholdings and payments, oldest first.
    movements: Vec<DebtMovementDto>,
    /// The day of the *avis de sommes à payer*, once sent.
    noticed_on: Option<String>,
    /// The last day to pay, once the *avis* is sent.
    deadline: Option<String>,
    /// The réclamation thread contesting the debt, if any.
    contest_thread_id: Option<Uuid>,
    /// The fund's account for transfers, when it accepts them.
    transfer: Option<TransferDto>,
}

fn detail_dto(detail: DebtDetail) -> DebtDetailDto {
    let mut movements: Vec<DebtMovementDto> = detail
        .recoveries
        .iter()
        .map(|r| DebtMovementDto {
            kind: "recovery",
            date: iso_date(r.recovered_at.get().date()),
            amount_cents: r.amount.cents(),
        })
        .chain(detail.payments.iter().map(|p| DebtMovementDto {
            kind: match p.channel {
                PaymentChannel::Transfer => "transfer",
                PaymentChannel::Card => "card",
            },
            date: iso_date(p.paid_on),
            amount_cents: p.amount.cents(),
        }))
        .collect();
    movements.sort_by(|a, b| a.date.cmp(&b.date));
    DebtDetailDto {
        debt: DebtDto::from(&detail.summary),
        reference: detail.reference.as_str().to_owned(),
        professional: detail.origin.as_ref().map(|o| o.professional.clone()),
        deductions: detail
            .origin
            .iter()
            .flat_map(|o| &o.deductions)
            .map(|(kind, amount)| DeductionDto {
                label: kind.label_fr(),
                amount_cents: amount.cents(),
            })
            .collect(),
        movements,
        noticed_on: detail.noticed_on.map(iso_date),
        deadline: detail.deadline.map(iso_date),
        contest_thread_id: detail.contest.map(|c| c.thread_id),
        transfer: detail.account.map(|a| TransferDto {
            holder: a.holder,
            iban: a.iban.as_str().to_owned(),
            bic: a.bic.as_str().to_owned(),
        }),
    }
}

fn refusal(error: DebtError) -> ApiError {
    match error {
        DebtError::NotFound => ApiError::not_found(),
        other => ApiError::unexpected(other),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/debts",
    operation_id = "list_debts",
    tag = "sommes à payer",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The member's debts, newest first", body = DebtListDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    member: ApiMember,
) -> Result<Json<DebtListDto>, ApiError> {
    let debts = state.debts.list(member.id).await.map_err(refusal)?;
    Ok(Json(DebtListDto {
        debts: debts.iter().map(DebtDto::from).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/debts/{id}",
    operation_id = "show_debt",
    tag = "sommes à payer",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Debt id")),
    responses(
        (status = 200, description = "The debt: why, what was withheld or paid, how to pay", body = DebtDetailDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such debt for this member", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<Uuid>,
) -> Result<Json<DebtDetailDto>, ApiError> {
    let detail = state.debts.detail(member.id, id).await.map_err(refusal)?;
    Ok(Json(detail_dto(detail)))
}
