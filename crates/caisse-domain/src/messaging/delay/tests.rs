use proptest::prelude::*;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

use super::*;
use crate::{CaisseCode, Fund};

use HolidayZone::{AlsaceMoselle, Guadeloupe, Guyane, Martinique, Mayotte, Metropole, Reunion};

/// The calendar of the fund with this code, as the application would look it up.
fn zone_of(code: &str) -> HolidayZone {
    Fund::by_code(&CaisseCode::parse(code).unwrap()).calendar()
}

/// (sent at, delay, zone, due date, why).
type Case = (OffsetDateTime, u32, HolidayZone, Date, &'static str);

fn check(cases: &[Case]) {
    for &(sent_at, delay, zone, due, why) in cases {
        assert_eq!(due_date(sent_at, delay, zone), due, "{why}");
    }
}

// One case a line: rustfmt would spread each over seven.
#[rustfmt::skip]
#[test]
fn national_holidays_are_skipped() {
    check(&[
        (datetime!(2026-04-02 10:00 +2), 2, Metropole, date!(2026-04-07), "Easter Monday 6 April 2026"),
        (datetime!(2026-04-30 10:00 +2), 2, Metropole, date!(2026-05-05), "1 May, a Friday"),
        (datetime!(2026-05-07 10:00 +2), 1, Metropole, date!(2026-05-11), "8 May, a Friday"),
        (datetime!(2026-05-13 10:00 +2), 1, Metropole, date!(2026-05-15), "Ascension, 14 May 2026"),
        (datetime!(2026-05-22 10:00 +2), 1, Metropole, date!(2026-05-26), "Whit Monday, 25 May 2026"),
        (datetime!(2026-07-13 10:00 +2), 1, Metropole, date!(2026-07-15), "14 July, a Tuesday"),
        (datetime!(2025-08-14 10:00 +2), 1, Metropole, date!(2025-08-18), "15 August 2025, a Friday"),
        (datetime!(2027-10-29 10:00 +2), 1, Metropole, date!(2027-11-02), "1 November 2027, a Monday"),
        (datetime!(2025-10-31 10:00 +1), 1, Metropole, date!(2025-11-03), "1 November 2025 is a Saturday: nothing moves"),
        (datetime!(2026-11-10 10:00 +1), 1, Metropole, date!(2026-11-12), "11 November, a Wednesday"),
        (datetime!(2025-12-24 10:00 +1), 1, Metropole, date!(2025-12-26), "Christmas; 26 December is worked"),
        (datetime!(2025-12-31 10:00 +1), 1, Metropole, date!(2026-01-02), "New Year's Day"),
        (datetime!(2026-04-02 10:00 +2), 7, Metropole, date!(2026-04-14), "a reimbursement question across Easter"),
        (datetime!(2026-04-30 10:00 +2), 15, Metropole, date!(2026-05-27), "a réclamation across all of May's holidays"),
    ]);
}

#[rustfmt::skip]
#[test]
fn alsace_moselle_funds_also_skip_good_friday_and_26_december() {
    for code in ["571", "671", "681"] {
        let zone = zone_of(code);
        assert_eq!(zone, AlsaceMoselle, "{code}");
        check(&[
            (datetime!(2026-04-02 10:00 +2), 2, zone, date!(2026-04-08), "Good Friday and Easter Monday"),
            (datetime!(2026-04-03 10:00 +2), 2, zone, date!(2026-04-09), "sent on Good Friday: received Tuesday"),
            (datetime!(2025-12-24 10:00 +1), 1, zone, date!(2025-12-29), "Christmas then Saint-Étienne"),
        ]);
    }
    let paris = zone_of("751");
    check(&[
        (datetime!(2026-04-02 10:00 +2), 2, paris, date!(2026-04-07), "Good Friday is worked in Paris"),
        (datetime!(2026-04-03 10:00 +2), 2, paris, date!(2026-04-08), "sent on Good Friday in Paris"),
    ]);
}

#[rustfmt::skip]
#[test]
fn overseas_funds_skip_their_abolition_day() {
    assert_eq!(zone_of("971"), Guadeloupe);
    assert_eq!(zone_of("972"), Martinique);
    assert_eq!(zone_of("973"), Guyane);
    assert_eq!(zone_of("974"), Reunion);
    assert_eq!(zone_of("976"), Mayotte);
    check(&[
        (datetime!(2024-12-19 10:00 +4), 1, Reunion, date!(2024-12-23), "La Réunion, 20 December"),
        (datetime!(2024-12-19 10:00 +1), 1, Metropole, date!(2024-12-20), "20 December is worked in Paris"),
        (datetime!(2026-05-21 10:00 -4), 1, Martinique, date!(2026-05-26), "Martinique, 22 May, then Whit Monday"),
        (datetime!(2026-05-22 10:00 -4), 1, Martinique, date!(2026-05-27), "sent on 22 May in Martinique"),
        (datetime!(2026-05-26 10:00 -4), 1, Guadeloupe, date!(2026-05-28), "Guadeloupe, 27 May"),
        (datetime!(2026-06-09 10:00 -3), 1, Guyane, date!(2026-06-11), "Guyane, 10 June"),
        (datetime!(2026-04-24 10:00 +3), 1, Mayotte, date!(2026-04-28), "Mayotte, 27 April"),
        (datetime!(2026-04-24 10:00 +2), 1, Metropole, date!(2026-04-27), "27 April is worked in Paris"),
    ]);
}

#[rustfmt::skip]
#[test]
fn friday_evening_counts_as_friday_and_the_weekend_as_monday() {
    check(&[
        (datetime!(2026-11-20 08:00 +1), 2, Metropole, date!(2026-11-24), "Friday morning"),
        (datetime!(2026-11-20 22:30 +1), 2, Metropole, date!(2026-11-24), "Friday evening: no cut-off"),
        (datetime!(2026-11-20 23:59:59 +1), 2, Metropole, date!(2026-11-24), "Friday, last second"),
        (datetime!(2026-11-21 00:00 +1), 2, Metropole, date!(2026-11-25), "Saturday, first second"),
        (datetime!(2026-11-21 10:00 +1), 2, Metropole, date!(2026-11-25), "Saturday: received Monday"),
        (datetime!(2026-11-22 18:00 +1), 2, Metropole, date!(2026-11-25), "Sunday: received Monday"),
        (datetime!(2026-11-23 09:00 +1), 2, Metropole, date!(2026-11-25), "Monday"),
    ]);
    assert_eq!(received_on(datetime!(2026-11-21 10:00 +1), Metropole), date!(2026-11-23));
    assert_eq!(received_on(datetime!(2026-11-20 22:30 +1), Metropole), date!(2026-11-20));
}

#[rustfmt::skip]
#[test]
fn the_day_is_the_funds_legal_day_whatever_the_offset_given() {
    check(&[
        // 23:30 UTC on a Friday is already Saturday in Paris.
        (datetime!(2026-11-20 23:30 UTC), 2, Metropole, date!(2026-11-25), "winter, UTC+1: Saturday 00:30"),
        (datetime!(2026-03-27 22:30 UTC), 2, Metropole, date!(2026-03-31), "winter: still Friday 23:30"),
        (datetime!(2026-07-10 22:30 UTC), 2, Metropole, date!(2026-07-16), "summer: Saturday 00:30, then 14 July"),
        (datetime!(2026-07-10 23:30 +1), 2, Metropole, date!(2026-07-16), "an offset that is not Paris's"),
        // 21:00 UTC on Friday: Friday 22:00 in Paris, Saturday 01:00 in La Réunion.
        (datetime!(2026-11-20 21:00 UTC), 2, Metropole, date!(2026-11-24), "Paris: Friday"),
        (datetime!(2026-11-20 21:00 UTC), 2, Reunion, date!(2026-11-25), "La Réunion: Saturday"),
        (datetime!(2026-11-20 20:59 UTC), 2, Mayotte, date!(2026-11-24), "Mayotte: Friday 23:59"),
        (datetime!(2026-11-20 21:00 UTC), 2, Mayotte, date!(2026-11-25), "Mayotte: Saturday 00:00"),
        // 02:00 UTC on Saturday: still Friday evening in the Antilles and Guyane.
        (datetime!(2026-11-21 02:00 UTC), 2, Martinique, date!(2026-11-24), "Martinique: Friday 22:00"),
        (datetime!(2026-11-21 02:00 UTC), 2, Guadeloupe, date!(2026-11-24), "Guadeloupe: Friday 22:00"),
        (datetime!(2026-11-21 02:00 UTC), 2, Guyane, date!(2026-11-24), "Guyane: Friday 23:00"),
        (datetime!(2026-11-21 02:00 UTC), 2, Metropole, date!(2026-11-25), "Paris: Saturday 03:00"),
    ]);
}

#[test]
fn a_zero_delay_is_the_day_of_receipt() {
    assert_eq!(
        due_date(datetime!(2026-11-20 10:00 +1), 0, Metropole),
        date!(2026 - 11 - 20)
    );
    assert_eq!(
        due_date(datetime!(2026-11-21 10:00 +1), 0, Metropole),
        date!(2026 - 11 - 23)
    );
}

#[test]
fn delays_are_read_per_nature() {
    let delays = Delays {
        demande_renseignements: 2,
        signalement: 5,
        reclamation: 15,
    };
    assert_eq!(delays.for_nature(Nature::DemandeRenseignements), 2);
    assert_eq!(delays.for_nature(Nature::Signalement), 5);
    assert_eq!(delays.for_nature(Nature::Reclamation), 15);
    assert!(delays.are_valid());
    assert_eq!(Delays::questions_in(7).reclamation, RECLAMATION_DELAY_DAYS);
    assert!(!Delays::questions_in(0).are_valid());
    assert!(!Delays::questions_in(MAX_DELAY_DAYS + 1).are_valid());
}

#[test]
fn an_answer_is_in_time_until_the_end_of_the_due_date_in_the_funds_time() {
    let due = date!(2026 - 11 - 24);
    assert!(answered_in_time(
        datetime!(2026-11-24 22:59:59 UTC),
        due,
        Metropole
    ));
    assert!(
        !answered_in_time(datetime!(2026-11-24 23:00 UTC), due, Metropole),
        "00:00 in Paris"
    );
    assert!(
        answered_in_time(datetime!(2026-11-25 03:59 UTC), due, Martinique),
        "23:59 in Martinique"
    );
    assert!(
        !answered_in_time(datetime!(2026-11-24 20:00 UTC), due, Reunion),
        "00:00 in La Réunion"
    );
    assert!(
        answered_in_time(datetime!(2026-11-20 10:00 UTC), due, Metropole),
        "early"
    );
}

#[rustfmt::skip]
#[test]
fn a_day_starts_at_local_midnight_across_summer_time_switches() {
    for (day, zone, start) in [
        (date!(2026 - 03 - 29), Metropole, datetime!(2026-03-28 23:00 UTC)),
        (date!(2026 - 03 - 30), Metropole, datetime!(2026-03-29 22:00 UTC)),
        (date!(2026 - 10 - 25), AlsaceMoselle, datetime!(2026-10-24 22:00 UTC)),
        (date!(2026 - 10 - 26), AlsaceMoselle, datetime!(2026-10-25 23:00 UTC)),
        (date!(2026 - 11 - 20), Reunion, datetime!(2026-11-19 20:00 UTC)),
        (date!(2026 - 11 - 20), Mayotte, datetime!(2026-11-19 21:00 UTC)),
        (date!(2026 - 11 - 20), Guyane, datetime!(2026-11-20 03:00 UTC)),
        (date!(2026 - 11 - 20), Guadeloupe, datetime!(2026-11-20 04:00 UTC)),
    ] {
        assert_eq!(day_start(day, zone), start, "{day} {zone:?}");
    }
}

/// Instants from 2020 to 2035, to the second.
fn instant() -> impl Strategy<Value = OffsetDateTime> {
    (1_577_836_800_i64..2_082_758_400).prop_map(|s| OffsetDateTime::from_unix_timestamp(s).unwrap())
}

proptest! {
    #[test]
    fn the_due_date_is_a_working_day_exactly_n_working_days_after_receipt(
        sent_at in instant(),
        delay in 1_u32..40,
        zone in prop::sample::select(&HolidayZone::ALL[..]),
    ) {
        let received = received_on(sent_at, zone);
        prop_assert!(is_working_day(zone, received));
        let due = due_date(sent_at, delay, zone);
        prop_assert!(is_working_day(zone, due));
        let mut counted = 0;
        let mut day = received;
        while day < due {
            day = day.next_day().unwrap();
            if is_working_day(zone, day) {
                counted += 1;
            }
        }
        prop_assert_eq!(counted, delay);
    }

    #[test]
    fn a_day_starts_on_that_day_and_the_second_before_is_the_day_before(
        sent_at in instant(),
        zone in prop::sample::select(&HolidayZone::ALL[..]),
    ) {
        let day = local_date(sent_at, zone);
        let start = day_start(day, zone);
        prop_assert!(start <= sent_at);
        prop_assert_eq!(local_date(start, zone), day);
        prop_assert_eq!(Some(local_date(start - Duration::seconds(1), zone)), day.previous_day());
    }

    #[test]
    fn a_later_message_is_never_due_earlier(
        sent_at in instant(),
        later_by in 0_i64..(20 * 86_400),
        delay in 0_u32..20,
        zone in prop::sample::select(&HolidayZone::ALL[..]),
    ) {
        let later = sent_at + Duration::seconds(later_by);
        prop_assert!(due_date(sent_at, delay, zone) <= due_date(later, delay, zone));
    }
}
