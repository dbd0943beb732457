//! Dated periods of rights, and how long an attestation attests them.

use std::fmt;

use time::{Date, Duration};

/// Longest validity of an attestation de droits: one year from its issue (domain.md §9.1:
/// « up to 1 year from issue, unless the situation changes »), in days for a leap year.
pub const ATTESTATION_MAX_DAYS: i64 = 366;

/// Why a period was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The end comes before the start.
    #[error("a period ends before it starts")]
    EndsBeforeStart,
}

impl PeriodError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        "La date de fin est antérieure à la date de début."
    }
}

/// From a first day to a last day, both included; open-ended when the last day is unknown
/// (rights open until further notice).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    from: Date,
    to: Option<Date>,
}

impl Period {
    /// A period; refused when `to` comes before `from`.
    pub fn new(from: Date, to: Option<Date>) -> Result<Period, PeriodError> {
        match to {
            Some(to) if to < from => Err(PeriodError::EndsBeforeStart),
            _ => Ok(Period { from, to }),
        }
    }

    /// First day.
    pub fn from(&self) -> Date {
        self.from
    }

    /// Last day, if known.
    pub fn to(&self) -> Option<Date> {
        self.to
    }

    /// True when `day` falls within the period.
    pub fn covers(&self, day: Date) -> bool {
        day >= self.from && self.to.is_none_or(|to| day <= to)
    }

    /// True when some day is in both periods.
    pub fn overlaps(&self, other: &Period) -> bool {
        let self_before = self.to.is_some_and(|to| to < other.from);
        let other_before = other.to.is_some_and(|to| to < self.from);
        !self_before && !other_before
    }
}

impl fmt::Debug for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(to) => write!(f, "Period({}..={})", self.from, to),
            None => write!(f, "Period({}..)", self.from),
        }
    }
}

/// The same day a year later, or the 28th of February for a 29th.
fn a_year_after(day: Date) -> Date {
    day.replace_year(day.year() + 1)
        .or_else(|_| (day - Duration::days(1)).replace_year(day.year() + 1))
        .unwrap_or(day + Duration::days(365))
}

/// What an attestation issued on `issued_on` attests: from that day to the day before its
/// anniversary, cut at the end of the coverage when that comes first. `None` when the
/// coverage does not cover `issued_on` (no attestation can be issued then).
pub fn attestation_validity(issued_on: Date, coverage: &Period) -> Option<Period> {
    if !coverage.covers(issued_on) {
        return None;
    }
    let year_end = a_year_after(issued_on) - Duration::days(1);
    let to = coverage.to.map_or(year_end, |end| end.min(year_end));
    Some(Period {
        from: issued_on,
        to: Some(to),
    })
}
