//! Queries on secure messaging: threads, their messages and the staff views of a thread.
//!
//! Every member-facing query filters by `member_id`, and every queue query by the fund's
//! `caisse_code`: a row of another member or another fund is simply not found. Changes an
//! staff member could overwrite go through [`update_if_version`], one conditional `UPDATE` that
//! applies only when the caller saw the latest version.

use std::fmt;

use caisse_domain::messaging::{Nature, Outcome, TeamCode, ThreadStatus};
use caisse_domain::{AuditAction, CaisseCode, Instant};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use time::Date;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::message_thread::{self, Column, Entity};
use crate::entities::{audit_event, message, staff};
use crate::new_threads::{ThreadRow, insert_with_events_and_mails};

/// The table name, for [`StoreError::corrupt`].
const THREADS: &str = "message_threads";

/// A thread as stored, its codes read back into domain values.
#[derive(Clone, PartialEq, Eq)]
pub struct Thread {
    /// Id.
    pub id: Uuid,
    /// The human reference, unique.
    pub reference: String,
    /// The member who wrote.
    pub member_id: Uuid,
    /// The fund whose queue holds it.
    pub caisse_code: CaisseCode,
    /// Recipient code (the fund or one of its services).
    pub recipient_code: String,
    /// Objet code (an objet since removed from the catalogue keeps its code).
    pub objet_code: String,
    /// Nature of the request.
    pub nature: Nature,
    /// Subject line.
    pub subject: String,
    /// Where it stands.
    pub status: ThreadStatus,
    /// Answer due date.
    pub due_on: Date,
    /// The staff member handling it.
    pub assigned_staff_id: Option<Uuid>,
    /// The team it is routed to; `None` at the fund's reception.
    pub team: Option<TeamCode>,
    /// Grows on every change a staff member could overwrite.
    pub version: i32,
    /// True when the fund wrote and the member has not opened it since.
    pub unread_by_member: bool,
    /// Creation.
    pub created_at: Instant,
    /// Last activity.
    pub updated_at: Instant,
    /// When it was closed.
    pub closed_at: Option<Instant>,
    /// When the fund first answered.
    pub first_answered_at: Option<Instant>,
    /// Seconds from the thread's creation to its first answer.
    pub first_answer_seconds: Option<i64>,
    /// Whether that first answer came by the due date.
    pub answered_within_delay: Option<bool>,
    /// A réclamation's outcome.
    pub outcome: Option<Outcome>,
}

/// Shows ids, codes and states; never the subject.
impl fmt::Debug for Thread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Thread")
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

impl TryFrom<message_thread::Model> for Thread {
    type Error = StoreError;

    fn try_from(row: message_thread::Model) -> Result<Thread, StoreError> {
        let id = row.id;
        let corrupt = |column| StoreError::corrupt(THREADS, column, id);
        Ok(Thread {
            caisse_code: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
            nature: Nature::from_code(&row.nature_code).ok_or_else(|| corrupt("nature_code"))?,
            status: ThreadStatus::from_code(&row.status).ok_or_else(|| corrupt("status"))?,
            team: row
                .team
                .as_deref()
                .map(TeamCode::parse)
                .transpose()
                .map_err(|_| corrupt("team"))?,
            outcome: row
                .outcome
                .as_deref()
                .map(|code| Outcome::from_code(code).ok_or_else(|| corrupt("outcome")))
                .transpose()?,
            id,
            reference: row.reference,
            member_id: row.member_id,
            recipient_code: row.recipient_code,
            objet_code: row.objet_code,
            subject: row.subject,
            due_on: row.due_on,
            assigned_staff_id: row.assigned_staff_id,
            version: row.version,
            unread_by_member: row.unread_by_member,
            created_at: row.created_at.into(),
            updated_at: row.updated_at.into(),
            closed_at: row.closed_at.map(Instant::from),
            first_answered_at: row.first_answered_at.map(Instant::from),
            first_answer_seconds: row.first_answer_seconds,
            answered_within_delay: row.answered_within_delay,
        })
    }
}

fn threads(rows: Vec<message_thread::Model>) -> Result<Vec<Thread>, StoreError> {
    rows.into_iter().map(Thread::try_from).collect()
}

fn thread(row: Option<message_thread::Model>) -> Result<Option<Thread>, StoreError> {
    row.map(Thread::try_from).transpose()
}

/// Who wrote a stored message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrittenBy {
    /// The member.
    Member,
    /// A staff member (`None` if the account is gone).
    Staff(Option<Uuid>),
}

/// A message as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    /// Id (UUIDv7: oldest first within a second).
    pub id: Uuid,
    /// Its thread.
    pub thread_id: Uuid,
    /// Who wrote it.
    pub author: WrittenBy,
    /// The text.
    pub body: String,
    /// True for an staff members' internal note.
    pub internal: bool,
    /// When it was written.
    pub created_at: Instant,
}

/// Shows ids and flags; never the text.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("id", &self.id)
            .field("thread_id", &self.thread_id)
            .field("author", &self.author)
            .field("internal", &self.internal)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

impl TryFrom<message::Model> for Message {
    type Error = StoreError;

    fn try_from(row: message::Model) -> Result<Message, StoreError> {
        let author = match row.author_kind.as_str() {
            "member" => WrittenBy::Member,
            "staff" => WrittenBy::Staff(row.author_staff_id),
            _ => return Err(StoreError::corrupt("messages", "author_kind", row.id)),
        };
        Ok(Message {
            id: row.id,
            thread_id: row.thread_id,
            author,
            body: row.body,
            internal: row.internal,
            created_at: row.created_at.into(),
        })
    }
}

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Author {
    /// The member the thread belongs to.
    Member,
    /// A staff member.
    Staff(Uuid),
}

impl Author {
    /// The stored `author_kind`.
    pub fn kind(self) -> &'static str {
        match self {
            Author::Member => "member",
            Author::Staff(_) => "staff",
        }
    }
}

/// A thread to create with its first message.
#[derive(Clone)]
pub struct NewThread {
    /// The human reference, unique.
    pub reference: String,
    /// The member who writes.
    pub member_id: Uuid,
    /// The member's fund.
    pub caisse_code: CaisseCode,
    /// Recipient code (the fund or one of its services).
    pub recipient_code: String,
    /// Objet code from the catalogue.
    pub objet_code: String,
    /// Nature of the request.
    pub nature: Nature,
    /// Subject line.
    pub subject: String,
    /// Initial status.
    pub status: ThreadStatus,
    /// Answer due date.
    pub due_on: Date,
    /// Which team of the fund gets it.
    pub team: TeamRouting,
    /// Body of the first message.
    pub body: String,
}

/// Shows the routing facts; never the subject or the text.
impl fmt::Debug for NewThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewThread")
            .field("reference", &self.reference)
            .field("caisse_code", &self.caisse_code)
            .field("objet_code", &self.objet_code)
            .field("nature", &self.nature)
            .field("team", &self.team)
            .finish_non_exhaustive()
    }
}

/// Returns the form of `text` used by subject search: lower case, French accents and
/// ligatures folded (« Réclamation » and « reclamation » match alike on both databases,
/// whose `LOWER`/`ILIKE` disagree on non-ASCII letters).
pub fn search_key(text: &str) -> String {
    caisse_domain::french::folded(text)
}

/// Returns true if and only if a thread already has this reference.
pub async fn reference_exists<C: ConnectionTrait>(
    db: &C,
    reference: &str,
) -> Result<bool, StoreError> {
    Ok(Entity::find()
        .filter(Column::Reference.eq(reference))
        .count(db)
        .await?
        > 0)
}

/// The ids of a thread just inserted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InsertedThread {
    /// The thread's id.
    pub id: Uuid,
    /// Its first message's id (attachments hang on it).
    pub first_message_id: Uuid,
}

/// Which team of its fund a new thread goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamRouting {
    /// The team that handles its objet in its fund (`team_objets`), none if no team does. The
    /// insert looks it up itself: no extra round trip, and a routing change applies to the
    /// very next thread.
    ByObjet,
    /// This team, or none.
    Fixed(Option<TeamCode>),
}

/// Creates a thread with its first message (see
/// [`crate::new_threads::insert_with_events_and_mails`]).
pub async fn insert_thread<C: ConnectionTrait>(
    db: &C,
    new: NewThread,
    now: Instant,
) -> Result<InsertedThread, StoreError> {
    let row = ThreadRow::new(new, now);
    let inserted = InsertedThread {
        id: row.id,
        first_message_id: row.first_message_id,
    };
    insert_with_events_and_mails(db, &[&row], Vec::new(), Vec::new()).await?;
    Ok(inserted)
}

/// Appends a message to thread `thread_id` of member `member_id`; returns its id. Does not
/// touch the thread: the caller moves its status and version with [`update_if_version`].
pub async fn add_message<C: ConnectionTrait>(
    db: &C,
    (thread_id, member_id): (Uuid, Uuid),
    author: Author,
    body: &str,
    internal: bool,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    message::ActiveModel {
        id: Set(id),
        thread_id: Set(thread_id),
        member_id: Set(member_id),
        author_kind: Set(author.kind().to_owned()),
        author_staff_id: Set(match author {
            Author::Member => None,
            Author::Staff(staff_id) => Some(staff_id),
        }),
        body: Set(body.to_owned()),
        internal: Set(internal),
        created_at: Set(now.get()),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// What a member's list may be narrowed to.
#[derive(Clone, Debug, Default)]
pub struct MemberFilters {
    /// Only this status.
    pub status: Option<ThreadStatus>,
    /// Only this objet code.
    pub objet: Option<String>,
    /// Only subjects containing these words (matched on [`search_key`]).
    pub search: Option<String>,
}

/// One page of rows and how many rows match in all.
#[derive(Clone, Debug)]
pub struct Paged<T> {
    /// The rows of the page.
    pub rows: Vec<T>,
    /// How many rows match the filters.
    pub total: u64,
}

pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

async fn paged<C: ConnectionTrait>(
    db: &C,
    select: Select<Entity>,
    offset: u64,
    limit: u64,
) -> Result<Paged<Thread>, StoreError> {
    let total = select.clone().count(db).await?;
    let rows = threads(select.offset(offset).limit(limit).all(db).await?)?;
    Ok(Paged { rows, total })
}

/// The member's threads matching `filters`, most recently active first, `limit` rows from
/// `offset`. Only ever the member's own threads.
pub async fn member_threads<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    filters: &MemberFilters,
    offset: u64,
    limit: u64,
) -> Result<Paged<Thread>, StoreError> {
    let mut select = Entity::find().filter(Column::MemberId.eq(member_id));
    if let Some(status) = filters.status {
        select = select.filter(Column::Status.eq(status.code()));
    }
    if let Some(objet) = &filters.objet {
        select = select.filter(Column::ObjetCode.eq(objet.as_str()));
    }
    if let Some(search) = filters.search.as_deref().map(str::trim)
        && !search.is_empty()
    {
        let pattern = escape_like(&search_key(search));
        select = select.filter(Column::SubjectSearch.like(LikeExpr::new(pattern).escape('\\')));
    }
    let select = select
        .order_by_desc(Column::UpdatedAt)
        // Instants are whole seconds; ids are UUIDv7, a stable tie-break.
        .order_by_desc(Column::Id);
    paged(db, select, offset, limit).await
}

/// The thread `thread_id` if it belongs to `member_id`; `None` otherwise, whether it does
/// not exist or is another member's.
pub async fn member_thread<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    thread_id: Uuid,
) -> Result<Option<Thread>, StoreError> {
    thread(
        Entity::find_by_id(thread_id)
            .filter(Column::MemberId.eq(member_id))
            .one(db)
            .await?,
    )
}

/// How many of the member's threads hold an answer they have not read (the menu's badge).
pub async fn member_unread_count<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<u64, StoreError> {
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::UnreadByMember.eq(true))
        .count(db)
        .await?)
}

/// The member's most recently active unread thread, if any.
pub async fn member_newest_unread<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::UnreadByMember.eq(true))
        .order_by_desc(Column::UpdatedAt)
        .order_by_desc(Column::Id)
        .into_tuple::<Uuid>()
        .one(db)
        .await?)
}

/// The thread `thread_id` if it belongs to fund `caisse_code`; `None` otherwise.
pub async fn fund_thread<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    thread_id: Uuid,
) -> Result<Option<Thread>, StoreError> {
    thread(
        Entity::find_by_id(thread_id)
            .filter(Column::CaisseCode.eq(caisse_code.as_str()))
            .one(db)
            .await?,
    )
}

/// The other threads of member `member_id` in fund `caisse_code` (not `except`), most
/// recently active first, at most `limit`: the member's history beside a thread.
pub async fn member_threads_in_fund<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    caisse_code: CaisseCode,
    except: Uuid,
    limit: u64,
) -> Result<Vec<Thread>, StoreError> {
    threads(
        Entity::find()
            .filter(Column::MemberId.eq(member_id))
            .filter(Column::CaisseCode.eq(caisse_code.as_str()))
            .filter(Column::Id.ne(except))
            .order_by_desc(Column::UpdatedAt)
            .order_by_desc(Column::Id)
            .limit(limit)
            .all(db)
            .await?,
    )
}

/// The thread with this reference in fund `caisse_code`, if any.
pub async fn fund_thread_by_reference<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    reference: &str,
) -> Result<Option<Thread>, StoreError> {
    thread(
        Entity::find()
            .filter(Column::CaisseCode.eq(caisse_code.as_str()))
            .filter(Column::Reference.eq(reference))
            .one(db)
            .await?,
    )
}

/// The messages of a thread, oldest first; internal notes only if `with_internal`.
pub async fn messages<C: ConnectionTrait>(
    db: &C,
    thread_id: Uuid,
    with_internal: bool,
) -> Result<Vec<Message>, StoreError> {
    let mut select = message::Entity::find().filter(message::Column::ThreadId.eq(thread_id));
    if !with_internal {
        select = select.filter(message::Column::Internal.eq(false));
    }
    select
        .order_by_asc(message::Column::CreatedAt)
        .order_by_asc(message::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Message::try_from)
        .collect()
}

/// Marks the thread read (or unread) by its member. Not versioned: reading overwrites no
/// staff member's work.
pub async fn set_unread_by_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    thread_id: Uuid,
    unread: bool,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::UnreadByMember, Expr::value(unread))
        .filter(Column::Id.eq(thread_id))
        .filter(Column::MemberId.eq(member_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Who a queue shows threads of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assignment {
    /// Threads assigned to this staff member.
    To(Uuid),
    /// Threads nobody has taken.
    Unassigned,
}

/// What a fund's queue may be narrowed to.
#[derive(Clone, Debug, Default)]
pub struct QueueFilters {
    /// Only these statuses (all when empty).
    pub statuses: Vec<ThreadStatus>,
    /// Only this objet code.
    pub objet: Option<String>,
    /// Only this nature.
    pub nature: Option<Nature>,
    /// Only open threads (not « Traité ») due strictly before this date.
    pub overdue_on: Option<Date>,
    /// Only threads of one staff member, or unassigned ones.
    pub assignment: Option<Assignment>,
    /// Only threads of this team (`Some(None)`: those no team handles).
    pub team: Option<Option<TeamCode>>,
    /// Only threads created at or after this instant (the dashboard's « reçus »).
    pub received_since: Option<Instant>,
    /// Only threads first answered at or after this instant (its « premières réponses »).
    pub answered_since: Option<Instant>,
    /// Only threads whose first answer came by the due date (`true`) or after it (`false`).
    pub answered_within_delay: Option<bool>,
}

/// The threads of fund `caisse_code` matching `filters`, earliest due first, `limit` rows
/// from `offset`.
pub async fn fund_queue<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    filters: &QueueFilters,
    offset: u64,
    limit: u64,
) -> Result<Paged<Thread>, StoreError> {
    let mut select = Entity::find().filter(Column::CaisseCode.eq(caisse_code.as_str()));
    if !filters.statuses.is_empty() {
        select = select.filter(Column::Status.is_in(filters.statuses.iter().map(|s| s.code())));
    }
    if let Some(objet) = &filters.objet {
        select = select.filter(Column::ObjetCode.eq(objet.as_str()));
    }
    if let Some(nature) = filters.nature {
        select = select.filter(Column::NatureCode.eq(nature.code()));
    }
    if let Some(date) = filters.overdue_on {
        select = select
            .filter(Column::DueOn.lt(date))
            .filter(Column::Status.ne(ThreadStatus::Traite.code()));
    }
    match filters.assignment {
        Some(Assignment::To(staff_id)) => {
            select = select.filter(Column::AssignedStaffId.eq(staff_id));
        }
        Some(Assignment::Unassigned) => {
            select = select.filter(Column::AssignedStaffId.is_null());
        }
        None => {}
    }
    match &filters.team {
        Some(Some(team)) => select = select.filter(Column::Team.eq(team.as_str())),
        Some(None) => select = select.filter(Column::Team.is_null()),
        None => {}
    }
    if let Some(since) = filters.received_since {
        select = select.filter(Column::CreatedAt.gte(since.get()));
    }
    if let Some(since) = filters.answered_since {
        select = select.filter(Column::FirstAnsweredAt.gte(since.get()));
    }
    if let Some(within) = filters.answered_within_delay {
        select = select.filter(Column::AnsweredWithinDelay.eq(within));
    }
    let select = select.order_by_asc(Column::DueOn).order_by_asc(Column::Id);
    paged(db, select, offset, limit).await
}

/// The open thread of fund `caisse_code` that follows `after` (its due date and id) in the
/// queue's order (earliest due first, then id), among those nobody but `staff_id` has taken;
/// the first such thread other than `after` when none follows (the queue starts over).
/// `ix_message_threads_queue` holds the fund, the status and the due date.
pub async fn next_in_queue<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    staff_id: Uuid,
    after: (Date, Uuid),
) -> Result<Option<Uuid>, StoreError> {
    let (due_on, id) = after;
    let open = ThreadStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(|s| s.code());
    let base = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(Column::Status.is_in(open))
        .filter(
            Condition::any()
                .add(Column::AssignedStaffId.is_null())
                .add(Column::AssignedStaffId.eq(staff_id)),
        )
        .filter(Column::Id.ne(id))
        .order_by_asc(Column::DueOn)
        .order_by_asc(Column::Id);
    let following = base
        .clone()
        .filter(
            Condition::any().add(Column::DueOn.gt(due_on)).add(
                Condition::all()
                    .add(Column::DueOn.eq(due_on))
                    .add(Column::Id.gt(id)),
            ),
        )
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    match following {
        Some(next) => Ok(Some(next)),
        None => Ok(base.into_tuple::<Uuid>().one(db).await?),
    }
}

/// A change to a thread; `None` fields stay as they are.
#[derive(Clone, Debug, Default)]
pub struct ThreadChange {
    /// New status.
    pub status: Option<ThreadStatus>,
    /// New assignee (`Some(None)` unassigns).
    pub assigned_staff_id: Option<Option<Uuid>>,
    /// New due date.
    pub due_on: Option<Date>,
    /// New unread flag for the member.
    pub unread_by_member: Option<bool>,
    /// New closing instant (`Some(None)` reopens).
    pub closed_at: Option<Option<Instant>>,
    /// New team (`Some(None)`: no team, the fund's reception).
    pub team: Option<Option<TeamCode>>,
    /// New fund: the thread leaves its fund's queue for this one's.
    pub caisse_code: Option<CaisseCode>,
    /// New outcome of a réclamation.
    pub outcome: Option<Outcome>,
    /// New nature: an advisor classifies a « Je ne sais pas », or corrects the member's.
    pub nature: Option<Nature>,
}

/// Applies `change` to thread `thread_id` if and only if its version is still
/// `expected_version`, bumping the version and `updated_at`; returns whether it applied.
/// `false` means someone changed the thread meanwhile (or it does not exist): nothing was
/// written, and the caller shows the current state instead of overwriting it.
pub async fn update_if_version<C: ConnectionTrait>(
    db: &C,
    thread_id: Uuid,
    expected_version: i32,
    change: ThreadChange,
    now: Instant,
) -> Result<bool, StoreError> {
    let mut update = Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now.get()));
    if let Some(status) = change.status {
        update = update.col_expr(Column::Status, Expr::value(status.code()));
    }
    if let Some(assigned) = change.assigned_staff_id {
        update = update.col_expr(Column::AssignedStaffId, Expr::value(assigned));
    }
    if let Some(due_on) = change.due_on {
        update = update.col_expr(Column::DueOn, Expr::value(due_on));
    }
    if let Some(unread) = change.unread_by_member {
        update = update.col_expr(Column::UnreadByMember, Expr::value(unread));
    }
    if let Some(closed_at) = change.closed_at {
        update = update.col_expr(Column::ClosedAt, Expr::value(closed_at.map(Instant::get)));
    }
    if let Some(team) = change.team {
        update = update.col_expr(
            Column::Team,
            Expr::value(team.map(|code| code.as_str().to_owned())),
        );
    }
    if let Some(caisse_code) = change.caisse_code {
        update = update.col_expr(Column::CaisseCode, Expr::value(caisse_code.as_str()));
    }
    if let Some(outcome) = change.outcome {
        update = update.col_expr(Column::Outcome, Expr::value(outcome.code()));
    }
    if let Some(nature) = change.nature {
        update = update.col_expr(Column::NatureCode, Expr::value(nature.code()));
    }
    let result = update
        .filter(
            Condition::all()
                .add(Column::Id.eq(thread_id))
                .add(Column::Version.eq(expected_version)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// One staff view of a thread: the viewer's role code and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffView {
    /// The viewer's id.
    pub staff_id: Uuid,
    /// The viewer's role code (`""` if the account no longer exists).
    pub role: String,
    /// When they opened the thread.
    pub at: Instant,
}

/// The audited staff views of a subject (`action` events about it), newest first, at most
/// `limit`, with each viewer's role.
pub async fn staff_views<C: ConnectionTrait>(
    db: &C,
    subject_kind: &str,
    subject_id: Uuid,
    action: AuditAction,
    limit: u64,
) -> Result<Vec<StaffView>, StoreError> {
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::SubjectKind.eq(subject_kind))
        .filter(audit_event::Column::SubjectId.eq(subject_id))
        .filter(audit_event::Column::Action.eq(action.code()))
        .filter(audit_event::Column::ActorKind.eq("staff"))
        .order_by_desc(audit_event::Column::At)
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut ids: Vec<Uuid> = events.iter().filter_map(|e| e.actor_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let roles: Vec<(Uuid, String)> = staff::Entity::find()
        .select_only()
        .column(staff::Column::Id)
        .column(staff::Column::Role)
        .filter(staff::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(events
        .into_iter()
        .filter_map(|event| {
            let staff_id = event.actor_id?;
            let role = roles
                .iter()
                .find(|(id, _)| *id == staff_id)
                .map(|(_, role)| role.clone())
                .unwrap_or_default();
            Some(StaffView {
                staff_id,
                role,
                at: event.at.into(),
            })
        })
        .collect())
}
