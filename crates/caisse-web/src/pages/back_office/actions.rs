//! The forms of `/agent/messagerie/{id}`: take in charge, assign, reply (with « Insérer » for
//! canned answers), note, change status, transfer to a team or a fund, close. Each carries the
//! thread's `version` and how many messages the page showed (`vus`).
//!
//! Success redirects with a fixed notice code. A stale version shows the thread as it is now
//! with the staff member's draft kept in its form (409), a form problem shows beside its field
//! (422), a status that refuses the action says why (409).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::audit::RequestContext;
use caisse_core::messaging::{Destination, StaffError};
use caisse_domain::CaisseCode;
use caisse_domain::messaging::ThreadStatus;
use serde::Deserialize;
use uuid::Uuid;

use super::thread::{Screen, render_thread};
use super::{problems_on, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::Problems;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// The fields every action form carries.
#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    /// The version of the thread the page showed.
    #[serde(default)]
    version: String,
    /// How many messages the page showed.
    #[serde(default)]
    vus: String,
    /// The reply (reply form).
    #[serde(default)]
    reponse: String,
    /// The canned answer to insert (reply form).
    #[serde(default)]
    reponse_type: String,
    /// `inserer` or `envoyer` (reply form).
    #[serde(default)]
    action: String,
    /// The note (note form).
    #[serde(default)]
    note: String,
    /// The assignee's id (assignment form).
    #[serde(default)]
    conseiller: String,
    /// A status code (status form).
    #[serde(default)]
    statut: String,
    /// A team code or `accueil` (team transfer form).
    #[serde(default)]
    equipe: String,
    /// A fund code (fund transfer form).
    #[serde(default)]
    caisse: String,
    /// A nature code (« Nature de la demande » form).
    #[serde(default)]
    nature: String,
}

impl ActionForm {
    /// The version the staff member read; a missing or garbled one matches no thread version, so
    /// the action meets a conflict and the thread is shown again.
    fn version(&self) -> i32 {
        self.version.trim().parse().unwrap_or(0)
    }

    /// The page as the staff member left it: their drafts and what they had seen.
    fn screen(&self) -> Screen {
        Screen {
            reply: self.reponse.clone(),
            note: self.note.clone(),
            seen: self.vus.trim().parse().ok(),
            read_version: Some(self.version()),
            ..Screen::default()
        }
    }
}

/// Use-case field names and the page's fields that show their problems.
const FIELDS: &[(&str, &str)] = &[
    ("body", "reponse"),
    ("assignee", "conseiller"),
    ("team", "equipe"),
    ("caisse", "caisse"),
];

/// One action's request: the staff member, where they are, the thread's id and the form (its CSRF
/// token checked). Every handler of this module takes it whole.
pub struct Act {
    state: AppState,
    staff: CurrentStaff,
    context: RequestContext,
    id: Uuid,
    form: ActionForm,
}

impl FromRequest<AppState> for Act {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        // In the order of the other pages' handlers: not logged in sends to the login page.
        let staff = CurrentStaff::from_request_parts(&mut parts, state).await?;
        let Client(context) = Client::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Path(id) = Path::<Uuid>::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| AppError::NotFound.into_response())?;
        let CsrfForm(form) =
            CsrfForm::<ActionForm>::from_request(Request::from_parts(parts, body), state).await?;
        Ok(Act {
            state: state.clone(),
            staff,
            context,
            id,
            form,
        })
    }
}

impl Act {
    /// The page again, as the staff member left it, with `problems`.
    async fn again(&self, screen: Screen, problems: Problems) -> Result<Response, AppError> {
        render_thread(
            &self.state,
            &self.staff,
            &self.context,
            self.id,
            screen,
            problems,
        )
        .await
    }

    /// The page again with one problem on `field`.
    async fn refuse(&self, field: &'static str, message: &str) -> Result<Response, AppError> {
        self.again(self.form.screen(), Problems::one(field, message))
            .await
    }

    /// The answer to an action: a redirect with `done` on success, the page again otherwise.
    async fn outcome<T>(
        &self,
        result: Result<T, StaffError>,
        done: &str,
        fields: &[(&str, &'static str)],
    ) -> Result<Response, AppError> {
        let screen = self.form.screen();
        match result {
            Ok(_) => Ok(
                Redirect::to(&format!("/agent/messagerie/{}?fait={done}", self.id)).into_response(),
            ),
            Err(StaffError::Conflict { .. }) => {
                let screen = Screen {
                    conflict: true,
                    ..screen
                };
                self.again(screen, Problems::none()).await
            }
            Err(StaffError::Invalid(problems)) => {
                self.again(screen, problems_on(problems, fields)).await
            }
            Err(StaffError::Refused(refused)) => {
                let screen = Screen {
                    refused: Some(refused.message_fr()),
                    ..screen
                };
                self.again(screen, Problems::none()).await
            }
            Err(other) => Err(refusal(other)),
        }
    }
}

/// « Prendre en charge ».
pub async fn claim(act: Act) -> Result<Response, AppError> {
    let result = act
        .state
        .messaging
        .staff
        .claim(act.staff.id, act.id, act.form.version(), &act.context)
        .await;
    act.outcome(result, "pris", FIELDS).await
}

/// « Attribuer à »: superviseurs and administrateurs name anyone of the fund; a conseiller
/// naming someone else gets a 403.
pub async fn assign(act: Act) -> Result<Response, AppError> {
    let Ok(assignee) = Uuid::parse_str(act.form.conseiller.trim()) else {
        return act
            .refuse("conseiller", "Choisissez un agent de votre caisse.")
            .await;
    };
    let result = act
        .state
        .messaging
        .staff
        .assign(
            act.staff.id,
            act.id,
            act.form.version(),
            assignee,
            &act.context,
        )
        .await;
    act.outcome(result, "attribue", FIELDS).await
}

/// « Insérer » a canned answer into the draft (the page again, the draft kept first), or
/// « Envoyer la réponse » with its variables filled in.
pub async fn reply(act: Act) -> Result<Response, AppError> {
    let form = &act.form;
    if form.action == "inserer" {
        let inserted = match Uuid::parse_str(form.reponse_type.trim()) {
            Ok(canned) => {
                act.state
                    .messaging
                    .staff
                    .insert_canned_answer(act.staff.id, act.id, canned, &form.reponse)
                    .await
            }
            Err(_) => Err(StaffError::NotFound),
        };
        return match inserted {
            Ok(text) => {
                let screen = Screen {
                    reply: text,
                    ..form.screen()
                };
                act.again(screen, Problems::none()).await
            }
            // The page checks the thread again: another fund's is a 404 there.
            Err(StaffError::NotFound) => {
                let problems =
                    Problems::one("reponse_type", "Choisissez une réponse type à insérer.");
                act.again(form.screen(), problems).await
            }
            Err(other) => Err(refusal(other)),
        };
    }
    let result = act
        .state
        .messaging
        .staff
        .staff_reply_draft(
            act.staff.id,
            act.id,
            form.version(),
            &form.reponse,
            &act.context,
        )
        .await;
    act.outcome(result, "repondu", FIELDS).await
}

/// « Enregistrer la note »: an internal note, never shown to the member.
pub async fn note(act: Act) -> Result<Response, AppError> {
    let result = act
        .state
        .messaging
        .staff
        .add_note_at(
            act.staff.id,
            act.id,
            act.form.version(),
            &act.form.note,
            &act.context,
        )
        .await;
    act.outcome(result, "note", &[("body", "note")]).await
}

/// « Changer le statut », by the domain's transitions.
pub async fn change_status(act: Act) -> Result<Response, AppError> {
    let Some(target) = ThreadStatus::from_code(act.form.statut.trim()) else {
        return act.refuse("statut", "Choisissez un statut.").await;
    };
    let result = act
        .state
        .messaging
        .staff
        .change_status(
            act.staff.id,
            act.id,
            act.form.version(),
            target,
            &act.context,
        )
        .await;
    act.outcome(result, "statut", FIELDS).await
}

/// « Enregistrer la nature »: classifies a « Je ne sais pas », or corrects the member's choice.
pub async fn classify(act: Act) -> Result<Response, AppError> {
    let Some(nature) = caisse_domain::messaging::Nature::from_code(act.form.nature.trim())
        .filter(|n| !n.is_unclassified())
    else {
        return act
            .refuse("nature", "Choisissez la nature de la demande.")
            .await;
    };
    let result = act
        .state
        .messaging
        .staff
        .classify(
            act.staff.id,
            act.id,
            act.form.version(),
            nature,
            &act.context,
        )
        .await;
    act.outcome(result, "nature", &[("nature", "nature")]).await
}

/// « Transférer à l'équipe » (or to the reception, `accueil`).
pub async fn transfer_team(act: Act) -> Result<Response, AppError> {
    let team = match act.form.equipe.trim() {
        "" => {
            return act
                .refuse("equipe", "Choisissez une équipe de votre caisse.")
                .await;
        }
        "accueil" => None,
        code => Some(code.to_owned()),
    };
    let result = act
        .state
        .messaging
        .staff
        .transfer(
            act.staff.id,
            act.id,
            act.form.version(),
            Destination::Team(team),
            &act.context,
        )
        .await;
    act.outcome(result, "equipe", FIELDS).await
}

/// « Transférer à la caisse »: the thread leaves this fund's queue, so success goes back to
/// the queue.
pub async fn transfer_fund(act: Act) -> Result<Response, AppError> {
    let Ok(fund) = CaisseCode::parse(act.form.caisse.trim()) else {
        return act.refuse("caisse", "Choisissez une caisse.").await;
    };
    let result = act
        .state
        .messaging
        .staff
        .transfer(
            act.staff.id,
            act.id,
            act.form.version(),
            Destination::Fund(fund),
            &act.context,
        )
        .await;
    match result {
        Ok(_) => Ok(Redirect::to("/agent/messagerie?fait=transfere-caisse").into_response()),
        other => act.outcome(other, "", FIELDS).await,
    }
}

/// « Clôturer (Traité) ».
pub async fn close(act: Act) -> Result<Response, AppError> {
    let result = act
        .state
        .messaging
        .staff
        .close(act.staff.id, act.id, act.form.version(), &act.context)
        .await;
    act.outcome(result, "cloture", FIELDS).await
}
