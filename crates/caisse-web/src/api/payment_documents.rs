//! The payment documents as PDFs for the mobile app, the same as the pages':
//! `/api/v1/payments/statements/{year}/{month}` (the monthly statement),
//! `/api/v1/payments/ij-attestation?from=&to=` (the attestation de paiement des indemnités
//! journalières) and `/api/v1/payments/ij-tax-statements/{year}` (their relevé fiscal). A date
//! that does not read is a 400, a period the core refuses a 422 with its French message, and a
//! period with nothing of the member's a 404, like another member's.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use caisse_core::claims::documents::{DocumentError, PaymentDocument, parse_day};
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiError;
use super::extract::{ApiMember, Path, Query};
use crate::state::AppState;

fn refusal(error: DocumentError) -> ApiError {
    match error {
        DocumentError::Period(problem) => ApiError::with(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_period",
            "Unprocessable Content",
            problem.message_fr(),
        ),
        DocumentError::Nothing => ApiError::not_found(),
        DocumentError::Core(error) => ApiError::unexpected(error),
    }
}

fn download(result: Result<PaymentDocument, DocumentError>) -> Result<Response, ApiError> {
    let document = result.map_err(refusal)?;
    Ok(crate::pages::pdf_download(
        &document.file_name,
        document.pdf,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/payments/statements/{year}/{month}",
    tag = "paiements",
    security(("bearer" = [])),
    params(
        ("year" = i32, Path, minimum = 2000, maximum = 9999, description = "The year, from 2000"),
        ("month" = u8, Path, minimum = 1, maximum = 12, description = "The month, 1 to 12"),
    ),
    responses(
        (status = 200, description = "The monthly statement of reimbursements, a tagged PDF (`Content-Disposition: attachment`): every line paid that month by beneficiary, the deductions, the indemnités journalières and the totals", content_type = "application/pdf", body = super::schemas::PdfFile),
        (status = 400, description = "The year or the month is not a number", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "Nothing was paid for the member that month", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "No such month, one not begun, or before 2000", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn statement(
    State(state): State<AppState>,
    member: ApiMember,
    Path((year, month)): Path<(i32, u8)>,
) -> Result<Response, ApiError> {
    download(
        state
            .payment_documents
            .monthly_statement(member.id, year, month)
            .await,
    )
}

/// The period of the attestation: the days the IJ were paid, both included.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day (`AAAA-MM-JJ`).
    #[param(required = true, value_type = String, format = Date)]
    from: Option<String>,
    /// Last day (`AAAA-MM-JJ`), today at the latest.
    #[param(required = true, value_type = String, format = Date)]
    to: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/payments/ij-attestation",
    tag = "paiements",
    security(("bearer" = [])),
    params(PeriodQuery),
    responses(
        (status = 200, description = "The attestation de paiement des indemnités journalières paid in the period, a tagged PDF (`Content-Disposition: attachment`)", content_type = "application/pdf", body = super::schemas::PdfFile),
        (status = 400, description = "`from` or `to` missing or not a date", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No indemnités journalières paid to the member in the period", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "`from` after `to`, or `to` after today", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn ij_attestation(
    State(state): State<AppState>,
    member: ApiMember,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let day = |value: &Option<String>| value.as_deref().and_then(parse_day);
    let (Some(from), Some(to)) = (day(&query.from), day(&query.to)) else {
        return Err(ApiError::bad_request(
            "Indiquez les dates « from » et « to » au format AAAA-MM-JJ.",
        ));
    };
    download(
        state
            .payment_documents
            .ij_attestation(member.id, from, to)
            .await,
    )
}

#[utoipa::path(
    get,
    path = "/api/v1/payments/ij-tax-statements/{year}",
    tag = "paiements",
    security(("bearer" = [])),
    params(("year" = i32, Path, minimum = 2000, maximum = 9999, description = "The civil year of the payments, from 2000")),
    responses(
        (status = 200, description = "The relevé fiscal of the indemnités journalières paid that year (net taxable amounts by kind), a tagged PDF (`Content-Disposition: attachment`)", content_type = "application/pdf", body = super::schemas::PdfFile),
        (status = 400, description = "The year is not a number", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No indemnités journalières paid to the member that year", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "A year not begun, or before 2000", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn ij_tax_statement(
    State(state): State<AppState>,
    member: ApiMember,
    Path(year): Path<i32>,
) -> Result<Response, ApiError> {
    download(
        state
            .payment_documents
            .ij_tax_statement(member.id, year)
            .await,
    )
}
