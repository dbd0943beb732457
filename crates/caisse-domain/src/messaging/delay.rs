//! Response delays in working days, and the due date of an answer.
//!
//! # The due-date rule
//!
//! 1. The day a message is **received** is its calendar date in the fund's legal time:
//!    Paris time for metropolitan and Alsace-Moselle funds, the fixed local offset for
//!    overseas ones (Guadeloupe and Martinique UTC−4, Guyane UTC−3, Mayotte UTC+3,
//!    La Réunion UTC+4; none of them has summer time). There is no cut-off within the day:
//!    a message of 23:59 is received that day.
//! 2. A message received on a Saturday, a Sunday or a public holiday of the fund's
//!    calendar is deemed received on the next working day.
//! 3. The answer is due `n` working days (*jours ouvrés*, Monday to Friday minus the
//!    holidays of the fund's zone, see [`crate::calendar`]) after that day, which itself
//!    never counts.
//!
//! With a delay of 2 days and no holiday around: a message of Monday, at any hour, is
//! due on Wednesday; one of Friday, even at 23:59, on Tuesday; one of Saturday or Sunday
//! is received on Monday and due on Wednesday, like Monday's. No evening cut-off is
//! needed because the day of receipt never counts: a cut-off would give late messages a
//! second free day. The fund's own time, rather than Paris's for every fund, matters only
//! near midnight, but an overseas fund's day starts, and its holidays fall, in its time.

use time::{Date, Duration, OffsetDateTime, UtcOffset};

use super::Nature;
use crate::paris_time::paris_time;
use crate::{HolidayZone, add_working_days, is_working_day};

/// The longest delay a catalogue accepts: about one year of working days. It only
/// catches typing errors in a configured table.
pub const MAX_DELAY_DAYS: u32 = 250;

/// Default delay for questions and reports: **2 working days**.
///
/// Sources disagree (domain.md §4.3): « 48 h maximum » (seed C), « en moins de 48h »
/// (amss42.fr, a CPAM partner), « 24 à 48 heures ouvrables » (seed B), against
/// « environ 7 jours ouvrables » on average (seed A, figures not found on ameli). Three
/// sources give 48 hours and domain.md recommends it as the default target, so 48 hours
/// of working time, i.e. 2 *jours ouvrés*, it is. Seed A's per-type figures override it
/// below where they are longer.
pub const DEFAULT_DELAY_DAYS: u32 = 2;

/// Delay for attestations: **3 working days**, the upper bound of seed A's « Demande
/// d'attestation de droits : 2-3 jours ouvrables ».
///
/// Seed A's figures are averages in *jours ouvrables* (Monday to Saturday). A due date
/// marks when an answer is late, not when it typically comes, so for every seed A row
/// the upper bound is taken; and it is counted in *jours ouvrés* (the back office does
/// not work on Saturdays), which adds at most one calendar day per week to the source's
/// figure, less than the spread of its own ranges.
pub const ATTESTATION_DELAY_DAYS: u32 = 3;

/// Delay for questions about a reimbursement: **7 working days**, the upper bound of
/// seed A's « Question sur un remboursement : 5-7 jours ouvrables » (see
/// [`ATTESTATION_DELAY_DAYS`] for why the upper bound, in *jours ouvrés*).
pub const REMBOURSEMENT_DELAY_DAYS: u32 = 7;

/// Delay for every réclamation, whatever its objet: **15 working days**, the upper bound
/// of seed A's « Réclamation : 10-15 jours ouvrables ».
///
/// No source in reach gives a legal or official response delay for a réclamation to an
/// Assurance Maladie fund: ameli's « Faire une réclamation » page gives none, and the
/// two-month delays of domain.md §10 are the member's delay to refer to the CRA, not the
/// fund's to answer. A fund that has a commitment of its own replaces this value.
pub const RECLAMATION_DELAY_DAYS: u32 = 15;

/// The response delay of one objet, in working days, for each [`Nature`].
///
/// Plain configuration data: [`super::Catalogue`] checks every value is between 1 and
/// [`MAX_DELAY_DAYS`] when it is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Delays {
    /// Delay of a *demande de renseignements*.
    pub demande_renseignements: u32,
    /// Delay of a *signalement*.
    pub signalement: u32,
    /// Delay of a *réclamation*.
    pub reclamation: u32,
}

impl Delays {
    /// Returns delays where questions and reports take `days` and a réclamation
    /// [`RECLAMATION_DELAY_DAYS`]: the shape of every default objet, since no source
    /// tells a report from a question.
    pub fn questions_in(days: u32) -> Delays {
        Delays {
            demande_renseignements: days,
            signalement: days,
            reclamation: RECLAMATION_DELAY_DAYS,
        }
    }

    /// Returns the delay, in working days, of a message of this `nature`.
    pub fn for_nature(&self, nature: Nature) -> u32 {
        match nature {
            // Until an advisor classifies it, « Je ne sais pas » is answered as a question:
            // the member is never promised a later date than the common case.
            Nature::DemandeRenseignements | Nature::NonPrecisee => self.demande_renseignements,
            Nature::Signalement => self.signalement,
            Nature::Reclamation => self.reclamation,
        }
    }

    /// Returns true if and only if every delay is between 1 and [`MAX_DELAY_DAYS`].
    pub(crate) fn are_valid(&self) -> bool {
        Nature::ALL
            .into_iter()
            .all(|nature| (1..=MAX_DELAY_DAYS).contains(&self.for_nature(nature)))
    }
}

/// Returns the day a message sent at `sent_at` is received by a fund of calendar `zone`:
/// its local date, moved to the next working day if it is not one (rules 1 and 2 of the
/// module documentation). Always a working day, except at the very end of the range
/// `time` supports.
pub fn received_on(sent_at: OffsetDateTime, zone: HolidayZone) -> Date {
    let mut day = local_date(sent_at, zone);
    while !is_working_day(zone, day) {
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    day
}

/// Returns the date by which a message sent at `sent_at` to a fund of calendar `zone` is
/// to be answered: `delay_working_days` working days after [`received_on`] (the module
/// documentation states the rule). With a delay of 0 it is the day of receipt.
pub fn due_date(sent_at: OffsetDateTime, delay_working_days: u32, zone: HolidayZone) -> Date {
    add_working_days(zone, received_on(sent_at, zone), delay_working_days)
}

/// Returns the calendar date of `instant` in the legal time of a fund of calendar `zone`
/// (rule 1 of the module documentation): the day the fund lives in at that instant.
pub fn local_date(instant: OffsetDateTime, zone: HolidayZone) -> Date {
    instant
        .checked_to_offset(legal_offset(instant, zone))
        .unwrap_or(instant)
        .date()
}

/// Returns the instant `day` starts (00:00) in the legal time of a fund of calendar `zone`:
/// the lower bound of « today » or « the last 30 days » on the fund's screens.
pub fn day_start(day: Date, zone: HolidayZone) -> OffsetDateTime {
    let midnight_utc = day.midnight().assume_utc();
    // Paris changes offset at 01:00 UTC, never near local midnight: the offset at a first
    // guess (midnight UTC shifted by its own offset) is the offset of local midnight.
    let shift = |instant| Duration::seconds(i64::from(legal_offset(instant, zone).whole_seconds()));
    let guess = midnight_utc - shift(midnight_utc);
    midnight_utc - shift(guess)
}

/// Returns true if and only if an answer given at `answered_at` came by `due_on`, the due
/// date of the thread: its date in the fund's legal time is the due date or earlier. An
/// answer at 23:59 on the due date is in time; one at 00:00 the day after is late.
pub fn answered_in_time(answered_at: OffsetDateTime, due_on: Date, zone: HolidayZone) -> bool {
    local_date(answered_at, zone) <= due_on
}

/// The offset of the fund's legal time at `instant`.
fn legal_offset(instant: OffsetDateTime, zone: HolidayZone) -> UtcOffset {
    let hours = match zone {
        HolidayZone::Metropole | HolidayZone::AlsaceMoselle => {
            return paris_time(instant).offset();
        }
        HolidayZone::Guadeloupe | HolidayZone::Martinique => -4,
        HolidayZone::Guyane => -3,
        HolidayZone::Mayotte => 3,
        HolidayZone::Reunion => 4,
    };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

#[cfg(test)]
mod tests;
