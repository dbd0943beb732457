//! Extractors of the JSON API: bodies whose errors are problem documents, and bearer tokens.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::ApiError;
use crate::state::AppState;

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

/// The member a bearer token belongs to.
pub struct ApiMember {
    /// Member id.
    pub id: Uuid,
    /// The token, to revoke it on logout.
    pub token: String,
}

/// The bearer token of a request, if well-formed.
pub fn bearer(parts: &Parts) -> Option<String> {
    parts
        .headers
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
