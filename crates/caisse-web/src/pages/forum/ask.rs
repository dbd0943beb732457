//! Asking as a member: `GET/POST /aide/questions/poser` (pseudonym prefilled with the last
//! one used, title, text, the reminder never to write a NIR, bank details or health details),
//! `GET /aide/mes-questions` (each question with its status, a refusal's reason, why a held
//! one is held) and `GET/POST /aide/questions/{id}/modifier` (a held question edited).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::forum::{Asked, ForumError, QuestionDraft};
use caisse_domain::forum::{Pseudonym, TEXT_CHARS, TITLE_CHARS};
use serde::Deserialize;
use uuid::Uuid;

use super::{QuestionCard, SECTION, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::CurrentMember;

/// The form's fields, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct AskForm {
    #[serde(default)]
    pseudonyme: String,
    #[serde(default)]
    titre: String,
    #[serde(default)]
    texte: String,
}

impl AskForm {
    fn draft(&self) -> QuestionDraft {
        QuestionDraft {
            pseudonym: self.pseudonyme.clone(),
            title: self.titre.clone(),
            text: self.texte.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "forum/ask.html")]
struct AskPage {
    layout: Layout,
    /// Where the form posts.
    action: String,
    /// Editing a held question rather than asking.
    editing: bool,
    pseudonym: String,
    title: String,
    text: String,
    /// Why the question is held, on top of the form.
    held_message: Option<String>,
    /// The field in error and its message.
    error: Option<(&'static str, String)>,
    pseudonym_max: usize,
    title_limits: (usize, usize),
    text_limits: (usize, usize),
}

impl AskPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn ask_page(
    state: &AppState,
    member: &CurrentMember,
    action: String,
    editing: bool,
    draft: QuestionDraft,
) -> AskPage {
    let title = if editing {
        "Modifier ma question"
    } else {
        "Poser une question"
    };
    AskPage {
        layout: Layout::new(&member.visitor, &state.config.brand, title, SECTION),
        action,
        editing,
        pseudonym: draft.pseudonym,
        title: draft.title,
        text: draft.text,
        held_message: None,
        error: None,
        pseudonym_max: Pseudonym::CHARS.1,
        title_limits: TITLE_CHARS,
        text_limits: TEXT_CHARS,
    }
}

/// The form again with why it was refused (422), or the refusal's error page.
fn refused(mut page: AskPage, error: ForumError) -> Result<Response, AppError> {
    let (field, status) = match &error {
        ForumError::Invalid { field, .. } => (*field, StatusCode::UNPROCESSABLE_ENTITY),
        ForumError::DailyLimit => ("", StatusCode::TOO_MANY_REQUESTS),
        ForumError::Changed => ("", StatusCode::CONFLICT),
        _ => return Err(refusal(error)),
    };
    page.layout.flash = Some(Flash {
        kind: "erreur",
        message: error.message_fr(),
    });
    page.error = Some((field, error.message_fr()));
    Ok((status, render(&page)?).into_response())
}

/// Where an ask or an edit leads: « Mes questions » with its notice, or the form again with
/// why the question is held.
fn after(mut page: AskPage, asked: &Asked) -> Result<Response, AppError> {
    match asked.held_message_fr() {
        None => Ok(Redirect::to("/aide/mes-questions?fait=envoyee").into_response()),
        Some(message) => {
            page.action = format!("/aide/questions/{}/modifier", asked.id);
            page.editing = true;
            page.held_message = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

pub async fn form(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    let pseudonym = state
        .forum
        .last_pseudonym(member.id)
        .await
        .map_err(refusal)?
        .unwrap_or_default();
    let draft = QuestionDraft {
        pseudonym,
        ..QuestionDraft::default()
    };
    let page = ask_page(
        &state,
        &member,
        "/aide/questions/poser".to_owned(),
        false,
        draft,
    );
    Ok(render(&page)?.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    member: CurrentMember,
    CsrfForm(form): CsrfForm<AskForm>,
) -> Result<Response, AppError> {
    let draft = form.draft();
    let page = ask_page(
        &state,
        &member,
        "/aide/questions/poser".to_owned(),
        false,
        draft.clone(),
    );
    match state.forum.ask(member.id, &draft).await {
        Ok(asked) => after(page, &asked),
        Err(error) => refused(page, error),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (mine, draft) = state
        .forum
        .own_draft(member.id, id)
        .await
        .map_err(refusal)?;
    if !mine.question.status.editable() {
        return Ok(Redirect::to(&format!("/aide/questions/{id}")).into_response());
    }
    let mut page = ask_page(
        &state,
        &member,
        format!("/aide/questions/{id}/modifier"),
        true,
        draft,
    );
    page.held_message = mine.held_message;
    Ok(render(&page)?.into_response())
}

pub async fn edit(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<AskForm>,
) -> Result<Response, AppError> {
    let draft = form.draft();
    let page = ask_page(
        &state,
        &member,
        format!("/aide/questions/{id}/modifier"),
        true,
        draft.clone(),
    );
    match state.forum.edit(member.id, id, &draft).await {
        Ok(asked) => after(page, &asked),
        Err(error) => refused(page, error),
    }
}

/// A line of « Mes questions ».
struct MineLine {
    card: QuestionCard,
    rejection_reason: Option<String>,
    held_message: Option<String>,
    editable: bool,
}

#[derive(Template)]
#[template(path = "forum/mine.html")]
struct MinePage {
    layout: Layout,
    questions: Vec<MineLine>,
}

#[derive(Debug, Default, Deserialize)]
pub struct MineQuery {
    fait: Option<String>,
}

pub async fn mine(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(query): Query<MineQuery>,
) -> Result<Response, AppError> {
    let questions = state
        .forum
        .my_questions(member.id)
        .await
        .map_err(refusal)?
        .into_iter()
        .map(|q| MineLine {
            card: QuestionCard::of(&q.question),
            editable: q.question.status.editable(),
            rejection_reason: q.rejection_reason,
            held_message: q.held_message,
        })
        .collect();
    let mut layout = Layout::new(
        &member.visitor,
        &state.config.brand,
        "Mes questions",
        SECTION,
    );
    if query.fait.as_deref() == Some("envoyee") {
        layout.flash = Some(Flash {
            kind: "succes",
            message: "Votre question sera publiée après vérification par un conseiller.".to_owned(),
        });
    }
    Ok(render(&MinePage { layout, questions })?.into_response())
}
