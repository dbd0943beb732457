//! One step of a dossier's form: `GET`/`POST /demarches/dossiers/{id}/etapes/{step}`, and its
//! files: `POST /demarches/dossiers/{id}/pieces/{field}` (multipart) and
//! `POST /demarches/dossiers/{id}/pieces/{piece}/retirer`.
//!
//! Fields whose condition does not hold are not shown; the server evaluates conditions against
//! the dossier's answers and, after a refused submission, what this step's form sent, so a
//! field shown by an answer of the same step appears once the form is sent.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::demarches::{DossierError, DossierView, PieceUpload};
use caisse_domain::demarches::answers::{
    ParseContext, merge_step, read_step_partly, step_of, to_inputs,
};
use caisse_domain::demarches::{
    Answers, DossierState, FieldError, FieldId, FieldKind, RawInput, Step,
};
use caisse_domain::messaging::size_fr;
use serde::Deserialize;
use uuid::Uuid;

use super::fields::{EMPTY_ROWS, ErrorsByInput, FieldView, StepContext, errors_by_input};
use super::{dossier, dossier_href, is_notice, layout, refusal, step_href, summary_href};
use crate::csrf::{CsrfForm, CsrfUpload};
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::attachments::ACCEPT;
use crate::pages::render;
use crate::params::{Path, Query, Ranged};
use crate::state::AppState;
use crate::visitor::CurrentMember;

/// Empty rows a group may be asked to show (« Ajouter une ligne » pressed repeatedly).
type EmptyRows = Ranged<1, 20>;

/// A step in the progress list.
struct StepLink {
    title: String,
    href: String,
    current: bool,
    done: bool,
}

/// One problem of the error summary: the input it links to, and its message.
struct SummaryError {
    anchor: String,
    message: String,
}

#[derive(Template)]
#[template(path = "demarches/step.html")]
struct StepPage {
    layout: Layout,
    dossier_href: String,
    action: String,
    procedure: String,
    reference: String,
    step_title: String,
    /// From 1.
    position: usize,
    total: usize,
    steps: Vec<StepLink>,
    fields: Vec<FieldView>,
    errors: Vec<SummaryError>,
    previous: Option<String>,
    /// The advisor's request, when completing.
    completion: Option<String>,
    empty_rows: usize,
    accept: &'static str,
    dossier_id: Uuid,
}

#[derive(Debug, Default, Deserialize)]
pub struct StepQuery {
    lignes: Option<EmptyRows>,
}

/// Whether the member fills in the dossier now: a draft, or a dossier to complete.
fn fillable(view: &DossierView) -> bool {
    matches!(
        view.state,
        DossierState::Draft | DossierState::AwaitingCompletion
    )
}

/// Today in Paris, for reading dates typed in the form.
fn today(state: &AppState) -> time::Date {
    caisse_domain::paris_time::paris_time(state.clock.now()).date()
}

/// What the step page shows beside the fields.
struct Shown<'a> {
    raw: &'a RawInput,
    answers: &'a Answers,
    errors: &'a [FieldError],
    empty_rows: usize,
}

fn step_page(
    state: &AppState,
    member: &CurrentMember,
    view: &DossierView,
    step: &Step,
    shown: Shown<'_>,
) -> Result<Response, AppError> {
    let definition = &view.definition;
    let index = definition
        .steps
        .iter()
        .position(|s| s.id == step.id)
        .unwrap_or(0);
    let by_input: ErrorsByInput = errors_by_input(shown.errors);
    let context = StepContext {
        view: Some(view),
        definition: &view.definition,
        family: &view.family,
        answers: shown.answers,
        raw: shown.raw,
        errors: &by_input,
        empty_rows: shown.empty_rows,
        max_file_size: size_fr(state.messaging.settings().attachments.max_file_bytes as u64),
    };
    let fields = context.fields(&step.fields);
    let status = if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = if shown.errors.is_empty() {
        format!("{} – {}", step.title, definition.title)
    } else {
        format!("Erreur : {} – {}", step.title, definition.title)
    };
    let page = StepPage {
        layout: layout(state, member, title),
        dossier_href: dossier_href(view.id),
        action: step_href(view.id, step.id.as_str()),
        procedure: definition.title.clone(),
        reference: view.reference.clone(),
        step_title: step.title.clone(),
        position: index + 1,
        total: definition.steps.len(),
        steps: definition
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepLink {
                title: s.title.clone(),
                href: step_href(view.id, s.id.as_str()),
                current: i == index,
                done: i < index,
            })
            .collect(),
        fields,
        errors: shown
            .errors
            .iter()
            .map(|e| SummaryError {
                anchor: anchor_of(view, &e.input),
                message: e.message_fr.clone(),
            })
            .collect(),
        previous: index
            .checked_sub(1)
            .and_then(|i| definition.steps.get(i))
            .map(|s| step_href(view.id, s.id.as_str())),
        completion: (view.state == DossierState::AwaitingCompletion)
            .then(|| view.completion.as_ref().map(|c| c.message.clone()))
            .flatten(),
        empty_rows: shown.empty_rows,
        accept: ACCEPT,
        dossier_id: view.id,
    };
    Ok((status, render(&page)?).into_response())
}

/// The id the error summary links to for `input`: an address as a whole goes to its first
/// line, anything else to the input of the same name.
fn anchor_of(view: &DossierView, input: &str) -> String {
    match view.definition.field(input).map(|f| &f.kind) {
        Some(FieldKind::PostalAddress) => format!("{input}.ligne1"),
        _ => input.to_owned(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
    Path((id, step_id)): Path<(Uuid, String)>,
    Query(query): Query<StepQuery>,
) -> Result<Response, AppError> {
    let view = state
        .demarches
        .dossier(member.id, id)
        .await
        .map_err(refusal)?;
    let step = view
        .definition
        .step(&step_id)
        .ok_or(AppError::NotFound)?
        .clone();
    if !fillable(&view) {
        // Filed: nothing to change any more; the dossier's page shows the answers.
        return Ok(Redirect::to(&dossier_href(id)).into_response());
    }
    let raw = to_inputs(&view.answers);
    let shown = Shown {
        raw: &raw,
        answers: &view.answers,
        errors: &[],
        empty_rows: query.lignes.map_or(EMPTY_ROWS, EmptyRows::as_usize),
    };
    step_page(&state, &member, &view, &step, shown)
}

/// Where « Enregistrer et continuer » leads after `step`: the next step (when completing,
/// the next one with something to change), else the summary.
fn next_href(view: &DossierView, step: &Step) -> String {
    let steps = &view.definition.steps;
    steps
        .iter()
        .skip_while(|s| s.id != step.id)
        .skip(1)
        .find(|s| {
            view.state == DossierState::Draft || s.fields.iter().any(|f| view.editable(&f.id))
        })
        .map_or_else(
            || summary_href(view.id),
            |s| step_href(view.id, s.id.as_str()),
        )
}

pub async fn save(
    State(state): State<AppState>,
    member: CurrentMember,
    Path((id, step_id)): Path<(Uuid, String)>,
    CsrfForm(sent): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let view = state
        .demarches
        .dossier(member.id, id)
        .await
        .map_err(refusal)?;
    let step = view
        .definition
        .step(&step_id)
        .ok_or(AppError::NotFound)?
        .clone();
    let mut action = String::new();
    let mut empty_rows = EMPTY_ROWS;
    let mut raw = RawInput::new();
    for (name, value) in sent {
        match name.as_str() {
            "csrf_token" => {}
            "action" => action = value,
            "lignes" => {
                empty_rows = value
                    .parse()
                    .ok()
                    .and_then(EmptyRows::new)
                    .map_or(EMPTY_ROWS, EmptyRows::as_usize);
            }
            _ => {
                raw.insert(name, value);
            }
        }
    }
    let adding_row = action.strip_prefix("ajouter-ligne:").map(str::to_owned);
    match state
        .demarches
        .save_step(member.id, id, step.id.as_str(), &raw)
        .await
    {
        Ok(()) => {
            let href = match adding_row {
                Some(group) => format!(
                    "{}?lignes={}#{group}",
                    step_href(id, step.id.as_str()),
                    (empty_rows + 1).min(20)
                ),
                None => next_href(&view, &step),
            };
            Ok(Redirect::to(&href).into_response())
        }
        Err(DossierError::Invalid(errors)) => {
            // Conditions see what this form sent: a field it shows appears with its error.
            let ranks: Vec<u8> = view.family.iter().map(|p| p.rank).collect();
            let context = ParseContext {
                today: today(&state),
                family_ranks: &ranks,
            };
            let (read, _) = read_step_partly(
                &view.definition,
                step.id.as_str(),
                &raw,
                context,
                &view.answers,
            );
            let mut answers = view.answers.clone();
            merge_step(&view.definition, step.id.as_str(), &mut answers, read);
            let empty_rows = if adding_row.is_some() {
                empty_rows + 1
            } else {
                empty_rows
            };
            let shown = Shown {
                raw: &raw,
                answers: &answers,
                errors: &errors,
                empty_rows,
            };
            step_page(&state, &member, &view, &step, shown)
        }
        Err(error) if is_notice(&error) => {
            dossier::page_with_notice(&state, &member, id, error.message_fr()).await
        }
        Err(error) => Err(refusal(error)),
    }
}

/// `POST /demarches/dossiers/{id}/pieces/{field}`: files for a files field; back to its step.
pub async fn add_pieces(
    State(state): State<AppState>,
    member: CurrentMember,
    Path((id, field_id)): Path<(Uuid, String)>,
    CsrfUpload(mut upload): CsrfUpload,
) -> Result<Response, AppError> {
    let view = state
        .demarches
        .dossier(member.id, id)
        .await
        .map_err(refusal)?;
    let field = FieldId::parse(&field_id)
        .and_then(|f| view.definition.field(f.as_str()).cloned())
        .filter(|f| f.kind.is_files())
        .ok_or(AppError::NotFound)?;
    let step = step_of(&view.definition, &field.id)
        .and_then(|s| view.definition.step(s))
        .ok_or(AppError::NotFound)?
        .clone();
    let uploads = std::mem::take(&mut upload.files)
        .into_iter()
        .map(|u| PieceUpload {
            name: u.name,
            bytes: u.bytes,
        })
        .collect();
    match state
        .demarches
        .add_pieces(member.id, id, field.id.as_str(), uploads)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("{}#{}", step_href(id, step.id.as_str()), field.id))
                .into_response(),
        ),
        Err(DossierError::Files(problems)) => {
            // The files' problems belong beside this field's file input.
            let errors: Vec<FieldError> = problems
                .into_iter()
                .map(|p| FieldError {
                    input: field.id.to_string(),
                    message_fr: p.message,
                })
                .collect();
            let raw = to_inputs(&view.answers);
            let shown = Shown {
                raw: &raw,
                answers: &view.answers,
                errors: &errors,
                empty_rows: EMPTY_ROWS,
            };
            step_page(&state, &member, &view, &step, shown)
        }
        Err(error) if is_notice(&error) => {
            dossier::page_with_notice(&state, &member, id, error.message_fr()).await
        }
        Err(error) => Err(refusal(error)),
    }
}

/// The CSRF token alone: forms of a single button.
#[derive(Debug, Deserialize)]
pub struct ButtonForm {}

/// `POST /demarches/dossiers/{id}/pieces/{piece}/retirer`: back to the field's step.
pub async fn remove_piece(
    State(state): State<AppState>,
    member: CurrentMember,
    Path((id, piece_id)): Path<(Uuid, Uuid)>,
    CsrfForm(_): CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    let view = state
        .demarches
        .dossier(member.id, id)
        .await
        .map_err(refusal)?;
    let field = view
        .pieces
        .iter()
        .find(|p| p.id == piece_id)
        .map(|p| p.field.clone())
        .ok_or(AppError::NotFound)?;
    match state.demarches.remove_piece(member.id, id, piece_id).await {
        Ok(()) => {
            let href = step_of(&view.definition, &field).map_or_else(
                || dossier_href(id),
                |step| format!("{}#{field}", step_href(id, step)),
            );
            Ok(Redirect::to(&href).into_response())
        }
        Err(error) if is_notice(&error) => {
            dossier::page_with_notice(&state, &member, id, error.message_fr()).await
        }
        Err(error) => Err(refusal(error)),
    }
}
