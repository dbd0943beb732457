//! Back office, the outcome of an answered réclamation: `POST /agent/messagerie/{id}/issue`
//! records « Favorable », « Partiellement favorable » or « Défavorable » at the thread's
//! version, then goes back to the thread page. The form is the partial
//! `back_office/partials/reclamation_outcome.html`, which the staff members' thread page includes with an
//! [`OutcomeForm`] named `outcome_form` (from [`OutcomeForm::for_thread`]). A refused form is
//! shown again on a page of its own; a stale version asks to reopen the thread.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::messaging::{StaffError, ThreadSummary};
use caisse_domain::messaging::{Nature, Outcome};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::Problems;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// One radio button of the form.
pub struct OutcomeChoice {
    /// The outcome's code.
    pub code: &'static str,
    /// Its French label.
    pub label: &'static str,
    /// Whether it is the recorded (or submitted) one.
    pub checked: bool,
}

/// What the partial needs.
pub struct OutcomeForm {
    /// The thread.
    pub thread_id: Uuid,
    /// The version the staff member read, sent back with the choice.
    pub version: i32,
    /// The three outcomes.
    pub choices: Vec<OutcomeChoice>,
    /// Problems of a refused submission.
    pub problems: Problems,
}

impl OutcomeForm {
    fn new(thread_id: Uuid, version: i32, current: Option<Outcome>) -> OutcomeForm {
        OutcomeForm {
            thread_id,
            version,
            choices: Outcome::ALL
                .into_iter()
                .map(|outcome| OutcomeChoice {
                    code: outcome.code(),
                    label: outcome.label_fr(),
                    checked: current == Some(outcome),
                })
                .collect(),
            problems: Problems::none(),
        }
    }

    /// The form for `thread` if it is an answered réclamation (the only threads that take
    /// an outcome), with its recorded outcome checked.
    pub fn for_thread(thread: &ThreadSummary) -> Option<OutcomeForm> {
        (thread.nature == Nature::Reclamation && thread.first_answered_at.is_some())
            .then(|| OutcomeForm::new(thread.id, thread.version, thread.outcome))
    }
}

#[derive(Template)]
#[template(path = "back_office/reclamation_outcome.html")]
struct OutcomePage {
    layout: Layout,
    thread_id: Uuid,
    /// Set when the thread changed since the staff member read it: no form then.
    conflict: bool,
    outcome_form: OutcomeForm,
}

#[derive(Deserialize)]
pub struct OutcomeFields {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    version: i32,
}

pub async fn record(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<OutcomeFields>,
) -> Result<Response, AppError> {
    let chosen = Outcome::from_code(form.outcome.trim());
    let result = match chosen {
        Some(outcome) => {
            state
                .messaging
                .staff
                .record_outcome(staff.id, id, form.version, outcome, &context)
                .await
        }
        None => Err(StaffError::Invalid(Vec::new())),
    };
    let (status, conflict, problems) = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/agent/messagerie/{id}")).into_response()),
        Err(StaffError::Conflict { .. }) => (StatusCode::CONFLICT, true, Problems::none()),
        Err(StaffError::Invalid(problems)) if !problems.is_empty() => (
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
            Problems::from(problems),
        ),
        Err(StaffError::Invalid(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
            Problems::one("outcome", "Choisissez l'issue de la réclamation."),
        ),
        Err(StaffError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(AppError::unexpected(other)),
    };
    let mut outcome_form = OutcomeForm::new(id, form.version, chosen);
    outcome_form.problems = problems;
    let page = OutcomePage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Issue de la réclamation",
            "agent",
        ),
        thread_id: id,
        conflict,
        outcome_form,
    };
    Ok((status, render(&page)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use caisse_domain::messaging::ThreadStatus;
    use time::macros::{date, datetime};

    fn thread(nature: Nature, answered: bool) -> ThreadSummary {
        ThreadSummary {
            id: Uuid::nil(),
            reference: "M-2026-K7Q3-9DXA".to_owned(),
            caisse_code: caisse_domain::CaisseCode::parse("781").unwrap(),
            recipient_code: "caisse".to_owned(),
            objet_code: "remboursement.question".to_owned(),
            nature,
            subject: "Refus".to_owned(),
            status: ThreadStatus::EnCours,
            due_on: date!(2026 - 03 - 20),
            assigned_staff_id: None,
            team: None,
            version: 4,
            unread_by_member: false,
            created_at: datetime!(2026-03-02 09:00 UTC),
            updated_at: datetime!(2026-03-02 09:00 UTC),
            closed_at: None,
            first_answered_at: answered.then_some(datetime!(2026-03-03 09:00 UTC)),
            answered_within_delay: answered.then_some(true),
            outcome: Some(Outcome::PartiellementFavorable),
        }
    }

    #[test]
    fn only_an_answered_reclamation_gets_the_form_with_its_outcome_checked() {
        assert!(OutcomeForm::for_thread(&thread(Nature::Reclamation, false)).is_none());
        assert!(OutcomeForm::for_thread(&thread(Nature::Signalement, true)).is_none());
        let form = OutcomeForm::for_thread(&thread(Nature::Reclamation, true)).unwrap();
        assert_eq!(form.version, 4);
        let checked: Vec<&str> = form
            .choices
            .iter()
            .filter(|c| c.checked)
            .map(|c| c.code)
            .collect();
        assert_eq!(checked, ["partiellement_favorable"]);
    }
}
