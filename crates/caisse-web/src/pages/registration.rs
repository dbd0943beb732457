//! « Je crée mon compte »: `/inscription` (the form), `/inscription/envoyee` (the one answer
//! to every well-formed request) and `/inscription/activer/{token}` (the link of the mail:
//! a page with a button, since mail scanners open links).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::{AccountError, Registration};
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Problems, echo};
use crate::layout::Layout;
use crate::pages::password_reset::{PasswordRules, parse_birth_date};
use crate::pages::render;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, Visitor};

/// The answer to every well-formed registration, matched or not.
pub const REGISTRATION_ANSWER: &str = "Si ces informations correspondent à votre dossier, vous allez recevoir un e-mail pour activer votre compte, à l'adresse que vous avez indiquée. Le lien qu'il contient est valable 24 heures.";

/// Where the login page says the account is active.
pub const AFTER_ACTIVATION: &str = "/connexion?compte=active";

#[derive(Template)]
#[template(path = "registration/form.html")]
struct FormPage {
    layout: Layout,
    form: RegistrationForm,
    problems: Problems,
    rules: PasswordRules,
    /// Shows « S'identifier avec FranceConnect » (a matched file then gets its account).
    franceconnect: bool,
    /// Where FranceConnect's login leads.
    next: &'static str,
}

#[derive(Template)]
#[template(path = "registration/sent.html")]
struct SentPage {
    layout: Layout,
    answer: &'static str,
}

#[derive(Template)]
#[template(path = "registration/activate.html")]
struct ActivatePage {
    layout: Layout,
    token: String,
}

#[derive(Template)]
#[template(path = "registration/link_refused.html")]
struct LinkRefusedPage {
    layout: Layout,
}

/// What the form posts. `Debug` shows none of it: identity, bank details and password.
#[derive(Clone, Default, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    nir: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    vitale_serial: String,
    #[serde(default)]
    iban: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
    #[serde(default)]
    terms: Option<String>,
}

impl std::fmt::Debug for RegistrationForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistrationForm").finish_non_exhaustive()
    }
}

fn form_page(
    state: &AppState,
    visitor: &Visitor,
    form: RegistrationForm,
    problems: Problems,
) -> Result<Response, AppError> {
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let policy = state.accounts.policy();
    // Never echo secrets; trim what is echoed.
    let form = RegistrationForm {
        nir: echo(&form.nir, 32),
        birth_date: echo(&form.birth_date, 16),
        vitale_serial: echo(&form.vitale_serial, 32),
        iban: echo(&form.iban, 48),
        email: echo(&form.email, 254),
        phone: echo(&form.phone, 24),
        password: String::new(),
        confirmation: String::new(),
        terms: form.terms,
    };
    let page = FormPage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Créer mon compte",
            "connexion",
        ),
        form,
        problems,
        rules: PasswordRules::of(policy),
        franceconnect: state.franceconnect.is_some(),
        next: "/",
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn form(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    form_page(
        &state,
        &visitor,
        RegistrationForm::default(),
        Problems::none(),
    )
}

pub async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(form): CsrfForm<RegistrationForm>,
) -> Result<Response, AppError> {
    let registration = Registration {
        nir: &form.nir,
        birth_date: parse_birth_date(&form.birth_date),
        vitale_serial: &form.vitale_serial,
        iban: &form.iban,
        email: &form.email,
        phone: &form.phone,
        password: &form.password,
        confirmation: &form.confirmation,
        accepts_terms: form.terms.is_some(),
    };
    match state.accounts.register(registration, &context).await {
        Ok(()) => Ok(Redirect::to("/inscription/envoyee").into_response()),
        Err(AccountError::Invalid(problems)) => {
            form_page(&state, &visitor, form, Problems::from(problems))
        }
        Err(error) => Err(AppError::from_account(error)),
    }
}

pub async fn sent(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    let page = SentPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            "Demande enregistrée",
            "connexion",
        ),
        answer: REGISTRATION_ANSWER,
    };
    Ok(render(&page)?.into_response())
}

pub async fn activation_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match state.accounts.check_activation(&token).await {
        Ok(()) => {
            let page = ActivatePage {
                layout: Layout::new(
                    &visitor,
                    &state.config.brand,
                    "Activer mon compte",
                    "connexion",
                ),
                token,
            };
            Ok(render(&page)?.into_response())
        }
        Err(AccountError::Unusable) => link_refused(&state, &visitor),
        Err(error) => Err(AppError::from_account(error)),
    }
}

#[derive(Deserialize)]
pub struct EmptyForm {}

pub async fn activate(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    match state.accounts.activate(&token, &context).await {
        Ok(()) => Ok(Redirect::to(AFTER_ACTIVATION).into_response()),
        Err(AccountError::Unusable) => link_refused(&state, &visitor),
        Err(error) => Err(AppError::from_account(error)),
    }
}

fn link_refused(state: &AppState, visitor: &Visitor) -> Result<Response, AppError> {
    let page = LinkRefusedPage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Lien d'activation inutilisable",
            "connexion",
        ),
    };
    Ok((StatusCode::GONE, render(&page)?).into_response())
}
