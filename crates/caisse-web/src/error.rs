//! Errors of HTML handlers and the middleware that renders them as French pages.
//!
//! Which type where:
//! - HTML handlers return `Result<_, AppError>`. An `AppError` becomes an empty response that
//!   carries an [`ErrorPage`] extension; [`render_error_pages`] turns it into a full page with
//!   the visitor's layout, so handlers never build error HTML themselves.
//! - JSON handlers under `/api/v1` return [`crate::api::ApiError`] (RFC 9457 problem details).
//! - Unexpected failures are logged with their cause chain here and shown as an opaque 500.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::layout::Layout;
use crate::state::AppState;
use crate::visitor::{Viewer, Visitor};

/// A failure an HTML handler reports.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or no such thing for this visitor.
    #[error("not found")]
    NotFound,
    /// A value of the address (query string or path) that does not parse or is out of range,
    /// such as a page number past the last possible one.
    #[error("bad address")]
    BadAddress,
    /// Logged in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// The form's CSRF token is missing or wrong (often an expired page).
    #[error("csrf token rejected")]
    Csrf,
    /// Too many requests from this address.
    #[error("rate limited")]
    RateLimited,
    /// A body (files) larger than the route accepts.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The database could not be reached for a while (a switch of the primary): try again.
    #[error("database unreachable")]
    Unavailable,
    /// Unexpected failure; details go to the log only.
    #[error("unexpected: {0}")]
    Unexpected(String),
}

impl AppError {
    /// Wraps an unexpected error, keeping its message for the log.
    pub fn unexpected(error: impl std::fmt::Display) -> AppError {
        AppError::Unexpected(error.to_string())
    }

    /// An account refusal that the handler has no page of its own for: "nothing to act on"
    /// reads as not found, anything else is unexpected.
    pub fn from_account(error: caisse_core::accounts::AccountError) -> AppError {
        match error {
            caisse_core::accounts::AccountError::NothingToDo => AppError::NotFound,
            other => AppError::unexpected(other),
        }
    }

    fn page(&self) -> ErrorPage {
        let (status, heading, message) = match self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page introuvable",
                "La page que vous cherchez n'existe pas ou n'existe plus. Vérifiez l'adresse ou revenez à l'accueil.",
            ),
            AppError::BadAddress => (
                StatusCode::BAD_REQUEST,
                "Adresse incorrecte",
                "L'adresse de cette page contient une valeur incorrecte (par exemple un numéro de page qui n'existe pas). Vérifiez le lien ou revenez à la page précédente.",
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Accès refusé",
                "Vous n'avez pas accès à cette page avec le compte utilisé.",
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "Formulaire expiré",
                "Ce formulaire a expiré ou n'a pas été envoyé depuis notre site. Revenez à la page précédente, rechargez-la puis recommencez.",
            ),
            AppError::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de demandes",
                "Vous avez fait trop de demandes en peu de temps. Patientez une minute avant de recommencer.",
            ),
            AppError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Fichiers trop volumineux",
                "L'ensemble des fichiers envoyés dépasse la taille permise. Revenez à la page précédente et joignez moins de fichiers ou des fichiers plus légers.",
            ),
            AppError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Service momentanément indisponible",
                "Le service est momentanément indisponible. Patientez quelques secondes, puis réessayez.",
            ),
            AppError::Unexpected(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Une erreur est survenue",
                "Le service n'a pas pu traiter votre demande. Réessayez dans quelques instants ; si le problème persiste, contactez votre caisse.",
            ),
        };
        ErrorPage {
            status,
            heading,
            message,
        }
    }
}

impl From<caisse_core::CoreError> for AppError {
    fn from(error: caisse_core::CoreError) -> Self {
        AppError::unexpected(error)
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::unexpected(error)
    }
}

/// The description of an error page, left in response extensions for [`render_error_pages`].
#[derive(Clone, Copy, Debug)]
pub struct ErrorPage {
    status: StatusCode,
    heading: &'static str,
    message: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Unexpected(cause) = &self {
            tracing::error!(cause = %cause, "request failed");
        }
        let page = self.page();
        let mut response = page.status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    layout: Layout,
    status: u16,
    heading: &'a str,
    message: &'a str,
}

/// Middleware: renders every [`ErrorPage`] response as a French HTML page with the layout.
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let visitor = request.extensions().get::<Visitor>().cloned();
    let response = next.run(request).await;
    let Some(page) = response.extensions().get::<ErrorPage>().copied() else {
        return response;
    };
    let visitor = visitor.unwrap_or(Visitor {
        cookie_value: String::new(),
        csrf_token: String::new(),
        session: None,
        viewer: Viewer::Anonymous,
        notice: None,
        badges: crate::layout::MenuBadges::default(),
    });
    let template = ErrorTemplate {
        layout: Layout::new(&visitor, &state.config.brand, page.heading, "info"),
        status: page.status.as_u16(),
        heading: page.heading,
        message: page.message,
    };
    match template.render() {
        Ok(html) => (page.status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page failed to render");
            (page.status, page.heading).into_response()
        }
    }
}

/// Fallback for unknown paths.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
