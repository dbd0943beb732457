//! Queries on `mediation_referrals`: a member's referral of a réclamation to the fund's
//! médiateur.
//!
//! The member reaches a referral only through their own thread (`member_id` is checked),
//! and supervisors only their fund's (`caisse_code` is checked): any other row is simply
//! not found. Changes go through [`update_if_version`], one conditional `UPDATE`, like
//! threads.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::mediation_referral::{self, Column, Entity, Model};
use crate::messaging::Paged;
use crate::{StoreError, normalize_instant};

/// A referral to create.
#[derive(Clone, Debug)]
pub struct NewReferral {
    /// The reference shown to the member (unique).
    pub reference: String,
    /// The réclamation referred.
    pub thread_id: Uuid,
    /// Its member.
    pub member_id: Uuid,
    /// Its fund.
    pub caisse_code: String,
    /// Reason code.
    pub reason: String,
    /// What the member wrote to the médiateur.
    pub member_text: String,
    /// Initial status code.
    pub status: String,
}

/// Inserts a referral; returns its id. The unique index on `thread_id` refuses a second
/// referral of the same thread (a database error the caller reads as « already referred »).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewReferral,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let now = normalize_instant(now);
    let id = Uuid::now_v7();
    mediation_referral::ActiveModel {
        id: Set(id),
        reference: Set(new.reference),
        thread_id: Set(new.thread_id),
        member_id: Set(new.member_id),
        caisse_code: Set(new.caisse_code),
        reason: Set(new.reason),
        member_text: Set(new.member_text),
        status: Set(new.status),
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
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::ThreadId.eq(thread_id))
        .filter(Column::MemberId.eq(member_id))
        .one(db)
        .await?)
}

/// The referral `id` if it belongs to fund `caisse_code`; `None` otherwise.
pub async fn fund_referral<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    id: Uuid,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find_by_id(id)
        .filter(Column::CaisseCode.eq(caisse_code))
        .one(db)
        .await?)
}

/// The referrals of fund `caisse_code` whose status is one of `statuses` (all when empty),
/// oldest first, `limit` rows from `offset`.
pub async fn fund_queue<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    statuses: &[&str],
    offset: u64,
    limit: u64,
) -> Result<Paged<Model>, StoreError> {
    let mut select = Entity::find().filter(Column::CaisseCode.eq(caisse_code));
    if !statuses.is_empty() {
        select = select.filter(Column::Status.is_in(statuses.iter().copied()));
    }
    let select = select
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id);
    let total = select.clone().count(db).await?;
    let rows = select.offset(offset).limit(limit).all(db).await?;
    Ok(Paged { rows, total })
}

/// A change to a referral; `None` fields stay as they are.
#[derive(Clone, Debug, Default)]
pub struct ReferralChange {
    /// New status code.
    pub status: Option<String>,
    /// New assignee.
    pub assigned_staff_id: Option<Uuid>,
    /// The médiateur's answer: its text and who wrote it.
    pub answer: Option<(String, Uuid)>,
    /// The closing instant.
    pub closed: bool,
}

/// Applies `change` to referral `id` if and only if its version is still
/// `expected_version`, bumping the version and `updated_at`; returns whether it applied.
pub async fn update_if_version<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    expected_version: i32,
    change: ReferralChange,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let now = normalize_instant(now);
    let mut update = Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now));
    if let Some(status) = change.status {
        update = update.col_expr(Column::Status, Expr::value(status));
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
