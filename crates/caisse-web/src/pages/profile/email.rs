//! `/profil/email`: a new email address, confirmed by a link sent to it (the old address is
//! told, with « Ce n'était pas moi »). The link, `/profil/email/confirmer/{token}`, works
//! without being logged in; its GET only shows a button, because mail scanners open links and
//! must not confirm anything.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::AccountError;
use serde::Deserialize;

use super::{Problems, answer, details, layout, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember, Visitor};

/// Where the member lands after asking: the link was sent.
const SENT: &str = "/profil/email/lien-envoye";
/// Where the link lands once it confirmed the address.
const CONFIRMED: &str = "/profil/email/confirmee";

#[derive(Template)]
#[template(path = "profile/email.html")]
struct EmailPage {
    layout: Layout,
    current: Option<String>,
    email: String,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "profile/email_sent.html")]
struct SentPage {
    layout: Layout,
    hours: i64,
}

#[derive(Template)]
#[template(path = "profile/email_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    token: String,
}

#[derive(Template)]
#[template(path = "profile/email_confirmed.html")]
struct ConfirmedPage {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "profile/email_unusable.html")]
struct UnusablePage {
    layout: Layout,
    message: String,
}

/// Why a confirmation link did nothing, whatever the reason: unknown, expired or used.
const UNUSABLE: &str = "Ce lien de confirmation n'existe pas, a expiré ou a déjà servi. Si votre \
     adresse n'est toujours pas modifiée, refaites la demande depuis « Mon profil ».";

async fn page(
    state: &AppState,
    member: &CurrentMember,
    email: String,
    problems: Problems,
) -> Result<Response, AppError> {
    let page = EmailPage {
        layout: layout(state, member, "Modifier mon adresse e-mail"),
        current: details(state, member).await?.email,
        email,
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
pub struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    current_password: String,
}

pub async fn request(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Result<Response, AppError> {
    match state
        .accounts
        .request_email_change(
            member.id,
            &form.current_password,
            form.email.trim(),
            &context,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(SENT).into_response()),
        Err(error) => {
            let problems = refusal(&state, error)?;
            let typed = form.email.chars().take(254).collect();
            page(&state, &member, typed, problems).await
        }
    }
}

pub async fn sent(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    let page = SentPage {
        layout: layout(&state, &member, "Confirmez votre nouvelle adresse"),
        hours: state.accounts.settings().link_ttl.whole_hours(),
    };
    Ok(render(&page)?.into_response())
}

pub async fn confirm_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match state.accounts.check_email_change(&token).await {
        Ok(()) => {}
        Err(AccountError::Unusable) => {
            let page = UnusablePage {
                layout: Layout::new(&visitor, &state.config.brand, "Lien inutilisable", "profil"),
                message: UNUSABLE.to_owned(),
            };
            return Ok((StatusCode::GONE, render(&page)?).into_response());
        }
        Err(error) => return Err(AppError::from_account(error)),
    }
    let page = ConfirmPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            "Confirmer ma nouvelle adresse e-mail",
            "profil",
        ),
        token,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct EmptyForm {}

pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let message = match state.accounts.confirm_email_change(&token, &context).await {
        Ok(_) => return Ok(Redirect::to(CONFIRMED).into_response()),
        Err(AccountError::Core(error)) => return Err(error.into()),
        // The address was taken by another account since the request.
        Err(AccountError::Invalid(problems)) => problems
            .into_iter()
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join(" "),
        Err(_) => UNUSABLE.to_owned(),
    };
    let page = UnusablePage {
        layout: Layout::new(&visitor, &state.config.brand, "Lien inutilisable", "profil"),
        message,
    };
    Ok((StatusCode::GONE, render(&page)?).into_response())
}

pub async fn confirmed(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    let page = ConfirmedPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            "Adresse e-mail confirmée",
            "profil",
        ),
    };
    Ok(render(&page)?.into_response())
}
