//! Procedures filed without an account (« Mes remboursements simplifiés »):
//! `GET`/`POST /demarches/sans-compte/{code}`. One page holds the filer's identity, every
//! step's questions and the files; core checks the identity against the member file and
//! writes nothing unless it matches. Only procedures marked `public` answer; others are 404.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caisse_core::demarches::{
    DossierError, FamilyPerson, IDENTITY_BIRTH_DATE, IDENTITY_LAST_NAME, IDENTITY_NIR, PieceUpload,
    PublicIdentity,
};
use caisse_domain::demarches::answers::{ParseContext, merge_step, read_step_partly};
use caisse_domain::demarches::{Answers, Definition, FieldError, RawInput};
use caisse_domain::messaging::size_fr;

use super::fields::{FieldView, StepContext, errors_by_input};
use crate::csrf::CsrfUpload;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::Visitor;

/// One step's title and questions.
struct StepBlock {
    title: String,
    fields: Vec<FieldView>,
}

/// The identity's three inputs.
struct IdentityInput {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: String,
    autocomplete: &'static str,
    input_type: &'static str,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "demarches/public.html")]
struct PublicPage {
    layout: Layout,
    action: String,
    title: String,
    summary: String,
    identity: Vec<IdentityInput>,
    steps: Vec<StepBlock>,
    errors: Vec<(String, String)>,
    /// The reference of the dossier just filed.
    filed: Option<String>,
}

fn definition(state: &AppState, code: &str) -> Result<std::sync::Arc<Definition>, AppError> {
    state
        .demarches
        .procedure(code)
        .filter(|d| d.public)
        .ok_or(AppError::NotFound)
}

/// The filer is the only person a form without account may concern.
fn yourself() -> Vec<FamilyPerson> {
    vec![FamilyPerson {
        rank: 1,
        name: "Vous-même".to_owned(),
        birth_date: time::Date::MIN,
    }]
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    definition: &Definition,
    raw: &RawInput,
    errors: &[FieldError],
    filed: Option<String>,
) -> Result<Response, AppError> {
    let today = caisse_domain::paris_time::paris_time(state.clock.now()).date();
    // Conditions read what was typed, so fields shown by an answer appear once sent.
    let mut answers = Answers::new();
    for step in &definition.steps {
        let context = ParseContext {
            today,
            family_ranks: &[1],
        };
        let (read, _) = read_step_partly(definition, step.id.as_str(), raw, context, &answers);
        merge_step(definition, step.id.as_str(), &mut answers, read);
    }
    let by_input = errors_by_input(errors);
    let family = yourself();
    let context = StepContext {
        view: None,
        definition,
        family: &family,
        answers: &answers,
        raw,
        errors: &by_input,
        empty_rows: 0,
        max_file_size: size_fr(state.messaging.settings().attachments.max_file_bytes as u64),
    };
    let steps = definition
        .steps
        .iter()
        .map(|step| StepBlock {
            title: step.title.clone(),
            fields: context.fields(&step.fields),
        })
        .collect();
    let identity_input =
        |name: &'static str, label, hint, autocomplete, input_type| IdentityInput {
            name,
            label,
            hint,
            value: raw.get(name).cloned().unwrap_or_default(),
            autocomplete,
            input_type,
            errors: by_input.get(name).cloned().unwrap_or_default(),
        };
    let identity = vec![
        identity_input(
            IDENTITY_NIR,
            "Numéro de sécurité sociale",
            "15 caractères, tels qu'ils figurent sur votre carte Vitale.",
            "off",
            "text",
        ),
        identity_input(
            IDENTITY_LAST_NAME,
            "Nom",
            "Votre nom de naissance ou d'usage.",
            "family-name",
            "text",
        ),
        identity_input(
            IDENTITY_BIRTH_DATE,
            "Date de naissance",
            "Par exemple 14/03/1980.",
            "bday",
            "date",
        ),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PublicPage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            definition.title.clone(),
            "demarches",
        ),
        action: format!("/demarches/sans-compte/{}", definition.code),
        title: definition.title.clone(),
        summary: definition.summary.clone(),
        identity,
        steps,
        errors: errors
            .iter()
            .map(|e| (e.input.clone(), e.message_fr.clone()))
            .collect(),
        filed,
    };
    Ok((status, render(&page)?).into_response())
}

/// `GET /demarches/sans-compte/{code}`.
pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let definition = definition(&state, &code)?;
    page(&state, &visitor, &definition, &RawInput::new(), &[], None)
}

/// `POST /demarches/sans-compte/{code}` (multipart: answers, identity, `piece.<field>` files).
pub async fn file(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    CsrfUpload(mut upload): CsrfUpload,
) -> Result<Response, AppError> {
    let definition = definition(&state, &code)?;
    let raw: RawInput = upload
        .pairs()
        .iter()
        .filter(|(name, _)| name != "csrf_token")
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    let identity = PublicIdentity {
        nir: raw.get(IDENTITY_NIR).cloned().unwrap_or_default(),
        last_name: raw.get(IDENTITY_LAST_NAME).cloned().unwrap_or_default(),
        birth_date: raw.get(IDENTITY_BIRTH_DATE).cloned().unwrap_or_default(),
    };
    let files: Vec<(String, PieceUpload)> = std::mem::take(&mut upload.named_files);
    let outcome = state
        .demarches
        .file_public(&code, &identity, &raw, files)
        .await;
    let errors = match outcome {
        Ok(reference) => {
            return page(
                &state,
                &visitor,
                &definition,
                &RawInput::new(),
                &[],
                Some(reference),
            );
        }
        Err(DossierError::Invalid(errors) | DossierError::Incomplete(errors)) => errors,
        Err(DossierError::Files(problems)) => {
            // Beside the first file input: core names no field for a refused file.
            let first = definition
                .fields()
                .find(|f| f.kind.is_files())
                .map_or_else(String::new, |f| f.id.to_string());
            problems
                .into_iter()
                .map(|p| FieldError {
                    input: first.clone(),
                    message_fr: p.message,
                })
                .collect()
        }
        Err(error @ (DossierError::IdentityNotFound | DossierError::Locked)) => vec![FieldError {
            input: IDENTITY_NIR.to_owned(),
            message_fr: error.message_fr(),
        }],
        Err(DossierError::UnknownProcedure) => return Err(AppError::NotFound),
        Err(other) => return Err(super::refusal(other)),
    };
    page(&state, &visitor, &definition, &raw, &errors, None)
}
