//! « Mot de passe oublié » for members: `/mot-de-passe-oublie` asks for the NIR, birth date
//! and email address and always answers the same page; `/mot-de-passe-oublie/{token}` is the
//! link of the mail, where the member chooses a new password. Each field shows at most one
//! problem, « Saisissez … » when it was left empty; a refused new password is given back.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::auth::parse_login_nir;
use caisse_core::password_reset::{PasswordProblem, ResetError, ResetRequest};
use caisse_domain::{ALLOWED_SPECIALS, Email, PasswordError, PasswordPolicy};
use serde::Deserialize;
use time::{Date, Month};

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, Visitor};

/// The one answer to every well-formed request, matched or not.
pub const REQUEST_ANSWER: &str = "Si ces informations correspondent à un compte, vous allez recevoir un e-mail contenant un lien valable une heure.";

/// Where the login page shows « Votre mot de passe a été modifié ».
pub const AFTER_RESET: &str = "/connexion?motdepasse=modifie";

/// An error of a form: the message and the id of the field it concerns.
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "password_reset/request.html")]
struct RequestPage {
    layout: Layout,
    nir: String,
    birth_date: String,
    email: String,
    errors: Vec<FieldError>,
}

impl RequestPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

#[derive(Template)]
#[template(path = "password_reset/sent.html")]
struct SentPage {
    layout: Layout,
    answer: &'static str,
}

/// The password rules a form lists before the member types (`partials/password_rules.html`).
pub struct PasswordRules {
    pub min_length: usize,
    pub max_length: usize,
    /// The special characters allowed, separated by spaces.
    pub specials: String,
}

impl PasswordRules {
    /// The rules of this policy.
    pub fn of(policy: &PasswordPolicy) -> PasswordRules {
        PasswordRules {
            min_length: policy.min_length,
            max_length: policy.max_length,
            specials: ALLOWED_SPECIALS
                .iter()
                .map(char::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

#[derive(Template)]
#[template(path = "password_reset/choose.html")]
struct ChoosePage {
    layout: Layout,
    token: String,
    rules: PasswordRules,
    errors: Vec<FieldError>,
    /// What the member typed, given back after a refusal.
    password: String,
    confirmation: String,
}

impl ChoosePage {
    fn errors_for(&self, field: &str) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect()
    }
}

#[derive(Template)]
#[template(path = "password_reset/invalid.html")]
struct InvalidPage {
    layout: Layout,
    heading: &'static str,
    message: &'static str,
}

pub async fn request_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    let page = RequestPage {
        layout: request_layout(&state, &visitor),
        nir: String::new(),
        birth_date: String::new(),
        email: String::new(),
        errors: Vec::new(),
    };
    Ok(render(&page)?.into_response())
}

fn request_layout(state: &AppState, visitor: &Visitor) -> Layout {
    Layout::new(
        visitor,
        &state.config.brand,
        "Mot de passe oublié",
        "connexion",
    )
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    nir: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    email: String,
}

pub async fn request(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> Result<Response, AppError> {
    // Only the form of the input is checked here, never the database: a typo deserves a
    // message, and these messages are the same whether or not the number is known.
    let birth_date = parse_birth_date(&form.birth_date);
    let mut errors = Vec::new();
    let mut check = |field: &'static str, value: &str, valid: bool, empty: &str, invalid: &str| {
        if value.trim().is_empty() {
            errors.push(FieldError {
                field,
                message: empty.to_owned(),
            });
        } else if !valid {
            errors.push(FieldError {
                field,
                message: invalid.to_owned(),
            });
        }
    };
    check(
        "nir",
        &form.nir,
        parse_login_nir(&form.nir).is_some(),
        "Saisissez votre numéro de sécurité sociale.",
        "Saisissez les 13 ou 15 caractères de votre numéro de sécurité sociale, tels qu'ils figurent sur votre carte Vitale.",
    );
    check(
        "birth_date",
        &form.birth_date,
        birth_date.is_some(),
        "Saisissez votre date de naissance.",
        "Saisissez une date de naissance valide au format JJ/MM/AAAA, par exemple 14/05/1985.",
    );
    check(
        "email",
        &form.email,
        Email::parse(form.email.trim()).is_ok(),
        "Saisissez votre adresse e-mail.",
        "Saisissez une adresse e-mail valide, de la forme nom@exemple.fr.",
    );
    if !errors.is_empty() {
        let page = RequestPage {
            layout: request_layout(&state, &visitor),
            nir: form.nir.chars().take(32).collect(),
            birth_date: form.birth_date.chars().take(16).collect(),
            email: form.email.chars().take(254).collect(),
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    state.password_resets.request(
        ResetRequest {
            nir: &form.nir,
            birth_date,
            email: &form.email,
        },
        &context,
    );
    let page = SentPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            "Consultez votre boîte de réception",
            "connexion",
        ),
        answer: REQUEST_ANSWER,
    };
    Ok(render(&page)?.into_response())
}

/// Reads JJ/MM/AAAA, also with `-`, `.` or spaces between the parts, or 8 digits in a row.
pub(crate) fn parse_birth_date(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    let parts: Vec<&str> = if raw.len() == 8 && raw.bytes().all(|b| b.is_ascii_digit()) {
        vec![&raw[..2], &raw[2..4], &raw[4..]]
    } else {
        raw.split(['/', '-', '.', ' '])
            .filter(|p| !p.is_empty())
            .collect()
    };
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 {
        return None;
    }
    let day: u8 = day.parse().ok()?;
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    let year: i32 = year.parse().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

pub async fn choose_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match state.password_resets.check_link(&token).await {
        Ok(()) => choose_page(&state, &visitor, token, Vec::new(), ChooseForm::default()),
        Err(error) => link_refused(&state, &visitor, error),
    }
}

/// The new password and its confirmation; no `Debug`, so neither reaches a log.
#[derive(Default, Deserialize)]
pub struct ChooseForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

pub async fn choose(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ChooseForm>,
) -> Result<Response, AppError> {
    match state
        .password_resets
        .complete(&token, &form.password, &form.confirmation, &context)
        .await
    {
        Ok(()) => Ok(Redirect::to(AFTER_RESET).into_response()),
        Err(ResetError::Rejected(problems)) => {
            let errors = choose_errors(&problems, &form, state.password_resets.policy());
            choose_page(&state, &visitor, token, errors, form)
        }
        Err(error) => link_refused(&state, &visitor, error),
    }
}

/// One problem per field: « Saisissez … » for an empty one (nothing about the confirmation
/// of an empty password), otherwise the field's first problem.
fn choose_errors(
    problems: &[PasswordProblem],
    form: &ChooseForm,
    policy: &PasswordPolicy,
) -> Vec<FieldError> {
    let first = |confirmation: bool| {
        problems
            .iter()
            .find(|p| p.concerns_confirmation() == confirmation)
            .map(|problem| match problem {
                // The words of the rules listed above the field.
                PasswordProblem::Rule(
                    PasswordError::TooShort { .. } | PasswordError::TooLong { .. },
                ) => format!(
                    "Votre mot de passe doit contenir entre {} et {} caractères.",
                    policy.min_length, policy.max_length
                ),
                other => other.message_fr(),
            })
    };
    let mut errors = Vec::new();
    if form.password.is_empty() {
        errors.push(FieldError {
            field: "password",
            message: "Saisissez un nouveau mot de passe.".to_owned(),
        });
        return errors;
    }
    if let Some(message) = first(false) {
        errors.push(FieldError {
            field: "password",
            message,
        });
    }
    if let Some(message) = first(true) {
        let message = if form.confirmation.is_empty() {
            "Saisissez à nouveau votre nouveau mot de passe.".to_owned()
        } else {
            message
        };
        errors.push(FieldError {
            field: "confirmation",
            message,
        });
    }
    errors
}

fn choose_page(
    state: &AppState,
    visitor: &Visitor,
    token: String,
    errors: Vec<FieldError>,
    form: ChooseForm,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let max = state.password_resets.policy().max_length + 1;
    let page = ChoosePage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Choisir un nouveau mot de passe",
            "connexion",
        ),
        token,
        rules: PasswordRules::of(state.password_resets.policy()),
        errors,
        password: form.password.chars().take(max).collect(),
        confirmation: form.confirmation.chars().take(max).collect(),
    };
    Ok((status, render(&page)?).into_response())
}

fn link_refused(
    state: &AppState,
    visitor: &Visitor,
    error: ResetError,
) -> Result<Response, AppError> {
    let (status, heading, message) = match error {
        ResetError::UnknownLink | ResetError::Rejected(_) => (
            StatusCode::NOT_FOUND,
            "Lien introuvable",
            "Ce lien de changement de mot de passe n'existe pas. Vérifiez que vous avez copié le lien complet de l'e-mail, ou faites une nouvelle demande.",
        ),
        ResetError::ExpiredLink => (
            StatusCode::GONE,
            "Lien expiré",
            "Ce lien de changement de mot de passe a expiré : il n'est valable qu'une heure. Faites une nouvelle demande pour en recevoir un autre.",
        ),
        ResetError::UsedLink => (
            StatusCode::GONE,
            "Lien déjà utilisé",
            "Ce lien de changement de mot de passe a déjà servi, ou une demande plus récente l'a remplacé. Utilisez le lien du dernier e-mail reçu, ou faites une nouvelle demande.",
        ),
        ResetError::Core(error) => return Err(error.into()),
    };
    let page = InvalidPage {
        layout: Layout::new(visitor, &state.config.brand, heading, "connexion"),
        heading,
        message,
    };
    Ok((status, render(&page)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_birth_date;
    use time::macros::date;

    #[test]
    fn birth_dates_are_read_in_the_french_order_with_any_separator() {
        for raw in [
            "14/05/1985",
            " 14-05-1985 ",
            "14.05.1985",
            "14 05 1985",
            "14051985",
            "14/5/1985",
        ] {
            assert_eq!(parse_birth_date(raw), Some(date!(1985 - 05 - 14)), "{raw}");
        }
        for raw in [
            "",
            "1985-05-14",
            "31/02/1985",
            "14/05/85",
            "14/13/1985",
            "aa/bb/cccc",
        ] {
            assert_eq!(parse_birth_date(raw), None, "{raw}");
        }
    }
}
