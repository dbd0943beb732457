use super::*;
use time::macros::{date, datetime};

#[test]
fn dates_are_written_in_french() {
    assert_eq!(letter_date(date!(2026 - 11 - 22)), "22 novembre 2026");
    assert_eq!(letter_date(date!(2027 - 02 - 09)), "9 février 2027");
    assert_eq!(letter_date(date!(2026 - 08 - 15)), "15 août 2026");
    assert_eq!(letter_date(date!(2026 - 12 - 31)), "31 décembre 2026");
}

#[test]
fn the_first_of_the_month_is_an_ordinal() {
    assert_eq!(letter_date(date!(2027 - 03 - 01)), "1er mars 2027");
    assert_eq!(letter_date(date!(2027 - 01 - 01)), "1er janvier 2027");
}

#[test]
fn every_month_has_its_french_name() {
    let names: Vec<String> = (1..=12u8)
        .filter_map(|m| Month::try_from(m).ok())
        .filter_map(|month| Date::from_calendar_date(2026, month, 10).ok())
        .map(letter_date)
        .collect();
    assert_eq!(
        names,
        [
            "10 janvier 2026",
            "10 février 2026",
            "10 mars 2026",
            "10 avril 2026",
            "10 mai 2026",
            "10 juin 2026",
            "10 juillet 2026",
            "10 août 2026",
            "10 septembre 2026",
            "10 octobre 2026",
            "10 novembre 2026",
            "10 décembre 2026",
        ]
    );
}

#[test]
fn numeric_dates_have_two_digit_days_and_months() {
    assert_eq!(numeric_date(date!(2012 - 06 - 04)), "04/06/2012");
    assert_eq!(numeric_date(date!(1982 - 12 - 21)), "21/12/1982");
}

#[test]
fn periods_have_numeric_dates() {
    assert_eq!(
        numeric_period(date!(2024 - 03 - 01), Some(date!(2029 - 02 - 28))),
        "du 01/03/2024 au 28/02/2029"
    );
    assert_eq!(
        numeric_period(date!(2024 - 03 - 01), None),
        "depuis le 01/03/2024"
    );
}

#[test]
fn letter_times_are_written_in_french_hours() {
    assert_eq!(
        letter_date_time(datetime!(2026-11-22 16:04)),
        "22 novembre 2026 à 16\u{a0}h\u{a0}04"
    );
    assert_eq!(
        letter_date_time(datetime!(2027-03-01 9:05)),
        "1er mars 2027 à 9\u{a0}h\u{a0}05"
    );
}

#[test]
fn numeric_times_have_unpadded_hours() {
    assert_eq!(
        numeric_date_time(datetime!(2026-11-22 16:04)),
        "22/11/2026 à 16 h 04"
    );
    assert_eq!(
        numeric_date_time(datetime!(2026-03-05 9:00)),
        "05/03/2026 à 9 h 00"
    );
}

#[test]
fn numbers_have_thousands_apart() {
    assert_eq!(number(0), "0");
    assert_eq!(number(100), "100");
    assert_eq!(number(4_000), "4\u{a0}000");
    assert_eq!(number(1_234_567), "1\u{a0}234\u{a0}567");
}

#[test]
fn decimals_are_rounded_to_tenths_with_a_comma() {
    assert_eq!(one_decimal(2.5), "2,5");
    assert_eq!(one_decimal(1234.46), "1\u{a0}234,5");
    assert_eq!(one_decimal(-3.0), "0,0");
    assert_eq!(percent(87.54), "87,5\u{a0}%");
    assert_eq!(decimal_hours(Duration::minutes(150)), "2,5\u{a0}h");
    assert_eq!(decimal_hours(Duration::days(9)), "216,0\u{a0}h");
}

#[test]
fn amounts_are_written_in_euros() {
    assert_eq!(amount(AmountCents::new(0)), "0,00\u{a0}€");
    assert_eq!(amount(AmountCents::new(5)), "0,05\u{a0}€");
    assert_eq!(amount(AmountCents::new(123_456)), "1\u{202f}234,56\u{a0}€");
    assert_eq!(
        amount(AmountCents::new(123_456_789)),
        "1\u{202f}234\u{202f}567,89\u{a0}€"
    );
    assert_eq!(amount(AmountCents::new(-1_200)), "\u{2212}12,00\u{a0}€");
    assert_eq!(
        amount(AmountCents::new(i64::MIN)),
        "\u{2212}92\u{202f}233\u{202f}720\u{202f}368\u{202f}547\u{202f}758,08\u{a0}€"
    );
}

#[test]
fn durations_read_in_minutes_or_whole_hours() {
    assert_eq!(duration(Duration::seconds(10)), "1 minute");
    assert_eq!(duration(Duration::minutes(15)), "15 minutes");
    assert_eq!(duration(Duration::minutes(90)), "90 minutes");
    assert_eq!(duration(Duration::hours(1)), "1 heure");
    assert_eq!(duration(Duration::hours(24)), "24 heures");
}

#[test]
fn waits_are_rounded_up_to_the_minute() {
    assert_eq!(wait(Duration::seconds(1)), "1 minute");
    assert_eq!(wait(Duration::seconds(61)), "2 minutes");
    assert_eq!(wait(Duration::minutes(59)), "59 minutes");
    assert_eq!(wait(Duration::minutes(60)), "1 h 00");
    assert_eq!(wait(Duration::minutes(185)), "3 h 05");
}

#[test]
fn delays_read_in_whole_days_or_hours() {
    assert_eq!(days_or_hours(Duration::days(1)), "1 jour");
    assert_eq!(days_or_hours(Duration::days(3)), "3 jours");
    assert_eq!(days_or_hours(Duration::hours(48)), "2 jours");
    assert_eq!(days_or_hours(Duration::hours(36)), "36 heures");
    assert_eq!(days_or_hours(Duration::hours(1)), "1 heure");
    assert_eq!(days_or_hours(Duration::minutes(10)), "1 heure");
}

#[test]
fn short_delays_read_in_minutes_under_an_hour() {
    assert_eq!(short_delay(Duration::minutes(45)), "45\u{a0}min");
    assert_eq!(short_delay(Duration::seconds(10)), "1\u{a0}min");
    assert_eq!(short_delay(Duration::seconds(59 * 60 + 20)), "59\u{a0}min");
    assert_eq!(short_delay(Duration::seconds(59 * 60 + 40)), "1,0\u{a0}h");
    assert_eq!(short_delay(Duration::minutes(150)), "2,5\u{a0}h");
}
