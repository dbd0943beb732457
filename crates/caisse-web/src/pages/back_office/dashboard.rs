//! Back office, `/agent/tableau-de-bord`: the supervisors' dashboard of answer delays (issue
//! 4, point 9) for supervisors and administrators of the fund; a conseiller gets 403. The
//! figures and their definitions are `caisse_core::messaging::dashboard`'s; the « Démarches »
//! block counts the fund's open dossiers by state, with the late ones
//! (`caisse_core::demarches`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::messaging::{Backlog, DashboardError, Figures, Period};
use caisse_domain::Fund;
use caisse_domain::demarches::DossierState;
use caisse_domain::french;
use caisse_domain::messaging::TeamCode;
use time::Duration;

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

/// A delay in hours with one decimal: « 2,5 h »; « — » without one.
fn hours_fr(delay: Option<Duration>) -> String {
    delay.map_or_else(|| "—".to_owned(), french::decimal_hours)
}

/// A share with one decimal: « 87,5 % »; « — » without answers.
fn percent_fr(percent: Option<f64>) -> String {
    percent.map_or_else(|| "—".to_owned(), french::percent)
}

/// One row of a period's table.
struct Row {
    team: String,
    incoming: String,
    answered: String,
    median: String,
    within_delay: String,
}

impl Row {
    fn of(team: String, figures: &Figures) -> Row {
        Row {
            team,
            incoming: count_fr(figures.incoming),
            answered: count_fr(figures.answered),
            median: hours_fr(figures.median_first_answer),
            within_delay: percent_fr(figures.within_delay_percent()),
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
    overdue: String,
}

impl BacklogRow {
    fn of(team: String, backlog: &Backlog) -> BacklogRow {
        BacklogRow {
            team,
            open: count_fr(backlog.open),
            overdue: count_fr(backlog.overdue),
        }
    }
}

/// One state of the open dossiers: how many, how many past their due date.
struct DossierRow {
    state: &'static str,
    total: String,
    late: String,
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
        late: count_fr(counts.iter().map(|c| late_of(c.state, c.late)).sum()),
    };
    let dossiers = counts
        .iter()
        .map(|c| DossierRow {
            state: c.state.label_fr(),
            total: count_fr(c.total),
            late: count_fr(late_of(c.state, c.late)),
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
        backlog: BacklogRow::of(WHOLE_FUND.to_owned(), &board.backlog),
        backlog_by_team: board
            .backlog_by_team
            .iter()
            .map(|b| BacklogRow::of(team_name(names, b.team.as_ref()), b))
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
                rows: std::iter::once(Row::of(WHOLE_FUND.to_owned(), &p.fund))
                    .chain(
                        p.teams
                            .iter()
                            .map(|t| Row::of(team_name(names, t.team.as_ref()), &t.figures)),
                    )
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
        assert_eq!(hours_fr(Some(Duration::days(9))), "216,0\u{a0}h");
        assert_eq!(hours_fr(None), "—");
        assert_eq!(percent_fr(Some(200.0 / 3.0)), "66,7\u{a0}%");
        assert_eq!(percent_fr(None), "—");
    }
}
