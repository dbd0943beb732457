//! The legal time of a fund's sites: Paris time (summer time from the last Sunday of March to
//! the last Sunday of October) in metropolitan France, a fixed offset overseas (no summer
//! time there).

use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::paris_time::paris_time;

/// The legal time of a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocalZone {
    /// Metropolitan France and Corsica: UTC+1, UTC+2 in summer.
    Paris,
    /// Guadeloupe and Martinique: UTC−4.
    Antilles,
    /// Guyane: UTC−3.
    Guyane,
    /// La Réunion: UTC+4.
    Reunion,
    /// Mayotte: UTC+3.
    Mayotte,
}

impl LocalZone {
    /// The zone of a department's sites (`971`…`976` overseas, the rest Paris).
    pub fn for_department(department: &str) -> LocalZone {
        match department {
            "971" | "972" => LocalZone::Antilles,
            "973" => LocalZone::Guyane,
            "974" => LocalZone::Reunion,
            "976" => LocalZone::Mayotte,
            _ => LocalZone::Paris,
        }
    }

    fn fixed(self) -> Option<i8> {
        match self {
            LocalZone::Paris => None,
            LocalZone::Antilles => Some(-4),
            LocalZone::Guyane => Some(-3),
            LocalZone::Reunion => Some(4),
            LocalZone::Mayotte => Some(3),
        }
    }

    /// The local wall-clock time of `instant`.
    pub fn local(self, instant: OffsetDateTime) -> PrimitiveDateTime {
        let shifted = match self.fixed() {
            None => paris_time(instant),
            Some(hours) => {
                UtcOffset::from_hms(hours, 0, 0).map_or(instant, |offset| instant.to_offset(offset))
            }
        };
        PrimitiveDateTime::new(shifted.date(), shifted.time())
    }

    /// The instant a local wall-clock time names: `None` for a time that does not exist (the
    /// hour skipped when summer time starts); the first of the two when it exists twice (the
    /// hour repeated when it ends).
    pub fn instant(self, local: PrimitiveDateTime) -> Option<OffsetDateTime> {
        let candidates: &[i8] = match self.fixed() {
            Some(hours) => {
                return UtcOffset::from_hms(hours, 0, 0)
                    .ok()
                    .map(|o| local.assume_offset(o));
            }
            // Summer first: in the repeated hour the summer reading comes first.
            None => &[2, 1],
        };
        candidates.iter().find_map(|hours| {
            let offset = UtcOffset::from_hms(*hours, 0, 0).ok()?;
            let instant = local.assume_offset(offset);
            // A reading is right when converting back gives the same wall-clock time.
            (self.local(instant) == local).then(|| instant.to_offset(UtcOffset::UTC))
        })
    }

    /// The one offset of local day `date` when its legal time does not change that day (every
    /// day overseas; all but two a year in Paris), so that each of its wall-clock times is
    /// read at once; `None` on the days summer time starts or ends.
    pub fn day_offset(self, date: Date) -> Option<UtcOffset> {
        if let Some(hours) = self.fixed() {
            return UtcOffset::from_hms(hours, 0, 0).ok();
        }
        let midnight = self.instant(PrimitiveDateTime::new(date, Time::MIDNIGHT))?;
        let next = self.instant(PrimitiveDateTime::new(date.next_day()?, Time::MIDNIGHT))?;
        (next - midnight == Duration::days(1)).then(|| paris_time(midnight).offset())
    }

    /// `local` plus `duration` of elapsed time, as an instant.
    pub fn after(self, local: PrimitiveDateTime, duration: Duration) -> Option<OffsetDateTime> {
        self.instant(local).map(|start| start + duration)
    }
}
