//! `/connexion/code`: confirming a login from a new device with the code sent by email.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use caisse_core::new_device::ConfirmError;
use caisse_core::sessions::SubjectKind;
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::member_login::start_session;
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::{Client, Visitor, device_cookie_header, safe_next};

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    layout: Layout,
    challenge_id: Uuid,
    next: String,
    error: Option<&'static str>,
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    challenge_id: Uuid,
    next: &str,
    error: Option<&'static str>,
) -> Result<Response, AppError> {
    let page = CodePage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Confirmez votre connexion",
            "connexion",
        ),
        challenge_id,
        next: safe_next(next).to_owned(),
        error,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct CodeQuery {
    defi: Uuid,
    suite: Option<String>,
}

pub async fn code_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<CodeQuery>,
) -> Result<Response, AppError> {
    page(
        &state,
        &visitor,
        query.defi,
        query.suite.as_deref().unwrap_or("/"),
        None,
    )
}

#[derive(Deserialize)]
pub struct CodeForm {
    defi: Uuid,
    #[serde(default)]
    code: String,
    #[serde(default)]
    confiance: Option<String>,
    #[serde(default)]
    next: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    let result = state
        .auth
        .confirm_device(form.defi, &form.code, Some(&visitor.cookie_value), &context)
        .await;
    match result {
        Ok(member_id) => {
            let device = match form.confiance.as_deref() {
                Some("oui") => Some(
                    state
                        .auth
                        .trust_device(member_id, &context.user_agent, &context)
                        .await?,
                ),
                _ => None,
            };
            let mut response = start_session(
                &state,
                &visitor,
                SubjectKind::Member,
                member_id,
                &context,
                safe_next(&form.next),
            )
            .await?;
            if let Some(cookie) =
                device.and_then(|token| device_cookie_header(&token, state.config.https))
            {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            Ok(response)
        }
        Err(ConfirmError::Invalid) => page(
            &state,
            &visitor,
            form.defi,
            &form.next,
            Some(
                "Ce code n'est pas le bon. Vérifiez le dernier e-mail reçu et saisissez ses 6 chiffres.",
            ),
        ),
        Err(ConfirmError::Expired) => page(
            &state,
            &visitor,
            form.defi,
            &form.next,
            Some(
                "Ce code a expiré ou a été trop de fois mal saisi. Reconnectez-vous pour recevoir un nouveau code.",
            ),
        ),
        Err(ConfirmError::Core(error)) => Err(error.into()),
    }
}
