//! The supervisor dashboard: how the fund keeps its answer delays (issue 4, point 9).
//!
//! Definitions (also in `docs/messaging-delays.md`), all in the fund's legal time:
//!
//! - **Periods**: « Aujourd'hui » runs from today's midnight to now; « 30 derniers jours »
//!   from midnight 29 days ago to now (today and the 29 days before).
//! - **Incoming**: threads created in the period.
//! - **Backlog** (not per period, a snapshot): threads open now (« En attente » or « En
//!   cours »), of which **overdue**: due before today.
//! - **First answers**: threads first answered in the period, whenever they were created;
//!   their **median delay** (wall-clock time from creation to first answer; the mean of the
//!   two middle values for an even count) and the **share in time** (answered by the due
//!   date).
//! - **By team**: the same grouped by the thread's team; threads not routed to a team form
//!   one group (`team: None`).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use caisse_domain::messaging::{TeamCode, ThreadStatus, day_start, local_date};
use caisse_domain::{CaisseCode, Instant};
use caisse_store::thread_delays::{self, Scope, TeamAnswers};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::errors::DashboardError;
use super::member::zone_of;
use super::shared::Shared;
use super::teams;

/// The supervisors' dashboard of answer delays.
#[derive(Clone)]
pub struct DashboardService {
    pub(super) shared: Arc<Shared>,
}

/// A period of the dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Since today's midnight.
    Today,
    /// Today and the 29 days before.
    Last30Days,
}

impl Period {
    /// Both periods, in the order of the page.
    pub const ALL: [Period; 2] = [Period::Today, Period::Last30Days];

    /// Returns « Aujourd'hui » or « 30 derniers jours ».
    pub fn label_fr(self) -> &'static str {
        match self {
            Period::Today => "Aujourd'hui",
            Period::Last30Days => "30 derniers jours",
        }
    }

    /// The first day of the period that ends `today`.
    fn first_day(self, today: Date) -> Date {
        match self {
            Period::Today => today,
            Period::Last30Days => today.checked_sub(Duration::days(29)).unwrap_or(today),
        }
    }
}

/// The figures of one period, for the fund or one team.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Threads created in the period.
    pub incoming: u64,
    /// Threads first answered in the period.
    pub answered: u64,
    /// Of which by their due date.
    pub within_delay: u64,
    /// Median time from creation to first answer of those; `None` without answers.
    pub median_first_answer: Option<Duration>,
}

impl Figures {
    /// The share of first answers given by the due date, in per cent; `None` without
    /// answers.
    pub fn within_delay_percent(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.within_delay as f64 * 100.0 / self.answered as f64)
    }
}

/// The figures of one team (`None`: threads not routed to a team).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamFigures {
    /// Team code.
    pub team: Option<TeamCode>,
    /// Its figures.
    pub figures: Figures,
}

/// One period of the dashboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodFigures {
    /// Which period.
    pub period: Period,
    /// Its first day, in the fund's legal time.
    pub first_day: Date,
    /// Its first instant.
    pub since: OffsetDateTime,
    /// The whole fund.
    pub fund: Figures,
    /// Each team with incoming threads or answers in the period, unrouted first, then by
    /// code.
    pub teams: Vec<TeamFigures>,
}

/// Open threads of one team now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Team code (`None`: not routed; also used for the fund's total).
    pub team: Option<TeamCode>,
    /// Open threads.
    pub open: u64,
    /// Of which due before today.
    pub overdue: u64,
}

/// The dashboard of the supervisor's fund.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dashboard {
    /// The fund.
    pub caisse_code: CaisseCode,
    /// Today in the fund's legal time.
    pub today: Date,
    /// Open threads of the whole fund now.
    pub backlog: Backlog,
    /// Open threads by team, unrouted first, then by code.
    pub backlog_by_team: Vec<Backlog>,
    /// « Aujourd'hui » and « 30 derniers jours ».
    pub periods: Vec<PeriodFigures>,
    /// The fund's teams by code, to name the rows.
    pub team_names: HashMap<TeamCode, String>,
}

/// The median of one or two middle values (see
/// [`thread_delays::middle_first_answer_seconds`]).
fn median(middle: &[i64]) -> Option<Duration> {
    match middle {
        [one] => Some(Duration::seconds(*one)),
        [low, high] => Some(Duration::seconds(low + high) / 2_i32),
        _ => None,
    }
}

impl DashboardService {
    pub(super) fn new(shared: Arc<Shared>) -> DashboardService {
        DashboardService { shared }
    }

    /// The dashboard of the staff member's fund, as of now. The caller checks the role
    /// (supervisors and administrators); this only scopes to the fund.
    ///
    /// # Errors
    /// `NotFound` for an unknown or inactive staff account, `Core` otherwise.
    #[tracing::instrument(name = "messaging.dashboard.dashboard", skip_all, fields(%staff_id))]
    pub async fn dashboard(&self, staff_id: Uuid) -> Result<Dashboard, DashboardError> {
        let db = self.shared.reads.lagging();
        let staff = self
            .shared
            .acting_staff(staff_id)
            .await?
            .ok_or(DashboardError::NotFound)?;
        let fund = staff.caisse_code;
        let zone = zone_of(fund);
        let today = local_date(self.shared.clock.now(), zone);
        let open = [ThreadStatus::EnAttente, ThreadStatus::EnCours];
        let mut backlog_by_team: Vec<Backlog> = thread_delays::backlog(db, fund, &open, today)
            .await?
            .into_iter()
            .map(|row| Backlog {
                team: row.team,
                open: row.open,
                overdue: row.overdue,
            })
            .collect();
        backlog_by_team.sort_by(|a, b| a.team.cmp(&b.team));
        let backlog = Backlog {
            team: None,
            open: backlog_by_team.iter().map(|b| b.open).sum(),
            overdue: backlog_by_team.iter().map(|b| b.overdue).sum(),
        };
        let mut periods = Vec::with_capacity(Period::ALL.len());
        for period in Period::ALL {
            let first_day = period.first_day(today);
            let since = day_start(first_day, zone);
            periods.push(self.period_figures(fund, period, first_day, since).await?);
        }
        let team_names = teams::of_fund(db, fund)
            .await?
            .into_iter()
            .map(|team| (team.code, team.name))
            .collect();
        Ok(Dashboard {
            caisse_code: fund,
            today,
            backlog,
            backlog_by_team,
            periods,
            team_names,
        })
    }

    async fn period_figures(
        &self,
        fund: CaisseCode,
        period: Period,
        first_day: Date,
        since: OffsetDateTime,
    ) -> Result<PeriodFigures, DashboardError> {
        let db = self.shared.reads.lagging();
        let from = Instant::from(since);
        let incoming = thread_delays::incoming_since(db, fund, from).await?;
        let answers = thread_delays::answered_since(db, fund, from).await?;
        // Teams with anything in the period; `None` sorts first.
        let teams: BTreeSet<Option<TeamCode>> = incoming
            .iter()
            .map(|row| row.team.clone())
            .chain(answers.iter().map(|row| row.team.clone()))
            .collect();
        let mut fund_figures = Figures {
            incoming: incoming.iter().map(|row| row.threads).sum(),
            answered: answers.iter().map(|row| row.answered).sum(),
            within_delay: answers.iter().map(|row| row.within_delay).sum(),
            median_first_answer: None,
        };
        fund_figures.median_first_answer = self
            .median(fund, from, Scope::Fund, fund_figures.answered)
            .await?;
        let mut team_figures = Vec::with_capacity(teams.len());
        for team in teams {
            let answered = answers
                .iter()
                .find(|row| row.team == team)
                .cloned()
                .unwrap_or(TeamAnswers {
                    team: team.clone(),
                    answered: 0,
                    within_delay: 0,
                });
            let figures = Figures {
                incoming: incoming
                    .iter()
                    .find(|row| row.team == team)
                    .map_or(0, |row| row.threads),
                answered: answered.answered,
                within_delay: answered.within_delay,
                median_first_answer: self
                    .median(fund, from, Scope::Team(team.as_ref()), answered.answered)
                    .await?,
            };
            team_figures.push(TeamFigures { team, figures });
        }
        Ok(PeriodFigures {
            period,
            first_day,
            since,
            fund: fund_figures,
            teams: team_figures,
        })
    }

    async fn median(
        &self,
        fund: CaisseCode,
        since: Instant,
        scope: Scope<'_>,
        answered: u64,
    ) -> Result<Option<Duration>, DashboardError> {
        let middle = thread_delays::middle_first_answer_seconds(
            &self.shared.db,
            fund,
            since,
            scope,
            answered,
        )
        .await?;
        Ok(median(&middle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_two() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3600]), Some(Duration::hours(1)));
        assert_eq!(
            median(&[3600, 7201]),
            Some(Duration::milliseconds(5_400_500))
        );
    }

    #[test]
    fn periods_start_today_or_29_days_before() {
        let today = date!(2026 - 03 - 10);
        assert_eq!(Period::Today.first_day(today), today);
        assert_eq!(Period::Last30Days.first_day(today), date!(2026 - 02 - 09));
        let figures = Figures {
            answered: 8,
            within_delay: 7,
            ..Figures::default()
        };
        assert_eq!(figures.within_delay_percent(), Some(87.5));
        assert_eq!(Figures::default().within_delay_percent(), None);
    }
}
