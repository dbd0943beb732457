//! The C2S calendar: the reference months of the resources, the rights period, the renewal
//! window, the age that sets the participation.

use time::{Date, Duration, Month};

use super::C2sRights;

/// The twelve calendar months whose resources count: the twelve months before the month
/// preceding the application (an application in April 2025 counts March 2024 to February
/// 2025).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReferenceMonths {
    /// The first day of the first month.
    pub first_day: Date,
    /// The last day of the twelfth month.
    pub last_day: Date,
}

/// The reference months of an application made on `application_date`.
pub fn reference_months(application_date: Date) -> ReferenceMonths {
    let month_start = first_of_month(application_date);
    // The month before the application is left out: its resources are not known yet.
    let last_day = add_months(month_start, -1) - Duration::days(1);
    let first_day = add_months(month_start, -13);
    ReferenceMonths {
        first_day,
        last_day,
    }
}

/// When a renewal may be asked: only during the last four months of the current rights;
/// asked at the latest two months before their end, the new rights follow without a gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenewalWindow {
    /// The first day a renewal may be asked.
    pub opens: Date,
    /// The last day to ask it without a break in the rights (advice, not a bar).
    pub advised_by: Date,
    /// The last day of the current rights: after it, it is a new application.
    pub closes: Date,
}

impl RenewalWindow {
    /// True when a renewal may be asked on `day`.
    pub fn is_open(&self, day: Date) -> bool {
        day >= self.opens && day <= self.closes
    }
}

/// The renewal window of `rights`.
pub fn renewal_window(rights: &C2sRights) -> RenewalWindow {
    let day_after_end = rights.valid_to + Duration::days(1);
    RenewalWindow {
        opens: add_months(day_after_end, -4),
        advised_by: add_months(day_after_end, -2) - Duration::days(1),
        closes: rights.valid_to,
    }
}

/// Rights granted by a decision taken on `decision_date`: twelve months from the first day
/// of the following month.
pub(super) fn rights_after(decision_date: Date) -> C2sRights {
    let valid_from = add_months(first_of_month(decision_date), 1);
    C2sRights {
        valid_from,
        valid_to: add_months(valid_from, 12) - Duration::days(1),
    }
}

/// The age in whole years on `on` of someone born on `birth_date` (0 before the birth).
pub(super) fn age_on(birth_date: Date, on: Date) -> u32 {
    let years = on.year() - birth_date.year();
    let birthday_passed = (on.month(), on.day()) >= (birth_date.month(), birth_date.day());
    let age = if birthday_passed { years } else { years - 1 };
    u32::try_from(age).unwrap_or(0)
}

/// The first of January of `date`'s year.
pub(super) fn first_of_january(date: Date) -> Date {
    Date::from_calendar_date(date.year(), Month::January, 1).unwrap_or(date)
}

fn first_of_month(date: Date) -> Date {
    date.replace_day(1).unwrap_or(date)
}

/// `date` moved by `months`, on the same day of the month or the month's last day.
fn add_months(date: Date, months: i32) -> Date {
    let index = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let year = index.div_euclid(12);
    let month = u8::try_from(index.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}
