//! The médiateur (issue 4, point 9): a member refers a réclamation answered negatively or
//! past its delay (rule: [`caisse_domain::messaging::mediation`]); the fund's supervisors and
//! administrators work the referrals in their own queue, apart from the staff members' one.
//!
//! - `member`: whether a thread may be referred, the referral itself (one per thread, with a
//!   link-only acknowledgement by mail), and its status on the thread page.
//! - `staff`: the queue, the audited view of a referral with its thread, take, answer,
//!   close, each at the version read (`Conflict` otherwise), like threads.
//!
//! **The médiateur's answer is a separate record, not a message of the thread.** It is stored
//! on the referral and shown in its own « Médiateur » block of the member's thread page. The
//! médiateur is not the service that answered the réclamation: keeping their answer apart
//! leaves the thread's status, version, first-answer facts and the staff members' queue untouched,
//! and tells the member who is speaking. One answer per referral; the member is notified like
//! for a staff member's answer (a link, never the text).

mod member;
mod staff;

use std::sync::Arc;

use caisse_domain::AuditAction;
use caisse_domain::messaging::{ReferralReason, ReferralRefused, ReferralState, ReferralStatus};
use caisse_store::mediation as store;
use time::OffsetDateTime;
use uuid::Uuid;

use super::ThreadDetail;
use super::shared::Shared;
use crate::CoreError;
use crate::accounts::FormProblem;

/// The médiateur: members refer their réclamations (`member`), the fund's supervisors work
/// the referrals (`staff`).
#[derive(Clone)]
pub struct MediationService {
    shared: Arc<Shared>,
}

impl MediationService {
    pub(super) fn new(shared: Arc<Shared>) -> MediationService {
        MediationService { shared }
    }
}

/// Audit action of a member's referral to the médiateur.
pub const ACTION_REFERRED: AuditAction = AuditAction::MemberMediationReferred;
/// Audit action of a supervisor taking a referral.
pub const ACTION_REFERRAL_TAKEN: AuditAction = AuditAction::StaffMediationTaken;
/// Audit action of the médiateur's answer.
pub const ACTION_REFERRAL_ANSWERED: AuditAction = AuditAction::StaffMediationAnswered;
/// Audit action of the closing of a referral.
pub const ACTION_REFERRAL_CLOSED: AuditAction = AuditAction::StaffMediationClosed;
/// Audit subject kind of a referral (`audit_events.subject_kind` holds 16 characters).
pub const SUBJECT_REFERRAL: &str = "mediation";

/// Why a médiateur operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum MediationError {
    /// The text does not have the right form.
    #[error("invalid form")]
    Invalid(Vec<FormProblem>),
    /// No such thread or referral for this person (missing, another member's, another
    /// fund's: one answer for all). Also an unknown or inactive staff account.
    #[error("not found")]
    NotFound,
    /// A staff member whose role does not handle the médiateur's queue (a conseiller).
    #[error("forbidden")]
    Forbidden,
    /// The thread may not be referred (see the rule in the domain).
    #[error("not eligible for the médiateur")]
    Ineligible,
    /// The thread already has its referral.
    #[error("already referred")]
    AlreadyReferred,
    /// The referral changed since the caller read it; nothing was written.
    #[error("referral changed meanwhile (now version {current_version})")]
    Conflict {
        /// The referral's version now.
        current_version: i32,
    },
    /// The referral's state does not allow this action.
    #[error(transparent)]
    Refused(#[from] ReferralRefused),
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for MediationError {
    fn from(error: caisse_store::StoreError) -> Self {
        MediationError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for MediationError {
    fn from(error: caisse_store::DbErr) -> Self {
        MediationError::Core(error.into())
    }
}

/// A referral to the médiateur.
#[derive(Clone, PartialEq, Eq)]
pub struct Referral {
    /// Id.
    pub id: Uuid,
    /// The reference given to the member (`MD-` and the thread's reference).
    pub reference: String,
    /// The réclamation referred.
    pub thread_id: Uuid,
    /// Why the member could refer.
    pub reason: ReferralReason,
    /// What the member wrote to the médiateur.
    pub member_text: String,
    /// Where it stands.
    pub status: ReferralStatus,
    /// The supervisor handling it (staff views only; `None` in the member's view).
    pub assigned_staff_id: Option<Uuid>,
    /// The médiateur's answer, once given.
    pub answer: Option<String>,
    /// When it was given.
    pub answered_at: Option<OffsetDateTime>,
    /// Version to send back with a supervisor's action.
    pub version: i32,
    /// When the member referred.
    pub created_at: OffsetDateTime,
    /// When it was closed.
    pub closed_at: Option<OffsetDateTime>,
}

/// Shows ids and states; never the member's text or the answer.
impl std::fmt::Debug for Referral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Referral")
            .field("id", &self.id)
            .field("reference", &self.reference)
            .field("thread_id", &self.thread_id)
            .field("reason", &self.reason)
            .field("status", &self.status)
            .field("answered", &self.answer.is_some())
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl From<store::Referral> for Referral {
    fn from(row: store::Referral) -> Referral {
        Referral {
            id: row.id,
            reference: row.reference,
            thread_id: row.thread_id,
            reason: row.reason,
            member_text: row.member_text,
            status: row.status,
            assigned_staff_id: row.assigned_staff_id,
            answer: row.answer,
            answered_at: row.answered_at.map(|at| at.get()),
            version: row.version,
            created_at: row.created_at.get(),
            closed_at: row.closed_at.map(|at| at.get()),
        }
    }
}

impl Referral {
    /// What its rules need: status and whether it is answered.
    pub fn state(&self) -> ReferralState {
        ReferralState {
            status: self.status,
            answered: self.answer.is_some(),
        }
    }
}

/// The médiateur on a member's thread page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberMediation {
    /// The thread may not be referred (now).
    Unavailable,
    /// The member may refer it, for this reason.
    Eligible(ReferralReason),
    /// It is referred.
    Referred(Referral),
}

/// A referral with its thread (every message, internal notes included), for staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralDetail {
    /// The referral.
    pub referral: Referral,
    /// The réclamation.
    pub thread: ThreadDetail,
}

/// The reference of the referral of the thread `thread_reference`: the thread is referred
/// once, so its reference behind `MD-` is unique too, and tells which thread it is.
fn referral_reference(thread_reference: &str) -> String {
    format!(
        "MD-{}",
        thread_reference
            .strip_prefix("M-")
            .unwrap_or(thread_reference)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_referral_reference_names_its_thread() {
        assert_eq!(
            super::referral_reference("M-2026-K7Q3-9DXA"),
            "MD-2026-K7Q3-9DXA"
        );
    }
}
