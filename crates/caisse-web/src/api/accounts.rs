//! `POST /api/v1/accounts`: registration from the mobile app.
//!
//! Body: `{nir, birth_date (AAAA-MM-JJ), vitale_serial, iban, email, phone, password,
//! accept_terms}`. A malformed field answers `422` with every problem (`errors: [{field,
//! message}]`); a well-formed request always answers `202` with the same body, whether the
//! identity matched or not: only the mailbox of a real member receives the activation link.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use caisse_core::accounts::{AccountError, FormProblem, Registration};
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;
use utoipa::ToSchema;

use super::ApiError;
use super::extract::ApiJson;
use crate::pages::registration::REGISTRATION_ANSWER;
use crate::state::AppState;
use crate::visitor::Client;

/// A registration.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountRequest {
    /// The NIR: 15 characters, digits (`2A`/`2B` for Corsica), spaces, dots or hyphens
    /// between groups allowed; its key is checked (422).
    #[schema(example = "2 78 09 78 646 012 41", pattern = "^[0-9ABab .-]{15,40}$")]
    nir: String,
    /// `AAAA-MM-JJ`.
    #[schema(example = "1978-09-03", format = Date)]
    birth_date: String,
    /// The serial number on the back of the Carte Vitale: digits, spaces allowed.
    #[schema(pattern = "^[0-9 ]*[0-9][0-9 ]*$", max_length = 40)]
    vitale_serial: String,
    /// An IBAN, spaces allowed; its check digits are checked (422).
    #[schema(
        example = "FR76 3000 6000 0112 3456 7890 189",
        pattern = "^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9 ]{11,40}$"
    )]
    iban: String,
    #[schema(format = Email, max_length = 254)]
    email: String,
    /// A French mobile number.
    #[schema(example = "06 12 34 56 78", min_length = 1, max_length = 32)]
    phone: String,
    /// The password, checked against the fund's rules (422).
    #[schema(min_length = 1, max_length = 1024)]
    password: String,
    #[serde(default)]
    #[schema(max_length = 1024)]
    password_confirmation: Option<String>,
    #[serde(default)]
    accept_terms: bool,
}

/// The one answer to every well-formed registration.
#[derive(Serialize, ToSchema)]
pub struct Accepted {
    status: &'static str,
    detail: &'static str,
}

/// A malformed field.
#[derive(Serialize, ToSchema)]
pub struct FieldError<'a> {
    field: &'static str,
    message: &'a str,
}

/// Problem document listing every malformed field.
#[derive(Serialize, ToSchema)]
pub struct Invalid<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    code: &'static str,
    detail: &'static str,
    errors: Vec<FieldError<'a>>,
}

/// 422 listing every malformed field.
pub(super) fn invalid(problems: &[FormProblem]) -> Response {
    let body = Invalid {
        kind: "about:blank",
        title: "Unprocessable Content",
        status: 422,
        code: "invalid_fields",
        detail: "Certains champs sont mal remplis.",
        errors: problems
            .iter()
            .map(|p| FieldError {
                field: p.field,
                message: &p.message,
            })
            .collect(),
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CONTENT_TYPE, "application/problem+json")],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response()
}

#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    tag = "compte",
    request_body = AccountRequest,
    responses(
        (status = 202, description = "Same answer whether or not the identity matched; a match mails an activation link", body = Accepted),
        (status = 422, description = "Malformed fields", body = Invalid<'static>, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    Client(context): Client,
    ApiJson(request): ApiJson<AccountRequest>,
) -> Result<Response, ApiError> {
    let birth_date = Date::parse(
        request.birth_date.trim(),
        format_description!("[year]-[month]-[day]"),
    )
    .ok();
    let registration = Registration {
        nir: &request.nir,
        birth_date,
        vitale_serial: &request.vitale_serial,
        iban: &request.iban,
        email: &request.email,
        phone: &request.phone,
        password: &request.password,
        // An app checks the confirmation on the device; without one the password stands.
        confirmation: request
            .password_confirmation
            .as_deref()
            .unwrap_or(&request.password),
        accepts_terms: request.accept_terms,
    };
    match state.accounts.register(registration, &context).await {
        Ok(()) => Ok((
            StatusCode::ACCEPTED,
            Json(Accepted {
                status: "accepted",
                detail: REGISTRATION_ANSWER,
            }),
        )
            .into_response()),
        Err(AccountError::Invalid(problems)) => Ok(invalid(&problems)),
        Err(error) => Err(ApiError::unexpected(error)),
    }
}
