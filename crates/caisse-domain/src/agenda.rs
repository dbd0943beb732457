//! « Mon agenda » (issue 16), the pure part: the local time of a fund's sites (metropolitan
//! summer time, the overseas departments' fixed offsets), the free slots of an advisor computed
//! from weekly opening hours minus holidays, absences and bookings — never stored —, and the
//! rules on the clock: the notice and horizon of a motif, the cancellation cut-off, the
//! reminder's time and the waiting list. Storage, booking and pages build on it.

mod kinds;
mod rules;
mod slots;
#[cfg(test)]
mod tests;
mod zone;

pub use kinds::{AppointmentStatus, Channel};
pub use rules::{CANCEL_CUTOFF, WAITING_LIST_AFTER, can_cancel, reminder_at, waiting_list_applies};
pub use slots::{Interval, SlotQuery, WeeklyHours, bookable_window, free_slots, free_slots_within};
pub use zone::LocalZone;
