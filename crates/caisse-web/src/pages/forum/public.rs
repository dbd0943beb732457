//! `GET /aide/questions`: the published questions of every fund, newest first, searchable;
//! `GET /aide/questions/{id}`: one with the fund's answers (an unpublished one for its author
//! only, with its status). Anyone reads them.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_domain::french::letter_date;
use serde::Deserialize;
use uuid::Uuid;

use super::{QuestionCard, SECTION, refusal, status_class};
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::{PageNumber, Path, Query, page_or_first};
use crate::state::AppState;
use crate::visitor::{Viewer, Visitor, urlencode};

#[derive(Template)]
#[template(path = "forum/list.html")]
struct ListPage {
    layout: Layout,
    q: String,
    questions: Vec<QuestionCard>,
    total: u64,
    page: u64,
    page_count: u64,
    previous: Option<String>,
    next: Option<String>,
    ask_href: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<PageNumber>,
}

fn member_of(visitor: &Visitor) -> Option<Uuid> {
    match visitor.viewer {
        Viewer::Member { id, .. } => Some(id),
        _ => None,
    }
}

/// Where « Poser une question » leads: the form, or the login page on the way to it.
fn ask_href(visitor: &Visitor) -> &'static str {
    if member_of(visitor).is_some() {
        "/aide/questions/poser"
    } else {
        "/connexion?suite=%2Faide%2Fquestions%2Fposer"
    }
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let q = query.q.trim().to_owned();
    let page = page_or_first(query.page);
    let found = state
        .forum
        .published(Some(&q), page)
        .await
        .map_err(refusal)?;
    let href = |page: u64| format!("/aide/questions?q={}&page={page}", urlencode(&q));
    let view = ListPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            "Questions publiques",
            SECTION,
        ),
        questions: found.questions.iter().map(QuestionCard::of).collect(),
        total: found.total,
        previous: (found.page > 1).then(|| href(found.page - 1)),
        next: (found.page < found.pages).then(|| href(found.page + 1)),
        page: found.page,
        page_count: found.pages,
        ask_href: ask_href(&visitor),
        q,
    };
    Ok(render(&view)?.into_response())
}

/// An answer as the page shows it.
struct AnswerView {
    fund: &'static str,
    text: String,
    on: String,
}

#[derive(Template)]
#[template(path = "forum/show.html")]
struct ShowPage {
    layout: Layout,
    question: QuestionCard,
    text: String,
    published: bool,
    answers: Vec<AnswerView>,
    own: bool,
    rejection_reason: Option<String>,
    held_message: Option<String>,
    editable: bool,
    ask_href: &'static str,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let found = state
        .forum
        .question(member_of(&visitor), id)
        .await
        .map_err(refusal)?;
    let status = found.question.status;
    let view = ShowPage {
        layout: Layout::new(
            &visitor,
            &state.config.brand,
            found.question.title.clone(),
            SECTION,
        ),
        text: found.question.text.clone(),
        published: status == caisse_core::forum::QuestionStatus::Published,
        question: QuestionCard {
            status_class: status_class(status),
            ..QuestionCard::of(&found.question)
        },
        answers: found
            .answers
            .into_iter()
            .map(|a| AnswerView {
                fund: a.fund,
                text: a.text,
                on: letter_date(a.on),
            })
            .collect(),
        own: found.own,
        rejection_reason: found.rejection_reason,
        editable: found.own && status.editable(),
        held_message: found.held_message,
        ask_href: ask_href(&visitor),
    };
    Ok(render(&view)?.into_response())
}
