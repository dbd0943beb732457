//! The back office's entrance: `/agent/connexion` (the password; the code follows in
//! [`crate::pages::back_office::login_code`]), `/agent/deconnexion`, `/agent`.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::auth::LoginError;
use caisse_core::staff_login::StaffStep;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::back_office::login_code::{CODE_PATH, ENROLMENT_PATH};
use crate::pages::member_login::{EmptyForm, end_session};
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, Viewer, Visitor};

const USE_PROVIDER: &str = "Connectez-vous avec le bouton « Se connecter avec le compte de la caisse » : les mots de passe locaux sont réservés aux comptes de secours.";

const INVALID_CREDENTIALS: &str =
    "L'identifiant et le mot de passe ne correspondent pas. Vérifiez votre saisie.";

#[derive(Template)]
#[template(path = "back_office/login.html")]
struct StaffLoginPage {
    layout: Layout,
    login: String,
    error: Option<String>,
    /// The fund's identity provider is configured: its button comes first.
    sso: bool,
    /// Local passwords remain (no provider, or break-glass logins).
    passwords: bool,
}

/// The answer to a login locked after repeated wrong passwords or codes.
pub(crate) fn locked_message(remaining: time::Duration) -> String {
    format!(
        "Ce compte est temporairement bloqué à la suite de plusieurs erreurs de saisie. \
         Réessayez dans {}, ou demandez à un administrateur de votre caisse.",
        caisse_domain::french::wait(remaining)
    )
}

pub(crate) fn login_page(
    state: &AppState,
    visitor: &Visitor,
    login: String,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let page = StaffLoginPage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Connexion à l'espace agents",
            "agent",
        ),
        login,
        error: error.map(str::to_owned),
        sso: state.staff_idp.is_some(),
        passwords: state
            .staff_idp
            .as_ref()
            .is_none_or(|idp| !idp.rules().break_glass.is_empty()),
    };
    Ok(render(&page)?.into_response())
}

pub async fn login_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    if matches!(visitor.viewer, Viewer::Staff { .. }) {
        return Ok(Redirect::to("/agent").into_response());
    }
    login_page(&state, &visitor, String::new(), None)
}

#[derive(Deserialize)]
pub struct StaffLoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(form): CsrfForm<StaffLoginForm>,
) -> Result<Response, AppError> {
    // With the fund's provider, only its break-glass logins keep a password (decided on the
    // typed login alone: it tells nothing about which accounts exist).
    if let Some(idp) = &state.staff_idp
        && !idp
            .rules()
            .keeps_password(&form.login.trim().to_ascii_lowercase())
    {
        return login_page(&state, &visitor, String::new(), Some(USE_PROVIDER));
    }
    match state
        .auth
        .staff_login(&form.login, &form.password, &visitor.cookie_value, &context)
        .await
    {
        // No session yet: the code (or the enrolment of an app) comes first.
        Ok(StaffStep::Code) => Ok(Redirect::to(CODE_PATH).into_response()),
        Ok(StaffStep::Enrol) => Ok(Redirect::to(ENROLMENT_PATH).into_response()),
        Err(LoginError::InvalidCredentials | LoginError::Suspended) => login_page(
            &state,
            &visitor,
            form.login.chars().take(64).collect(),
            Some(INVALID_CREDENTIALS),
        ),
        Err(LoginError::Locked { until }) => {
            let message = locked_message(until - state.clock.now());
            login_page(
                &state,
                &visitor,
                form.login.chars().take(64).collect(),
                Some(&message),
            )
        }
        Err(LoginError::Core(error)) => Err(error.into()),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let provider_logout = match (&state.staff_idp, &visitor.session) {
        (Some(idp), Some(session)) => idp.logout(&session.token_hash).await?,
        _ => None,
    };
    match provider_logout {
        Some(url) => end_session(&state, &visitor, url.as_str()).await,
        None => end_session(&state, &visitor, "/agent/connexion").await,
    }
}
