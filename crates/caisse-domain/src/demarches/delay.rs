//! The time a fund has to decide a dossier, and its due date: counted from the day it was
//! filed, with the fund's holiday calendar for working days, and paused while the member
//! completes the dossier (the clock resumes where it stopped).

use time::{Date, Duration};

use crate::calendar::{HolidayZone, add_working_days, is_working_day};
use crate::coded::coded_enum;

coded_enum! {
    /// How a delay is counted.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum DelayUnit {
        /// *Jours ouvrés*: Monday to Friday, not a holiday of the fund's zone.
        WorkingDays => "working_days",
        /// *Jours francs*: calendar days, the day of filing not counted (accident du travail).
        CalendarDays => "calendar_days",
        /// Calendar months, to the same day (pension d'invalidité: two months).
        Months => "months",
    }
}

/// A delay, e.g. 30 calendar days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delay {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: DelayUnit,
}

impl Delay {
    /// The due date of a dossier filed on `filed_on`.
    pub fn due_on(self, zone: HolidayZone, filed_on: Date) -> Date {
        match self.unit {
            DelayUnit::WorkingDays => add_working_days(zone, filed_on, self.amount),
            DelayUnit::CalendarDays => filed_on
                .checked_add(Duration::days(i64::from(self.amount)))
                .unwrap_or(Date::MAX),
            DelayUnit::Months => add_months(filed_on, self.amount),
        }
    }

    /// « 10 jours ouvrés », « 30 jours », « 2 mois ».
    pub fn label_fr(self) -> String {
        let n = self.amount;
        match (self.unit, n) {
            (DelayUnit::WorkingDays, 1) => "1 jour ouvré".to_owned(),
            (DelayUnit::WorkingDays, _) => format!("{n} jours ouvrés"),
            (DelayUnit::CalendarDays, 1) => "1 jour".to_owned(),
            (DelayUnit::CalendarDays, _) => format!("{n} jours"),
            (DelayUnit::Months, _) => format!("{n} mois"),
        }
    }
}

/// `date` plus `months`, on the same day or the month's last day (31 January + 1 month is
/// the last day of February).
pub fn add_months(date: Date, months: u32) -> Date {
    let total =
        i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + i64::from(months);
    let Ok(year) = i32::try_from(total.div_euclid(12)) else {
        return Date::MAX;
    };
    let month_number = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(12);
    let Ok(month) = time::Month::try_from(month_number) else {
        return Date::MAX;
    };
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

/// The due date once a pause from `paused_on` to `resumed_on` is over: moved by the time
/// the pause lasted, counted in the delay's own unit (working days for working days).
pub fn resume(
    unit: DelayUnit,
    zone: HolidayZone,
    due_on: Date,
    paused_on: Date,
    resumed_on: Date,
) -> Date {
    if resumed_on <= paused_on {
        return due_on;
    }
    match unit {
        DelayUnit::WorkingDays => {
            let mut paused_days = 0;
            let mut day = paused_on;
            while day < resumed_on {
                match day.next_day() {
                    Some(next) => day = next,
                    None => break,
                }
                if is_working_day(zone, day) {
                    paused_days += 1;
                }
            }
            add_working_days(zone, due_on, paused_days)
        }
        DelayUnit::CalendarDays | DelayUnit::Months => due_on
            .checked_add(resumed_on - paused_on)
            .unwrap_or(Date::MAX),
    }
}
