use time::macros::{datetime, time};
use time::{Duration, Weekday};

use super::*;
use crate::HolidayZone;

fn query(now: time::OffsetDateTime) -> SlotQuery {
    SlotQuery {
        now,
        duration: Duration::minutes(30),
        min_notice: Duration::hours(24),
        horizon: Duration::days(14),
        zone: LocalZone::Paris,
        holidays: HolidayZone::Metropole,
    }
}

fn mornings() -> Vec<WeeklyHours> {
    [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ]
    .into_iter()
    .map(|weekday| WeeklyHours {
        weekday,
        start: time!(9:00),
        end: time!(10:00),
    })
    .collect()
}

#[test]
fn local_times_follow_summer_time_and_skip_the_missing_hour() {
    let paris = LocalZone::Paris;
    assert_eq!(
        paris.instant(datetime!(2026-03-27 09:00)),
        Some(datetime!(2026-03-27 08:00 UTC))
    );
    assert_eq!(
        paris.instant(datetime!(2026-03-30 09:00)),
        Some(datetime!(2026-03-30 07:00 UTC))
    );
    // 2:30 does not exist on 29 March 2026; 2:30 on 25 October exists twice (summer first).
    assert_eq!(paris.instant(datetime!(2026-03-29 02:30)), None);
    assert_eq!(
        paris.instant(datetime!(2026-10-25 02:30)),
        Some(datetime!(2026-10-25 00:30 UTC))
    );
    assert_eq!(
        LocalZone::for_department("974").instant(datetime!(2026-03-30 09:00)),
        Some(datetime!(2026-03-30 05:00 UTC))
    );
    assert_eq!(
        LocalZone::for_department("971").local(datetime!(2026-07-01 13:00 UTC)),
        datetime!(2026-07-01 09:00)
    );
}

#[test]
fn slots_keep_the_local_hours_across_the_change_to_summer_time() {
    // Thursday 26 March 2026, 8:00 Paris: the notice of 24 h leaves Friday 27 (winter time)
    // and Monday 30 (summer time), at 9:00 Paris both.
    let slots = free_slots(
        &query(datetime!(2026-03-26 07:00 UTC)),
        &mornings(),
        &[],
        &[],
        4,
    );
    let starts: Vec<_> = slots.iter().map(|s| s.start).collect();
    assert_eq!(
        starts,
        [
            datetime!(2026-03-27 08:00 UTC),
            datetime!(2026-03-27 08:30 UTC),
            datetime!(2026-03-30 07:00 UTC),
            datetime!(2026-03-30 07:30 UTC),
        ]
    );
    assert!(
        slots
            .iter()
            .all(|s| s.end - s.start == Duration::minutes(30))
    );
}

#[test]
fn holidays_absences_and_bookings_leave_no_slot() {
    // Thursday 30 April 2026, noon: Friday 1 May is a holiday, Monday 4 May has a booking at
    // 9:00 and an absence at 9:30.
    let booked = Interval {
        start: datetime!(2026-05-04 07:00 UTC),
        end: datetime!(2026-05-04 07:30 UTC),
    };
    let away = Interval {
        start: datetime!(2026-05-04 07:30 UTC),
        end: datetime!(2026-05-04 09:00 UTC),
    };
    let slots = free_slots(
        &query(datetime!(2026-04-30 10:00 UTC)),
        &mornings(),
        &[away],
        &[booked],
        1,
    );
    assert_eq!(slots[0].start, datetime!(2026-05-05 07:00 UTC));
}

#[test]
fn notice_and_horizon_bound_the_search() {
    let mut short = query(datetime!(2026-06-01 06:00 UTC));
    short.min_notice = Duration::hours(1);
    short.horizon = Duration::hours(3);
    // Monday 1 June, 8:00 Paris: the notice leaves 9:00 and 9:30 today, the horizon nothing
    // after 11:00 Paris.
    let slots = free_slots(&short, &mornings(), &[], &[], 10);
    assert_eq!(slots.len(), 2);
    assert_eq!(slots[0].start, datetime!(2026-06-01 07:00 UTC));
    short.min_notice = Duration::minutes(61);
    assert_eq!(free_slots(&short, &mornings(), &[], &[], 10).len(), 1);
}

#[test]
fn cancellation_reminder_and_waiting_list_follow_the_clock() {
    let starts = datetime!(2026-11-02 09:00 UTC);
    assert!(can_cancel(starts, datetime!(2026-11-02 05:00 UTC)));
    assert!(!can_cancel(starts, datetime!(2026-11-02 05:00:01 UTC)));
    // Two days before at 9:00 Paris (winter: 8:00 UTC).
    assert_eq!(
        reminder_at(LocalZone::Paris, starts, datetime!(2026-10-20 10:00 UTC)),
        Some(datetime!(2026-10-31 08:00 UTC))
    );
    assert_eq!(
        reminder_at(LocalZone::Paris, starts, datetime!(2026-11-01 10:00 UTC)),
        None
    );
    assert!(waiting_list_applies(
        starts,
        datetime!(2026-10-25 08:59 UTC)
    ));
    assert!(!waiting_list_applies(
        starts,
        datetime!(2026-10-26 09:00 UTC)
    ));
}

#[test]
fn a_search_within_a_part_of_the_window_keeps_its_bounds() {
    // Thursday 26 March 2026, 8:00 Paris, a day's notice: Monday 30 March alone.
    let q = query(datetime!(2026-03-26 07:00 UTC));
    let monday = Interval {
        start: datetime!(2026-03-30 00:00 UTC),
        end: datetime!(2026-03-30 23:00 UTC),
    };
    let slots = free_slots_within(&q, Some(monday), &mornings(), &[], &[], 10);
    assert_eq!(slots.len(), 2);
    assert_eq!(slots[0].start, datetime!(2026-03-30 07:00 UTC));
    // Within the notice: nothing; an instant of a slot: that slot.
    let too_soon = Interval {
        start: datetime!(2026-03-26 08:00 UTC),
        end: datetime!(2026-03-26 09:00 UTC),
    };
    assert!(free_slots_within(&q, Some(too_soon), &mornings(), &[], &[], 10).is_empty());
    let instant = Interval {
        start: datetime!(2026-03-30 07:30 UTC),
        end: datetime!(2026-03-30 07:30 UTC),
    };
    assert_eq!(
        free_slots_within(&q, Some(instant), &mornings(), &[], &[], 10)[0].start,
        datetime!(2026-03-30 07:30 UTC)
    );
    assert_eq!(bookable_window(&q).end, datetime!(2026-04-09 07:00 UTC));
}

#[test]
fn a_day_has_one_offset_except_when_summer_time_starts_or_ends() {
    use time::macros::{date, offset};
    let paris = LocalZone::Paris;
    assert_eq!(paris.day_offset(date!(2026 - 03 - 28)), Some(offset!(+1)));
    assert_eq!(paris.day_offset(date!(2026 - 03 - 29)), None);
    assert_eq!(paris.day_offset(date!(2026 - 03 - 30)), Some(offset!(+2)));
    assert_eq!(paris.day_offset(date!(2026 - 10 - 25)), None);
    assert_eq!(paris.day_offset(date!(2026 - 10 - 26)), Some(offset!(+1)));
    assert_eq!(
        LocalZone::Reunion.day_offset(date!(2026 - 03 - 29)),
        Some(offset!(+4))
    );
}
