//! `/connexion` and `/deconnexion` for members.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::auth::LoginError;
use caisse_core::new_device::AfterPassword;
use caisse_core::sessions::SubjectKind;
use caisse_core::tokens::random_token;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::{
    Client, Visitor, cookie_header, device_cookie_name, read_cookie, safe_next, see_other,
    urlencode,
};

/// One message for every refusal: it must not tell which of the two fields was wrong.
/// What the owner of a suspended account reads after typing the right password.
pub const SUSPENDED: &str = "Par précaution, l'accès à votre compte est suspendu après une activité inhabituelle. Appelez votre caisse : un conseiller vérifiera votre identité et rétablira l'accès.";

pub const INVALID_CREDENTIALS: &str =
    "Le numéro de sécurité sociale et le mot de passe ne correspondent pas. Vérifiez votre saisie.";

/// The answer to an identifier locked after repeated failures, known or not.
pub fn locked_message(remaining: time::Duration) -> String {
    format!(
        "Votre compte est temporairement bloqué à la suite de plusieurs erreurs de saisie. \
         Réessayez dans {}, ou débloquez-le tout de suite en réinitialisant votre mot de passe \
         (lien « Mot de passe oublié ? »).",
        caisse_domain::french::wait(remaining)
    )
}

#[derive(Template)]
#[template(path = "login_member.html")]
struct LoginPage {
    layout: Layout,
    nir: String,
    error: Option<String>,
    next: String,
    /// Shows « S'identifier avec FranceConnect ».
    franceconnect: bool,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    suite: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<LoginQuery>,
) -> Result<Response, AppError> {
    if visitor.session.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let next = safe_next(query.suite.as_deref().unwrap_or("/")).to_owned();
    let page = LoginPage {
        layout: Layout::new(&visitor, &state.config.brand, "Se connecter", "connexion"),
        nir: String::new(),
        error: None,
        next,
        franceconnect: state.franceconnect.is_some(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    nir: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, AppError> {
    match state
        .auth
        .member_login(&form.nir, &form.password, &context)
        .await
    {
        Ok(member_id) => {
            let device = read_cookie(&headers, device_cookie_name(state.config.https));
            let next = safe_next(&form.next);
            match state
                .auth
                .check_device(
                    member_id,
                    device.as_deref(),
                    Some(&visitor.cookie_value),
                    &context,
                )
                .await?
            {
                AfterPassword::Proceed => {
                    start_session(
                        &state,
                        &visitor,
                        SubjectKind::Member,
                        member_id,
                        &context,
                        next,
                    )
                    .await
                }
                AfterPassword::Challenge(id) => Ok(Redirect::to(&format!(
                    "/connexion/code?defi={id}&suite={}",
                    urlencode(next)
                ))
                .into_response()),
            }
        }
        Err(
            refusal @ (LoginError::InvalidCredentials
            | LoginError::Locked { .. }
            | LoginError::Suspended),
        ) => {
            let message = match refusal {
                LoginError::Locked { until } => locked_message(until - state.clock.now()),
                LoginError::Suspended => SUSPENDED.to_owned(),
                _ => INVALID_CREDENTIALS.to_owned(),
            };
            let page = LoginPage {
                layout: Layout::new(&visitor, &state.config.brand, "Se connecter", "connexion"),
                nir: form.nir.chars().take(32).collect(),
                error: Some(message),
                next: safe_next(&form.next).to_owned(),
                franceconnect: state.franceconnect.is_some(),
            };
            Ok(render(&page)?.into_response())
        }
        Err(LoginError::Core(error)) => Err(error.into()),
    }
}

/// Opens a session and replaces the visitor cookie with its token, so a cookie planted before
/// login (session fixation) is worth nothing after it.
pub async fn start_session(
    state: &AppState,
    visitor: &Visitor,
    kind: SubjectKind,
    subject_id: uuid::Uuid,
    context: &caisse_core::audit::RequestContext,
    destination: &str,
) -> Result<Response, AppError> {
    open_session(state, visitor, kind, subject_id, context, destination)
        .await
        .map(|(response, _)| response)
}

/// [`start_session`], also returning the session's token (a login through an identity
/// provider keeps its ID token beside the session).
pub async fn open_session(
    state: &AppState,
    visitor: &Visitor,
    kind: SubjectKind,
    subject_id: uuid::Uuid,
    context: &caisse_core::audit::RequestContext,
    destination: &str,
) -> Result<(Response, String), AppError> {
    if let Some(previous) = &visitor.session {
        state.sessions.close(&previous.token_hash).await?;
    }
    let token = state.sessions.open(kind, subject_id, context).await?;
    let mut response = see_other(destination);
    if let Some(cookie) = cookie_header(&token, state.config.https) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok((response, token))
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// Ends the session and gives the browser a fresh anonymous cookie.
pub async fn end_session(
    state: &AppState,
    visitor: &Visitor,
    destination: &str,
) -> Result<Response, AppError> {
    if let Some(session) = &visitor.session {
        state.sessions.close(&session.token_hash).await?;
    }
    let mut response = Redirect::to(destination).into_response();
    let fresh = random_token().map_err(AppError::unexpected)?;
    if let Some(cookie) = cookie_header(&fresh, state.config.https) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Ends the session; one opened through FranceConnect also ends FranceConnect's
/// (RP-initiated logout with `id_token_hint`), which comes back to `/deconnexion/franceconnect`.
pub async fn logout(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let provider_logout = match (&state.franceconnect, &visitor.session) {
        (Some(franceconnect), Some(session)) => franceconnect.logout(&session.token_hash).await?,
        _ => None,
    };
    match provider_logout {
        Some(url) => end_session(&state, &visitor, url.as_str()).await,
        None => end_session(&state, &visitor, "/").await,
    }
}
