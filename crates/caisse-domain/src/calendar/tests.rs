use time::macros::date;

use super::*;

/// domain.md §8 table: (date, name, Alsace-Moselle only).
const TABLE_2025_2026: &[(Date, &str, bool)] = &[
    (date!(2025 - 01 - 01), "Jour de l'an", false),
    (date!(2025 - 04 - 18), "Vendredi saint", true),
    (date!(2025 - 04 - 21), "Lundi de Pâques", false),
    (date!(2025 - 05 - 01), "Fête du Travail", false),
    (date!(2025 - 05 - 08), "Victoire 1945", false),
    (date!(2025 - 05 - 29), "Ascension", false),
    (date!(2025 - 06 - 09), "Lundi de Pentecôte", false),
    (date!(2025 - 07 - 14), "Fête nationale", false),
    (date!(2025 - 08 - 15), "Assomption", false),
    (date!(2025 - 11 - 01), "Toussaint", false),
    (date!(2025 - 11 - 11), "Armistice 1918", false),
    (date!(2025 - 12 - 25), "Noël", false),
    (date!(2025 - 12 - 26), "Saint-Étienne", true),
    (date!(2026 - 01 - 01), "Jour de l'an", false),
    (date!(2026 - 04 - 03), "Vendredi saint", true),
    (date!(2026 - 04 - 06), "Lundi de Pâques", false),
    (date!(2026 - 05 - 01), "Fête du Travail", false),
    (date!(2026 - 05 - 08), "Victoire 1945", false),
    (date!(2026 - 05 - 14), "Ascension", false),
    (date!(2026 - 05 - 25), "Lundi de Pentecôte", false),
    (date!(2026 - 07 - 14), "Fête nationale", false),
    (date!(2026 - 08 - 15), "Assomption", false),
    (date!(2026 - 11 - 01), "Toussaint", false),
    (date!(2026 - 11 - 11), "Armistice 1918", false),
    (date!(2026 - 12 - 25), "Noël", false),
    (date!(2026 - 12 - 26), "Saint-Étienne", true),
];

fn holidays_in(zone: HolidayZone, year: i32) -> usize {
    let mut date = Date::from_calendar_date(year, Month::January, 1).unwrap();
    let mut count = 0;
    while date.year() == year {
        count += usize::from(is_holiday(zone, date));
        date = date.next_day().unwrap();
    }
    count
}

#[test]
fn easter_matches_the_verified_dates() {
    assert_eq!(easter_sunday(2024), Some(date!(2024 - 03 - 31)));
    assert_eq!(easter_sunday(2025), Some(date!(2025 - 04 - 20)));
    assert_eq!(easter_sunday(2026), Some(date!(2026 - 04 - 05)));
    assert_eq!(easter_sunday(2027), Some(date!(2027 - 03 - 28)));
    assert_eq!(easter_sunday(2000), Some(date!(2000 - 04 - 23)));
    assert_eq!(easter_sunday(2038), Some(date!(2038 - 04 - 25)));
    assert_eq!(easter_sunday(1_000_000), None);
}

#[test]
fn the_2025_and_2026_table_holds_in_every_zone() {
    for zone in HolidayZone::ALL {
        for &(day, name, alsace_moselle_only) in TABLE_2025_2026 {
            let expected =
                (!alsace_moselle_only || zone == HolidayZone::AlsaceMoselle).then_some(name);
            assert_eq!(holiday_name(zone, day), expected, "{zone:?} {day}");
        }
    }
}

#[test]
fn each_zone_has_the_right_number_of_holidays() {
    for year in [2025, 2026] {
        assert_eq!(holidays_in(HolidayZone::Metropole, year), 11);
        assert_eq!(holidays_in(HolidayZone::AlsaceMoselle, year), 13);
        for zone in &HolidayZone::ALL[2..] {
            assert_eq!(holidays_in(*zone, year), 12, "{zone:?}");
        }
    }
}

#[test]
fn overseas_zones_have_their_abolition_day() {
    let cases = [
        (HolidayZone::Mayotte, date!(2025 - 04 - 27)),
        (HolidayZone::Martinique, date!(2025 - 05 - 22)),
        (HolidayZone::Guadeloupe, date!(2025 - 05 - 27)),
        (HolidayZone::Guyane, date!(2025 - 06 - 10)),
        (HolidayZone::Reunion, date!(2025 - 12 - 20)),
    ];
    for (zone, day) in cases {
        assert_eq!(holiday_name(zone, day), Some("Abolition de l'esclavage"));
        assert!(!is_holiday(HolidayZone::Metropole, day));
        for other in HolidayZone::ALL.iter().filter(|z| **z != zone) {
            assert!(!is_holiday(*other, day), "{other:?} {day}");
        }
    }
}

#[test]
fn departments_map_to_their_zone() {
    assert_eq!(
        HolidayZone::for_department("57"),
        HolidayZone::AlsaceMoselle
    );
    assert_eq!(
        HolidayZone::for_department("67"),
        HolidayZone::AlsaceMoselle
    );
    assert_eq!(
        HolidayZone::for_department("68"),
        HolidayZone::AlsaceMoselle
    );
    assert_eq!(HolidayZone::for_department("971"), HolidayZone::Guadeloupe);
    assert_eq!(HolidayZone::for_department("976"), HolidayZone::Mayotte);
    assert_eq!(HolidayZone::for_department("75"), HolidayZone::Metropole);
    assert_eq!(HolidayZone::for_department("2A"), HolidayZone::Metropole);
}

#[test]
fn weekends_and_holidays_are_not_working_days() {
    let zone = HolidayZone::Metropole;
    assert!(is_working_day(zone, date!(2025 - 05 - 07)));
    assert!(!is_working_day(zone, date!(2025 - 05 - 08)));
    assert!(!is_working_day(zone, date!(2025 - 05 - 10)));
    assert!(!is_working_day(zone, date!(2025 - 05 - 11)));
    assert!(is_working_day(zone, date!(2025 - 12 - 26)));
    assert!(!is_working_day(
        HolidayZone::AlsaceMoselle,
        date!(2025 - 12 - 26)
    ));
}

#[test]
fn working_days_are_counted_after_the_start() {
    let m = HolidayZone::Metropole;
    assert_eq!(
        add_working_days(m, date!(2025 - 05 - 07), 0),
        date!(2025 - 05 - 07)
    );
    // Friday + 1 → Monday.
    assert_eq!(
        add_working_days(m, date!(2025 - 05 - 02), 1),
        date!(2025 - 05 - 05)
    );
    // Saturday + 1 → Monday: the start does not count even off-days.
    assert_eq!(
        add_working_days(m, date!(2025 - 05 - 03), 1),
        date!(2025 - 05 - 05)
    );
    // Wednesday 7 May + 1 skips Thursday 8 May.
    assert_eq!(
        add_working_days(m, date!(2025 - 05 - 07), 1),
        date!(2025 - 05 - 09)
    );
    // Wednesday 28 May + 5 skips Ascension; Friday 6 June + 1 skips Whit Monday.
    assert_eq!(
        add_working_days(m, date!(2025 - 05 - 28), 5),
        date!(2025 - 06 - 05)
    );
    assert_eq!(
        add_working_days(m, date!(2025 - 06 - 06), 1),
        date!(2025 - 06 - 10)
    );
    // Christmas Eve + 1: Friday 26 in most zones, Monday 29 in Alsace-Moselle.
    let eve = date!(2025 - 12 - 24);
    assert_eq!(add_working_days(m, eve, 1), date!(2025 - 12 - 26));
    assert_eq!(
        add_working_days(HolidayZone::AlsaceMoselle, eve, 1),
        date!(2025 - 12 - 29)
    );
    // Réunion: Friday 19 December + 1 → Monday 22 (20 December is a Saturday anyway).
    assert_eq!(
        add_working_days(HolidayZone::Reunion, date!(2025 - 12 - 19), 1),
        date!(2025 - 12 - 22)
    );
    // Around Easter in Alsace-Moselle: Thursday 17 April 2025 + 1 → Tuesday 22.
    assert_eq!(
        add_working_days(HolidayZone::AlsaceMoselle, date!(2025 - 04 - 17), 1),
        date!(2025 - 04 - 22)
    );
}

#[test]
fn adding_working_days_saturates_at_the_last_date() {
    assert_eq!(
        add_working_days(HolidayZone::Metropole, Date::MAX, 3),
        Date::MAX
    );
}
