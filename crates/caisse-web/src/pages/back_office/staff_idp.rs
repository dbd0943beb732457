//! Staff login through the fund's identity provider (`/agent/connexion/oidc`): the button
//! sends the browser there, the return opens a staff session without the TOTP step (the
//! provider authenticated the person, with its own second factor).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::oidc::staff_idp::{StaffIdp, StaffIdpError};
use caisse_core::oidc::{FlowError, OidcError};
use caisse_core::sessions::SubjectKind;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::pages::back_office::login::login_page;
use crate::pages::franceconnect::CallbackQuery;
use crate::pages::member_login::{EmptyForm, open_session};
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::{Client, Visitor};

fn configured(state: &AppState) -> Result<&StaffIdp, AppError> {
    state.staff_idp.as_ref().ok_or(AppError::NotFound)
}

/// The button: sends the browser to the fund's provider.
pub async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let idp = configured(&state)?;
    match idp.start(&visitor.cookie_value, "/agent").await {
        Ok(url) => Ok(Redirect::to(url.as_str()).into_response()),
        Err(FlowError::Provider(error)) => {
            tracing::warn!(%error, "the staff provider cannot be reached");
            login_page(&state, &visitor, String::new(), Some(UNAVAILABLE))
        }
        Err(error) => Err(AppError::unexpected(error)),
    }
}

const UNAVAILABLE: &str = "Le fournisseur d'identité de la caisse ne répond pas. Réessayez dans quelques minutes ; en cas d'urgence, utilisez un compte de secours.";

/// The provider sends the browser back here.
pub async fn callback(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let idp = configured(&state)?;
    let answer = query.answer();
    let refusal = match idp.callback(&visitor.cookie_value, answer, &context).await {
        Ok(login) => {
            let (response, token) = open_session(
                &state,
                &visitor,
                SubjectKind::Staff,
                login.staff_id,
                &context,
                &login.next,
            )
            .await?;
            idp.attach_session(&token, &login).await?;
            return Ok(response);
        }
        Err(StaffIdpError::Flow(FlowError::Provider(OidcError::Unavailable(_)))) => UNAVAILABLE,
        Err(StaffIdpError::Flow(FlowError::UnknownState)) => {
            "Cette connexion a expiré ou a été ouverte dans un autre navigateur. Recommencez."
        }
        Err(StaffIdpError::Flow(FlowError::Cancelled(_))) => {
            "La connexion a été annulée sur le fournisseur d'identité."
        }
        Err(StaffIdpError::Flow(FlowError::Provider(_))) => {
            "La réponse du fournisseur d'identité n'a pas passé nos contrôles de sécurité."
        }
        Err(StaffIdpError::NoLogin | StaffIdpError::Unknown | StaffIdpError::NotAllowed) => {
            "Votre identité est reconnue, mais aucun compte agent actif ne lui correspond dans cette caisse. Adressez-vous à un administrateur."
        }
        Err(StaffIdpError::NoRole) => {
            "Votre identité est reconnue, mais aucun de vos groupes ne donne accès à l'espace agents. Adressez-vous à un administrateur."
        }
        Err(StaffIdpError::Flow(FlowError::Core(error)) | StaffIdpError::Core(error)) => {
            return Err(error.into());
        }
    };
    login_page(&state, &visitor, String::new(), Some(refusal))
}
