//! CSRF protection, in two layers.
//!
//! 1. [`reject_cross_site_writes`]: any state-changing request whose `Sec-Fetch-Site` says
//!    `cross-site`, or whose `Origin` is not this host, is refused before reaching a handler.
//! 2. [`CsrfForm`]: every HTML form carries `csrf_token`, an HMAC of the visitor's cookie; the
//!    extractor refuses the form unless it matches. A handler that takes `CsrfForm` cannot forget
//!    the check, and forms are the only way HTML handlers accept input. Forms with files go
//!    through [`CsrfUpload`]: their token must be the body's first part (every such template
//!    puts the hidden field first), and it is checked before anything else of the body is
//!    read, so a forged upload is refused without buffering its files.
//!
//! The JSON API authenticates with bearer tokens, never cookies, so it is not exposed to CSRF.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use caisse_core::tokens::verify_signature;
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;
use crate::uploads::{self, UploadError, UploadForm};
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

/// The name of the token's field in every form.
const CSRF_FIELD: &str = "csrf_token";

/// Longest token read: a signature is 43 characters of base64url.
const MAX_TOKEN_BYTES: usize = 256;

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
        if !token_is_valid(state, visitor.as_ref(), token.csrf_token.as_deref()) {
            return Err(AppError::Csrf.into_response());
        }
        let value: T = serde_urlencoded_from(&bytes)
            .map_err(|_| axum::http::StatusCode::UNPROCESSABLE_ENTITY.into_response())?;
        Ok(CsrfForm(value))
    }
}

/// Returns true if and only if `token` is the CSRF token of `visitor`'s cookie.
fn token_is_valid(state: &AppState, visitor: Option<&Visitor>, token: Option<&str>) -> bool {
    match (visitor, token) {
        (Some(v), Some(t)) => {
            verify_signature(state.config.secret_key.expose_secret(), &v.cookie_value, t)
        }
        _ => false,
    }
}

/// A form that may carry files (`multipart/form-data`, field `files`), or a URL-encoded one
/// without, whose CSRF token has been checked. Files are cut one byte past the attachment
/// size limit as they stream in.
pub struct CsrfUpload(pub UploadForm);

impl FromRequest<AppState> for CsrfUpload {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = request.extensions().get::<Visitor>().cloned();
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let refused = |error| match error {
            UploadError::TooLarge => AppError::PayloadTooLarge.into_response(),
            UploadError::Malformed => StatusCode::BAD_REQUEST.into_response(),
        };
        if multipart {
            let mut parts = Multipart::from_request(request, state)
                .await
                .map_err(|_| StatusCode::BAD_REQUEST.into_response())?;
            let token = uploads::first_field(&mut parts, CSRF_FIELD, MAX_TOKEN_BYTES)
                .await
                .map_err(refused)?;
            if !token_is_valid(state, visitor.as_ref(), token.as_deref()) {
                return Err(AppError::Csrf.into_response());
            }
            let max = state.messaging.settings().attachments.max_file_bytes;
            let (mut form, files) = uploads::read_parts(parts, max, |name| {
                name == "files" || name.starts_with("piece.")
            })
            .await
            .map_err(refused)?;
            for (name, upload) in files {
                match name.strip_prefix("piece.") {
                    Some(field) => form.named_files.push((field.to_owned(), upload)),
                    None => form.files.push(upload),
                }
            }
            return Ok(CsrfUpload(form));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields: Vec<(String, String)> = serde_urlencoded_from(&bytes)
            .map_err(|_| StatusCode::UNPROCESSABLE_ENTITY.into_response())?;
        let form = UploadForm::from_fields(fields);
        if !token_is_valid(state, visitor.as_ref(), Some(form.field(CSRF_FIELD))) {
            return Err(AppError::Csrf.into_response());
        }
        Ok(CsrfUpload(form))
    }
}

fn serde_urlencoded_from<T: DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, serde_urlencoded::de::Error> {
    serde_urlencoded::from_bytes(bytes)
}
