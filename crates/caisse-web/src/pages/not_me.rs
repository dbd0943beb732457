//! « Ce n'était pas moi »: the link at the end of every security mail. The page explains what
//! will happen; the button does it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caisse_core::accounts::AccountError;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, Visitor};

#[derive(Template)]
#[template(path = "not_me.html")]
struct NotMePage {
    layout: Layout,
    token: String,
    state: &'static str,
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    token: String,
    step: &'static str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = NotMePage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Signaler une opération",
            "connexion",
        ),
        token,
        state: step,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn confirm_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match state.accounts.check_not_me(&token).await {
        Ok(()) => page(&state, &visitor, token, "confirmer", StatusCode::OK),
        Err(AccountError::Unusable) => page(
            &state,
            &visitor,
            String::new(),
            "inutilisable",
            StatusCode::GONE,
        ),
        Err(error) => Err(AppError::from_account(error)),
    }
}

#[derive(Deserialize)]
pub struct EmptyForm {}

pub async fn report(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    match state.accounts.not_me(&token, &context).await {
        Ok(()) => page(&state, &visitor, String::new(), "fait", StatusCode::OK),
        Err(AccountError::Unusable) => page(
            &state,
            &visitor,
            String::new(),
            "inutilisable",
            StatusCode::GONE,
        ),
        Err(error) => Err(AppError::from_account(error)),
    }
}
