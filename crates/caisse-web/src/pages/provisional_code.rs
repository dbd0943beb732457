//! Provisional codes by post: `/code-provisoire/demande` (NIR and birth date; one answer for
//! all) and `/code-provisoire` (NIR, the code of the letter and a definitive password). The
//! code proves the postal address on file, so a successful entry opens a session and trusts
//! the browser at once.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use caisse_core::accounts::AccountError;
use caisse_core::sessions::SubjectKind;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Problems, echo};
use crate::layout::Layout;
use crate::pages::member_login::{locked_message, start_session};
use crate::pages::password_reset::{PasswordRules, parse_birth_date};
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, Visitor, device_cookie_header};

/// The answer to every well-formed request.
pub const REQUEST_ANSWER: &str = "Si ces informations correspondent à votre dossier, un code provisoire vous est envoyé par courrier, à l'adresse postale connue de votre caisse. Comptez quelques jours.";

/// One answer for an unknown number and a wrong, expired or used code.
pub const CODE_REFUSED: &str = "Le numéro de sécurité sociale et le code provisoire ne correspondent pas, ou ce code n'est plus valable. Vérifiez le courrier le plus récent, ou demandez un nouveau code.";

#[derive(Template)]
#[template(path = "provisional/request.html")]
struct RequestPage {
    layout: Layout,
    nir: String,
    birth_date: String,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "provisional/sent.html")]
struct SentPage {
    layout: Layout,
    answer: &'static str,
}

#[derive(Template)]
#[template(path = "provisional/redeem.html")]
struct RedeemPage {
    layout: Layout,
    nir: String,
    problems: Problems,
    rules: PasswordRules,
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    nir: String,
    #[serde(default)]
    birth_date: String,
}

#[derive(Deserialize)]
pub struct RedeemForm {
    #[serde(default)]
    nir: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

fn request_page(
    state: &AppState,
    visitor: &Visitor,
    nir: &str,
    birth_date: &str,
    problems: Problems,
) -> Result<Response, AppError> {
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = RequestPage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Recevoir un code provisoire",
            "connexion",
        ),
        nir: echo(nir, 32),
        birth_date: echo(birth_date, 16),
        problems,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn request_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    request_page(&state, &visitor, "", "", Problems::none())
}

pub async fn request(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> Result<Response, AppError> {
    let birth_date = parse_birth_date(&form.birth_date);
    let mut problems = Vec::new();
    if caisse_core::auth::parse_login_nir(&form.nir).is_none() {
        problems.push(caisse_core::accounts::FormProblem {
            field: "nir",
            message: "Saisissez un numéro de sécurité sociale valide : 13 ou 15 caractères, tels qu'ils figurent sur votre carte Vitale.".to_owned(),
        });
    }
    if birth_date.is_none() {
        problems.push(caisse_core::accounts::FormProblem {
            field: "birth_date",
            message: "Saisissez une date de naissance valide au format JJ/MM/AAAA, par exemple 14/05/1985.".to_owned(),
        });
    }
    if !problems.is_empty() {
        return request_page(
            &state,
            &visitor,
            &form.nir,
            &form.birth_date,
            problems.into(),
        );
    }
    state
        .accounts
        .request_provisional_code(&form.nir, birth_date, &context)
        .await?;
    let page = SentPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            "Demande enregistrée",
            "connexion",
        ),
        answer: REQUEST_ANSWER,
    };
    Ok(render(&page)?.into_response())
}

fn redeem_page(
    state: &AppState,
    visitor: &Visitor,
    nir: &str,
    problems: Problems,
    status: StatusCode,
) -> Result<Response, AppError> {
    let policy = state.accounts.policy();
    let page = RedeemPage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Utiliser mon code provisoire",
            "connexion",
        ),
        nir: echo(nir, 32),
        problems,
        rules: PasswordRules::of(policy),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn redeem_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    redeem_page(&state, &visitor, "", Problems::none(), StatusCode::OK)
}

pub async fn redeem(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(form): CsrfForm<RedeemForm>,
) -> Result<Response, AppError> {
    let result = state
        .accounts
        .redeem_provisional_code(
            &form.nir,
            &form.code,
            &form.password,
            &form.confirmation,
            &context,
        )
        .await;
    let refusal = |errors: Problems| {
        redeem_page(
            &state,
            &visitor,
            &form.nir,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    match result {
        Ok(member_id) => {
            let device = state
                .auth
                .trust_device(member_id, &context.user_agent, &context)
                .await?;
            let mut response = start_session(
                &state,
                &visitor,
                SubjectKind::Member,
                member_id,
                &context,
                "/profil",
            )
            .await?;
            if let Some(cookie) = device_cookie_header(&device, state.config.https) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            Ok(response)
        }
        Err(AccountError::Invalid(problems)) => refusal(problems.into()),
        Err(AccountError::Unusable | AccountError::TooManyAttempts) => {
            refusal(Problems::one("code", CODE_REFUSED))
        }
        Err(AccountError::Locked { until }) => refusal(Problems::one(
            "code",
            locked_message(until - state.clock.now()),
        )),
        Err(error) => Err(AppError::from_account(error)),
    }
}
