//! Free slots: an advisor's weekly opening hours on working days (the fund's holiday
//! calendar), cut into slots of the motif's length, minus their absences and bookings, within
//! the motif's notice and horizon. Computed on each search, never stored.

use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

use super::zone::LocalZone;
use crate::calendar::{HolidayZone, is_working_day};

/// A span of time, `start` included, `end` excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    /// First instant.
    pub start: OffsetDateTime,
    /// First instant after.
    pub end: OffsetDateTime,
}

impl Interval {
    /// Whether the two spans share an instant.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Opening hours one weekday, in the site's local time: an advisor takes appointments from
/// `start` to `end` (the last slot ends by `end`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeeklyHours {
    /// The day.
    pub weekday: Weekday,
    /// First local time.
    pub start: Time,
    /// Local time by which the last slot ends.
    pub end: Time,
}

/// What a search asks for.
#[derive(Clone, Copy, Debug)]
pub struct SlotQuery {
    /// Now.
    pub now: OffsetDateTime,
    /// The motif's length.
    pub duration: Duration,
    /// The motif's least notice: no slot starts before now plus this.
    pub min_notice: Duration,
    /// The motif's horizon: no slot starts after now plus this.
    pub horizon: Duration,
    /// The site's legal time.
    pub zone: LocalZone,
    /// The fund's holiday calendar.
    pub holidays: HolidayZone,
}

/// The free slots of one advisor with `hours`, `absences` and `bookings`, earliest first, at
/// most `limit`.
pub fn free_slots(
    query: &SlotQuery,
    hours: &[WeeklyHours],
    absences: &[Interval],
    bookings: &[Interval],
    limit: usize,
) -> Vec<Interval> {
    free_slots_within(query, None, hours, absences, bookings, limit)
}

/// The window a query's notice and horizon leave: slots start within it (both ends included).
pub fn bookable_window(query: &SlotQuery) -> Interval {
    Interval {
        start: query.now + query.min_notice,
        end: query.now + query.horizon,
    }
}

/// [`free_slots`] starting within `within` too (a part of the bookable window, searched
/// first so that a search reads only the bookings of the days it needs).
pub fn free_slots_within(
    query: &SlotQuery,
    within: Option<Interval>,
    hours: &[WeeklyHours],
    absences: &[Interval],
    bookings: &[Interval],
    limit: usize,
) -> Vec<Interval> {
    let mut slots = Vec::new();
    if query.duration <= Duration::ZERO || limit == 0 {
        return slots;
    }
    let bookable = bookable_window(query);
    let (earliest, latest) = match within {
        Some(part) => (bookable.start.max(part.start), bookable.end.min(part.end)),
        None => (bookable.start, bookable.end),
    };
    if earliest > latest {
        return slots;
    }
    let mut day: Date = query.zone.local(earliest).date();
    let last_day = query.zone.local(latest).date();
    while day <= last_day && slots.len() < limit {
        if is_working_day(query.holidays, day) {
            let mut today: Vec<&WeeklyHours> = hours
                .iter()
                .filter(|h| h.weekday == day.weekday())
                .collect();
            today.sort_by_key(|h| h.start);
            let offset = query.zone.day_offset(day);
            for range in today {
                day_slots(
                    query,
                    (day, offset),
                    range,
                    (earliest, latest),
                    absences,
                    bookings,
                    limit,
                    &mut slots,
                );
            }
        }
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    slots
}

#[expect(
    clippy::too_many_arguments,
    reason = "one opening range's whole context"
)]
fn day_slots(
    query: &SlotQuery,
    (day, day_offset): (Date, Option<UtcOffset>),
    range: &WeeklyHours,
    (earliest, latest): (OffsetDateTime, OffsetDateTime),
    absences: &[Interval],
    bookings: &[Interval],
    limit: usize,
    slots: &mut Vec<Interval>,
) {
    let mut local = PrimitiveDateTime::new(day, range.start);
    let end_local = PrimitiveDateTime::new(day, range.end);
    while slots.len() < limit {
        let Some(end_of_slot) = local.checked_add(query.duration) else {
            return;
        };
        if end_of_slot > end_local {
            return;
        }
        // A wall-clock time that does not exist (summer time starting) offers no slot. On
        // the days without a change of legal time, one offset reads every time of the day.
        let instant = |at: PrimitiveDateTime| match day_offset {
            Some(offset) => Some(at.assume_offset(offset).to_offset(UtcOffset::UTC)),
            None => query.zone.instant(at),
        };
        if let (Some(start), Some(end)) = (instant(local), instant(end_of_slot)) {
            let slot = Interval { start, end };
            let in_window = start >= earliest && start <= latest;
            let taken = absences
                .iter()
                .chain(bookings)
                .any(|busy| busy.overlaps(&slot));
            if in_window && !taken {
                slots.push(slot);
            }
        }
        local = end_of_slot;
    }
}
