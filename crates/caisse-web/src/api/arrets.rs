//! `POST /api/v1/claims/arrets`: a file of arrêts de travail with their attestations de
//! salaire, in JSON Lines or CSV (`docs/claims-format.md`, § Arrêts de travail), from a
//! partner of the fund (the fund's own systems, or one relaying the employers' DSN),
//! authenticated by a claim-sender key: the arrêts go to the key's fund.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use caisse_core::claims::arrets::ArretsOutcome;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiError;
use super::claims::{format, refused, sender_of};
use crate::state::AppState;

/// The largest file of arrêts the API takes; larger files go through `caisse admin
/// import-arrets`, which streams them.
pub const MAX_ARRETS_BYTES: usize = 16 * 1024 * 1024;

#[utoipa::path(
    post,
    path = "/api/v1/claims/arrets",
    operation_id = "submit_arrets",
    tag = "arrêts de travail",
    request_body(
        content(
            (String = "application/jsonl"),
            (String = "text/csv"),
        ),
        description = "Arrêts de travail: JSON Lines (`application/jsonl`) or CSV (`text/csv`), UTF-8, at most 16 MiB; see docs/claims-format.md",
    ),
    security(("sender_key" = [])),
    responses(
        (status = 201, description = "Read and imported: arrêts accepted, already received (sent again with the same values), and each rejected arrêt with its reason", body = ArretsAckDoc),
        (status = 401, description = "No live sender key", body = super::ApiError, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 16 MiB", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "Malformed: refused whole, every problem listed by line", body = super::claims::LotRefusal, content_type = "application/problem+json"),
    )
)]
pub async fn submit(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    match submit_arrets(&state, &headers, &body).await {
        Ok(response) | Err(response) => response,
    }
}

async fn submit_arrets(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, Response> {
    let sender = sender_of(state, headers).await?;
    let outcome = state
        .claims
        .import_arrets(&sender, body, format(headers))
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    Ok(match outcome {
        ArretsOutcome::Accepted(ack) => (StatusCode::CREATED, Json(ack)).into_response(),
        ArretsOutcome::Refused(refusal) => refused(
            "malformed_arrets",
            "Le fichier d'arrêts de travail est mal formé : aucun arrêt n'a été importé. Corrigez les lignes indiquées puis renvoyez le fichier.",
            &refusal,
        ),
    })
}

/// The acknowledgement as documented: the shape of the core's `ArretsAck`, which the API
/// serves.
#[derive(Serialize, ToSchema)]
#[schema(as = ArretsAck)]
pub struct ArretsAckDoc {
    /// Arrêts stored now, with their schedule of indemnités journalières.
    accepted: u64,
    /// Arrêts stored before with the same values (the file sent again): nothing changed.
    already_received: u64,
    /// Arrêts rejected.
    rejected_count: u64,
    /// The rejected arrêts (the first 10,000), in file order.
    rejected: Vec<RejectedArretDoc>,
}

/// A rejected arrêt.
#[derive(Serialize, ToSchema)]
#[schema(as = RejectedArret)]
pub struct RejectedArretDoc {
    /// The line of the file.
    line: u64,
    /// The sender's `reference_arret`.
    reference: String,
    /// Why: unknown_beneficiary, unknown_rank, no_rights, already_received_different, overlap, no_schedule.
    #[schema(example = "overlap")]
    reason: String,
    /// The reason, in French.
    message: String,
}
