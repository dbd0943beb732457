//! Back office, `/agent/tableau-de-bord`: the supervisors' dashboard of answer delays (issue
//! 4, point 9) for supervisors and administrators of the fund; a conseiller gets 403. The
//! figures and their definitions are `caisse_core::messaging::dashboard`'s; the « Démarches »
//! block counts the fund's open dossiers by state, with the late ones
//! (`caisse_core::demarches`). Every figure links to the queue that lists what it counts
//! (`/agent/messagerie` with the team, `retard`, `recu_depuis`, `repondu_depuis` and
//! `dans_le_delai` filters; `/agent/dossiers` with `etat` and `retard`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::messaging::{Backlog, DashboardError, Figures, Period};
use caisse_domain::Fund;
use caisse_domain::demarches::DossierState;
use caisse_domain::french;
use caisse_domain::messaging::TeamCode;
use time::{Date, Duration};

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::{paris_fr, render};
use crate::state::AppState;
use crate::visitor::CurrentStaff;

/// The first row of every table.
const WHOLE_FUND: &str = "Toute la caisse";

/// The name of the group of threads not routed to a team.
const UNROUTED: &str = caisse_domain::messaging::UNROUTED_LABEL_FR;

/// A count with no-break spaces between thousands: « 12 345 ».
fn count_fr(n: u64) -> String {
    french::number(usize::try_from(n).unwrap_or(usize::MAX))
}

/// A delay in minutes under an hour (« 45 min »), else in hours with one decimal
/// (« 2,5 h »); « — » without one.
fn hours_fr(delay: Option<Duration>) -> String {
    delay.map_or_else(|| "—".to_owned(), french::short_delay)
}

/// « 2026-12-06 », as the queue's filters read a day.
fn day_code(day: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    day.format(format).unwrap_or_default()
}

/// The queue's `equipe` filter of a row: none for the whole fund, `accueil` for the threads
/// no team handles, else the team's code (as `&equipe=…`).
fn team_param(team: Option<Option<&TeamCode>>) -> String {
    match team {
        None => String::new(),
        Some(None) => "&equipe=accueil".to_owned(),
        Some(Some(code)) => format!("&equipe={}", code.as_str()),
    }
}

/// A share with one decimal: « 87,5 % »; « — » without answers.
fn percent_fr(percent: Option<f64>) -> String {
    percent.map_or_else(|| "—".to_owned(), french::percent)
}

/// One row of a period's table, each figure with the queue listing what it counts.
struct Row {
    team: String,
    incoming: String,
    incoming_href: String,
    answered: String,
    /// The first answers of the period (the median's and the share's too).
    answered_href: String,
    /// Without first answers the median and the share read « — », not a link.
    has_answers: bool,
    median: String,
    within_delay: String,
    within_delay_href: String,
}

impl Row {
    /// `team`'s row (`None`: the whole fund) of the period starting `first_day`.
    fn of(
        name: String,
        team: Option<Option<&TeamCode>>,
        first_day: Date,
        figures: &Figures,
    ) -> Row {
        let team = team_param(team);
        let day = day_code(first_day);
        Row {
            team: name,
            incoming: count_fr(figures.incoming),
            incoming_href: format!("/agent/messagerie?statut=tous&recu_depuis={day}{team}"),
            answered: count_fr(figures.answered),
            answered_href: format!("/agent/messagerie?statut=tous&repondu_depuis={day}{team}"),
            has_answers: figures.answered > 0,
            median: hours_fr(figures.median_first_answer),
            within_delay: percent_fr(figures.within_delay_percent()),
            within_delay_href: format!(
                "/agent/messagerie?statut=tous&repondu_depuis={day}&dans_le_delai=oui{team}"
            ),
        }
    }
}

struct PeriodView {
    label: &'static str,
    /// For ids and captions.
    slug: &'static str,
    /// The whole fund first, then each team.
    rows: Vec<Row>,
}

struct BacklogRow {
    team: String,
    open: String,
    open_href: String,
    overdue: String,
    overdue_href: String,
}

impl BacklogRow {
    /// `team`'s open threads (`None`: the whole fund's).
    fn of(name: String, team: Option<Option<&TeamCode>>, backlog: &Backlog) -> BacklogRow {
        let team = team_param(team);
        BacklogRow {
            team: name,
            open: count_fr(backlog.open),
            open_href: format!("/agent/messagerie?statut={team}"),
            overdue: count_fr(backlog.overdue),
            overdue_href: format!("/agent/messagerie?retard=oui{team}"),
        }
    }
}

/// One state of the open dossiers: how many, how many past their due date, with their
/// queues.
struct DossierRow {
    state: &'static str,
    total: String,
    total_href: String,
    late: String,
    late_href: String,
}

#[derive(Template)]
#[template(path = "back_office/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    fund_name: String,
    today: String,
    as_of: String,
    backlog: BacklogRow,
    backlog_by_team: Vec<BacklogRow>,
    periods: Vec<PeriodView>,
    /// The open dossiers by state, then the whole (« Tous les dossiers en cours »).
    dossiers: Vec<DossierRow>,
    dossiers_total: DossierRow,
}

/// The team's name (its code if the team is gone); unrouted threads have their own.
fn team_name(names: &HashMap<TeamCode, String>, team: Option<&TeamCode>) -> String {
    match team {
        Some(code) => names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.as_str().to_owned()),
        None => UNROUTED.to_owned(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let board = state
        .messaging
        .dashboard
        .dashboard(staff.id)
        .await
        .map_err(|error| match error {
            DashboardError::NotFound => AppError::NotFound,
            other => AppError::unexpected(other),
        })?;
    let counts = state
        .demarches
        .delay_counts(staff.id)
        .await
        .map_err(|error| match error {
            caisse_core::demarches::DossierError::NotFound => AppError::NotFound,
            other => AppError::unexpected(other),
        })?;
    // A dossier « À compléter » waits for the member with its delay paused: never late, as
    // in the queue (core's counts compare its stale due date with today).
    let late_of = |state: DossierState, late: u64| {
        if state == DossierState::AwaitingCompletion {
            0
        } else {
            late
        }
    };
    let dossiers_total = DossierRow {
        state: "Tous les dossiers en cours",
        total: count_fr(counts.iter().map(|c| c.total).sum()),
        total_href: "/agent/dossiers".to_owned(),
        late: count_fr(counts.iter().map(|c| late_of(c.state, c.late)).sum()),
        late_href: "/agent/dossiers?retard=oui".to_owned(),
    };
    let dossiers = counts
        .iter()
        .map(|c| DossierRow {
            state: c.state.label_fr(),
            total: count_fr(c.total),
            total_href: format!("/agent/dossiers?etat={}", c.state.code()),
            late: count_fr(late_of(c.state, c.late)),
            late_href: format!("/agent/dossiers?etat={}&retard=oui", c.state.code()),
        })
        .collect();
    let names = &board.team_names;
    let fund_name = Fund::by_code(&board.caisse_code).name().to_owned();
    let page = DashboardPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Tableau de bord des délais",
            "agent-tableau",
        ),
        fund_name,
        dossiers,
        dossiers_total,
        today: french::letter_date(board.today),
        as_of: paris_fr(state.clock.now()),
        backlog: BacklogRow::of(WHOLE_FUND.to_owned(), None, &board.backlog),
        backlog_by_team: board
            .backlog_by_team
            .iter()
            .map(|b| BacklogRow::of(team_name(names, b.team.as_ref()), Some(b.team.as_ref()), b))
            .collect(),
        periods: board
            .periods
            .iter()
            .map(|p| PeriodView {
                label: p.period.label_fr(),
                slug: match p.period {
                    Period::Today => "aujourdhui",
                    Period::Last30Days => "30-jours",
                },
                rows: std::iter::once(Row::of(WHOLE_FUND.to_owned(), None, p.first_day, &p.fund))
                    .chain(p.teams.iter().map(|t| {
                        Row::of(
                            team_name(names, t.team.as_ref()),
                            Some(t.team.as_ref()),
                            p.first_day,
                            &t.figures,
                        )
                    }))
                    .collect(),
            })
            .collect(),
    };
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_french() {
        assert_eq!(count_fr(12_345), "12\u{a0}345");
        assert_eq!(hours_fr(Some(Duration::minutes(150))), "2,5\u{a0}h");
        assert_eq!(hours_fr(Some(Duration::minutes(45))), "45\u{a0}min");
        assert_eq!(hours_fr(Some(Duration::days(9))), "216,0\u{a0}h");
        assert_eq!(hours_fr(None), "—");
        assert_eq!(percent_fr(Some(200.0 / 3.0)), "66,7\u{a0}%");
        assert_eq!(percent_fr(None), "—");
    }
}
