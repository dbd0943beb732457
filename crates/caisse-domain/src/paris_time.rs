//! Legal time in metropolitan France: UTC+1 in winter, UTC+2 in summer.
//!
//! Summer time runs from the last Sunday of March at 01:00 UTC to the last Sunday of October
//! at 01:00 UTC (EU directive 2000/84/EC), so the offset needs no time-zone database.

use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

fn last_sunday(year: i32, month: Month) -> Option<Date> {
    let mut day = Date::from_calendar_date(year, month, month.length(year)).ok()?;
    while day.weekday() != Weekday::Sunday {
        day = day.previous_day()?;
    }
    Some(day)
}

/// The instant converted to Paris legal time.
pub fn paris_time(instant: OffsetDateTime) -> OffsetDateTime {
    let utc = instant.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let switch = |month| {
        last_sunday(year, month)
            .map(|d| PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_utc() + Duration::hours(1))
    };
    let summer = match (switch(Month::March), switch(Month::October)) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    };
    let offset = if summer {
        UtcOffset::from_hms(2, 0, 0)
    } else {
        UtcOffset::from_hms(1, 0, 0)
    };
    offset.map_or(utc, |o| utc.to_offset(o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn summer_time_starts_and_ends_on_the_last_sundays_at_one_utc() {
        assert_eq!(paris_time(datetime!(2026-03-29 00:59 UTC)).hour(), 1);
        assert_eq!(paris_time(datetime!(2026-03-29 01:00 UTC)).hour(), 3);
        assert_eq!(paris_time(datetime!(2026-10-25 00:59 UTC)).hour(), 2);
        assert_eq!(paris_time(datetime!(2026-10-25 01:00 UTC)).hour(), 2);
        assert_eq!(
            paris_time(datetime!(2026-10-25 01:00 UTC))
                .offset()
                .whole_hours(),
            1
        );
        assert_eq!(paris_time(datetime!(2026-11-22 15:00 UTC)).hour(), 16);
        assert_eq!(paris_time(datetime!(2026-07-14 10:00 UTC)).hour(), 12);
    }
}
