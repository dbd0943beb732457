//! `/profil/cloture`: the member closes their portal account (the member file and their rights
//! stay). The current password and a ticked box confirm it; every session ends, this browser's
//! too, and `/profil/cloture/effectuee` says what happened and how to come back.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Problems, answer, layout, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::member_login::end_session;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember, Visitor};

const CLOSED: &str = "/profil/cloture/effectuee";

#[derive(Template)]
#[template(path = "profile/closure.html")]
struct ClosurePage {
    layout: Layout,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "profile/closure_done.html")]
struct ClosedPage {
    layout: Layout,
}

fn page(
    state: &AppState,
    member: &CurrentMember,
    problems: Problems,
) -> Result<Response, AppError> {
    let page = ClosurePage {
        layout: layout(state, member, "Fermer mon compte en ligne"),
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
pub struct ClosureForm {
    #[serde(default)]
    current_password: String,
    /// The ticked box; absent when not ticked.
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn close(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<ClosureForm>,
) -> Result<Response, AppError> {
    if form.confirm.is_none() {
        return page(
            &state,
            &member,
            Problems::one(
                "confirm",
                "Cochez la case pour confirmer que vous voulez fermer votre compte en ligne.",
            ),
        );
    }
    match state
        .accounts
        .close_account(member.id, &form.current_password, &context)
        .await
    {
        Ok(()) => end_session(&state, &member.visitor, CLOSED).await,
        Err(error) => page(&state, &member, refusal(&state, error)?),
    }
}

pub async fn closed(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    let page = ClosedPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            "Votre compte en ligne est fermé",
            "connexion",
        ),
    };
    Ok(render(&page)?.into_response())
}
