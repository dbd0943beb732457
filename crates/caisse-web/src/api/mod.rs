//! The JSON API under `/api/v1`, for the mobile app and partners.
//!
//! Errors use one envelope, RFC 9457 problem details (`application/problem+json`) with a stable
//! `code` member and a French `detail` fit to show a user. The API authenticates with bearer
//! tokens only (never the browser cookie), so cross-site requests cannot use it.

mod funds;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use crate::state::AppState;

/// The API routes, to nest under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/caisses", get(funds::list_funds))
        .route("/caisses/{code}", get(funds::get_fund))
        .fallback(not_found)
}

/// A problem-details error.
#[derive(Debug, Serialize)]
pub struct ApiError {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    code: &'static str,
    detail: &'static str,
}

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        title: &'static str,
        detail: &'static str,
    ) -> ApiError {
        ApiError {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            code,
            detail,
        }
    }

    /// 404.
    pub fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Not Found",
            "La ressource demandée n'existe pas.",
        )
    }

    /// 429.
    pub fn too_many_requests() -> ApiError {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too Many Requests",
            "Trop de demandes en peu de temps. Réessayez dans une minute.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_default();
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}
