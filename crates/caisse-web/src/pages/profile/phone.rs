//! `/profil/mobile`: a new mobile number, confirmed by a 6-digit code sent to it by SMS and
//! typed on `/profil/mobile/code`. Asking for a code takes the current password, and codes per
//! member are capped per hour and per day.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Done, Problems, answer, details, done, layout, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};

const CODE_PAGE: &str = "/profil/mobile/code";

#[derive(Template)]
#[template(path = "profile/phone.html")]
struct PhonePage {
    layout: Layout,
    current: Option<String>,
    pending: Option<String>,
    phone: String,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "profile/phone_code.html")]
struct CodePage {
    layout: Layout,
    pending: Option<String>,
    minutes: i64,
    problems: Problems,
}

async fn page(
    state: &AppState,
    member: &CurrentMember,
    phone: String,
    problems: Problems,
) -> Result<Response, AppError> {
    let page = PhonePage {
        layout: layout(state, member, "Modifier mon téléphone mobile"),
        current: details(state, member).await?.phone,
        pending: state.accounts.pending_phone(member.id).await?,
        phone,
        problems,
    };
    Ok(answer(&page.problems, render(&page)?))
}

pub async fn form(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    page(&state, &member, String::new(), Problems::none()).await
}

#[derive(Deserialize)]
pub struct PhoneForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    current_password: String,
}

pub async fn request(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<PhoneForm>,
) -> Result<Response, AppError> {
    match state
        .accounts
        .request_phone_change(member.id, &form.current_password, &form.phone, &context)
        .await
    {
        Ok(()) => Ok(Redirect::to(CODE_PAGE).into_response()),
        Err(error) => {
            let problems = refusal(&state, error)?;
            let typed = form.phone.chars().take(32).collect();
            page(&state, &member, typed, problems).await
        }
    }
}

async fn code_page(
    state: &AppState,
    member: &CurrentMember,
    problems: Problems,
) -> Result<Response, AppError> {
    let page = CodePage {
        layout: layout(state, member, "Confirmer mon nouveau numéro"),
        pending: state.accounts.pending_phone(member.id).await?,
        minutes: state.accounts.settings().sms_code_ttl.whole_minutes(),
        problems,
    };
    Ok(answer(&page.problems, render(&page)?))
}

pub async fn code_form(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    if state.accounts.pending_phone(member.id).await?.is_none() {
        return Ok(Redirect::to("/profil/mobile").into_response());
    }
    code_page(&state, &member, Problems::none()).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    match state
        .accounts
        .confirm_phone_change(member.id, &form.code, &context)
        .await
    {
        Ok(()) => Ok(done(Done::Phone)),
        Err(error) => code_page(&state, &member, refusal(&state, error)?).await,
    }
}
