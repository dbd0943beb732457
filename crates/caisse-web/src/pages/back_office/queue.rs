//! `/agent/messagerie`: the threads of the staff member's fund, earliest due first, with a GET
//! filter form (team, objet, nature, status, late only, mine or unassigned) and pages. Open
//! threads (not « Traité ») unless the status filter says otherwise.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::messaging::{QueueAssignment, QueueFilters, QueueTeam};
use caisse_domain::messaging::{Nature, ThreadStatus};
use serde::Deserialize;
use uuid::Uuid;

use super::{SECTION_MESSAGING, ThreadLine, fund_today, names_of, refusal, team_names};
use crate::error::AppError;
use crate::forms::echo;
use crate::layout::{Flash, Layout};
use crate::pages::{ChoiceGroup, objet_groups, render};
use crate::params::{PageNumber, Query, page_or_first};
use crate::state::AppState;
use crate::visitor::{CurrentStaff, urlencode};

/// The `equipe` value of the threads no team handles.
const UNROUTED: &str = "accueil";
/// The `statut` value of every status, closed ones included.
const ALL_STATUSES: &str = "tous";

#[derive(Template)]
#[template(path = "back_office/messagerie/queue.html")]
struct QueuePage {
    layout: Layout,
    rows: Vec<ThreadLine>,
    filters: QueueQuery,
    teams: Vec<(String, String)>,
    objets: Vec<ChoiceGroup>,
    natures: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    page: u64,
    page_count: u64,
    total: u64,
    previous: Option<String>,
    next: Option<String>,
    filtered: bool,
}

/// The filter form, as the address carries it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    equipe: String,
    #[serde(default)]
    objet: String,
    #[serde(default)]
    nature: String,
    #[serde(default)]
    statut: String,
    #[serde(default)]
    retard: String,
    #[serde(default)]
    attribution: String,
    #[serde(default)]
    page: Option<PageNumber>,
    #[serde(default)]
    fait: Option<String>,
}

impl QueueQuery {
    /// The same filters as an address, at page `page`.
    fn link(&self, page: u64) -> String {
        format!(
            "/agent/messagerie?equipe={}&objet={}&nature={}&statut={}&retard={}&attribution={}&page={page}",
            urlencode(&self.equipe),
            urlencode(&self.objet),
            urlencode(&self.nature),
            urlencode(&self.statut),
            urlencode(&self.retard),
            urlencode(&self.attribution),
        )
    }

    /// What was typed, shortened for showing back.
    fn echoed(&self) -> QueueQuery {
        QueueQuery {
            equipe: echo(&self.equipe, 32),
            objet: echo(&self.objet, 64),
            nature: echo(&self.nature, 32),
            statut: echo(&self.statut, 16),
            retard: echo(&self.retard, 3),
            attribution: echo(&self.attribution, 8),
            page: self.page,
            fait: None,
        }
    }

    fn is_filtered(&self) -> bool {
        [
            &self.equipe,
            &self.objet,
            &self.nature,
            &self.statut,
            &self.retard,
            &self.attribution,
        ]
        .iter()
        .any(|v| !v.is_empty())
    }
}

/// Fixed confirmations the queue shows after an action, chosen by a code in the address.
fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "transfere-caisse" => {
            Some("Le message est transféré à l'autre caisse : il a quitté la file de votre caisse.")
        }
        _ => None,
    }
}

fn filters_of(query: &QueueQuery, staff_id: Uuid, today: time::Date) -> QueueFilters {
    let statuses = match query.statut.as_str() {
        ALL_STATUSES => Vec::new(),
        code => ThreadStatus::from_code(code).map_or_else(
            || {
                ThreadStatus::ALL
                    .into_iter()
                    .filter(|s| s.is_open())
                    .collect()
            },
            |status| vec![status],
        ),
    };
    QueueFilters {
        statuses,
        objet: Some(query.objet.clone()).filter(|o| !o.is_empty()),
        nature: Nature::from_code(&query.nature),
        overdue_on: (query.retard == "oui").then_some(today),
        assignment: match query.attribution.as_str() {
            "moi" => Some(QueueAssignment::To(staff_id)),
            "aucun" => Some(QueueAssignment::Unassigned),
            _ => None,
        },
        team: match query.equipe.as_str() {
            "" => None,
            UNROUTED => Some(QueueTeam::Unrouted),
            code => Some(QueueTeam::Code(code.to_owned())),
        },
    }
}

pub async fn queue(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<QueueQuery>,
) -> Result<Response, AppError> {
    let messaging = &state.messaging;
    let today = fund_today(&state, &staff)?;
    let filters = filters_of(&query, staff.id, today);
    let found = messaging
        .staff
        .queue(staff.id, &filters, page_or_first(query.page))
        .await
        .map_err(refusal)?;
    let teams = team_names(&state, &staff).await?;
    let assignees = found.items.iter().filter_map(|t| t.assigned_staff_id);
    let names = names_of(&state, assignees.collect()).await?;
    let catalogue = &messaging.settings().catalogue;
    let page_count = found.page_count();
    let mut layout = Layout::new(
        &staff.visitor,
        &state.config.brand,
        "Messagerie des assurés",
        SECTION_MESSAGING,
    );
    if let Some(message) = done_message(query.fait.as_deref()) {
        layout.flash = Some(Flash {
            kind: "succes",
            message: message.to_owned(),
        });
    }
    let page = QueuePage {
        layout,
        previous: (found.number > 1).then(|| query.link(found.number - 1)),
        next: (found.number < page_count).then(|| query.link(found.number + 1)),
        page: found.number,
        page_count,
        total: found.total,
        rows: found
            .items
            .iter()
            .map(|t| ThreadLine::of(t, today, catalogue, &teams, &names))
            .collect(),
        filtered: query.is_filtered(),
        filters: query.echoed(),
        teams,
        objets: objet_groups(catalogue),
        natures: Nature::ALL
            .iter()
            .map(|n| (n.code(), n.label_fr()))
            .collect(),
        statuses: ThreadStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label_fr()))
            .collect(),
    };
    Ok(render(&page)?.into_response())
}
