//! Extractors of the JSON API: bodies whose errors are problem documents, and bearer tokens.

use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::header;
use axum::http::request::Parts;
use caisse_core::messaging::Upload;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::ApiError;
use crate::state::AppState;
use crate::uploads::{self, UploadError};

/// A JSON body; a malformed one is answered with a 400 problem document.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(request, state)
            .await
            .map(|axum::Json(value)| ApiJson(value))
            .map_err(|_| ApiError::bad_request("Le corps de la requête n'est pas le JSON attendu."))
    }
}

/// A JSON body, or a `multipart/form-data` one holding the same JSON in a `message` part
/// and files in `file` parts (each cut one byte past the size limit as it streams in).
pub struct WithFiles<T> {
    /// The JSON.
    pub value: T,
    /// The files, in the order they came.
    pub files: Vec<Upload>,
}

fn bad_multipart() -> ApiError {
    ApiError::bad_request(
        "Le corps de la requête n'est pas le multipart attendu : une partie « message » en \
         JSON et des parties « file ».",
    )
}

impl<T: DeserializeOwned> FromRequest<AppState> for WithFiles<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let ApiJson(value) = ApiJson::<T>::from_request(request, state).await?;
            return Ok(WithFiles {
                value,
                files: Vec::new(),
            });
        }
        let parts = Multipart::from_request(request, state)
            .await
            .map_err(|_| bad_multipart())?;
        let max = state.messaging.settings().attachments.max_file_bytes;
        let form = uploads::read(parts, max, "file")
            .await
            .map_err(|error| match error {
                UploadError::TooLarge => ApiError::payload_too_large(),
                UploadError::Malformed => bad_multipart(),
            })?;
        // As a JSON body refuses members it does not know, the form refuses parts it does not
        // read: one `message` part, and `file` parts.
        let only_message = {
            let mut names = form.field_names();
            names.next() == Some("message") && names.next().is_none()
        };
        if !only_message {
            return Err(bad_multipart());
        }
        let value = serde_json::from_str(form.field("message")).map_err(|_| bad_multipart())?;
        Ok(WithFiles {
            value,
            files: form.files,
        })
    }
}

// The API: a 400 problem document.
crate::params::address_extractors!(ApiError, bad_address());

fn bad_address() -> ApiError {
    ApiError::bad_request(
        "L'adresse contient une valeur incorrecte : un paramètre manque de la forme attendue \
         ou sort des limites (par exemple une page de 1 à 100 000).",
    )
}

/// The member a bearer token belongs to.
pub struct ApiMember {
    /// Member id.
    pub id: Uuid,
    /// The token, to revoke it on logout.
    pub token: String,
}

/// The bearer token of a request, if well-formed.
pub fn bearer(parts: &Parts) -> Option<String> {
    bearer_in(&parts.headers)
}

/// The bearer token of these headers, if well-formed (20 to 128 characters).
pub fn bearer_in(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| (20..=128).contains(&t.len()))
        .map(str::to_owned)
}

impl FromRequestParts<AppState> for ApiMember {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or_else(ApiError::unauthenticated)?;
        match state.auth.resolve_api_token(&token).await? {
            Some(id) => Ok(ApiMember { id, token }),
            None => Err(ApiError::unauthenticated()),
        }
    }
}
