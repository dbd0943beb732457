//! « Questions publiques » of the help (issue 17): the published questions anyone reads
//! (`/aide/questions`, searchable, paged, and each question with the fund's answers), asking
//! one as a member (`/aide/questions/poser`), « Mes questions » (`/aide/mes-questions`) and
//! editing a held one (`/aide/questions/{id}/modifier`).
//!
//! Every page works without JavaScript. An unpublished question answers the same 404 page as
//! a missing one, except to its author.

mod ask;
mod public;

use axum::Router;
use axum::routing::get;
use caisse_core::forum::{ForumError, PublicQuestion, QuestionStatus};
use caisse_domain::french::letter_date;
use uuid::Uuid;

use crate::error::AppError;
use crate::state::AppState;

/// Layout section of the help's pages.
const SECTION: &str = "aide";

/// The routes of the public questions.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/aide/questions", get(public::list))
        .route("/aide/questions/poser", get(ask::form).post(ask::submit))
        .route("/aide/questions/{id}", get(public::show))
        .route(
            "/aide/questions/{id}/modifier",
            get(ask::edit_form).post(ask::edit),
        )
        .route("/aide/mes-questions", get(ask::mine))
}

/// A refusal with no page of its own: a question that is not there (or not readable) is a
/// 404, anything else a 500.
fn refusal(error: ForumError) -> AppError {
    match error {
        ForumError::NotFound => AppError::NotFound,
        other => AppError::unexpected(other),
    }
}

/// A question as its card shows it.
struct QuestionCard {
    id: Uuid,
    title: String,
    pseudonym: String,
    asked_on: String,
    fund: &'static str,
    answered: bool,
    status: &'static str,
    status_class: &'static str,
}

impl QuestionCard {
    fn of(question: &PublicQuestion) -> QuestionCard {
        QuestionCard {
            id: question.id,
            title: question.title.clone(),
            pseudonym: question.pseudonym.clone(),
            asked_on: letter_date(question.asked_on),
            fund: question.fund,
            answered: question.answered,
            status: question.status.label_fr(),
            status_class: status_class(question.status),
        }
    }
}

/// CSS modifier of a status's badge.
fn status_class(status: QuestionStatus) -> &'static str {
    match status {
        QuestionStatus::Held => "erreur",
        QuestionStatus::Pending => "info",
        QuestionStatus::Published => "succes",
        QuestionStatus::Rejected => "neutre",
    }
}
