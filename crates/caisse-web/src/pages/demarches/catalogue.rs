//! `GET /demarches`: the member's dossiers, those waiting for them first, then the catalogue
//! by category with its search, and the procedures they may file for someone who gave them
//! a procuration. `POST /demarches/{code}/commencer` opens a draft.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::demarches::DossierSummary;
use caisse_domain::demarches::{Definition, DossierState, FilingFor};
use caisse_domain::french::letter_date;
use serde::Deserialize;
use uuid::Uuid;

use super::{layout, refusal, step_href};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::echo;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::CurrentMember;

/// A dossier as a card of the list.
pub(super) struct DossierCard {
    pub href: String,
    pub reference: String,
    pub title: String,
    pub person: String,
    pub state: &'static str,
    /// CSS modifier of the state's badge.
    pub badge: &'static str,
    /// « Décision attendue au plus tard le … », « Brouillon conservé jusqu'au … ».
    pub when: String,
    /// What the advisor asked, for a dossier to complete.
    pub asked: Option<String>,
    pub for_mandant: bool,
}

/// The badge of a state: attention when the member must act, success or error once decided.
pub(super) fn badge_of(state: DossierState) -> &'static str {
    match state {
        DossierState::Draft | DossierState::AwaitingCompletion => "attention",
        DossierState::Submitted | DossierState::InInstruction => "info",
        DossierState::Accepted | DossierState::AcceptedBySilence => "succes",
        DossierState::Refused | DossierState::RefusedBySilence => "erreur",
        DossierState::ClosedWithoutFollowUp | DossierState::Cancelled | DossierState::Expired => {
            "neutre"
        }
    }
}

impl DossierCard {
    fn of(summary: &DossierSummary, asked: Option<String>) -> DossierCard {
        let when = match summary.state {
            DossierState::Draft => summary
                .expires_on
                .map(|d| format!("Brouillon conservé jusqu'au {}", letter_date(d)))
                .unwrap_or_default(),
            // The fund's delay is paused until the member sends what was asked.
            DossierState::AwaitingCompletion => {
                "Délai de traitement suspendu jusqu'à l'envoi de vos compléments".to_owned()
            }
            state if state.is_open() => summary
                .due_on
                .map(|d| format!("Décision attendue au plus tard le {}", letter_date(d)))
                .unwrap_or_default(),
            _ => String::new(),
        };
        DossierCard {
            href: super::dossier_href(summary.id),
            reference: summary.reference.clone(),
            title: summary.title.clone(),
            person: summary.person.clone(),
            state: summary.state.label_fr(),
            badge: badge_of(summary.state),
            when,
            asked,
            for_mandant: summary.for_mandant,
        }
    }
}

/// A procedure of the catalogue.
#[derive(Clone)]
struct ProcedureCard {
    code: String,
    title: String,
    summary: String,
}

impl ProcedureCard {
    fn of(definition: &Definition) -> ProcedureCard {
        ProcedureCard {
            code: definition.code.to_string(),
            title: definition.title.clone(),
            summary: definition.summary.clone(),
        }
    }
}

struct Category {
    name: String,
    procedures: Vec<ProcedureCard>,
}

/// A procuration given to the member, with what it lets them file.
struct MandateView {
    id: Uuid,
    mandant: String,
    until: String,
    procedures: Vec<ProcedureCard>,
}

#[derive(Template)]
#[template(path = "demarches/list.html")]
struct ListPage {
    layout: Layout,
    waiting: Vec<DossierCard>,
    open: Vec<DossierCard>,
    closed: Vec<DossierCard>,
    q: String,
    categories: Vec<Category>,
    found: usize,
    mandates: Vec<MandateView>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
}

/// Procedures grouped by category, in catalogue order.
fn by_category(definitions: &[Arc<Definition>]) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::new();
    for definition in definitions {
        let card = ProcedureCard::of(definition);
        match categories
            .iter_mut()
            .find(|c| c.name == definition.category)
        {
            Some(category) => category.procedures.push(card),
            None => categories.push(Category {
                name: definition.category.clone(),
                procedures: vec![card],
            }),
        }
    }
    categories
}

pub async fn list(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let q = echo(query.q.as_deref().unwrap_or_default().trim(), 100);
    let summaries = state.demarches.dossiers(member.id).await.map_err(refusal)?;
    let mut to_complete = Vec::new();
    let mut drafts = Vec::new();
    let mut open = Vec::new();
    let mut closed = Vec::new();
    for summary in &summaries {
        match summary.state {
            DossierState::Expired => {}
            DossierState::AwaitingCompletion => {
                // The advisor's request is shown on the card: the member sees what to do. The
                // card still shows, without it, if the dossier cannot be read now.
                let asked = state
                    .demarches
                    .dossier(member.id, summary.id)
                    .await
                    .ok()
                    .and_then(|view| view.completion.map(|c| c.message));
                to_complete.push(DossierCard::of(summary, asked));
            }
            _ if summary.waits_for_member() => drafts.push(DossierCard::of(summary, None)),
            state if state.is_open() => open.push(DossierCard::of(summary, None)),
            _ => closed.push(DossierCard::of(summary, None)),
        }
    }
    // To complete before drafts: the fund's delay is paused until the member answers.
    let waiting: Vec<DossierCard> = to_complete.into_iter().chain(drafts).collect();
    let definitions: Vec<Arc<Definition>> = if q.is_empty() {
        state.demarches.catalogue()
    } else {
        state.demarches.search(&q)
    }
    .into_iter()
    .filter(|d| d.allows(FilingFor::Myself))
    .collect();
    let mandate_procedures: Vec<ProcedureCard> = state
        .demarches
        .catalogue()
        .iter()
        .filter(|d| d.allows(FilingFor::Mandate))
        .map(|d| ProcedureCard::of(d))
        .collect();
    let mandates = state
        .demarches
        .mandates(member.id)
        .await
        .map_err(refusal)?
        .into_iter()
        .map(|m| MandateView {
            id: m.id,
            mandant: m.mandant,
            until: letter_date(m.valid_to),
            procedures: mandate_procedures.clone(),
        })
        .collect();
    let page = ListPage {
        layout: layout(&state, &member, "Mes démarches"),
        waiting,
        open,
        closed,
        found: definitions.len(),
        categories: by_category(&definitions),
        q,
        mandates,
    };
    Ok(render(&page)?.into_response())
}

/// « Commencer »: the CSRF token, and the procuration when filing for someone else.
#[derive(Debug, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    procuration: String,
}

pub async fn start(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<StartForm>,
) -> Result<Response, AppError> {
    let definition = state.demarches.procedure(&code).ok_or(AppError::NotFound)?;
    let id = if form.procuration.trim().is_empty() {
        state.demarches.open(member.id, &code).await
    } else {
        let procuration =
            Uuid::parse_str(form.procuration.trim()).map_err(|_| AppError::Forbidden)?;
        state
            .demarches
            .open_as_mandataire(member.id, procuration, &code)
            .await
    }
    .map_err(refusal)?;
    let first = definition
        .steps
        .first()
        .map(|s| step_href(id, s.id.as_str()))
        .unwrap_or_else(|| super::summary_href(id));
    Ok(Redirect::to(&first).into_response())
}
