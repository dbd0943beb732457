//! The error of each messaging service. Refusals a person can act on are variants of their
//! own; the unexpected failures of messaging (the writer task gone, no randomness for a
//! reference, a file missing from the store, a PDF that cannot be made) are variants too,
//! named, beside [`CoreError`] for the database and the file store.

use caisse_domain::messaging::TransitionRefused;

use super::quotas::QuotaExceeded;
use crate::CoreError;
use crate::accounts::FormProblem;

/// Why a thread's PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ThreadPdfError {
    /// The rendering task stopped without an answer (it panicked or the runtime is
    /// shutting down).
    #[error("PDF rendering task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The renderer refused the document.
    #[error("PDF rendering: {0}")]
    Render(#[from] caisse_pdf::PdfError),
}

/// Why something a member did with their threads was refused.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// Input that does not have the right form; every problem is listed.
    #[error("invalid form")]
    Invalid(Vec<FormProblem>),
    /// No such thread for this member (missing or another member's: one answer for both, so
    /// ids cannot be probed), or no such member.
    #[error("thread not found")]
    NotFound,
    /// The thread kept changing under the member's reply; nothing was written.
    #[error("thread changed meanwhile (now version {current_version})")]
    Conflict {
        /// The thread's version now.
        current_version: i32,
    },
    /// A member's quota is reached (messages of the day); nothing was written.
    #[error(transparent)]
    Quota(#[from] QuotaExceeded),
    /// The thread's status does not allow a reply.
    #[error(transparent)]
    Refused(#[from] TransitionRefused),
    /// The node's thread writer stopped before it answered (the runtime is shutting down).
    #[error("the thread writer stopped")]
    WriterStopped,
    /// The system gave no random bytes for a thread's reference.
    #[error("no randomness for a reference: {0}")]
    Randomness(getrandom::Error),
    /// The thread's PDF could not be made.
    #[error(transparent)]
    Pdf(#[from] ThreadPdfError),
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Why something a staff member did was refused.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// Input that does not have the right form; every problem is listed.
    #[error("invalid form")]
    Invalid(Vec<FormProblem>),
    /// No such thread or canned answer in the staff member's fund (missing or another fund's: one
    /// answer for both), or an unknown or inactive staff account.
    #[error("not found")]
    NotFound,
    /// The thread changed since the staff member read it (another staff member acted, or the member
    /// wrote); nothing was written. The caller shows the thread again at this version.
    #[error("thread changed meanwhile (now version {current_version})")]
    Conflict {
        /// The thread's version now.
        current_version: i32,
    },
    /// The thread's status does not allow this action.
    #[error(transparent)]
    Refused(#[from] TransitionRefused),
    /// The staff member's role does not allow this action (a conseiller assigning someone else,
    /// or editing canned answers).
    #[error("not allowed for this role")]
    NotAllowed,
    /// The thread's PDF could not be made.
    #[error(transparent)]
    Pdf(#[from] ThreadPdfError),
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Why a file could not be handed over or kept.
#[derive(Debug, thiserror::Error)]
pub enum AttachmentsError {
    /// No such file for this person: a thread that is not theirs (or not their fund's), a
    /// number with no file, or an unknown or inactive staff account.
    #[error("attachment not found")]
    NotFound,
    /// A file's row is there and its bytes are not in the file store: lost data, not the
    /// reader's fault.
    #[error("attachment file missing from the store")]
    FileMissing,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Why the dashboard could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    /// An unknown or inactive staff account.
    #[error("staff not found")]
    NotFound,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

from_store!(MemberError, StaffError, AttachmentsError, DashboardError);
