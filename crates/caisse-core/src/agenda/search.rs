//! The slot search: every advisor's free slots for a motif on a channel (at one branch, or
//! any), from four queries whatever the number of advisors — their weekly hours, absences,
//! confirmed appointments and the branches' closures — cut by `free_slots_within`.
//!
//! The earliest slots are searched day by day further out (one day, a week, a month, then
//! the horizon), so a search reads the bookings of the days it needs, not three months of
//! them (docs/perf.md measures it with 200 advisors).

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

    /// Each advisor's free slots for `motif` on `channel` (at `site` when given) starting
    /// within `within` (both ends included; `None`: the whole bookable window), earliest
    /// first, at most `limit` per advisor and branch; with `bookings` false, the slots their
    /// hours offer whether booked or not. Reads only the bookings and absences around it.
    pub(super) async fn advisors_slots_within(
        &self,
        motif: &Motif,
        channel: Channel,
        site: Option<Uuid>,
        within: Option<Interval>,
        limit: usize,
        bookings: bool,
    ) -> Result<Vec<AdvisorSlot>, AgendaError> {
        let query = self.slot_query(motif);
        let window = within.unwrap_or_else(|| bookable_window(&query));
        let (from, until) = (window.start, window.end + query.duration);
        let hours: Vec<store::Hours> = store::hours_of_fund(&self.db, motif.caisse, channel)
            .await?
            .into_iter()
            .filter(|h| site.is_none() || h.site == site)
            .filter(|h| (channel == Channel::Agence) == h.site.is_some())
            .collect();
        if hours.is_empty() {
            return Ok(Vec::new());
        }
        let absences = group(
            store::absences(&self.db, motif.caisse, None, from, until)
                .await?
                .into_iter()
                .map(|a| (a.staff_id, a.span)),
        );
        let closures = group(
            store::closures(&self.db, motif.caisse, from)
                .await?
                .into_iter()
                .map(|c| (c.site, c.span)),
        );
        let booked = if bookings {
            group(store::booked_of_fund(&self.db, motif.caisse, from, until).await?)
        } else {
            HashMap::new()
        };
        let mut groups: HashMap<(Uuid, Option<Uuid>), Vec<WeeklyHours>> = HashMap::new();
        for h in &hours {
            groups
                .entry((h.staff_id, h.site))
                .or_default()
                .push(WeeklyHours {
                    weekday: h.weekday,
                    start: h.start,
                    end: h.end,
                });
        }
        let none = Vec::new();
        let mut found = Vec::new();
        for ((staff_id, at), weekly) in groups {
            let mut away: Vec<Interval> = absences.get(&staff_id).unwrap_or(&none).clone();
            if let Some(site) = at {
                away.extend(closures.get(&site).unwrap_or(&none));
            }
            let busy = booked.get(&staff_id).unwrap_or(&none);
            found.extend(
                free_slots_within(&query, within, &weekly, &away, busy, limit)
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
        let mut found: Vec<AdvisorSlot> = Vec::new();
        let mut start = bookable.start;
        for days in [1, 7, 31] {
            let end = (bookable.start + Duration::days(days)).min(bookable.end);
            found.extend(
                self.advisors_slots_within(
                    motif,
                    channel,
                    site,
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
        }
        found.extend(
            self.advisors_slots_within(
                motif,
                channel,
                site,
                Some(Interval {
                    start,
                    end: bookable.end,
                }),
                SLOTS_OFFERED,
                true,
            )
            .await?,
        );
        found.sort_by_key(|s| (s.span.start, s.site, s.staff_id));
        found.dedup();
        Ok(offers(&found))
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
