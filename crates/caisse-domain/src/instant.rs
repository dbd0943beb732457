//! [`Instant`]: a point in time as Caisse stores and compares it.
//!
//! SQLite keeps timestamps as RFC 3339 text and compares them as strings. That comparison is
//! chronological only when every value has the same shape: one offset (`Z`) and no fractional
//! part (a trimmed fraction such as `.5Z` sorts after `.25Z`). An `Instant` is UTC and whole
//! seconds by construction, so a value that reaches the database can never have another shape;
//! ordering within a second uses time-ordered ids.

use std::ops::{Add, Sub};

use time::{Duration, OffsetDateTime, UtcOffset};

/// A point in time in UTC, to the whole second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(OffsetDateTime);

impl Instant {
    /// The instant of `at`, in UTC, its fraction of a second dropped.
    pub const fn new(at: OffsetDateTime) -> Instant {
        let utc = at.to_offset(UtcOffset::UTC);
        match utc.replace_nanosecond(0) {
            Ok(whole) => Instant(whole),
            Err(_) => Instant(utc),
        }
    }

    /// The instant as a date and time in UTC.
    pub const fn get(self) -> OffsetDateTime {
        self.0
    }

    /// Seconds since the Unix epoch.
    pub fn unix_timestamp(self) -> i64 {
        self.0.unix_timestamp()
    }
}

impl From<OffsetDateTime> for Instant {
    fn from(at: OffsetDateTime) -> Instant {
        Instant::new(at)
    }
}

impl From<Instant> for OffsetDateTime {
    fn from(instant: Instant) -> OffsetDateTime {
        instant.0
    }
}

/// A later instant; whole seconds are kept, so a duration's fraction is dropped.
impl Add<Duration> for Instant {
    type Output = Instant;

    fn add(self, duration: Duration) -> Instant {
        Instant::new(self.0 + duration)
    }
}

/// An earlier instant; whole seconds are kept, so a duration's fraction is dropped.
impl Sub<Duration> for Instant {
    type Output = Instant;

    fn sub(self, duration: Duration) -> Instant {
        Instant::new(self.0 - duration)
    }
}

/// The time between two instants.
impl Sub for Instant {
    type Output = Duration;

    fn sub(self, earlier: Instant) -> Duration {
        self.0 - earlier.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn instants_are_utc_whole_seconds_whatever_they_are_built_from() {
        let paris = datetime!(2026-12-05 10:30:15.75 +01:00);
        let instant = Instant::new(paris);
        assert_eq!(instant.get(), datetime!(2026-12-05 09:30:15 UTC));
        assert_eq!(instant.get().offset(), UtcOffset::UTC);
        assert_eq!(Instant::from(paris), instant);
        assert_eq!(
            (instant + Duration::milliseconds(1_500)).get(),
            datetime!(2026-12-05 09:30:16 UTC)
        );
        assert_eq!(instant - (instant - Duration::hours(1)), Duration::hours(1));
    }

    #[test]
    fn their_order_is_the_order_of_their_rfc3339_text() {
        use time::format_description::well_known::Rfc3339;
        let a = Instant::new(datetime!(2026-01-01 00:00:00.5 UTC));
        let b = Instant::new(datetime!(2026-01-01 00:00:00.25 +00:00) + Duration::seconds(1));
        let text = |i: Instant| i.get().format(&Rfc3339).unwrap();
        assert!(a < b);
        assert!(text(a) < text(b), "{} < {}", text(a), text(b));
    }
}
