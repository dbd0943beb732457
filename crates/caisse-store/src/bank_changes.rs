//! Queries on requested bank-detail changes.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::bank_change::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// Stored states.
pub mod status {
    /// Waiting for the end of its cool-off period.
    pub const PENDING: &str = "pending";
    /// In force.
    pub const APPLIED: &str = "applied";
    /// Withdrawn by the member, or cancelled by a freeze.
    pub const CANCELLED: &str = "cancelled";
}

/// Records a pending change; returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    iban: String,
    effective_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        iban: Set(iban),
        requested_at: Set(normalize_instant(now)),
        effective_at: Set(normalize_instant(effective_at)),
        status: Set(status::PENDING.to_owned()),
        decided_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The member's pending change, if any.
pub async fn pending_of<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::Status.eq(status::PENDING))
        .order_by_desc(Column::Id)
        .one(db)
        .await?)
}

/// Cancels every pending change of a member; returns how many.
pub async fn cancel_pending<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status::CANCELLED))
        .col_expr(Column::DecidedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::Status.eq(status::PENDING))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Pending changes whose cool-off has ended, oldest first.
pub async fn due<C: ConnectionTrait>(
    db: &C,
    now: OffsetDateTime,
    limit: u64,
) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::Status.eq(status::PENDING))
        .filter(Column::EffectiveAt.lte(normalize_instant(now)))
        .order_by_asc(Column::EffectiveAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// Marks a change applied if it is still pending; returns whether it was (a cancellation
/// that came first wins).
pub async fn mark_applied<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status::APPLIED))
        .col_expr(Column::DecidedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(status::PENDING))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
