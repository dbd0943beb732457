//! `/agent/messagerie`: the threads of the staff member's fund, earliest due first, with a GET
//! filter form (team, objet, nature, status, late only, mine or unassigned) and pages. Open
//! threads (not « Traité ») unless the status filter says otherwise. The delay dashboard's
//! figures link here with three more filters the address carries: `recu_depuis` (received on
//! that day or later), `repondu_depuis` (first answered on that day or later) and
//! `dans_le_delai` (`oui`/`non`: that first answer came by the due date or not). Each row
//! names the member: core audits the listing.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::messaging::{QueueAssignment, QueueFilters, QueueRow, QueueTeam};
use caisse_domain::french::letter_date;
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
use crate::visitor::{Client, CurrentStaff, urlencode};

/// The `equipe` value of the threads no team handles.
const UNROUTED: &str = "accueil";
/// The `statut` value of every status, closed ones included.
const ALL_STATUSES: &str = "tous";

#[derive(Template)]
#[template(path = "back_office/messagerie/queue.html")]
struct QueuePage {
    layout: Layout,
    rows: Vec<QueueLine>,
    filters: QueueQuery,
    /// The dashboard's filters in words (« Reçus depuis le 6 décembre 2026 »), if any.
    dashboard_filters: Vec<String>,
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
    recu_depuis: String,
    #[serde(default)]
    repondu_depuis: String,
    #[serde(default)]
    dans_le_delai: String,
    #[serde(default)]
    page: Option<PageNumber>,
    #[serde(default)]
    fait: Option<String>,
}

/// One row of the queue: the thread and the member who wrote it.
struct QueueLine {
    thread: ThreadLine,
    member: String,
}

/// « 2026-12-06 » as a day; `None` for anything else.
fn parse_day(value: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value.trim(), format).ok()
}

/// `oui` or `non` as a yes or no; `None` for anything else.
fn yes_no(value: &str) -> Option<bool> {
    match value {
        "oui" => Some(true),
        "non" => Some(false),
        _ => None,
    }
}

impl QueueQuery {
    /// The same filters as an address, at page `page`.
    fn link(&self, page: u64) -> String {
        format!(
            "/agent/messagerie?equipe={}&objet={}&nature={}&statut={}&retard={}&attribution={}\
             &recu_depuis={}&repondu_depuis={}&dans_le_delai={}&page={page}",
            urlencode(&self.equipe),
            urlencode(&self.objet),
            urlencode(&self.nature),
            urlencode(&self.statut),
            urlencode(&self.retard),
            urlencode(&self.attribution),
            urlencode(&self.recu_depuis),
            urlencode(&self.repondu_depuis),
            urlencode(&self.dans_le_delai),
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
            recu_depuis: echo(&self.recu_depuis, 10),
            repondu_depuis: echo(&self.repondu_depuis, 10),
            dans_le_delai: echo(&self.dans_le_delai, 3),
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
            &self.recu_depuis,
            &self.repondu_depuis,
            &self.dans_le_delai,
        ]
        .iter()
        .any(|v| !v.is_empty())
    }

    /// The dashboard's filters this address applies, in words.
    fn dashboard_filters(&self) -> Vec<String> {
        let mut words = Vec::new();
        if let Some(day) = parse_day(&self.recu_depuis) {
            words.push(format!("Reçus depuis le {}", letter_date(day)));
        }
        if let Some(day) = parse_day(&self.repondu_depuis) {
            words.push(format!("Première réponse depuis le {}", letter_date(day)));
        }
        match yes_no(&self.dans_le_delai) {
            Some(true) => words.push("Première réponse dans le délai".to_owned()),
            Some(false) => words.push("Première réponse hors délai".to_owned()),
            None => {}
        }
        words
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
        received_since: parse_day(&query.recu_depuis),
        answered_since: parse_day(&query.repondu_depuis),
        answered_in_time: yes_no(&query.dans_le_delai),
    }
}

pub async fn queue(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Query(query): Query<QueueQuery>,
) -> Result<Response, AppError> {
    let messaging = &state.messaging;
    let today = fund_today(&state, &staff)?;
    let filters = filters_of(&query, staff.id, today);
    let found = messaging
        .staff
        .named_queue(staff.id, &filters, page_or_first(query.page), &context)
        .await
        .map_err(refusal)?;
    let teams = team_names(&state, &staff).await?;
    let assignees = found
        .items
        .iter()
        .filter_map(|row| row.thread.assigned_staff_id);
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
            .map(|row: &QueueRow| QueueLine {
                thread: ThreadLine::of(&row.thread, today, catalogue, &teams, &names),
                member: row.member_name.clone(),
            })
            .collect(),
        filtered: query.is_filtered(),
        dashboard_filters: query.dashboard_filters(),
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
