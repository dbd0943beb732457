//! The supervisors' figures: per advisor of the fund over a period, appointments booked,
//! honoured, excused, missed and cancelled with the no-show rate (per mille, integers only);
//! and the next fourteen days' load, booked minutes against the minutes their weekly hours
//! open on the fund's working days.

use std::collections::HashMap;

use caisse_domain::agenda::{AppointmentStatus, Channel};
use caisse_domain::{Fund, is_working_day};
use caisse_store::agenda::{self as store, Scope};
use caisse_store::staff;
use time::{Date, Duration};
use uuid::Uuid;

use super::Agenda;
use super::staff::{StaffAgendaError, midnight, zone_of_fund};

/// Days of the load ahead.
pub const LOAD_DAYS: i64 = 14;

/// One advisor's figures.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AdvisorFigures {
    /// The advisor.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Appointments of the period, every status.
    pub booked: u64,
    /// Honoured.
    pub honoured: u64,
    /// Excused.
    pub excused: u64,
    /// Missed.
    pub no_show: u64,
    /// Cancelled, by the member or the fund.
    pub cancelled: u64,
    /// Missed per mille of those with an outcome (honoured, excused, missed).
    pub no_show_per_mille: Option<u64>,
    /// Minutes booked (confirmed) over the next [`LOAD_DAYS`] days.
    pub booked_minutes: u64,
    /// Minutes their weekly hours open over those days.
    pub open_minutes: u64,
}

debug_fields!(AdvisorFigures {
    id,
    booked,
    no_show_per_mille
});

/// The supervisors' view.
#[derive(Clone, Debug)]
pub struct Figures {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// Today, local.
    pub today: Date,
    /// Per advisor, by name.
    pub advisors: Vec<AdvisorFigures>,
}

/// `part` per mille of `whole`, rounded to the nearest, in integers.
pub fn per_mille(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (part * 1000 + whole / 2) / whole)
}

impl Agenda {
    /// The fund's figures from `from` to `to` (local days; the last thirty when `None`), for a
    /// supervisor or an administrator.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotAllowed`] for an advisor.
    pub async fn figures(
        &self,
        staff_id: Uuid,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Figures, StaffAgendaError> {
        let me = self.supervisor(staff_id).await?;
        let caisse = me.caisse_code;
        let zone = zone_of_fund(caisse);
        let today = zone.local(self.now()).date();
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - Duration::days(29));
        let (from, to) = if from <= to { (from, to) } else { (to, from) };
        let start = midnight(zone, from);
        let end = midnight(zone, to.next_day().unwrap_or(to));
        let advisors = staff::active_of_fund(&self.db, &caisse).await?;
        let mut figures: HashMap<Uuid, AdvisorFigures> = advisors
            .iter()
            .map(|s| {
                (
                    s.id,
                    AdvisorFigures {
                        id: s.id,
                        name: s.display_name.clone(),
                        ..AdvisorFigures::default()
                    },
                )
            })
            .collect();
        for (advisor, status, n) in store::counts_by_advisor(&self.db, caisse, start, end).await? {
            let Some(f) = figures.get_mut(&advisor) else {
                continue;
            };
            f.booked += n;
            match status {
                AppointmentStatus::Honoured => f.honoured += n,
                AppointmentStatus::Excused => f.excused += n,
                AppointmentStatus::NoShow => f.no_show += n,
                AppointmentStatus::CancelledByFund | AppointmentStatus::CancelledByMember => {
                    f.cancelled += n;
                }
                AppointmentStatus::Confirmed => {}
            }
        }
        // The load ahead: booked minutes, and the minutes the weekly hours open on working
        // days (three queries for the hours, one for the appointments).
        let first = today;
        let last = today + Duration::days(LOAD_DAYS - 1);
        let ahead = store::of_fund_between(
            &self.db,
            caisse,
            Scope::Fund,
            midnight(zone, first),
            midnight(zone, last.next_day().unwrap_or(last)),
        )
        .await?;
        for appointment in ahead
            .iter()
            .filter(|a| a.status == AppointmentStatus::Confirmed)
        {
            if let Some(f) = figures.get_mut(&appointment.staff_id) {
                let minutes = (appointment.span.end - appointment.span.start).whole_minutes();
                f.booked_minutes += u64::try_from(minutes).unwrap_or(0);
            }
        }
        let holidays = Fund::by_code(&caisse).calendar();
        let days: Vec<Date> = (0..LOAD_DAYS)
            .map(|n| first + Duration::days(n))
            .filter(|d| is_working_day(holidays, *d))
            .collect();
        for channel in [Channel::Telephone, Channel::Agence, Channel::Visio] {
            for hours in store::hours_of_fund(&self.db, caisse, channel).await? {
                let Some(f) = figures.get_mut(&hours.staff_id) else {
                    continue;
                };
                let minutes = u64::try_from((hours.end - hours.start).whole_minutes()).unwrap_or(0);
                let count = days.iter().filter(|d| d.weekday() == hours.weekday).count();
                f.open_minutes += minutes * u64::try_from(count).unwrap_or(0);
            }
        }
        let mut advisors: Vec<AdvisorFigures> = advisors
            .iter()
            .filter_map(|s| figures.remove(&s.id))
            .map(|mut f| {
                f.no_show_per_mille = per_mille(f.no_show, f.honoured + f.excused + f.no_show);
                f
            })
            .collect();
        advisors.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Figures {
            from,
            to,
            today,
            advisors,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::per_mille;

    #[test]
    fn per_mille_rounds_to_the_nearest_and_none_of_nothing() {
        assert_eq!(per_mille(1, 3), Some(333));
        assert_eq!(per_mille(2, 3), Some(667));
        assert_eq!(per_mille(0, 5), Some(0));
        assert_eq!(per_mille(0, 0), None);
    }
}
