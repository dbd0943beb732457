//! Secure messaging (« Ma messagerie », issue 4): members write to their fund, advisors of
//! that fund answer, and both follow the thread.
//!
//! One service, [`MessagingService`], split into `member` (what members do) and `staff`
//! (what advisors do), with `outcome` (a réclamation's outcome), `first_answer` (the delay
//! facts of a first answer), `dashboard` (the supervisors' figures) and `mediation` (the
//! médiateur's referrals and queue). The rules (objets, natures, delays, statuses, limits, warnings) are
//! `caisse_domain::messaging`'s; this module decides who may see what, in which
//! transaction, and what gets audited and notified.
//!
//! - A member only ever reaches their own threads, and an advisor only their fund's: any
//!   other thread answers [`MessagingError::NotFound`], exactly like a missing one.
//! - Advisors' changes carry the version they saw; a stale one gets
//!   [`MessagingError::Conflict`] and nothing is written, so neither advisor loses work.
//! - Mails and SMS about messages carry a link only: never the subject, never the body.
//! - Every staff opening of a thread is audited (`staff.thread.viewed`), a PDF copy included;
//!   the member sees the viewers' roles and dates. So is every staff download of a file
//!   (`staff.attachment.downloaded`).
//! - A thread's PDF (`transcript`) is the member's view, whoever downloads it: no internal
//!   note, authors by role.
//! - Files are checked before anything is stored, written to the [`FileStore`] before the
//!   transaction that records them, and deleted again if it fails (`attachments`).
//! - The back office (`assignment`, `transfer`, `drafts`, `member_file`, `canned`, `teams`):
//!   teams route objets, advisors assign, transfer to another team or fund, answer with
//!   canned answers whose variables are filled in here, and read the member's file (audited).

mod assignment;
mod attachments;
mod canned;
mod dashboard;
mod directory;
mod downloads;
mod drafts;
mod first_answer;
mod images;
mod mediation;
mod member;
mod member_file;
mod notify;
mod outcome;
mod quotas;
mod staff;
pub mod teams;
mod transcript;
mod transfer;
mod views;
mod writer;

use caisse_domain::AuditAction;
use std::sync::Arc;

use caisse_domain::messaging::{
    AttachmentLimits, Catalogue, MessageLimits, Services, TransitionRefused,
};
use caisse_store::Db;

use crate::CoreError;
use crate::accounts::FormProblem;
use crate::blocking::BlockingPool;
use crate::clock::Clock;
use crate::files::FileStore;

pub use assignment::advisor_targets;
pub use attachments::{AttachmentInfo, Attachments, DraftAttachment, FILES_FIELD, Staged, Upload};
pub use canned::{CannedAnswer, CannedAnswerForm};
pub use dashboard::{Backlog, Dashboard, Figures, Period, PeriodFigures, TeamFigures};
pub use directory::Colleague;
pub use downloads::AttachmentFile;
pub use mediation::{
    ACTION_REFERRAL_ANSWERED, ACTION_REFERRAL_CLOSED, ACTION_REFERRAL_TAKEN, ACTION_REFERRED,
    MediationError, MemberMediation, Referral, ReferralDetail, SUBJECT_REFERRAL,
};
pub use member::{NewMessageForm, Preview, SentThread};
pub use member_file::MemberFile;
pub use quotas::{MessagingQuotas, QuotaExceeded};
pub use transcript::ThreadPdf;
pub use transfer::Destination;
pub use views::{
    MemberFilters, MessageAuthor, Page, QueueAssignment, QueueFilters, QueueTeam, ThreadDetail,
    ThreadMessage, ThreadSummary, ThreadViewer,
};

/// Audit action of a member's new thread.
pub const ACTION_SENT: AuditAction = AuditAction::MemberMessageSent;
/// Audit action of a member's reply.
pub const ACTION_MEMBER_REPLIED: AuditAction = AuditAction::MemberMessageReplied;
/// Audit action of a staff opening of a thread; the member's viewers list reads these.
pub const ACTION_VIEWED: AuditAction = AuditAction::StaffThreadViewed;
/// Audit action of an advisor taking a thread in charge.
pub const ACTION_CLAIMED: AuditAction = AuditAction::StaffThreadClaimed;
/// Audit action of an advisor's answer.
pub const ACTION_STAFF_REPLIED: AuditAction = AuditAction::StaffMessageSent;
/// Audit action of an internal note.
pub const ACTION_NOTE: AuditAction = AuditAction::StaffNoteAdded;
/// Audit action of a closing.
pub const ACTION_CLOSED: AuditAction = AuditAction::StaffThreadClosed;
/// Audit action of a staff download of a message's file.
pub const ACTION_ATTACHMENT_DOWNLOADED: AuditAction = AuditAction::StaffAttachmentDownloaded;
/// Audit action of an assignment to an advisor by someone else.
pub const ACTION_ASSIGNED: AuditAction = AuditAction::StaffThreadAssigned;
/// Audit action of a thread put back in the queue (« En attente de traitement »).
pub const ACTION_RETURNED: AuditAction = AuditAction::StaffThreadReturned;
/// Audit action of a transfer to another team or another fund.
pub const ACTION_TRANSFERRED: AuditAction = AuditAction::StaffThreadTransferred;
/// Audit action of a staff reading of a member's file beside a thread (the same action as the
/// advisors' account pages, so one query lists every reading of a file).
pub const ACTION_MEMBER_VIEWED: AuditAction = AuditAction::StaffMemberViewed;
/// Audit action of a canned answer created, changed, deactivated or reactivated.
pub const ACTION_CANNED_SAVED: AuditAction = AuditAction::StaffCannedAnswerSaved;
/// Audit action of a réclamation's outcome being recorded.
pub const ACTION_OUTCOME: AuditAction = AuditAction::StaffThreadOutcome;
/// Audit subject kind of a thread.
pub const SUBJECT_THREAD: &str = "message_thread";

/// What the messaging use cases need to know about the deployment.
#[derive(Clone, Debug)]
pub struct MessagingSettings {
    /// The objets members may choose, with their delays.
    pub catalogue: Catalogue,
    /// The services members may write to besides their fund.
    pub services: Services,
    /// Length limits of subjects and bodies.
    pub limits: MessageLimits,
    /// Kinds, sizes and count of attachments.
    pub attachments: AttachmentLimits,
    /// How long a file joined to a message not sent yet is kept. Default 24 hours.
    pub draft_lifetime: time::Duration,
    /// Public base URL, for links in mails and SMS (`https://portail.example.fr`).
    pub base_url: String,
    /// The fund's phone number, printed on a thread's PDF.
    pub phone: String,
    /// Threads per page in lists and queues.
    pub page_size: u64,
    /// Files (images, PDFs) checked and rewritten at once on a node: each holds up to
    /// three times [`AttachmentLimits::max_image_bytes`] while it runs. Default 2.
    pub file_workers: usize,
    /// What one member may send a day and keep as drafts.
    pub quotas: MessagingQuotas,
}

impl Default for MessagingSettings {
    fn default() -> Self {
        MessagingSettings {
            catalogue: Catalogue::default_fr(),
            services: Services::default_fr(),
            limits: MessageLimits::default(),
            attachments: AttachmentLimits::default(),
            draft_lifetime: time::Duration::hours(24),
            base_url: "http://127.0.0.1:8080".to_owned(),
            phone: "36 46".to_owned(),
            page_size: 20,
            file_workers: 2,
            quotas: MessagingQuotas::default(),
        }
    }
}

/// Why a messaging operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum MessagingError {
    /// Input that does not have the right form; every problem is listed.
    #[error("invalid form")]
    Invalid(Vec<FormProblem>),
    /// No such thread for this person: missing, another member's or another fund's (one
    /// answer for all, so ids cannot be probed). Also an unknown or inactive staff account.
    #[error("thread not found")]
    NotFound,
    /// The thread changed since the caller read it (another advisor acted, or the member
    /// wrote); nothing was written. The caller shows the thread again at this version.
    #[error("thread changed meanwhile (now version {current_version})")]
    Conflict {
        /// The thread's version now.
        current_version: i32,
    },
    /// A member's quota is reached (messages of the day, drafts kept); nothing was written.
    #[error(transparent)]
    Quota(#[from] QuotaExceeded),
    /// The thread's status does not allow this action.
    #[error(transparent)]
    Refused(#[from] TransitionRefused),
    /// The advisor's role does not allow this action (a conseiller assigning someone else,
    /// or editing canned answers).
    #[error("not allowed for this role")]
    NotAllowed,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for MessagingError {
    fn from(error: caisse_store::StoreError) -> Self {
        MessagingError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for MessagingError {
    fn from(error: caisse_store::DbErr) -> Self {
        MessagingError::Core(error.into())
    }
}

/// The messaging use cases.
#[derive(Clone)]
pub struct MessagingService {
    db: Db,
    clock: Arc<dyn Clock>,
    settings: Arc<MessagingSettings>,
    files: Arc<dyn FileStore>,
    writer: Arc<writer::ThreadWriter>,
    file_pool: BlockingPool,
}

impl MessagingService {
    /// The service over this database, keeping attachments in `files`.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        settings: MessagingSettings,
        files: Arc<dyn FileStore>,
    ) -> MessagingService {
        MessagingService {
            writer: Arc::new(writer::ThreadWriter::new(db.clone(), &settings.base_url)),
            file_pool: BlockingPool::new(settings.file_workers),
            db,
            clock,
            settings: Arc::new(settings),
            files,
        }
    }

    /// The settings (forms list the objets, natures and recipients from them).
    pub fn settings(&self) -> &MessagingSettings {
        &self.settings
    }

    /// The pool that checks and rewrites files (images, PDFs), shared with whatever else
    /// parses files members or visitors send, so one bound holds for the node.
    pub fn file_pool(&self) -> &BlockingPool {
        &self.file_pool
    }

    fn base_url(&self) -> &str {
        self.settings.base_url.trim_end_matches('/')
    }

    fn page_size(&self) -> u64 {
        self.settings.page_size.max(1)
    }
}
