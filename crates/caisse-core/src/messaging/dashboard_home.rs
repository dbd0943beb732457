//! The back office's home: what waits for the staff member and their fund now, as counts
//! each of which opens the matching queue. Counts only (no member is named), every one read
//! from a range of an index of the staff member's fund: threads from `(caisse_code, status)`,
//! security alerts from `(caisse_code, resolved_at)`, dossiers per state, the day's
//! appointments from `(caisse_code, starts_at)`.

use caisse_domain::agenda::AppointmentStatus;
use caisse_domain::messaging::{ThreadStatus, day_start, local_date};
use caisse_store::{agenda, dossiers, security_alerts, thread_delays};
use time::{Date, Duration};
use uuid::Uuid;

use super::dashboard::DashboardService;
use super::errors::DashboardError;
use super::member::zone_of;

/// What the home of a staff member counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HomeCounts {
    /// Today in the fund's legal time.
    pub today: Option<Date>,
    /// Open threads of the fund (« En attente » or « En cours »).
    pub threads_open: u64,
    /// Of which due before today.
    pub threads_late: u64,
    /// Of which nobody has taken.
    pub threads_unassigned: u64,
    /// Of which the staff member's.
    pub threads_mine: u64,
    /// The fund's security alerts not yet resolved.
    pub alerts: u64,
    /// The fund's open dossiers (déposés, en instruction, à compléter): the dossiers' queue
    /// without a filter.
    pub dossiers_open: u64,
    /// The staff member's appointments of the day, cancelled ones aside.
    pub appointments_today: u64,
}

impl DashboardService {
    /// The counts of the home of staff member `staff_id`, scoped to their fund.
    ///
    /// # Errors
    /// `NotFound` for an unknown or inactive staff account, `Core` otherwise.
    #[tracing::instrument(name = "messaging.dashboard.home_counts", skip_all, fields(%staff_id))]
    pub async fn home_counts(&self, staff_id: Uuid) -> Result<HomeCounts, DashboardError> {
        let shared = &self.shared;
        let db = shared.reads.lagging();
        let staff = shared
            .acting_staff(staff_id)
            .await?
            .ok_or(DashboardError::NotFound)?;
        let fund = staff.caisse_code;
        let zone = zone_of(fund);
        let today = local_date(shared.clock.now(), zone);
        let open = [ThreadStatus::EnAttente, ThreadStatus::EnCours];
        let threads = thread_delays::open_counts(db, fund, &open, today, staff_id).await?;
        let alerts = security_alerts::count_open_for_fund(db, &fund).await?;
        let by_state = dossiers::count_by_state(db, &fund, today).await?;
        let from = day_start(today, zone);
        let to = day_start(today + Duration::days(1), zone);
        let appointments_today = agenda::counts_by_advisor(db, fund, from, to)
            .await?
            .into_iter()
            .filter(|(advisor, status, _)| {
                *advisor == staff_id
                    && !matches!(
                        status,
                        AppointmentStatus::CancelledByMember | AppointmentStatus::CancelledByFund
                    )
            })
            .map(|(_, _, n)| n)
            .sum();
        Ok(HomeCounts {
            today: Some(today),
            threads_open: threads.open,
            threads_late: threads.overdue,
            threads_unassigned: threads.unassigned,
            threads_mine: threads.mine,
            alerts,
            dossiers_open: by_state.iter().map(|c| c.total).sum(),
            appointments_today,
        })
    }
}
