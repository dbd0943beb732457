//! `/profil/mot-de-passe`: the member changes their password with the current one. Every other
//! session and app token ends; the session in use stays open.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::{Done, Problems, answer, done, layout, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::password_reset::PasswordRules;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};

#[derive(Template)]
#[template(path = "profile/password.html")]
struct PasswordPage {
    layout: Layout,
    rules: PasswordRules,
    problems: Problems,
}

fn page(
    state: &AppState,
    member: &CurrentMember,
    problems: Problems,
) -> Result<Response, AppError> {
    let page = PasswordPage {
        layout: layout(state, member, "Modifier mon mot de passe"),
        rules: PasswordRules::of(state.accounts.policy()),
        problems,
    };
    Ok(answer(&page.problems, render(&page)?))
}

pub async fn form(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    page(&state, &member, Problems::none())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

pub async fn change(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    // A member's visitor always holds their session; its digest is the one that stays open.
    let session = member
        .visitor
        .session
        .as_ref()
        .ok_or_else(|| AppError::unexpected("member without session"))?;
    match state
        .accounts
        .change_password(
            member.id,
            &form.current_password,
            &form.password,
            &form.confirmation,
            &session.token_hash,
            &context,
        )
        .await
    {
        Ok(()) => Ok(done(Done::Password)),
        Err(error) => page(&state, &member, refusal(&state, error)?),
    }
}
