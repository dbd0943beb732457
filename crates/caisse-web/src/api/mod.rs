//! The JSON API under `/api/v1`, for the mobile app and partners.
//!
//! Errors use one envelope, RFC 9457 problem details (`application/problem+json`) with a stable
//! `code` member and a French `detail` fit to show a user. The API authenticates with bearer
//! tokens only (never the browser cookie), so cross-site requests cannot use it.

mod accounts;
mod agenda;
mod arrets;
mod attestations;
mod auth;
mod claims;
mod debts;
mod demarches;
mod docs;
mod extract;
mod forum;
mod funds;
mod help;
mod me;
mod messages;
mod openapi;
mod payment_documents;
mod payments;
mod schemas;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;
use crate::uploads::post_with_files;

/// The API routes, to nest under `/api/v1`; routes that take files accept bodies of
/// `attachments` bytes, and the upload time limit.
pub fn routes(attachments: usize) -> Router<AppState> {
    Router::new()
        .route("/accounts", post(accounts::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/login/confirm", post(auth::confirm))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(me::me))
        .route("/debts", get(debts::list))
        .route("/debts/{id}", get(debts::show))
        .route("/attestations/droits", get(attestations::droits))
        .route("/attestations/verify", post(attestations::verify))
        .route(
            "/messages",
            get(messages::list).merge(post_with_files(messages::send, attachments)),
        )
        .route("/messages/{id}", get(messages::show))
        .route("/payments", get(payments::list))
        .route("/payments/{id}", get(payments::show))
        .route(
            "/payments/statements/{year}/{month}",
            get(payment_documents::statement),
        )
        .route(
            "/payments/ij-attestation",
            get(payment_documents::ij_attestation),
        )
        .route(
            "/payments/ij-tax-statements/{year}",
            get(payment_documents::ij_tax_statement),
        )
        .route(
            "/messages/{id}/replies",
            post_with_files(messages::reply, attachments),
        )
        .route("/messages/{id}/attachments/{n}", get(messages::download))
        .route(
            "/claims/lots",
            post(claims::submit).layer(axum::extract::DefaultBodyLimit::max(claims::MAX_LOT_BYTES)),
        )
        .route(
            "/claims/arrets",
            post(arrets::submit).layer(axum::extract::DefaultBodyLimit::max(
                arrets::MAX_ARRETS_BYTES,
            )),
        )
        .route("/agenda/motifs", get(agenda::motifs))
        .route("/agenda/slots", get(agenda::slots))
        .route("/appointments", get(agenda::list).post(agenda::book))
        .route("/appointments/{id}/cancel", post(agenda::cancel))
        .route("/appointments/{id}/move", post(agenda::move_to))
        .route("/agenda/sites", get(agenda::sites))
        .route("/help/search", get(help::search))
        .route("/help/entries/{slug}", get(help::entry))
        .route("/help/assistant", post(help::ask))
        .route("/help/assistant/feedback", post(help::feedback))
        .route("/help/questions", get(forum::list).post(forum::ask))
        .route("/help/questions/{id}", get(forum::show))
        .route("/help/my-questions", get(forum::mine))
        .route("/demarches", get(demarches::procedures))
        .route("/dossiers", get(demarches::list).post(demarches::create))
        .route("/dossiers/{id}", get(demarches::show))
        .route(
            "/dossiers/{id}/steps/{step}",
            axum::routing::put(demarches::save_step),
        )
        .route(
            "/dossiers/{id}/fields/{field}/files",
            post(demarches::add_pieces).layer(axum::extract::DefaultBodyLimit::max(attachments)),
        )
        .route(
            "/dossiers/{id}/files/{piece}",
            get(demarches::piece).delete(demarches::remove_piece),
        )
        .route("/dossiers/{id}/submit", post(demarches::submit))
        .route("/dossiers/{id}/complete", post(demarches::complete))
        .route("/dossiers/{id}/cancel", post(demarches::cancel))
        .route("/dossiers/{id}/decision", get(demarches::decision))
        .route(
            "/dossiers/{id}/ceam-certificate",
            get(demarches::ceam_certificate),
        )
        .route("/procurations", get(demarches::procurations))
        .route(
            "/procurations/{id}/revoke",
            post(demarches::revoke_procuration),
        )
        .route("/caisses", get(funds::list_funds))
        .route("/caisses/{code}", get(funds::get_fund))
        .route("/openapi.json", get(openapi::document))
        .route("/docs", get(docs::redirect))
        .route("/docs/", get(docs::index))
        .route("/docs/{*file}", get(docs::file))
        .fallback(not_found)
}

/// A problem-details error (RFC 9457): `type`, `title`, `status`, a stable `code` and a
/// French `detail` fit to show a user.
#[derive(Debug, Serialize, ToSchema)]
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

    /// 400: the body is not the expected JSON.
    pub fn bad_request(detail: &'static str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "Bad Request",
            detail,
        )
    }

    /// 401: no valid bearer token.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Unauthorized",
            "Connectez-vous pour accéder à ce service.",
        )
    }

    /// 500, with the cause logged and never shown.
    pub fn unexpected(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "API request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Internal Server Error",
            "Le service n'a pas pu traiter votre demande. Réessayez dans quelques instants.",
        )
    }

    /// Any status and code.
    pub fn with(
        status: StatusCode,
        code: &'static str,
        title: &'static str,
        detail: &'static str,
    ) -> ApiError {
        ApiError::new(status, code, title, detail)
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

    /// 413: the files together are larger than the route accepts.
    pub fn payload_too_large() -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Content Too Large",
            "L'ensemble des fichiers envoyés dépasse la taille permise : joignez moins de \
             fichiers ou des fichiers plus légers.",
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

impl From<caisse_core::CoreError> for ApiError {
    fn from(error: caisse_core::CoreError) -> Self {
        ApiError::unexpected(error)
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
