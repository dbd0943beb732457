//! `/agent/questions`: the back office of the public questions. The moderation queue by tab
//! (« À modérer », « Retenues », « Publiées sans réponse », « Répondues », « Refusées », with
//! counts, oldest first), a question beside the member who asked it, and its forms:
//! `POST …/publier`, `POST …/refuser` (a reason the member reads), `POST …/repondre` (in the
//! fund's name, publishing a pending question with it) and « Faire une entrée de FAQ »
//! (`POST …/faq`, handled by the help's FAQ pages). Core scopes every call to the staff
//! member's fund (another fund's question is a 404) and audits the readings.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::audit::RequestContext;
use caisse_core::forum::{ForumError, QuestionStatus, QueueTab};
use caisse_domain::forum::{ANSWER_CHARS, REASON_CHARS};
use caisse_domain::french::letter_date;
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::pages::render;
use crate::params::{PageNumber, Path, Query, page_or_first};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// Layout section of these pages.
const SECTION: &str = "agent-questions";

fn refusal(error: ForumError) -> AppError {
    match error {
        ForumError::NotFound => AppError::NotFound,
        other => AppError::unexpected(other),
    }
}

/// A tab's code in the address and its label.
fn tab_code(tab: QueueTab) -> (&'static str, &'static str) {
    match tab {
        QueueTab::Pending => ("a-moderer", "À modérer"),
        QueueTab::Held => ("retenues", "Retenues"),
        QueueTab::Unanswered => ("sans-reponse", "Publiées sans réponse"),
        QueueTab::Answered => ("repondues", "Répondues"),
        QueueTab::Rejected => ("refusees", "Refusées"),
    }
}

fn tab_of(code: &str) -> QueueTab {
    QueueTab::ALL
        .into_iter()
        .find(|t| tab_code(*t).0 == code)
        .unwrap_or(QueueTab::Pending)
}

/// A tab's link.
struct TabLink {
    href: String,
    label: &'static str,
    count: u64,
    current: bool,
}

/// A line of the queue.
struct QueueLine {
    id: Uuid,
    title: String,
    pseudonym: String,
    asked_on: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "back_office/forum/queue.html")]
struct QueuePage {
    layout: Layout,
    tabs: Vec<TabLink>,
    tab_label: &'static str,
    lines: Vec<QueueLine>,
    page: u64,
    page_count: u64,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    onglet: String,
    page: Option<PageNumber>,
}

/// `GET /agent/questions`.
pub async fn queue(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Query(query): Query<QueueQuery>,
) -> Result<Response, AppError> {
    let tab = tab_of(&query.onglet);
    let view = state
        .forum
        .queue(staff.id, tab, page_or_first(query.page), &context)
        .await
        .map_err(refusal)?;
    let (code, tab_label) = tab_code(tab);
    let href = |page: u64| format!("/agent/questions?onglet={code}&page={page}");
    let page = QueuePage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Questions publiques",
            SECTION,
        ),
        tabs: view
            .counts
            .iter()
            .map(|(t, count)| TabLink {
                href: format!("/agent/questions?onglet={}", tab_code(*t).0),
                label: tab_code(*t).1,
                count: *count,
                current: *t == tab,
            })
            .collect(),
        tab_label,
        lines: view
            .questions
            .iter()
            .map(|q| QueueLine {
                id: q.id,
                title: q.title.clone(),
                pseudonym: q.pseudonym.clone(),
                asked_on: letter_date(q.asked_on),
                status: q.status.label_fr(),
            })
            .collect(),
        previous: (view.page > 1).then(|| href(view.page - 1)),
        next: (view.page < view.pages).then(|| href(view.page + 1)),
        page: view.page,
        page_count: view.pages,
    };
    Ok(render(&page)?.into_response())
}

/// An answer as the page shows it.
struct AnswerLine {
    advisor: String,
    text: String,
    on: String,
}

#[derive(Template)]
#[template(path = "back_office/forum/question.html")]
struct QuestionPage {
    layout: Layout,
    id: Uuid,
    title: String,
    text: String,
    pseudonym: String,
    asked_on: String,
    status: &'static str,
    held_message: Option<String>,
    rejection_reason: Option<String>,
    member_id: Uuid,
    member_name: String,
    answers: Vec<AnswerLine>,
    may_publish: bool,
    may_answer: bool,
    may_reject: bool,
    may_make_faq: bool,
    pending: bool,
    refused: Option<String>,
    answer_max: usize,
    reason_max: usize,
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "publiee" => Some("La question est publiée."),
        "refusee" => Some("La question est refusée ; l'assuré est prévenu."),
        "repondue" => Some("La réponse est publiée ; l'assuré est prévenu."),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    fait: Option<String>,
}

/// `GET /agent/questions/{id}`.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    render_question(
        &state,
        &staff,
        &context,
        id,
        done_message(query.fait.as_deref()),
        None,
    )
    .await
}

async fn render_question(
    state: &AppState,
    staff: &CurrentStaff,
    context: &RequestContext,
    id: Uuid,
    done: Option<&'static str>,
    refused: Option<String>,
) -> Result<Response, AppError> {
    let found = state
        .forum
        .staff_question(staff.id, id, context)
        .await
        .map_err(refusal)?;
    let mut layout = Layout::new(
        &staff.visitor,
        &state.config.brand,
        format!("Question « {} »", found.question.title),
        SECTION,
    );
    if let Some(message) = done {
        layout.flash = Some(Flash {
            kind: "succes",
            message: message.to_owned(),
        });
    }
    let status = if refused.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let page = QuestionPage {
        layout,
        id,
        title: found.question.title.clone(),
        text: found.question.text.clone(),
        pseudonym: found.question.pseudonym.clone(),
        asked_on: letter_date(found.question.asked_on),
        status: found.question.status.label_fr(),
        pending: found.question.status == QuestionStatus::Pending,
        held_message: found.held_message,
        rejection_reason: found.rejection_reason,
        member_id: found.member_id,
        member_name: found.member_name,
        answers: found
            .answers
            .into_iter()
            .map(|a| AnswerLine {
                advisor: a.advisor,
                text: a.text,
                on: letter_date(a.on),
            })
            .collect(),
        may_publish: found.may_publish,
        may_answer: found.may_answer,
        may_reject: found.may_reject,
        may_make_faq: found.may_make_faq,
        refused,
        answer_max: ANSWER_CHARS.1,
        reason_max: REASON_CHARS.1,
    };
    Ok((status, render(&page)?).into_response())
}

/// An action's outcome: back to the question with `done`'s confirmation, or the question
/// again with why it was refused.
async fn outcome(
    state: &AppState,
    staff: &CurrentStaff,
    context: &RequestContext,
    id: Uuid,
    result: Result<(), ForumError>,
    done: &'static str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/agent/questions/{id}?fait={done}")).into_response()),
        Err(error @ (ForumError::NotFound | ForumError::Core(_))) => Err(refusal(error)),
        Err(other) => {
            render_question(state, staff, context, id, None, Some(other.message_fr())).await
        }
    }
}

/// A form with only its button.
#[derive(Debug, Default, Deserialize)]
pub struct ButtonForm {}

/// `POST /agent/questions/{id}/publier`.
pub async fn publish(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    let result = state.forum.publish(staff.id, id, &context).await;
    outcome(&state, &staff, &context, id, result, "publiee").await
}

#[derive(Debug, Default, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    motif: String,
}

/// `POST /agent/questions/{id}/refuser`.
pub async fn reject(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<RejectForm>,
) -> Result<Response, AppError> {
    let result = state
        .forum
        .reject(staff.id, id, &form.motif, &context)
        .await;
    outcome(&state, &staff, &context, id, result, "refusee").await
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    reponse: String,
}

/// `POST /agent/questions/{id}/repondre`.
pub async fn answer(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> Result<Response, AppError> {
    let result = state
        .forum
        .answer(staff.id, id, &form.reponse, &context)
        .await;
    outcome(&state, &staff, &context, id, result, "repondue").await
}
