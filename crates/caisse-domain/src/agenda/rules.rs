//! The rules on the clock around an appointment (RDV Service Public's, domain-2.md §3.2):
//! the member cancels or moves it until 4 hours before; the reminder goes two days before at
//! 9:00 local time; a slot more than a week ahead may be waited for on a list that offers
//! freed slots.

use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time};

use super::zone::LocalZone;

/// How long before its start an appointment can still be cancelled or moved by the member.
pub const CANCEL_CUTOFF: Duration = Duration::hours(4);

/// How far ahead a wanted slot must be for the waiting list.
pub const WAITING_LIST_AFTER: Duration = Duration::days(7);

/// Whether the member may still cancel or move an appointment starting at `starts_at`.
pub fn can_cancel(starts_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now + CANCEL_CUTOFF <= starts_at
}

/// When the reminder of an appointment starting at `starts_at` goes: two days before, at
/// 9:00 local time (`None` when that moment has passed at booking, `now`).
pub fn reminder_at(
    zone: LocalZone,
    starts_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Option<OffsetDateTime> {
    let day = zone
        .local(starts_at)
        .date()
        .checked_sub(Duration::days(2))?;
    let at = zone.instant(PrimitiveDateTime::new(day, Time::from_hms(9, 0, 0).ok()?))?;
    (at > now).then_some(at)
}

/// Whether a member may wait for a slot starting at `wanted`: only further than a week.
pub fn waiting_list_applies(wanted: OffsetDateTime, now: OffsetDateTime) -> bool {
    wanted - now > WAITING_LIST_AFTER
}
