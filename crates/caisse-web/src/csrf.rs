//! CSRF protection, in two layers.
//!
//! 1. [`reject_cross_site_writes`]: any state-changing request whose `Sec-Fetch-Site` says
//!    `cross-site`, or whose `Origin` is not this host, is refused before reaching a handler.
//! 2. [`CsrfForm`]: every HTML form carries `csrf_token`, an HMAC of the visitor's cookie; the
//!    extractor refuses the form unless it matches. A handler that takes `CsrfForm` (or
//!    [`CsrfMultipart`] for a file upload) cannot forget the check, and forms are the only way
//!    HTML handlers accept input.
//!
//! The JSON API authenticates with bearer tokens, never cookies, so it is not exposed to CSRF.

use axum::extract::{FromRequest, Request};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use caisse_core::tokens::verify_signature;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;
use crate::visitor::Visitor;

/// Middleware: refuses cross-site state-changing requests.
pub async fn reject_cross_site_writes(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(&request) {
        return AppError::Csrf.into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "cross-site";
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            origin_host != host
        }
        _ => false,
    }
}

#[derive(Deserialize)]
struct TokenField {
    csrf_token: Option<String>,
}

/// A URL-encoded form whose CSRF token has been checked.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = request.extensions().get::<Visitor>().cloned();
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let token: TokenField =
            serde_urlencoded_from(&bytes).map_err(|_| AppError::Csrf.into_response())?;
        let valid = match (visitor, token.csrf_token) {
            (Some(v), Some(t)) => verify_signature(&state.config.secret_key, &v.cookie_value, &t),
            _ => false,
        };
        if !valid {
            return Err(AppError::Csrf.into_response());
        }
        let value: T = serde_urlencoded_from(&bytes)
            .map_err(|_| axum::http::StatusCode::UNPROCESSABLE_ENTITY.into_response())?;
        Ok(CsrfForm(value))
    }
}

fn serde_urlencoded_from<T: DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, serde_urlencoded::de::Error> {
    serde_urlencoded::from_bytes(bytes)
}

/// A `multipart/form-data` form (a file upload) whose CSRF token has been checked: the token
/// is one of its text fields, like in any other form. Text fields and files are kept by name;
/// the body limit of the router bounds their size.
pub struct CsrfMultipart {
    texts: Vec<(String, String)>,
    files: Vec<(String, Vec<u8>)>,
}

impl CsrfMultipart {
    /// A text field, if sent.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The bytes of a file field, if a non-empty file was sent.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, bytes)| n == name && !bytes.is_empty())
            .map(|(_, v)| v.as_slice())
    }
}

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = request.extensions().get::<Visitor>().cloned();
        let mut multipart = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|_| axum::http::StatusCode::UNPROCESSABLE_ENTITY.into_response())?;
        let mut form = CsrfMultipart {
            texts: Vec::new(),
            files: Vec::new(),
        };
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|_| axum::http::StatusCode::UNPROCESSABLE_ENTITY.into_response())?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let is_file = field.file_name().is_some();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
            if is_file {
                form.files.push((name, bytes.to_vec()));
            } else {
                form.texts
                    .push((name, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
        let valid = match (visitor, form.text("csrf_token")) {
            (Some(v), Some(t)) => verify_signature(&state.config.secret_key, &v.cookie_value, t),
            _ => false,
        };
        if !valid {
            return Err(AppError::Csrf.into_response());
        }
        Ok(form)
    }
}
