//! What the messaging use cases return: threads, messages, pages and filters, as domain
//! values rather than rows.

use std::fmt;

use caisse_domain::CaisseCode;
use caisse_domain::messaging::{Nature, Outcome, TeamCode, ThreadStatus};
use caisse_store::messaging::{Message, Paged, StaffView, Thread, WrittenBy};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::attachments::AttachmentInfo;
use crate::staff::StaffRole;

/// A thread as listed (no messages).
#[derive(Clone, PartialEq, Eq)]
pub struct ThreadSummary {
    /// Id, for links.
    pub id: Uuid,
    /// The reference shown to the member and quoted on the phone (`M-2026-K7Q3-9DXA`).
    pub reference: String,
    /// The fund whose queue holds it (the member's, unless it was transferred).
    pub caisse_code: CaisseCode,
    /// Recipient code (the fund or one of its services).
    pub recipient_code: String,
    /// Objet code (its label is in the catalogue).
    pub objet_code: String,
    /// Nature of the request.
    pub nature: Nature,
    /// Subject line.
    pub subject: String,
    /// Where the thread stands.
    pub status: ThreadStatus,
    /// Answer due date.
    pub due_on: Date,
    /// The staff member handling it (staff views only; `None` in a member's view).
    pub assigned_staff_id: Option<Uuid>,
    /// The team it is routed to; `None` at the fund's reception (and in a member's view).
    pub team: Option<TeamCode>,
    /// Version to send back with a staff member's action.
    pub version: i32,
    /// True when the fund wrote and the member has not opened the thread since.
    pub unread_by_member: bool,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last activity (a message or a status change).
    pub updated_at: OffsetDateTime,
    /// When it was closed, if it is « Traité ».
    pub closed_at: Option<OffsetDateTime>,
    /// When the fund first answered.
    pub first_answered_at: Option<OffsetDateTime>,
    /// Whether that first answer came by the due date.
    pub answered_within_delay: Option<bool>,
    /// A réclamation's outcome, once recorded.
    pub outcome: Option<Outcome>,
}

/// Shows ids, codes and states; never the subject.
impl fmt::Debug for ThreadSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadSummary")
            .field("id", &self.id)
            .field("reference", &self.reference)
            .field("caisse_code", &self.caisse_code)
            .field("objet_code", &self.objet_code)
            .field("nature", &self.nature)
            .field("status", &self.status)
            .field("team", &self.team)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl From<Thread> for ThreadSummary {
    fn from(row: Thread) -> ThreadSummary {
        ThreadSummary {
            id: row.id,
            reference: row.reference,
            caisse_code: row.caisse_code,
            recipient_code: row.recipient_code,
            objet_code: row.objet_code,
            nature: row.nature,
            subject: row.subject,
            status: row.status,
            due_on: row.due_on,
            assigned_staff_id: row.assigned_staff_id,
            team: row.team,
            version: row.version,
            unread_by_member: row.unread_by_member,
            created_at: row.created_at.get(),
            updated_at: row.updated_at.get(),
            closed_at: row.closed_at.map(|at| at.get()),
            first_answered_at: row.first_answered_at.map(|at| at.get()),
            answered_within_delay: row.answered_within_delay,
            outcome: row.outcome,
        }
    }
}

impl ThreadSummary {
    /// Returns true if and only if the thread is open and its due date is before `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_open() && self.due_on < today
    }
}

/// Who wrote a message, as the reader may know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageAuthor {
    /// The member.
    Member,
    /// The fund; the staff member's id in staff views only.
    Staff(Option<Uuid>),
}

/// One message of a thread.
#[derive(Clone, PartialEq, Eq)]
pub struct ThreadMessage {
    /// Id.
    pub id: Uuid,
    /// Who wrote it.
    pub author: MessageAuthor,
    /// The text.
    pub body: String,
    /// True for an staff members' internal note (never in a member's view).
    pub internal: bool,
    /// When it was written.
    pub created_at: OffsetDateTime,
    /// Its files, in upload order.
    pub attachments: Vec<AttachmentInfo>,
}

/// Shows ids, the author and the files' count; never the text.
impl fmt::Debug for ThreadMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadMessage")
            .field("id", &self.id)
            .field("author", &self.author)
            .field("internal", &self.internal)
            .field("attachments", &self.attachments.len())
            .finish_non_exhaustive()
    }
}

impl ThreadMessage {
    pub(super) fn from_row(row: Message, for_staff: bool) -> ThreadMessage {
        let author = match row.author {
            WrittenBy::Member => MessageAuthor::Member,
            WrittenBy::Staff(staff_id) => MessageAuthor::Staff(staff_id.filter(|_| for_staff)),
        };
        ThreadMessage {
            id: row.id,
            author,
            body: row.body,
            internal: row.internal,
            created_at: row.created_at.get(),
            attachments: Vec::new(),
        }
    }
}

/// A thread with its messages, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadDetail {
    /// The thread.
    pub thread: ThreadSummary,
    /// Its messages (without internal notes in a member's view).
    pub messages: Vec<ThreadMessage>,
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// This page's number, from 1.
    pub number: u64,
    /// Items per page.
    pub size: u64,
    /// Items matching the filters in all.
    pub total: u64,
}

impl<T> Page<T> {
    /// Page `number` of `size` items: the rows `found`, each made an item by `item`.
    pub(super) fn from_rows<R>(
        found: Paged<R>,
        number: u64,
        size: u64,
        item: impl FnMut(R) -> T,
    ) -> Page<T> {
        Page {
            items: found.rows.into_iter().map(item).collect(),
            number,
            size,
            total: found.total,
        }
    }

    /// How many pages the list has (at least 1, so « page 1 sur 1 » reads well when empty).
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(self.size.max(1)).max(1)
    }
}

/// Page `page` of `size` rows: its number (at least 1) and the offset of its first row, kept
/// within what databases bind (`i64`), so a page past every row is merely empty.
pub(super) fn page_window(page: u64, size: u64) -> (u64, u64) {
    let number = page.max(1);
    let offset = (number - 1)
        .saturating_mul(size)
        .min(u64::try_from(i64::MAX).unwrap_or(u64::MAX));
    (number, offset)
}

/// What a member's list may be narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberFilters {
    /// Only this status.
    pub status: Option<ThreadStatus>,
    /// Only this objet code.
    pub objet: Option<String>,
    /// Only subjects containing this text (case and accents ignored).
    pub search: Option<String>,
}

/// Whose threads a queue shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueAssignment {
    /// The threads of this staff member.
    To(Uuid),
    /// Threads nobody has taken.
    Unassigned,
}

/// Which team's threads a queue shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueTeam {
    /// The threads routed to the team of this code (as the filter carries it: a code no team
    /// has shows nothing).
    Code(String),
    /// The threads no team handles (« Accueil (non routé) »).
    Unrouted,
}

/// What a fund's queue may be narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilters {
    /// Only these statuses (every status when empty).
    pub statuses: Vec<ThreadStatus>,
    /// Only this objet code.
    pub objet: Option<String>,
    /// Only this nature.
    pub nature: Option<Nature>,
    /// Only open threads due before this date (pass today for « en retard »).
    pub overdue_on: Option<Date>,
    /// Only one staff member's threads, or unassigned ones.
    pub assignment: Option<QueueAssignment>,
    /// Only one team's threads, or the unrouted ones.
    pub team: Option<QueueTeam>,
    /// Only threads received on this day of the fund's legal time or later (the dashboard's
    /// « Échanges reçus »).
    pub received_since: Option<Date>,
    /// Only threads first answered on this day or later (its « Premières réponses »).
    pub answered_since: Option<Date>,
    /// Only threads whose first answer came by the due date (`true`) or after it (`false`).
    pub answered_in_time: Option<bool>,
}

/// One line of the staff queue: the thread and the member who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueRow {
    /// The thread.
    pub thread: ThreadSummary,
    /// The member's name (« Sophie WEBER »); empty if the member file is gone.
    pub member_name: String,
}

/// Someone of the fund who opened a member's thread, as the member sees them: a role, not
/// a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadViewer {
    /// The role, in French (« Conseiller »).
    pub role_label: &'static str,
    /// When they opened it.
    pub at: OffsetDateTime,
}

impl ThreadViewer {
    pub(super) fn from_view(view: StaffView) -> ThreadViewer {
        ThreadViewer {
            role_label: StaffRole::from_code(&view.role)
                .map_or("Agent de votre caisse", StaffRole::label_fr),
            at: view.at.get(),
        }
    }
}
