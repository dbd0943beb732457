//! Secure messaging (« Ma messagerie », issue 4): members write to their fund, staff of
//! that fund answer, and both follow the thread.
//!
//! [`Messaging`] builds five services over one database, clock, file store and settings,
//! each with one job and its own error type:
//!
//! - [`MemberMessaging`] ([`MemberError`]): what members do with their threads (`member`):
//!   write, preview, list, read, reply, the thread's PDF; new threads are group-committed
//!   (`writer`), sends counted against the member's quotas (`quotas`).
//! - [`StaffMessaging`] ([`StaffError`]): what staff do (`staff`): the fund's queue, a
//!   thread beside the member's file (`member_file`), its actions (`assignment`, `transfer`,
//!   `drafts`, `outcome`), canned answers (`canned`), the thread's PDF.
//! - [`AttachmentService`] ([`AttachmentsError`]): the members' drafts and the downloads
//!   (`attachments`, `downloads`), and the purge of expired drafts.
//! - [`MediationService`] ([`MediationError`]): the médiateur's referrals and queue
//!   (`mediation`).
//! - [`DashboardService`] ([`DashboardError`]): the supervisors' figures (`dashboard`).
//!
//! The rules (objets, natures, delays, statuses, limits, warnings) are
//! `caisse_domain::messaging`'s; these services decide who may see what, in which
//! transaction, and what gets audited and notified. What they share (the settings, the file
//! pool, reading threads and people, checking and writing files, notices) is `shared`;
//! every read of member and staff rows is in `people`.
//!
//! - A member only ever reaches their own threads, and a staff member only their fund's: any
//!   other thread answers `NotFound`, exactly like a missing one.
//! - Staff members' changes carry the version they saw; a stale one gets
//!   [`StaffError::Conflict`] and nothing is written, so neither staff member loses work.
//! - Mails and SMS about messages carry a link only: never the subject, never the body.
//! - Every staff opening of a thread is audited (`staff.thread.viewed`), a PDF copy included;
//!   the member sees the viewers' roles and dates. So is every staff download of a file
//!   (`staff.attachment.downloaded`).
//! - A thread's PDF (`transcript`) is the member's view, whoever downloads it: no internal
//!   note, authors by role.
//! - Files are checked before anything is stored, written to the [`FileStore`] before the
//!   transaction that records them, and deleted again if it fails (`attachments`).

mod assignment;
mod attachments;
pub(crate) use attachments::check_one_file;
mod canned;
mod classify;
mod dashboard;
mod dashboard_home;
mod directory;
mod downloads;
mod drafts;
mod errors;
mod first_answer;
mod images;
mod mediation;
mod member;
mod member_file;
mod next_thread;
mod notify;
mod outcome;
mod people;
mod quotas;
mod shared;
mod staff;
mod staff_queue;
pub mod teams;
mod transcript;
mod transfer;
mod views;
mod writer;

use caisse_domain::AuditAction;
use std::sync::Arc;

use caisse_domain::messaging::{AttachmentLimits, Catalogue, MessageLimits, Services};
use caisse_store::Db;

use crate::blocking::BlockingPool;
use crate::clock::Clock;
use crate::files::FileStore;

pub use assignment::staff_targets;
pub use attachments::{
    AttachmentInfo, AttachmentService, Attachments, DraftAttachment, FILES_FIELD, Staged, Upload,
};
pub use canned::{CannedAnswer, CannedAnswerForm};
pub use dashboard::{
    Backlog, Dashboard, DashboardService, Figures, Period, PeriodFigures, TeamFigures,
};
pub use dashboard_home::HomeCounts;
pub use directory::Colleague;
pub use downloads::AttachmentFile;
pub use errors::{AttachmentsError, DashboardError, MemberError, StaffError, ThreadPdfError};
pub use mediation::{
    ACTION_REFERRAL_ANSWERED, ACTION_REFERRAL_CLOSED, ACTION_REFERRAL_TAKEN, ACTION_REFERRED,
    MediationError, MediationService, MemberMediation, Referral, ReferralDetail, SUBJECT_REFERRAL,
};
pub use member::{MemberMessaging, NewMessageForm, Preview, SentThread};
pub use member_file::MemberFile;
pub use quotas::{MessagingQuotas, QuotaExceeded};
pub use staff::StaffMessaging;
pub use transcript::ThreadPdf;
pub use transfer::Destination;
pub use views::{
    MemberFilters, MessageAuthor, Page, QueueAssignment, QueueFilters, QueueRow, QueueTeam,
    ThreadDetail, ThreadMessage, ThreadSummary, ThreadViewer,
};

/// Audit action of a member's new thread.
pub const ACTION_SENT: AuditAction = AuditAction::MemberMessageSent;
/// Audit action of a member's reply.
pub const ACTION_MEMBER_REPLIED: AuditAction = AuditAction::MemberMessageReplied;
/// Audit action of a staff opening of a thread; the member's viewers list reads these.
pub const ACTION_VIEWED: AuditAction = AuditAction::StaffThreadViewed;
/// Audit action of a staff member taking a thread in charge.
pub const ACTION_CLAIMED: AuditAction = AuditAction::StaffThreadClaimed;
/// Audit action of a staff member setting a thread's nature.
pub const ACTION_CLASSIFIED: AuditAction = AuditAction::StaffThreadClassified;
/// Audit action of a staff member's answer.
pub const ACTION_STAFF_REPLIED: AuditAction = AuditAction::StaffMessageSent;
/// Audit action of an internal note.
pub const ACTION_NOTE: AuditAction = AuditAction::StaffNoteAdded;
/// Audit action of a closing.
pub const ACTION_CLOSED: AuditAction = AuditAction::StaffThreadClosed;
/// Audit action of a staff download of a message's file.
pub const ACTION_ATTACHMENT_DOWNLOADED: AuditAction = AuditAction::StaffAttachmentDownloaded;
/// Audit action of an assignment to a staff member by someone else.
pub const ACTION_ASSIGNED: AuditAction = AuditAction::StaffThreadAssigned;
/// Audit action of a thread put back in the queue (« En attente de traitement »).
pub const ACTION_RETURNED: AuditAction = AuditAction::StaffThreadReturned;
/// Audit action of a transfer to another team or another fund.
pub const ACTION_TRANSFERRED: AuditAction = AuditAction::StaffThreadTransferred;
/// Audit action of a staff reading of a member's file beside a thread (the same action as the
/// staff members' account pages, so one query lists every reading of a file).
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

/// The messaging services of a node, built together over the same database, clock, settings
/// and file store: they share one file pool (a bound per node on the files checked at once)
/// and the member service its group-commit writer.
#[derive(Clone)]
pub struct Messaging {
    /// What members do with their threads.
    pub member: MemberMessaging,
    /// What staff do: queue, threads, actions, transfers, canned answers.
    pub staff: StaffMessaging,
    /// Drafts and downloads of files.
    pub attachments: AttachmentService,
    /// The médiateur's referrals.
    pub mediation: MediationService,
    /// The supervisors' figures.
    pub dashboard: DashboardService,
    shared: Arc<shared::Shared>,
}

impl Messaging {
    /// The services over this database, keeping attachments in `files`.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        settings: MessagingSettings,
        files: Arc<dyn FileStore>,
    ) -> Messaging {
        Messaging::reading_from(crate::reads::Reads::primary(db), clock, settings, files)
    }

    /// The services over `reads`' primary, their lists and queues read where `reads` says.
    pub fn reading_from(
        reads: crate::reads::Reads,
        clock: Arc<dyn Clock>,
        settings: MessagingSettings,
        files: Arc<dyn FileStore>,
    ) -> Messaging {
        let shared = Arc::new(shared::Shared::new(reads, clock, settings, files));
        Messaging {
            member: MemberMessaging::new(shared.clone()),
            staff: StaffMessaging::new(shared.clone()),
            attachments: AttachmentService::new(shared.clone()),
            mediation: MediationService::new(shared.clone()),
            dashboard: DashboardService::new(shared.clone()),
            shared,
        }
    }

    /// The settings (forms list the objets, natures and recipients from them).
    pub fn settings(&self) -> &MessagingSettings {
        &self.shared.settings
    }

    /// The pool that checks and rewrites files (images, PDFs), shared with whatever else
    /// parses files members or visitors send, so one bound holds for the node.
    pub fn file_pool(&self) -> &BlockingPool {
        &self.shared.file_pool
    }
}
