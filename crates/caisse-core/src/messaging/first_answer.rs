//! The facts of a thread's first answer, written in the transaction of that answer so the
//! dashboard and the médiateur rule read them instead of re-deriving them from messages.
//!
//! - **When**: the instant of the first message a staff member writes to the member (internal
//!   notes are not answers; neither is closing without a message, nor a mere acknowledgement
//!   without files: [`caisse_domain::messaging::is_acknowledgement`]).
//! - **How fast**: whole seconds from the thread's creation, in wall-clock time. A due date
//!   counts working days, but « how long did the member wait » is the time they lived.
//! - **In time**: the answer's date in the fund's legal time is the due date or earlier
//!   ([`caisse_domain::messaging::answered_in_time`]). The due date is the one the thread
//!   had at that moment; a member's later reply to a closed thread sets a new due date but
//!   never rewrites its first answer.

use caisse_domain::Instant;
use caisse_domain::messaging::{answered_in_time, is_acknowledgement};
use caisse_store::messaging::Thread;
use caisse_store::thread_delays::FirstAnswer;

use super::member::zone_of;

/// The first-answer facts of `row` if a message with text `body` (and files when
/// `with_files`) written at `now` is its first answer; `None` when it already has one, or when
/// the message only acknowledges receipt.
pub(super) fn first_answer_of(
    row: &Thread,
    body: &str,
    with_files: bool,
    now: Instant,
) -> Option<FirstAnswer> {
    if row.first_answered_at.is_some() || (!with_files && is_acknowledgement(body)) {
        return None;
    }
    let zone = zone_of(row.caisse_code);
    Some(FirstAnswer {
        at: now,
        seconds: (now - row.created_at).whole_seconds().max(0),
        within_delay: answered_in_time(now.get(), row.due_on, zone),
    })
}
