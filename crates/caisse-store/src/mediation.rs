//! Queries on `mediation_referrals`: a member's referral of a réclamation to the fund's
//! médiateur.
//!
//! The member reaches a referral only through their own thread (`member_id` is checked),
//! and supervisors only their fund's (`caisse_code` is checked): any other row is simply
//! not found. Changes go through [`update_if_version`], one conditional `UPDATE`, like
//! threads.

use std::fmt;

use caisse_domain::messaging::{ReferralReason, ReferralStatus};
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::mediation_referral::{self, Column, Entity, Model};
use crate::messaging::Paged;

/// A referral to create.
#[derive(Clone)]
pub struct NewReferral {
    /// The reference shown to the member (unique).
    pub reference: String,
    /// The réclamation referred.
    pub thread_id: Uuid,
    /// Its member.
    pub member_id: Uuid,
    /// Its fund.
    pub caisse_code: CaisseCode,
    /// Why the member may refer it.
    pub reason: ReferralReason,
    /// What the member wrote to the médiateur.
    pub member_text: String,
    /// Initial status.
    pub status: ReferralStatus,
}

/// Shows the reference and codes; never the member's text.
impl fmt::Debug for NewReferral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewReferral")
            .field("reference", &self.reference)
            .field("thread_id", &self.thread_id)
            .field("reason", &self.reason)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A referral as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Referral {
    /// Id.
    pub id: Uuid,
    /// The reference given to the member.
    pub reference: String,
    /// The réclamation referred.
    pub thread_id: Uuid,
    /// Its member.
    pub member_id: Uuid,
    /// Its fund.
    pub caisse_code: CaisseCode,
    /// Why the member could refer.
    pub reason: ReferralReason,
    /// What the member wrote to the médiateur.
    pub member_text: String,
    /// Where it stands.
    pub status: ReferralStatus,
    /// The supervisor handling it.
    pub assigned_staff_id: Option<Uuid>,
    /// The médiateur's answer, once given.
    pub answer: Option<String>,
    /// When it was given.
    pub answered_at: Option<Instant>,
    /// Grows on every change a supervisor could overwrite.
    pub version: i32,
    /// When the member referred.
    pub created_at: Instant,
    /// When it was closed.
    pub closed_at: Option<Instant>,
}

/// Shows ids and states; never the member's text or the answer.
impl fmt::Debug for Referral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Referral")
            .field("id", &self.id)
            .field("reference", &self.reference)
            .field("thread_id", &self.thread_id)
            .field("reason", &self.reason)
            .field("status", &self.status)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl TryFrom<Model> for Referral {
    type Error = StoreError;

    fn try_from(row: Model) -> Result<Referral, StoreError> {
        let id = row.id;
        let corrupt = |column| StoreError::corrupt("mediation_referrals", column, id);
        Ok(Referral {
            caisse_code: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
            reason: ReferralReason::from_code(&row.reason).ok_or_else(|| corrupt("reason"))?,
            status: ReferralStatus::from_code(&row.status).ok_or_else(|| corrupt("status"))?,
            id,
            reference: row.reference,
            thread_id: row.thread_id,
            member_id: row.member_id,
            member_text: row.member_text,
            assigned_staff_id: row.assigned_staff_id,
            answer: row.answer,
            answered_at: row.answered_at.map(Instant::from),
            version: row.version,
            created_at: row.created_at.into(),
            closed_at: row.closed_at.map(Instant::from),
        })
    }
}

/// Inserts a referral; returns its id. The unique index on `thread_id` refuses a second
/// referral of the same thread (a database error the caller reads as « already referred »).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewReferral,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let now = now.get();
    let id = Uuid::now_v7();
    mediation_referral::ActiveModel {
        id: Set(id),
        reference: Set(new.reference),
        thread_id: Set(new.thread_id),
        member_id: Set(new.member_id),
        caisse_code: Set(new.caisse_code.as_str().to_owned()),
        reason: Set(new.reason.code().to_owned()),
        member_text: Set(new.member_text),
        status: Set(new.status.code().to_owned()),
        assigned_staff_id: Set(None),
        answer: Set(None),
        answered_at: Set(None),
        answered_staff_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        closed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The referral of thread `thread_id` if the thread is `member_id`'s.
pub async fn for_member_thread<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    thread_id: Uuid,
) -> Result<Option<Referral>, StoreError> {
    Entity::find()
        .filter(Column::ThreadId.eq(thread_id))
        .filter(Column::MemberId.eq(member_id))
        .one(db)
        .await?
        .map(Referral::try_from)
        .transpose()
}

/// The referral `id` if it belongs to fund `caisse_code`; `None` otherwise.
pub async fn fund_referral<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    id: Uuid,
) -> Result<Option<Referral>, StoreError> {
    Entity::find_by_id(id)
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .one(db)
        .await?
        .map(Referral::try_from)
        .transpose()
}

/// The referrals of fund `caisse_code` whose status is one of `statuses` (all when empty),
/// oldest first, `limit` rows from `offset`.
pub async fn fund_queue<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    statuses: &[ReferralStatus],
    offset: u64,
    limit: u64,
) -> Result<Paged<Referral>, StoreError> {
    let mut select = Entity::find().filter(Column::CaisseCode.eq(caisse_code.as_str()));
    if !statuses.is_empty() {
        select = select.filter(Column::Status.is_in(statuses.iter().map(|s| s.code())));
    }
    let select = select
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id);
    let total = select.clone().count(db).await?;
    let rows = select
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Referral::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Paged { rows, total })
}

/// A change to a referral; `None` fields stay as they are.
#[derive(Clone, Default)]
pub struct ReferralChange {
    /// New status.
    pub status: Option<ReferralStatus>,
    /// New assignee.
    pub assigned_staff_id: Option<Uuid>,
    /// The médiateur's answer: its text and who wrote it.
    pub answer: Option<(String, Uuid)>,
    /// The closing instant.
    pub closed: bool,
}

/// Shows the status and who acts; never the answer.
impl fmt::Debug for ReferralChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReferralChange")
            .field("status", &self.status)
            .field("assigned_staff_id", &self.assigned_staff_id)
            .field("answered", &self.answer.is_some())
            .field("closed", &self.closed)
            .finish()
    }
}

/// Applies `change` to referral `id` if and only if its version is still
/// `expected_version`, bumping the version and `updated_at`; returns whether it applied.
pub async fn update_if_version<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    expected_version: i32,
    change: ReferralChange,
    now: Instant,
) -> Result<bool, StoreError> {
    let now = now.get();
    let mut update = Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now));
    if let Some(status) = change.status {
        update = update.col_expr(Column::Status, Expr::value(status.code()));
    }
    if let Some(staff_id) = change.assigned_staff_id {
        update = update.col_expr(Column::AssignedStaffId, Expr::value(staff_id));
    }
    if let Some((answer, staff_id)) = change.answer {
        update = update
            .col_expr(Column::Answer, Expr::value(answer))
            .col_expr(Column::AnsweredAt, Expr::value(now))
            .col_expr(Column::AnsweredStaffId, Expr::value(staff_id));
    }
    if change.closed {
        update = update.col_expr(Column::ClosedAt, Expr::value(now));
    }
    let result = update
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
