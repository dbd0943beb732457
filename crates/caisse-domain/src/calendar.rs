//! French public holidays and working days, for the due dates of service commitments
//! ("réponse sous 5 jours ouvrés").
//!
//! The calendar that applies is the one of the **fund's** department (domain.md §8): the
//! eleven national holidays everywhere, plus Good Friday and 26 December in
//! Alsace-Moselle, plus the abolition-of-slavery day in each overseas department. Holidays
//! that fall on a weekend are not moved. Rules are the current ones: past changes (e.g.
//! holidays created in 1983 or 2012) are not modelled, so results for old years may be
//! wrong. This module knows nothing of time zones or clocks: callers pass local dates.

use time::{Date, Month, Weekday};

/// The set of public holidays that applies, chosen from the fund's department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HolidayZone {
    /// The eleven national holidays only.
    Metropole,
    /// Moselle, Bas-Rhin and Haut-Rhin (57, 67, 68): adds Good Friday and 26 December.
    AlsaceMoselle,
    /// Guadeloupe (971): adds 27 May.
    Guadeloupe,
    /// Martinique (972): adds 22 May.
    Martinique,
    /// Guyane (973): adds 10 June.
    Guyane,
    /// La Réunion (974): adds 20 December.
    Reunion,
    /// Mayotte (976): adds 27 April.
    Mayotte,
}

impl HolidayZone {
    /// Every zone.
    pub const ALL: [HolidayZone; 7] = [
        HolidayZone::Metropole,
        HolidayZone::AlsaceMoselle,
        HolidayZone::Guadeloupe,
        HolidayZone::Martinique,
        HolidayZone::Guyane,
        HolidayZone::Reunion,
        HolidayZone::Mayotte,
    ];

    /// Returns the zone of a department code as written in [`crate::Fund::department`]
    /// (`"57"`, `"971"`, `"2A"`…); any code that is not Alsace-Moselle or an overseas
    /// department with its own day gets [`HolidayZone::Metropole`].
    pub fn for_department(department: &str) -> HolidayZone {
        match department {
            "57" | "67" | "68" => HolidayZone::AlsaceMoselle,
            "971" => HolidayZone::Guadeloupe,
            "972" => HolidayZone::Martinique,
            "973" => HolidayZone::Guyane,
            "974" => HolidayZone::Reunion,
            "976" => HolidayZone::Mayotte,
            _ => HolidayZone::Metropole,
        }
    }

    /// Returns the French name of the zone, for staff members' screens.
    pub fn label_fr(self) -> &'static str {
        match self {
            HolidayZone::Metropole => "Métropole",
            HolidayZone::AlsaceMoselle => "Alsace-Moselle",
            HolidayZone::Guadeloupe => "Guadeloupe",
            HolidayZone::Martinique => "Martinique",
            HolidayZone::Guyane => "Guyane",
            HolidayZone::Reunion => "La Réunion",
            HolidayZone::Mayotte => "Mayotte",
        }
    }

    /// The fixed-date holidays this zone adds to the national ones.
    fn extra_fixed(self) -> &'static [(Month, u8, &'static str)] {
        const ABOLITION: &str = "Abolition de l'esclavage";
        match self {
            HolidayZone::Metropole => &[],
            HolidayZone::AlsaceMoselle => &[(Month::December, 26, "Saint-Étienne")],
            HolidayZone::Guadeloupe => &[(Month::May, 27, ABOLITION)],
            HolidayZone::Martinique => &[(Month::May, 22, ABOLITION)],
            HolidayZone::Guyane => &[(Month::June, 10, ABOLITION)],
            HolidayZone::Reunion => &[(Month::December, 20, ABOLITION)],
            HolidayZone::Mayotte => &[(Month::April, 27, ABOLITION)],
        }
    }
}

/// National fixed-date holidays (Code du travail L3133-1).
const NATIONAL_FIXED: &[(Month, u8, &str)] = &[
    (Month::January, 1, "Jour de l'an"),
    (Month::May, 1, "Fête du Travail"),
    (Month::May, 8, "Victoire 1945"),
    (Month::July, 14, "Fête nationale"),
    (Month::August, 15, "Assomption"),
    (Month::November, 1, "Toussaint"),
    (Month::November, 11, "Armistice 1918"),
    (Month::December, 25, "Noël"),
];

/// Returns Easter Sunday of `year` by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher), or `None` if the year is outside the range `time` supports.
pub fn easter_sunday(year: i32) -> Option<Date> {
    // Euclidean operations keep the formula right for years the `%` of negative numbers
    // would break; the Gregorian result is meaningless before 1583 anyway.
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// Returns the French name of the public holiday on `date` in `zone`, or `None` if it is
/// not one. When two holidays coincide (Ascension on 1 May), the fixed one is named.
pub fn holiday_name(zone: HolidayZone, date: Date) -> Option<&'static str> {
    let (month, day) = (date.month(), date.day());
    let fixed = NATIONAL_FIXED.iter().chain(zone.extra_fixed());
    if let Some((_, _, name)) = fixed.into_iter().find(|(m, d, _)| *m == month && *d == day) {
        return Some(name);
    }
    let easter = easter_sunday(date.year())?;
    match (date - easter).whole_days() {
        1 => Some("Lundi de Pâques"),
        39 => Some("Ascension"),
        50 => Some("Lundi de Pentecôte"),
        -2 if zone == HolidayZone::AlsaceMoselle => Some("Vendredi saint"),
        _ => None,
    }
}

/// Returns true if and only if `date` is a public holiday in `zone` (on any weekday).
pub fn is_holiday(zone: HolidayZone, date: Date) -> bool {
    holiday_name(zone, date).is_some()
}

/// Returns true if and only if `date` is a *jour ouvré*: Monday to Friday and not a public
/// holiday in `zone`.
pub fn is_working_day(zone: HolidayZone, date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_holiday(zone, date)
}

/// Returns the date that is `n` working days after `start`: the due date of a commitment
/// "sous n jours ouvrés" for a request received on `start`.
///
/// `start` itself never counts, whether it is a working day or not: a request of Friday
/// with n = 1 is due on Monday, and one of Saturday with n = 1 is due on Monday too.
/// With n = 0 the result is `start`. The result is always a working day when n > 0.
/// Near the end of the range `time` supports it stops at the last representable date
/// instead of panicking.
pub fn add_working_days(zone: HolidayZone, start: Date, n: u32) -> Date {
    let mut date = start;
    let mut left = n;
    while left > 0 {
        match date.next_day() {
            Some(next) => date = next,
            None => return date,
        }
        if is_working_day(zone, date) {
            left -= 1;
        }
    }
    date
}

#[cfg(test)]
mod tests;
