//! `POST /api/v1/claims/lots`: a lot of care sheets from professionals' software, in JSON
//! Lines or CSV (`docs/claims-format.md`), authenticated by the sender's key.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use caisse_core::claims::ClaimSender;
use caisse_core::claims::import::ImportOutcome;
use caisse_core::claims::ingest::{Format, Refusal};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiError;
use super::extract::bearer_in;
use crate::state::AppState;

/// The largest lot the API takes; larger files go through `caisse admin import-claims`,
/// which streams them.
pub const MAX_LOT_BYTES: usize = 64 * 1024 * 1024;

/// One problem of a malformed lot.
#[derive(Debug, Serialize, ToSchema)]
pub struct LotProblem {
    /// The line of the file.
    pub(super) line: u64,
    /// What is wrong, in French.
    pub(super) message: String,
}

/// 422: the lot is malformed and nothing was imported: the problem document with the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct LotRefusal {
    #[serde(flatten)]
    problem: ApiError,
    /// Every problem found (the first 100), in line order.
    errors: Vec<LotProblem>,
    /// Problems found beyond those.
    more: u64,
}

/// Reads `Content-Type`: JSON Lines or CSV, else detected from the first character.
pub(super) fn format(headers: &HeaderMap) -> Option<Format> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = content_type.split(';').next()?.trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" => {
            Some(Format::JsonLines)
        }
        "text/csv" => Some(Format::Csv),
        _ => None,
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/lots",
    operation_id = "submit_lot",
    tag = "feuilles de soins",
    request_body(
        content(
            (String = "application/jsonl"),
            (String = "text/csv"),
        ),
        description = "A lot: JSON Lines (`application/jsonl`) or CSV (`text/csv`), UTF-8, at most 64 MiB; see docs/claims-format.md",
    ),
    security(("sender_key" = [])),
    responses(
        (status = 201, description = "Accepted: the acknowledgement, with each rejected sheet and its reason", body = AcknowledgementDoc),
        (status = 200, description = "This lot (same sender and number) was accepted before: the same acknowledgement", body = AcknowledgementDoc),
        (status = 401, description = "No live sender key", body = super::ApiError, content_type = "application/problem+json"),
        (status = 403, description = "The lot's sender is not the key's", body = super::ApiError, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 64 MiB", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "Malformed: refused whole, every problem listed by line", body = LotRefusal, content_type = "application/problem+json"),
    )
)]
pub async fn submit(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    match submit_lot(&state, &headers, &body).await {
        Ok(response) | Err(response) => response,
    }
}

async fn submit_lot(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, Response> {
    let sender = sender_of(state, headers).await?;
    let outcome = state
        .claims
        .import(&sender, body, format(headers))
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    Ok(match outcome {
        ImportOutcome::Accepted(ack) => (StatusCode::CREATED, Json(ack)).into_response(),
        ImportOutcome::AlreadyAccepted(ack) => (StatusCode::OK, Json(ack)).into_response(),
        ImportOutcome::UnknownSender(_) => ApiError::with(
            StatusCode::FORBIDDEN,
            "sender_mismatch",
            "Forbidden",
            "L'émetteur déclaré dans le lot n'est pas celui de la clé utilisée.",
        )
        .into_response(),
        ImportOutcome::Refused(refusal) => refused(
            "malformed_lot",
            "Le lot est mal formé : aucune feuille n'a été importée. Corrigez les lignes indiquées puis renvoyez le lot.",
            &refusal,
        ),
    })
}

/// The live sender whose key the request carries, or the 401 to answer.
pub(super) async fn sender_of(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<ClaimSender, Response> {
    let key = bearer_in(headers).ok_or_else(|| ApiError::unauthenticated().into_response())?;
    state
        .claims
        .authenticate(&key)
        .await
        .map_err(|e| ApiError::from(e).into_response())?
        .ok_or_else(|| ApiError::unauthenticated().into_response())
}

/// The 422 of a malformed file: the problem document with every problem by line.
pub(super) fn refused(code: &'static str, detail: &'static str, refusal: &Refusal) -> Response {
    let body = LotRefusal {
        problem: ApiError::with(
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
            "Unprocessable Content",
            detail,
        ),
        errors: refusal
            .errors
            .iter()
            .map(|e| LotProblem {
                line: e.line,
                message: e.message_fr(),
            })
            .collect(),
        more: refusal.more,
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CONTENT_TYPE, "application/problem+json")],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response()
}

/// The acknowledgement as documented: the shape of the core's `Acknowledgement`, which the
/// API serves (a test compares them).
#[derive(Serialize, ToSchema)]
#[schema(as = Acknowledgement)]
pub struct AcknowledgementDoc {
    /// The lot's id at the fund.
    lot_id: uuid::Uuid,
    /// `rpps:…`, `adeli:…` or `finess:…`.
    #[schema(example = "rpps:10003456789")]
    sender: String,
    /// The sender's lot number.
    lot_number: u32,
    /// When the lot was accepted (RFC 3339).
    received_at: String,
    /// Sheets accepted, to be liquidated.
    sheets_accepted: u64,
    /// Sheets rejected.
    sheets_rejected: u64,
    /// The rejected sheets (the first 10,000), in file order.
    rejected: Vec<RejectedSheetDoc>,
}

/// A rejected sheet.
#[derive(Serialize, ToSchema)]
#[schema(as = RejectedSheet)]
pub struct RejectedSheetDoc {
    /// The sender's sheet number.
    sheet: u32,
    /// The line of the file it starts on.
    line: u64,
    /// Why: unknown_beneficiary, unknown_rank, no_rights, unknown_act, above_price_limit,
    /// future_date, too_old, duplicate.
    #[schema(example = "no_rights")]
    reason: String,
    /// The care line concerned, for unknown_act and above_price_limit.
    care_line: Option<u32>,
    /// The reason, in French.
    message: String,
}
