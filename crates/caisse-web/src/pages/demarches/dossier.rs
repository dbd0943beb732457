//! A dossier's page (`/demarches/dossiers/{id}`): where it stands, its history, what to do
//! next, its answers and files; its summary before filing (`…/recapitulatif`, `…/deposer`,
//! `…/completer`); cancelling (`…/annuler`); and its downloads (files, decision letter, CEAM
//! certificate).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::demarches::{DossierError, DossierView};
use caisse_core::messaging::AttachmentFile;
use caisse_domain::demarches::answers::{is_shown, step_of, unanswered};
use caisse_domain::demarches::{AnswerValue, DossierState, FieldError, FieldId, FieldKind};
use caisse_domain::french::letter_date;
use serde::Deserialize;
use uuid::Uuid;

use super::catalogue::badge_of;
use super::fields::{PieceLine, shown};
use super::form::ButtonForm;
use super::{dossier_href, is_notice, layout, layout_with_error, refusal, step_href, summary_href};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::pages::attachments::file_response;
use crate::pages::{paris_fr, pdf_download, render};
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::CurrentMember;

/// One answer of the summary.
struct AnswerLine {
    label: String,
    value: String,
    /// A group's rows, each as (label, value) pairs.
    rows: Vec<Vec<(String, String)>>,
    /// A files field's files.
    pieces: Vec<PieceLine>,
    files: bool,
}

/// One step of the summary.
struct StepAnswers {
    title: String,
    /// « Modifier », while the member may change something of this step.
    edit_href: Option<String>,
    answers: Vec<AnswerLine>,
}

/// The answers of `view`, step by step, only those shown given the answers.
fn answers_by_step(view: &DossierView) -> Vec<StepAnswers> {
    let fillable = matches!(
        view.state,
        DossierState::Draft | DossierState::AwaitingCompletion
    );
    view.definition
        .steps
        .iter()
        .map(|step| StepAnswers {
            title: step.title.clone(),
            edit_href: (fillable && step.fields.iter().any(|f| view.editable(&f.id)))
                .then(|| step_href(view.id, step.id.as_str())),
            answers: step
                .fields
                .iter()
                .filter(|field| is_shown(field, &view.answers, None))
                .map(|field| {
                    let answer = view.answers.get(&field.id);
                    let rows = match (answer, &field.kind) {
                        (Some(AnswerValue::Rows(rows)), FieldKind::Group { fields, .. }) => rows
                            .iter()
                            .map(|row| {
                                fields
                                    .iter()
                                    .filter_map(|sub| {
                                        row.get(&sub.id)
                                            .map(|v| (sub.label.clone(), shown(sub, v, view)))
                                    })
                                    .collect()
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    AnswerLine {
                        label: field.label.clone(),
                        value: answer
                            .map_or_else(|| "Non renseigné".to_owned(), |v| shown(field, v, view)),
                        rows,
                        pieces: view
                            .pieces
                            .iter()
                            .filter(|p| p.field == field.id)
                            .map(|p| PieceLine::of(view.id, p))
                            .collect(),
                        files: field.kind.is_files(),
                    }
                })
                .collect(),
        })
        .collect()
}

struct TimelineLine {
    at: String,
    label: String,
    note: Option<String>,
    by_fund: bool,
}

/// A field the advisor asked to change, linking to its step.
struct FlaggedField {
    label: String,
    href: String,
}

#[derive(Template)]
#[template(path = "demarches/dossier.html")]
struct DossierPage {
    layout: Layout,
    id: Uuid,
    reference: String,
    title: String,
    state: &'static str,
    badge: &'static str,
    person: String,
    filed_by_mandataire: bool,
    due_on: Option<String>,
    /// The delay is paused while the member completes the dossier.
    paused: bool,
    expires_on: Option<String>,
    submitted_on: Option<String>,
    draft: bool,
    /// « Continuer ma démarche ».
    resume: String,
    completion: Option<String>,
    flagged: Vec<FlaggedField>,
    has_letter: bool,
    has_ceam_certificate: bool,
    card: Option<String>,
    reasons: Vec<String>,
    timeline: Vec<TimelineLine>,
    steps: Vec<StepAnswers>,
    can_cancel: bool,
    chain_holds: bool,
    /// « Prendre rendez-vous » about this dossier, when a motif of the fund relates to its
    /// procedure.
    appointment_href: Option<String>,
}

/// Where « Continuer ma démarche » leads: the first step with a required answer or file
/// missing, else the summary.
fn resume_href(view: &DossierView) -> String {
    let mut files: BTreeMap<FieldId, usize> = BTreeMap::new();
    for piece in &view.pieces {
        *files.entry(piece.field.clone()).or_default() += 1;
    }
    unanswered(&view.definition, &view.answers, &files)
        .first()
        .and_then(|(field, _)| step_of(&view.definition, &field.id))
        .map_or_else(|| summary_href(view.id), |step| step_href(view.id, step))
}

fn dossier_page(layout: Layout, view: &DossierView) -> DossierPage {
    let flagged = view
        .completion
        .as_ref()
        .filter(|_| view.state == DossierState::AwaitingCompletion)
        .map(|c| {
            c.fields
                .iter()
                .filter_map(|id| {
                    let field = view.definition.field(id.as_str())?;
                    let step = step_of(&view.definition, id)?;
                    Some(FlaggedField {
                        label: field.label.clone(),
                        href: format!("{}#{id}", step_href(view.id, step)),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    DossierPage {
        layout,
        id: view.id,
        reference: view.reference.clone(),
        title: view.definition.title.clone(),
        state: view.state.label_fr(),
        badge: badge_of(view.state),
        person: view.person_name.clone(),
        filed_by_mandataire: view.filed_as == caisse_domain::demarches::FiledAs::Mandataire,
        due_on: view
            .due_on
            .filter(|_| view.state.is_open() && view.state != DossierState::AwaitingCompletion)
            .map(letter_date),
        paused: view.state == DossierState::AwaitingCompletion,
        expires_on: view
            .expires_on
            .filter(|_| view.state == DossierState::Draft)
            .map(letter_date),
        submitted_on: view.submitted_at.map(|at| paris_fr(at.get())),
        draft: view.state == DossierState::Draft,
        resume: resume_href(view),
        completion: view
            .completion
            .as_ref()
            .filter(|_| view.state == DossierState::AwaitingCompletion)
            .map(|c| c.message.clone()),
        flagged,
        has_letter: view.has_letter(),
        has_ceam_certificate: view.has_ceam_certificate,
        card: view.card.clone(),
        reasons: view.reasons.clone(),
        timeline: view
            .timeline
            .iter()
            .map(|t| TimelineLine {
                at: paris_fr(t.at.get()),
                label: t.label.clone(),
                note: t.note.clone(),
                by_fund: t.by_fund,
            })
            .collect(),
        steps: answers_by_step(view),
        can_cancel: matches!(view.state, DossierState::Draft | DossierState::Submitted),
        chain_holds: view.chain_holds,
        appointment_href: None,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DossierQuery {
    fait: Option<String>,
}

/// The notice a redirect asks for with `?fait=`: only these fixed messages exist.
fn done_notice(code: &str) -> Option<Flash> {
    let message = match code {
        "depose" => {
            "Votre dossier est déposé. Vous serez prévenu(e) de chaque étape de son traitement."
        }
        "complete" => "Vos compléments sont envoyés : le traitement de votre dossier reprend.",
        "annule" => "Votre dossier est annulé.",
        _ => return None,
    };
    Some(Flash {
        kind: "succes",
        message: message.to_owned(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    Query(query): Query<DossierQuery>,
) -> Result<Response, AppError> {
    let view = state
        .demarches
        .dossier(member.id, id)
        .await
        .map_err(refusal)?;
    let mut layout = layout(&state, &member, format!("Dossier {}", view.reference));
    if let Some(flash) = query.fait.as_deref().and_then(done_notice) {
        layout.flash = Some(flash);
    }
    let mut page = dossier_page(layout, &view);
    page.appointment_href = appointment_href(&state, &member, &view).await;
    Ok(render(&page)?.into_response())
}

/// Where « Prendre rendez-vous » about dossier `view` leads: the booking of the fund's motif
/// for its procedure, linked to the dossier; `None` for a draft or no such motif.
async fn appointment_href(
    state: &AppState,
    member: &CurrentMember,
    view: &DossierView,
) -> Option<String> {
    if view.state == DossierState::Draft {
        return None;
    }
    let motifs = match state.agenda.motifs(member.id).await {
        Ok(motifs) => motifs,
        Err(error) => {
            tracing::warn!(%error, "motifs of appointment unavailable");
            return None;
        }
    };
    let procedure = view.definition.code.as_str();
    motifs
        .iter()
        .find(|m| m.demarche_code.as_deref() == Some(procedure))
        .map(|m| format!("/rendez-vous/nouveau?motif={}&dossier={}", m.code, view.id))
}

/// The dossier's page with `message` on top, for an action its state no longer allows.
pub(super) async fn page_with_notice(
    state: &AppState,
    member: &CurrentMember,
    id: Uuid,
    message: String,
) -> Result<Response, AppError> {
    let view = state
        .demarches
        .dossier(member.id, id)
        .await
        .map_err(refusal)?;
    let layout = layout_with_error(
        state,
        member,
        format!("Dossier {}", view.reference),
        message,
    );
    let page = dossier_page(layout, &view);
    Ok((StatusCode::CONFLICT, render(&page)?).into_response())
}

/// A problem that stops filing, linking to the field on its step.
struct MissingLine {
    href: String,
    message: String,
}

#[derive(Template)]
#[template(path = "demarches/summary.html")]
struct SummaryPage {
    layout: Layout,
    id: Uuid,
    reference: String,
    title: String,
    completing: bool,
    missing: Vec<MissingLine>,
    steps: Vec<StepAnswers>,
}

fn summary_page(
    state: &AppState,
    member: &CurrentMember,
    view: &DossierView,
    missing: &[FieldError],
) -> Result<Response, AppError> {
    let title = if missing.is_empty() {
        format!("Récapitulatif – {}", view.definition.title)
    } else {
        format!("Erreur : récapitulatif – {}", view.definition.title)
    };
    let page = SummaryPage {
        layout: layout(state, member, title),
        id: view.id,
        reference: view.reference.clone(),
        title: view.definition.title.clone(),
        completing: view.state == DossierState::AwaitingCompletion,
        missing: missing
            .iter()
            .map(|e| MissingLine {
                href: FieldId::parse(&e.input)
                    .and_then(|f| step_of(&view.definition, &f))
                    .map_or_else(
                        || summary_href(view.id),
                        |step| format!("{}#{}", step_href(view.id, step), e.input),
                    ),
                message: e.message_fr.clone(),
            })
            .collect(),
        steps: answers_by_step(view),
    };
    let status = if missing.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn summary(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let view = state
        .demarches
        .dossier(member.id, id)
        .await
        .map_err(refusal)?;
    if !matches!(
        view.state,
        DossierState::Draft | DossierState::AwaitingCompletion
    ) {
        return Ok(Redirect::to(&dossier_href(id)).into_response());
    }
    summary_page(&state, &member, &view, &[])
}

/// Files or completes the dossier (`submit`), then back to its page with `done`.
async fn file(
    state: &AppState,
    member: &CurrentMember,
    id: Uuid,
    result: Result<(), DossierError>,
    done: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{}?fait={done}", dossier_href(id))).into_response()),
        Err(DossierError::Incomplete(missing)) => {
            let view = state
                .demarches
                .dossier(member.id, id)
                .await
                .map_err(refusal)?;
            summary_page(state, member, &view, &missing)
        }
        Err(error) if is_notice(&error) => {
            page_with_notice(state, member, id, error.message_fr()).await
        }
        Err(error) => Err(refusal(error)),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    let result = state.demarches.submit(member.id, id).await;
    file(&state, &member, id, result, "depose").await
}

pub async fn complete(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    let result = state.demarches.complete(member.id, id).await;
    file(&state, &member, id, result, "complete").await
}

pub async fn cancel(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    let result = state.demarches.cancel(member.id, id).await;
    file(&state, &member, id, result, "annule").await
}

/// `GET /demarches/dossiers/{id}/pieces/{piece}`: a file of the dossier, as a download.
pub async fn piece(
    State(state): State<AppState>,
    member: CurrentMember,
    Path((id, piece_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let (name, kind, bytes) = state
        .demarches
        .piece_file(member.id, id, piece_id)
        .await
        .map_err(refusal)?;
    Ok(file_response(AttachmentFile { name, kind, bytes }))
}

/// A document that exists only in some states: any refusal reads as « not here ».
fn absent(error: DossierError) -> AppError {
    match error {
        DossierError::Core(_) => refusal(error),
        _ => AppError::NotFound,
    }
}

pub async fn decision_letter(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let view = state
        .demarches
        .dossier(member.id, id)
        .await
        .map_err(refusal)?;
    if !view.has_letter() {
        return Err(AppError::NotFound);
    }
    let pdf = state
        .demarches
        .decision_letter(member.id, id)
        .await
        .map_err(absent)?;
    Ok(pdf_download(
        &format!("decision-{}.pdf", view.reference),
        pdf,
    ))
}

pub async fn ceam_certificate(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let view = state
        .demarches
        .dossier(member.id, id)
        .await
        .map_err(refusal)?;
    if !view.has_ceam_certificate {
        return Err(AppError::NotFound);
    }
    let pdf = state
        .demarches
        .ceam_certificate(member.id, id)
        .await
        .map_err(absent)?;
    Ok(pdf_download(
        &format!("certificat-ceam-{}.pdf", view.reference),
        pdf,
    ))
}
