//! `/api/v1/auth`: logging in from the mobile app.
//!
//! `POST /auth/login {nir, password, device_token?}` answers `200 {token}` for a trusted device
//! (or when confirmation is off), `202 {challenge_id}` when a code was mailed, `401` for any
//! wrong identifier or password and `423` while locked — the same bodies whether or not the
//! NIR is known. `POST /auth/login/confirm {challenge_id, code, trust_device}` answers
//! `200 {token, device_token?}`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use caisse_core::audit::RequestContext;
use caisse_core::auth::LoginError;
use caisse_core::new_device::{AfterPassword, ConfirmError};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;
use uuid::Uuid;

use super::ApiError;
use super::extract::{ApiJson, ApiMember};
use crate::state::AppState;
use crate::visitor::Client;

/// NIR and password, and the trusted-device token if this device has one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The NIR, as on the Carte Vitale (spaces allowed).
    #[schema(example = "1 85 05 78 006 084 91", max_length = 64)]
    nir: String,
    #[schema(max_length = 1024)]
    password: String,
    /// The `device_token` of an earlier confirmation with `trust_device`.
    #[schema(max_length = 256)]
    device_token: Option<String>,
}

/// An API token (opaque, bearer).
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    token: String,
    token_type: &'static str,
    expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_token: Option<String>,
}

/// A 6-digit code was mailed; confirm it with this challenge.
#[derive(Serialize, ToSchema)]
pub struct ChallengeResponse {
    challenge_id: Uuid,
}

fn invalid_credentials() -> ApiError {
    ApiError::with(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "Unauthorized",
        "Le numéro de sécurité sociale et le mot de passe ne correspondent pas.",
    )
}

fn locked(seconds: i64) -> Response {
    let mut response = ApiError::with(
        StatusCode::LOCKED,
        "account_locked",
        "Locked",
        "Votre compte est temporairement bloqué à la suite de plusieurs erreurs de saisie. Réessayez plus tard ou réinitialisez votre mot de passe.",
    )
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

async fn token_response(
    state: &AppState,
    member_id: Uuid,
    context: &RequestContext,
    device_token: Option<String>,
) -> Result<Response, ApiError> {
    let issued = state
        .auth
        .issue_api_token(member_id, &context.user_agent, context)
        .await?;
    let body = TokenResponse {
        token: issued.token,
        token_type: "Bearer",
        expires_at: issued.expires_at.format(&Rfc3339).unwrap_or_default(),
        device_token,
    };
    Ok((StatusCode::OK, Json(body)).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "authentification",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in (trusted device, or confirmation off)", body = TokenResponse),
        (status = 202, description = "A code was mailed: confirm it", body = ChallengeResponse),
        (status = 401, description = "Wrong NIR or password (one answer for both)", body = super::ApiError, content_type = "application/problem+json"),
        (status = 403, description = "Right password, account suspended by the fund", body = super::ApiError, content_type = "application/problem+json"),
        (status = 423, description = "Locked after repeated failures; see Retry-After", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    Client(context): Client,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    match state
        .auth
        .member_login(&request.nir, &request.password, &context)
        .await
    {
        Ok(member_id) => {
            match state
                .auth
                .check_device(member_id, request.device_token.as_deref(), None, &context)
                .await?
            {
                AfterPassword::Proceed => token_response(&state, member_id, &context, None).await,
                AfterPassword::Challenge(challenge_id) => Ok((
                    StatusCode::ACCEPTED,
                    Json(ChallengeResponse { challenge_id }),
                )
                    .into_response()),
            }
        }
        Err(LoginError::InvalidCredentials) => Err(invalid_credentials()),
        Err(LoginError::Suspended) => Err(ApiError::with(
            StatusCode::FORBIDDEN,
            "account_suspended",
            "Suspended",
            crate::pages::member_login::SUSPENDED,
        )),
        Err(LoginError::Locked { until }) => {
            Ok(locked((until - state.clock.now()).whole_seconds()))
        }
        Err(LoginError::Core(error)) => Err(error.into()),
    }
}

/// The code of the mail.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    challenge_id: Uuid,
    code: String,
    #[serde(default)]
    trust_device: bool,
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/login/confirm",
    tag = "authentification",
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong code", body = super::ApiError, content_type = "application/problem+json"),
        (status = 410, description = "Expired, used, or too many wrong codes", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    Client(context): Client,
    ApiJson(request): ApiJson<ConfirmRequest>,
) -> Result<Response, ApiError> {
    match state
        .auth
        .confirm_device(request.challenge_id, &request.code, None, &context)
        .await
    {
        Ok(member_id) => {
            let device = if request.trust_device {
                Some(
                    state
                        .auth
                        .trust_device(member_id, &context.user_agent, &context)
                        .await?,
                )
            } else {
                None
            };
            token_response(&state, member_id, &context, device).await
        }
        Err(ConfirmError::Invalid) => Err(ApiError::with(
            StatusCode::UNAUTHORIZED,
            "invalid_code",
            "Unauthorized",
            "Ce code n'est pas le bon.",
        )),
        Err(ConfirmError::Expired) => Err(ApiError::with(
            StatusCode::GONE,
            "challenge_expired",
            "Gone",
            "Ce code a expiré ou a été trop de fois mal saisi. Reconnectez-vous pour en recevoir un nouveau.",
        )),
        Err(ConfirmError::Core(error)) => Err(error.into()),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "authentification",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The token is revoked"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn logout(
    State(state): State<AppState>,
    member: ApiMember,
) -> Result<StatusCode, ApiError> {
    state.auth.revoke_api_token(&member.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
