//! Back office, `/agent/tableau-de-bord`: the supervisors' dashboard of answer delays (issue
//! 4, point 9) for supervisors and administrators of the fund; a conseiller gets 403. The
//! figures and their definitions are `caisse_core::messaging::dashboard`'s.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::messaging::{Figures, MessagingError, Period};
use caisse_domain::{CaisseCode, Fund};
use time::Duration;

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::{date_fr, paris_fr, render};
use crate::state::AppState;
use crate::visitor::CurrentStaff;

/// The name of the group of threads not routed to a team.
const UNROUTED: &str = "Accueil (non routé)";

/// Narrow no-break space: French thousands separator and the space before « % » and « h ».
const THIN: char = '\u{202f}';

/// `value` with `decimals` digits after a decimal comma and thin spaces between thousands:
/// « 1 234,5 ».
fn decimal_fr(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let (sign, digits) = whole
        .strip_prefix('-')
        .map_or(("", whole), |digits| ("-", digits));
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(THIN);
        }
        grouped.push(digit);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction}")
    }
}

/// A delay in hours with one decimal: « 2,5 h »; « — » without one.
fn hours_fr(delay: Option<Duration>) -> String {
    delay.map_or_else(
        || "—".to_owned(),
        |d| format!("{}{THIN}h", decimal_fr(d.as_seconds_f64() / 3600.0, 1)),
    )
}

/// A share with one decimal: « 87,5 % »; « — » without answers.
fn percent_fr(percent: Option<f64>) -> String {
    percent.map_or_else(
        || "—".to_owned(),
        |p| format!("{}{THIN}%", decimal_fr(p, 1)),
    )
}

/// One row of a period's table.
struct Row {
    team: String,
    incoming: u64,
    answered: u64,
    median: String,
    within_delay: String,
}

impl Row {
    fn of(team: String, figures: &Figures) -> Row {
        Row {
            team,
            incoming: figures.incoming,
            answered: figures.answered,
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
    open: u64,
    overdue: u64,
}

#[derive(Template)]
#[template(path = "agent/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    fund_name: String,
    today: String,
    as_of: String,
    backlog: BacklogRow,
    backlog_by_team: Vec<BacklogRow>,
    periods: Vec<PeriodView>,
}

/// The team's name: its code until team names are mapped; unrouted threads have their own.
fn team_name(team: Option<String>) -> String {
    team.unwrap_or_else(|| UNROUTED.to_owned())
}

pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, AppError> {
    staff.require_supervisor()?;
    let board = state
        .messaging
        .dashboard(staff.id)
        .await
        .map_err(|error| match error {
            MessagingError::NotFound => AppError::NotFound,
            other => AppError::unexpected(other),
        })?;
    let fund_name = CaisseCode::parse(&board.caisse_code)
        .map(|code| Fund::by_code(&code).name().to_owned())
        .unwrap_or_else(|_| board.caisse_code.clone());
    let page = DashboardPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Tableau de bord des délais",
            "agent-tableau",
        ),
        fund_name,
        today: date_fr(board.today),
        as_of: paris_fr(state.clock.now()),
        backlog: BacklogRow {
            team: "Toute la caisse".to_owned(),
            open: board.backlog.open,
            overdue: board.backlog.overdue,
        },
        backlog_by_team: board
            .backlog_by_team
            .into_iter()
            .map(|b| BacklogRow {
                team: team_name(b.team),
                open: b.open,
                overdue: b.overdue,
            })
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
                rows: std::iter::once(Row::of("Toute la caisse".to_owned(), &p.fund))
                    .chain(
                        p.teams
                            .iter()
                            .map(|t| Row::of(team_name(t.team.clone()), &t.figures)),
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
        assert_eq!(decimal_fr(1234.54, 1), "1\u{202f}234,5");
        assert_eq!(decimal_fr(87.5, 1), "87,5");
        assert_eq!(decimal_fr(1_000_000.0, 0), "1\u{202f}000\u{202f}000");
        assert_eq!(decimal_fr(-234.5, 1), "-234,5");
        assert_eq!(hours_fr(Some(Duration::minutes(150))), "2,5\u{202f}h");
        assert_eq!(hours_fr(Some(Duration::days(9))), "216,0\u{202f}h");
        assert_eq!(hours_fr(None), "—");
        assert_eq!(percent_fr(Some(200.0 / 3.0)), "66,7\u{202f}%");
        assert_eq!(percent_fr(None), "—");
    }
}
