//! French wording helpers shared by every document: dates as a letter writes them.
//!
//! Pure functions of their arguments; no locale is read from the system.

use time::{Date, Month, PrimitiveDateTime};

/// Formats `date` the way a French letter writes it: « 22 novembre 2026 », with the
/// ordinal « 1er » on the first day of the month (« 1er mars 2027 ») and lower-case month
/// names.
pub fn format_date(date: Date) -> String {
    let day = date.day();
    let month = month_name(date.month());
    let year = date.year();
    if day == 1 {
        format!("1er {month} {year}")
    } else {
        format!("{day} {month} {year}")
    }
}

/// Formats `date` as forms and tables write it: « 04/06/2012 ».
pub fn numeric_date(date: Date) -> String {
    format!(
        "{:02}/{:02}/{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// Formats a local date and time the way a French letter writes it: « 22 novembre 2026 à
/// 16 h 04 ». The caller converts the instant to the reader's legal time first.
pub fn format_date_time(at: PrimitiveDateTime) -> String {
    format!(
        "{} à {}\u{a0}h\u{a0}{:02}",
        format_date(at.date()),
        at.hour(),
        at.minute()
    )
}

fn month_name(month: Month) -> &'static str {
    match month {
        Month::January => "janvier",
        Month::February => "février",
        Month::March => "mars",
        Month::April => "avril",
        Month::May => "mai",
        Month::June => "juin",
        Month::July => "juillet",
        Month::August => "août",
        Month::September => "septembre",
        Month::October => "octobre",
        Month::November => "novembre",
        Month::December => "décembre",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_are_written_in_french() {
        assert_eq!(format_date(date!(2026 - 11 - 22)), "22 novembre 2026");
        assert_eq!(format_date(date!(2027 - 02 - 09)), "9 février 2027");
        assert_eq!(format_date(date!(2026 - 08 - 15)), "15 août 2026");
        assert_eq!(format_date(date!(2026 - 12 - 31)), "31 décembre 2026");
    }

    #[test]
    fn numeric_dates_have_two_digit_days_and_months() {
        assert_eq!(numeric_date(date!(2012 - 06 - 04)), "04/06/2012");
        assert_eq!(numeric_date(date!(1982 - 12 - 21)), "21/12/1982");
    }

    #[test]
    fn times_are_written_in_french_hours() {
        use time::macros::datetime;
        assert_eq!(
            format_date_time(datetime!(2026-11-22 16:04)),
            "22 novembre 2026 à 16\u{a0}h\u{a0}04"
        );
        assert_eq!(
            format_date_time(datetime!(2027-03-01 9:05)),
            "1er mars 2027 à 9\u{a0}h\u{a0}05"
        );
    }

    #[test]
    fn the_first_of_the_month_is_an_ordinal() {
        assert_eq!(format_date(date!(2027 - 03 - 01)), "1er mars 2027");
        assert_eq!(format_date(date!(2027 - 01 - 01)), "1er janvier 2027");
    }

    #[test]
    fn every_month_has_its_french_name() {
        let names: Vec<String> = (1..=12u8)
            .map(|m| {
                let month = Month::try_from(m).unwrap_or(Month::January);
                format_date(Date::from_calendar_date(2026, month, 10).unwrap())
            })
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
}
