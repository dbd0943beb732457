//! The delay facts of `message_threads` (when and how fast the first answer came) and the
//! supervisor dashboard's figures read from them.
//!
//! Every figure is about one fund and reads one range of an m0009 index: incoming threads
//! from `(caisse_code, created_at)`, first answers from `(caisse_code, first_answered_at)`
//! or `(caisse_code, team, first_answered_at)`, the backlog from `(caisse_code, status)`.
//! The median is portable SQL (no percentile function, which SQLite lacks): count, then read
//! the middle row of the range ordered by delay.

use caisse_domain::messaging::{TeamCode, ThreadStatus};
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::{Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use time::Date;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::message_thread::{Column, Entity};

/// The facts of a thread's first answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FirstAnswer {
    /// When the answer was written.
    pub at: Instant,
    /// Seconds since the thread was created.
    pub seconds: i64,
    /// Whether it came by the due date.
    pub within_delay: bool,
}

/// Records `answer` as the thread's first answer, unless one is already recorded; returns
/// whether it did. Call it in the transaction that writes the answer.
pub async fn record_first_answer<C: ConnectionTrait>(
    db: &C,
    thread_id: Uuid,
    answer: FirstAnswer,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::FirstAnsweredAt, Expr::value(answer.at.get()))
        .col_expr(Column::FirstAnswerSeconds, Expr::value(answer.seconds))
        .col_expr(
            Column::AnsweredWithinDelay,
            Expr::value(answer.within_delay),
        )
        .filter(Column::Id.eq(thread_id))
        .filter(Column::FirstAnsweredAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Threads of one team (`None`: not routed to a team), counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamIncoming {
    /// The team.
    pub team: Option<TeamCode>,
    /// Threads created.
    pub threads: u64,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A grouped team code read back; a code that no longer parses names no row, so the group's
/// key is named instead.
fn team_of(code: Option<String>) -> Result<Option<TeamCode>, StoreError> {
    code.map(|code| {
        TeamCode::parse(&code)
            .map_err(|_| StoreError::corrupt("message_threads", "team", "(a group by team)"))
    })
    .transpose()
}

/// The rows of `select` by team: (team, rows, rows where `counted` holds). The count of
/// matching rows is `SUM(CASE WHEN counted THEN 1 ELSE 0 END)`, read from the same range.
async fn by_team<C: ConnectionTrait>(
    db: &C,
    select: Select<Entity>,
    counted: SimpleExpr,
) -> Result<Vec<(Option<TeamCode>, u64, u64)>, StoreError> {
    let rows: Vec<(Option<String>, i64, Option<i64>)> = select
        .select_only()
        .column(Column::Team)
        .column_as(Expr::col(Column::Id).count(), "rows")
        .column_as(
            SimpleExpr::from(Func::sum(Expr::case(counted, 1).finally(0))),
            "counted",
        )
        .group_by(Column::Team)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(team, rows, counted)| Ok((team_of(team)?, count(rows), count(counted.unwrap_or(0)))))
        .collect()
}

/// The threads of fund `caisse_code` created since `since`, by team.
pub async fn incoming_since<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    since: Instant,
) -> Result<Vec<TeamIncoming>, StoreError> {
    let rows: Vec<(Option<String>, i64)> = Entity::find()
        .select_only()
        .column(Column::Team)
        .column_as(Expr::col(Column::Id).count(), "threads")
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(Column::CreatedAt.gte(since.get()))
        .group_by(Column::Team)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(team, threads)| {
            Ok(TeamIncoming {
                team: team_of(team)?,
                threads: count(threads),
            })
        })
        .collect()
}

/// One team's open threads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamBacklog {
    /// The team.
    pub team: Option<TeamCode>,
    /// Open threads.
    pub open: u64,
    /// Of which due before `today`.
    pub overdue: u64,
}

/// The threads of fund `caisse_code` whose status is one of `open_statuses`, by team, with
/// how many were due before `today`.
pub async fn backlog<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    open_statuses: &[ThreadStatus],
    today: Date,
) -> Result<Vec<TeamBacklog>, StoreError> {
    let select = Entity::find()
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(Column::Status.is_in(open_statuses.iter().map(|s| s.code())));
    Ok(by_team(db, select, Expr::col(Column::DueOn).lt(today))
        .await?
        .into_iter()
        .map(|(team, open, overdue)| TeamBacklog {
            team,
            open,
            overdue,
        })
        .collect())
}

/// One team's first answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamAnswers {
    /// The team.
    pub team: Option<TeamCode>,
    /// First answers given.
    pub answered: u64,
    /// Of which by the due date.
    pub within_delay: u64,
}

/// The first answers fund `caisse_code` gave since `since`, by team.
pub async fn answered_since<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    since: Instant,
) -> Result<Vec<TeamAnswers>, StoreError> {
    let select = Entity::find()
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(Column::FirstAnsweredAt.gte(since.get()));
    Ok(
        by_team(db, select, Expr::col(Column::AnsweredWithinDelay).eq(true))
            .await?
            .into_iter()
            .map(|(team, answered, within_delay)| TeamAnswers {
                team,
                answered,
                within_delay,
            })
            .collect(),
    )
}

/// Whose answers a median is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The whole fund.
    Fund,
    /// One team (`None`: threads not routed to a team).
    Team(Option<&'a TeamCode>),
}

/// The middle delay(s), in seconds, of the `answered` first answers fund `caisse_code` gave
/// since `since` in `scope`: one value when `answered` is odd, the two middle ones when it
/// is even (their mean is the median), none when it is 0. `answered` is the count the caller
/// read with [`answered_since`], so only the middle rows are fetched.
pub async fn middle_first_answer_seconds<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    since: Instant,
    scope: Scope<'_>,
    answered: u64,
) -> Result<Vec<i64>, StoreError> {
    if answered == 0 {
        return Ok(Vec::new());
    }
    let mut select = Entity::find()
        .select_only()
        .column(Column::FirstAnswerSeconds)
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(Column::FirstAnsweredAt.gte(since.get()));
    select = match scope {
        Scope::Fund => select,
        Scope::Team(Some(team)) => select.filter(Column::Team.eq(team.as_str())),
        Scope::Team(None) => select.filter(Column::Team.is_null()),
    };
    let rows: Vec<Option<i64>> = select
        .order_by_asc(Column::FirstAnswerSeconds)
        .offset((answered - 1) / 2)
        .limit(if answered.is_multiple_of(2) { 2 } else { 1 })
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().flatten().collect())
}

/// A fund's open threads now, as the back office's home counts them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenCounts {
    /// Open threads.
    pub open: u64,
    /// Of which due before today.
    pub overdue: u64,
    /// Of which nobody has taken.
    pub unassigned: u64,
    /// Of which assigned to the staff member asking.
    pub mine: u64,
}

/// `COUNT(*)` and the three sums of [`open_counts`] (a sum over no row is NULL).
type OpenCountsRow = (i64, Option<i64>, Option<i64>, Option<i64>);

/// The threads of fund `caisse_code` whose status is one of `open_statuses`, with how many
/// are due before `today`, unassigned, and assigned to `staff_id`: one statement over the
/// `(caisse_code, status)` range the backlog reads.
pub async fn open_counts<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    open_statuses: &[ThreadStatus],
    today: Date,
    staff_id: Uuid,
) -> Result<OpenCounts, StoreError> {
    let sum_of =
        |counted: SimpleExpr| SimpleExpr::from(Func::sum(Expr::case(counted, 1).finally(0)));
    let row: Option<OpenCountsRow> = Entity::find()
        .select_only()
        .column_as(Expr::col(Column::Id).count(), "open")
        .column_as(sum_of(Expr::col(Column::DueOn).lt(today)), "overdue")
        .column_as(
            sum_of(Expr::col(Column::AssignedStaffId).is_null()),
            "unassigned",
        )
        .column_as(
            sum_of(Expr::col(Column::AssignedStaffId).eq(staff_id)),
            "mine",
        )
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(Column::Status.is_in(open_statuses.iter().map(|s| s.code())))
        .into_tuple()
        .one(db)
        .await?;
    Ok(
        row.map_or_else(OpenCounts::default, |(open, overdue, unassigned, mine)| {
            OpenCounts {
                open: count(open),
                overdue: count(overdue.unwrap_or(0)),
                unassigned: count(unassigned.unwrap_or(0)),
                mine: count(mine.unwrap_or(0)),
            }
        }),
    )
}
