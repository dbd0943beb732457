//! The dates a row of reference data applies to: every tariff, rate and cap is dated.

use std::fmt;

use time::Date;

/// Why a validity was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ValidityError {
    /// `valid_to` comes before `valid_from`.
    #[error("validity ends before it starts")]
    EndsBeforeStart,
}

impl ValidityError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        "La date de fin de validité est antérieure à la date de début."
    }
}

/// From `valid_from` to `valid_to`, both days included; open-ended when `valid_to` is
/// absent (the row applies until a later row replaces it).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Validity {
    from: Date,
    to: Option<Date>,
}

impl Validity {
    /// A validity; refused when `to` comes before `from`.
    pub fn new(from: Date, to: Option<Date>) -> Result<Validity, ValidityError> {
        match to {
            Some(to) if to < from => Err(ValidityError::EndsBeforeStart),
            _ => Ok(Validity { from, to }),
        }
    }

    /// First day the row applies.
    pub fn valid_from(&self) -> Date {
        self.from
    }

    /// Last day the row applies, if it ends.
    pub fn valid_to(&self) -> Option<Date> {
        self.to
    }

    /// True when the row applies on `day`.
    pub fn contains(&self, day: Date) -> bool {
        day >= self.from && self.to.is_none_or(|to| day <= to)
    }

    /// True when some day is in both.
    pub fn overlaps(&self, other: &Validity) -> bool {
        let self_before = self.to.is_some_and(|to| to < other.from);
        let other_before = other.to.is_some_and(|to| to < self.from);
        !self_before && !other_before
    }
}

impl fmt::Debug for Validity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(to) => write!(f, "{}..={}", self.from, to),
            None => write!(f, "{}..", self.from),
        }
    }
}
