//! The slot search: every advisor's free slots for a motif on a channel (at one branch, or
//! any), from four queries whatever the number of advisors — their weekly hours, absences,
//! confirmed appointments and the branches' closures — cut by `free_slots_within`.
//!
//! The earliest slots are searched in windows further and further out (ending 1, 2, 4, 8…
//! days ahead, up to the horizon), so a search reads the bookings of the days it needs, not
//! three months of them (docs/perf.md measures it with 200 advisors).

use std::collections::HashMap;

use caisse_domain::Fund;
use caisse_domain::agenda::{
    Channel, Interval, LocalZone, SlotQuery, WeeklyHours, bookable_window, free_slots_within,
};
use caisse_store::agenda::{self as store, Motif};
use time::Duration;
use uuid::Uuid;

use super::{Agenda, AgendaError};

/// Slots a search offers at most.
pub const SLOTS_OFFERED: usize = 20;

/// A free slot offered to the member (the advisor is chosen when booking).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotOffer {
    /// When.
    pub span: Interval,
    /// The branch, for a slot at a branch.
    pub site: Option<Uuid>,
}

/// One advisor's slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct AdvisorSlot {
    pub(super) staff_id: Uuid,
    pub(super) site: Option<Uuid>,
    pub(super) span: Interval,
}

/// The weekly hours a search reads once, by advisor and branch, and the branches' closures.
pub(super) struct Schedule {
    groups: HashMap<(Uuid, Option<Uuid>), Vec<WeeklyHours>>,
    closures: HashMap<Uuid, Vec<Interval>>,
}

/// The local time of fund `motif.caisse`'s sites.
pub(super) fn zone_of(motif: &Motif) -> LocalZone {
    LocalZone::for_department(Fund::by_code(&motif.caisse).department())
}

fn group<K: std::hash::Hash + Eq>(
    items: impl IntoIterator<Item = (K, Interval)>,
) -> HashMap<K, Vec<Interval>> {
    let mut map: HashMap<K, Vec<Interval>> = HashMap::new();
    for (key, span) in items {
        map.entry(key).or_default().push(span);
    }
    map
}

impl Agenda {
    fn slot_query(&self, motif: &Motif) -> SlotQuery {
        SlotQuery {
            now: self.now(),
            duration: Duration::minutes(i64::from(motif.duration_minutes)),
            min_notice: Duration::hours(i64::from(motif.min_notice_hours)),
            horizon: Duration::days(i64::from(motif.horizon_days)),
            zone: zone_of(motif),
            holidays: Fund::by_code(&motif.caisse).calendar(),
        }
    }

    /// What a search reads once: the weekly hours of the advisors serving `motif` on
    /// `channel` (at `site` when given), by advisor and branch, and the branches' closures.
    pub(super) async fn schedule(
        &self,
        motif: &Motif,
        channel: Channel,
        site: Option<Uuid>,
    ) -> Result<Schedule, AgendaError> {
        let mut groups: HashMap<(Uuid, Option<Uuid>), Vec<WeeklyHours>> = HashMap::new();
        for h in store::hours_of_fund(&self.db, motif.caisse, channel).await? {
            if (site.is_none() || h.site == site)
                && (channel == Channel::Agence) == h.site.is_some()
            {
                groups
                    .entry((h.staff_id, h.site))
                    .or_default()
                    .push(WeeklyHours {
                        weekday: h.weekday,
                        start: h.start,
                        end: h.end,
                    });
            }
        }
        let closures = if groups.keys().any(|(_, at)| at.is_some()) {
            group(
                store::closures(&self.db, motif.caisse, self.now())
                    .await?
                    .into_iter()
                    .map(|c| (c.site, c.span)),
            )
        } else {
            HashMap::new()
        };
        Ok(Schedule { groups, closures })
    }

    /// Each advisor's free slots in `schedule` starting within `within` (both ends included;
    /// `None`: the whole bookable window), earliest first, at most `limit` per advisor and
    /// branch; with `bookings` false, the slots their hours offer whether booked or not.
    /// Reads only that window's absences and (with `bookings`) confirmed appointments.
    pub(super) async fn slots_in(
        &self,
        schedule: &Schedule,
        motif: &Motif,
        within: Option<Interval>,
        limit: usize,
        bookings: bool,
    ) -> Result<Vec<AdvisorSlot>, AgendaError> {
        if schedule.groups.is_empty() {
            return Ok(Vec::new());
        }
        let query = self.slot_query(motif);
        let window = within.unwrap_or_else(|| bookable_window(&query));
        let (from, until) = (window.start, window.end + query.duration);
        let absences = group(
            store::absences(&self.db, motif.caisse, None, from, until)
                .await?
                .into_iter()
                .map(|a| (a.staff_id, a.span)),
        );
        let booked = if bookings {
            group(store::booked_of_fund(&self.db, motif.caisse, from, until).await?)
        } else {
            HashMap::new()
        };
        let none = Vec::new();
        let mut found = Vec::new();
        for (&(staff_id, at), weekly) in &schedule.groups {
            let mut away: Vec<Interval> = absences.get(&staff_id).unwrap_or(&none).clone();
            if let Some(site) = at {
                away.extend(schedule.closures.get(&site).unwrap_or(&none));
            }
            let busy = booked.get(&staff_id).unwrap_or(&none);
            found.extend(
                free_slots_within(&query, within, weekly, &away, busy, limit)
                    .into_iter()
                    .map(|span| AdvisorSlot {
                        staff_id,
                        site: at,
                        span,
                    }),
            );
        }
        found.sort_by_key(|s| (s.span.start, s.site, s.staff_id));
        Ok(found)
    }

    /// The next free slots for `motif` on `channel` (at `site` when given), one per time and
    /// branch, earliest first.
    pub(super) async fn offers_for(
        &self,
        motif: &Motif,
        channel: Channel,
        site: Option<Uuid>,
    ) -> Result<Vec<SlotOffer>, AgendaError> {
        let bookable = bookable_window(&self.slot_query(motif));
        let schedule = self.schedule(motif, channel, site).await?;
        let mut found: Vec<AdvisorSlot> = Vec::new();
        let mut start = bookable.start;
        // Windows ending 1, 2, 4, 8… days ahead: the earliest slots are usually within the
        // first days, and each window reads only its own days' bookings.
        let mut days = 1;
        loop {
            let end = (bookable.start + Duration::days(days)).min(bookable.end);
            found.extend(
                self.slots_in(
                    &schedule,
                    motif,
                    Some(Interval { start, end }),
                    SLOTS_OFFERED,
                    true,
                )
                .await?,
            );
            found.sort_by_key(|s| (s.span.start, s.site, s.staff_id));
            found.dedup();
            if offers(&found).len() == SLOTS_OFFERED || end == bookable.end {
                return Ok(offers(&found));
            }
            start = end;
            days *= 2;
        }
    }
}

/// One offer per time and branch, earliest first, at most [`SLOTS_OFFERED`].
pub(super) fn offers(slots: &[AdvisorSlot]) -> Vec<SlotOffer> {
    let mut offers: Vec<SlotOffer> = Vec::new();
    for slot in slots {
        let offer = SlotOffer {
            span: slot.span,
            site: slot.site,
        };
        if offers.last() != Some(&offer) {
            offers.push(offer);
        }
        if offers.len() == SLOTS_OFFERED {
            break;
        }
    }
    offers
}
