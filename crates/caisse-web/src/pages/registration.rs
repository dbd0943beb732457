//! « Je crée mon compte »: `/inscription` (the form), `/inscription/envoyee` (the one answer
//! to every well-formed request) and `/inscription/activer/{token}` (the link of the mail:
//! a page with a button, since mail scanners open links).
//!
//! A refused form shows one message per field, in the words of the field's hint: an empty
//! field is told « Saisissez … », and the passwords typed are given back (the member
//! should not type them twice more for a typo in another field).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::{AccountError, FormProblem, Registration};
use caisse_domain::{NirError, PasswordError, PasswordPolicy};
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
    // Trim what is echoed. The passwords come back too, escaped like every value: the
    // page is the member's own answer to their own request, never cached (no-store).
    let form = RegistrationForm {
        nir: echo(&form.nir, 32),
        birth_date: echo(&form.birth_date, 16),
        vitale_serial: echo(&form.vitale_serial, 32),
        iban: echo(&form.iban, 48),
        email: echo(&form.email, 254),
        phone: echo(&form.phone, 24),
        password: echo(&form.password, policy.max_length + 1),
        confirmation: echo(&form.confirmation, policy.max_length + 1),
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
            let problems = one_per_field(problems, &form, state.accounts.policy());
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

/// The fields of the form in their order, each with what an empty one is told.
const FIELDS: [(&str, &str); 8] = [
    ("nir", "Saisissez votre numéro de sécurité sociale."),
    ("birth_date", "Saisissez votre date de naissance."),
    (
        "vitale_serial",
        "Saisissez le numéro de série de votre carte Vitale.",
    ),
    ("iban", "Saisissez l'IBAN du compte de vos remboursements."),
    ("email", "Saisissez votre adresse e-mail."),
    ("phone", "Saisissez votre numéro de téléphone mobile."),
    ("password", "Saisissez un mot de passe."),
    ("confirmation", "Saisissez à nouveau votre mot de passe."),
];

/// The message of an invalid NIR whose length is wrong, in the words of the field's hint
/// (the domain's own names only the 15-character form; the form takes 13 too).
const NIR_LENGTH: &str = "Saisissez les 13 ou 15 caractères de votre numéro de sécurité sociale, \
                          tels qu'ils figurent sur votre carte Vitale.";

/// The message of a birth date that does not parse, in the words of the field's hint.
const BIRTH_DATE_FORMAT: &str =
    "Saisissez une date de naissance valide au format JJ/MM/AAAA, par exemple 14/05/1985.";

/// One problem per field, in the order of the form: « Saisissez … » for an empty field,
/// otherwise the first of the field's problems, reworded where the rule has other words
/// on the page (length of the NIR and of the password, format of the date). The
/// confirmation of an empty password says nothing more.
fn one_per_field(
    problems: Vec<FormProblem>,
    form: &RegistrationForm,
    policy: &PasswordPolicy,
) -> Vec<FormProblem> {
    let value = |field: &str| -> &str {
        match field {
            "nir" => &form.nir,
            "birth_date" => &form.birth_date,
            "vitale_serial" => &form.vitale_serial,
            "iban" => &form.iban,
            "email" => &form.email,
            "phone" => &form.phone,
            "password" => &form.password,
            _ => &form.confirmation,
        }
    };
    let length_rule = format!(
        "Votre mot de passe doit contenir entre {} et {} caractères.",
        policy.min_length, policy.max_length
    );
    let too_short = PasswordError::TooShort {
        min: policy.min_length,
    }
    .message_fr();
    let too_long = PasswordError::TooLong {
        max: policy.max_length,
    }
    .message_fr();
    let mut kept = Vec::new();
    for (field, empty) in FIELDS {
        let Some(first) = problems.iter().find(|p| p.field == field) else {
            continue;
        };
        let message = if value(field).trim().is_empty() {
            if field == "confirmation" && form.password.is_empty() {
                continue;
            }
            empty.to_owned()
        } else {
            match (field, first.message.as_str()) {
                ("nir", m) if m == NirError::BadLength.message_fr() => NIR_LENGTH.to_owned(),
                ("birth_date", _) => BIRTH_DATE_FORMAT.to_owned(),
                ("password", m) if m == too_short || m == too_long => length_rule.clone(),
                (_, m) => m.to_owned(),
            }
        };
        kept.push(FormProblem {
            field: first.field,
            message,
        });
    }
    // Any other field (the terms) keeps its first problem.
    for problem in problems {
        let listed = FIELDS.iter().any(|(field, _)| *field == problem.field);
        if !listed && !kept.iter().any(|p| p.field == problem.field) {
            kept.push(problem);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(field: &'static str, message: &str) -> FormProblem {
        FormProblem {
            field,
            message: message.to_owned(),
        }
    }

    #[test]
    fn each_field_keeps_one_problem_and_empty_ones_say_saisissez() {
        let form = RegistrationForm {
            nir: "1 85".to_owned(),
            password: "court".to_owned(),
            terms: None,
            ..RegistrationForm::default()
        };
        let policy = PasswordPolicy::default();
        let problems = vec![
            problem("nir", NirError::BadLength.message_fr()),
            problem(
                "birth_date",
                "Saisissez votre date de naissance (jour, mois, année).",
            ),
            problem("email", "Veuillez saisir votre adresse e-mail."),
            problem("password", PasswordError::TooShort { min: 12 }.message_fr()),
            problem("password", PasswordError::MissingUppercase.message_fr()),
            problem("confirmation", "La confirmation ne correspond pas."),
            problem("terms", "Acceptez."),
        ];
        let kept = one_per_field(problems, &form, &policy);
        let fields: Vec<&str> = kept.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "nir",
                "birth_date",
                "email",
                "password",
                "confirmation",
                "terms"
            ]
        );
        assert_eq!(kept[0].message, NIR_LENGTH);
        assert_eq!(kept[1].message, "Saisissez votre date de naissance.");
        assert_eq!(kept[2].message, "Saisissez votre adresse e-mail.");
        assert_eq!(
            kept[3].message,
            "Votre mot de passe doit contenir entre 12 et 128 caractères."
        );
        assert_eq!(kept[4].message, "Saisissez à nouveau votre mot de passe.");
    }

    #[test]
    fn an_empty_password_is_not_asked_twice() {
        let form = RegistrationForm::default();
        let problems = vec![
            problem("password", "trop court"),
            problem("confirmation", "ne correspond pas"),
        ];
        let kept = one_per_field(problems, &form, &PasswordPolicy::default());
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].message, "Saisissez un mot de passe.");
    }
}
