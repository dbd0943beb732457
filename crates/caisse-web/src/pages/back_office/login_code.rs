//! The staff's second step, after the right password: `/agent/connexion/code` (the code of the
//! authenticator app) and `/agent/connexion/enrolement` (configuring the app, with its QR code
//! at `/agent/connexion/enrolement/qr.svg`, then its first code).
//!
//! Every page reads the pending login of *this* browser (its cookie), never an id from the
//! address: another browser, or this one once the login has ended, is sent back to the password.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::sessions::SubjectKind;
use caisse_core::staff_login::{PendingEnrolment, StaffCodeError, StaffStep};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::Problems;
use crate::layout::Layout;
use crate::pages::back_office::login::{locked_message, login_page};
use crate::pages::member_login::start_session;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, Visitor};

/// Where the code is typed.
pub const CODE_PATH: &str = "/agent/connexion/code";
/// Where an authenticator app is configured.
pub const ENROLMENT_PATH: &str = "/agent/connexion/enrolement";
const LOGIN_PATH: &str = "/agent/connexion";

const WRONG_CODE: &str = "Ce code n'est pas le bon. Saisissez les 6 chiffres affichés en ce moment par votre application d'authentification ; vérifiez que l'heure de votre téléphone est à jour.";
const USED_CODE: &str = "Ce code a déjà servi. Attendez que votre application en affiche un nouveau (toutes les 30 secondes), puis saisissez-le.";
const EXPIRED: &str = "Votre connexion a expiré ou a commencé dans un autre navigateur. Saisissez à nouveau votre identifiant et votre mot de passe.";

#[derive(Template)]
#[template(path = "back_office/login_code.html")]
struct CodePage {
    layout: Layout,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "back_office/enrolment.html")]
struct EnrolmentPage {
    layout: Layout,
    login: String,
    secret_grouped: String,
    uri: String,
    problems: Problems,
}

fn code_page(
    state: &AppState,
    visitor: &Visitor,
    problems: Problems,
) -> Result<Response, AppError> {
    let page = CodePage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Code de connexion à l'espace agents",
            "agent",
        ),
        problems,
    };
    Ok(render(&page)?.into_response())
}

fn enrolment_page(
    state: &AppState,
    visitor: &Visitor,
    enrolment: &PendingEnrolment,
    problems: Problems,
) -> Result<Response, AppError> {
    let page = EnrolmentPage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Configurer le code de connexion à l'espace agents",
            "agent",
        ),
        login: enrolment.login.clone(),
        secret_grouped: enrolment.secret.base32_grouped(),
        uri: enrolment
            .secret
            .otpauth_uri(&state.config.brand.name, &enrolment.login)?,
        problems,
    };
    Ok(render(&page)?.into_response())
}

/// The page this browser's pending login asks for, with `refusal` beside the code; the
/// password page when it has none.
async fn pending_page(
    state: &AppState,
    visitor: &Visitor,
    refusal: &'static str,
) -> Result<Response, AppError> {
    let problems = || Problems::one("code", refusal);
    match state.auth.staff_pending(&visitor.cookie_value).await? {
        Some(StaffStep::Code) => code_page(state, visitor, problems()),
        Some(StaffStep::Enrol) => match state.auth.staff_enrolment(&visitor.cookie_value).await? {
            Some(enrolment) => enrolment_page(state, visitor, &enrolment, problems()),
            None => login_page(state, visitor, String::new(), Some(EXPIRED)),
        },
        None => login_page(state, visitor, String::new(), Some(EXPIRED)),
    }
}

/// `GET /agent/connexion/code`.
pub async fn code_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    match state.auth.staff_pending(&visitor.cookie_value).await? {
        Some(StaffStep::Code) => code_page(&state, &visitor, Problems::none()),
        Some(StaffStep::Enrol) => Ok(Redirect::to(ENROLMENT_PATH).into_response()),
        None => Ok(Redirect::to(LOGIN_PATH).into_response()),
    }
}

/// `GET /agent/connexion/enrolement`.
pub async fn enrolment_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    match state.auth.staff_enrolment(&visitor.cookie_value).await? {
        Some(enrolment) => enrolment_page(&state, &visitor, &enrolment, Problems::none()),
        None => code_form(State(state), visitor).await,
    }
}

/// `GET /agent/connexion/enrolement/qr.svg`: the `otpauth://` URI of the pending enrolment as a
/// QR code. It holds the secret: not found for any other browser, never cached (the security
/// headers add `no-store`).
pub async fn enrolment_qr(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    let Some(enrolment) = state.auth.staff_enrolment(&visitor.cookie_value).await? else {
        return Err(AppError::NotFound);
    };
    let uri = enrolment
        .secret
        .otpauth_uri(&state.config.brand.name, &enrolment.login)?;
    let svg = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M)
        .map_err(AppError::unexpected)?
        .render::<svg::Color<'_>>()
        .min_dimensions(232, 232)
        .quiet_zone(true)
        .build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /agent/connexion/code` and `POST /agent/connexion/enrolement`: the pending login says
/// which secret the code is checked against.
pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    match state
        .auth
        .staff_confirm(&visitor.cookie_value, &form.code, &context)
        .await
    {
        Ok(staff_id) => {
            start_session(
                &state,
                &visitor,
                SubjectKind::Staff,
                staff_id,
                &context,
                "/agent",
            )
            .await
        }
        Err(StaffCodeError::Wrong) => pending_page(&state, &visitor, WRONG_CODE).await,
        Err(StaffCodeError::Replayed) => pending_page(&state, &visitor, USED_CODE).await,
        Err(StaffCodeError::Locked { until }) => login_page(
            &state,
            &visitor,
            String::new(),
            Some(&locked_message(until - state.clock.now())),
        ),
        Err(StaffCodeError::NoPendingLogin) => {
            login_page(&state, &visitor, String::new(), Some(EXPIRED))
        }
        Err(StaffCodeError::Core(error)) => Err(error.into()),
    }
}
