//! `/profil/coordonnees-bancaires`: new bank details, after the current password. They apply
//! only after a cool-off period (payout fraud is the classic account takeover), during which
//! the member sees the pending change and can cancel it. A « Ce n'était pas moi » freezes
//! changes until the fund lifts it.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::AccountError;
use serde::Deserialize;

use super::overview::{PendingRow, pending_bank_row};
use super::{Done, Problems, answer, bank_frozen_message, details, done, layout, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};

const PAGE: &str = "/profil/coordonnees-bancaires";

#[derive(Template)]
#[template(path = "profile/bank.html")]
struct BankPage {
    layout: Layout,
    iban_masked: Option<String>,
    pending: Option<PendingRow>,
    cool_off: String,
    frozen: Option<String>,
    problems: Problems,
}

async fn page(
    state: &AppState,
    member: &CurrentMember,
    problems: Problems,
) -> Result<Response, AppError> {
    let on_file = details(state, member).await?;
    let page = BankPage {
        layout: layout(state, member, "Modifier mes coordonnées bancaires"),
        iban_masked: on_file.iban_masked,
        pending: pending_bank_row(state, member).await?,
        cool_off: caisse_domain::french::days_or_hours(
            state.accounts.settings().bank_change_cool_off,
        ),
        frozen: on_file.bank_frozen.then(|| bank_frozen_message(state)),
        problems,
    };
    Ok(answer(&page.problems, render(&page)?))
}

pub async fn form(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    page(&state, &member, Problems::none()).await
}

#[derive(Deserialize)]
pub struct BankForm {
    #[serde(default)]
    iban: String,
    #[serde(default)]
    current_password: String,
}

pub async fn request(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<BankForm>,
) -> Result<Response, AppError> {
    match state
        .accounts
        .request_bank_change(member.id, &form.current_password, &form.iban, &context)
        .await
    {
        Ok(_) => Ok(done(Done::BankRequested)),
        Err(error) => page(&state, &member, refusal(&state, error)?).await,
    }
}

#[derive(Deserialize)]
pub struct EmptyForm {}

pub async fn cancel(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    match state.accounts.cancel_bank_change(member.id, &context).await {
        Ok(()) => Ok(done(Done::BankCancelled)),
        Err(AccountError::Core(error)) => Err(error.into()),
        // Nothing pending any more (applied, or cancelled by a second click): the page shows
        // where things stand.
        Err(_) => Ok(Redirect::to(PAGE).into_response()),
    }
}
