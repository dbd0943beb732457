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
//!
//! Pages are compressed, and they show the token beside text an attacker may choose (a search
//! echoed back): BREACH could recover a constant token from the compressed sizes. So every
//! response carries it [`masked`] with a fresh one-time pad (`pad ‖ pad XOR token`, as Django
//! and Rails do); forms are checked by unmasking it first. See docs/security.md.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
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

/// Longest token read: a masked signature is 86 characters of base64url.
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

/// Length of the token before masking: an HMAC-SHA-256.
const TOKEN_BYTES: usize = 32;

/// `token` (base64url of [`TOKEN_BYTES`]) as a page shows it: a fresh random pad, then the
/// token XOR that pad, in base64url. Each call gives another text for the same token, so the
/// bytes of a compressed page reveal nothing about it. Should the system give no randomness,
/// the token is returned unmasked rather than failing the page.
pub(crate) fn masked(token: &str) -> String {
    let Ok(raw) = URL_SAFE_NO_PAD.decode(token) else {
        return token.to_owned();
    };
    let Some(pad) = caisse_core::tokens::random_token()
        .ok()
        .and_then(|pad| URL_SAFE_NO_PAD.decode(pad).ok())
        .filter(|pad| pad.len() == raw.len())
    else {
        return token.to_owned();
    };
    let mut out = pad.clone();
    out.extend(pad.iter().zip(&raw).map(|(p, t)| p ^ t));
    URL_SAFE_NO_PAD.encode(out)
}

/// The token inside a [`masked`] one; an unmasked token (a page rendered before masking, or
/// without randomness) passes through as it is.
fn unmasked(token: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    match bytes.len() {
        TOKEN_BYTES => Some(token.to_owned()),
        len if len == 2 * TOKEN_BYTES => {
            let (pad, xored) = bytes.split_at(TOKEN_BYTES);
            let raw: Vec<u8> = pad.iter().zip(xored).map(|(p, x)| p ^ x).collect();
            Some(URL_SAFE_NO_PAD.encode(raw))
        }
        _ => None,
    }
}

/// Returns true if and only if `token`, masked or not, is the CSRF token of `visitor`'s cookie.
fn token_is_valid(state: &AppState, visitor: Option<&Visitor>, token: Option<&str>) -> bool {
    match (visitor, token.and_then(unmasked)) {
        (Some(v), Some(t)) => {
            verify_signature(state.config.secret_key.expose_secret(), &v.cookie_value, &t)
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

#[cfg(test)]
mod tests {
    use super::{masked, unmasked};

    #[test]
    fn masking_changes_the_text_not_the_token() {
        let token = caisse_core::tokens::sign(b"key", "cookie");
        let (one, two) = (masked(&token), masked(&token));
        assert_ne!(one, two, "a fresh pad each time");
        assert_eq!(one.len(), 86);
        assert_eq!(unmasked(&one).as_deref(), Some(token.as_str()));
        assert_eq!(unmasked(&two).as_deref(), Some(token.as_str()));
        assert_eq!(unmasked(&token).as_deref(), Some(token.as_str()));
        assert_eq!(unmasked("not base64!"), None);
        assert_eq!(unmasked(&one[..80]), None);
    }
}
