//! Queries on the print queue of postal letters. A fund's staff reach only the letters of
//! their fund's members: every query but [`enqueue`] and the housekeeping takes the fund.

use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::member;
use crate::entities::postal_letter::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// Letters to members of fund `caisse_code`.
fn of_fund(caisse_code: &str) -> SimpleExpr {
    Column::MemberId.in_subquery(
        Query::select()
            .column(member::Column::Id)
            .from(member::Entity)
            .and_where(member::Column::CaisseCode.eq(caisse_code))
            .to_owned(),
    )
}

/// Queues a letter; returns its id.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    kind: &str,
    payload: String,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        kind: Set(kind.to_owned()),
        payload: Set(Some(payload)),
        created_at: Set(normalize_instant(now)),
        batch_id: Set(None),
        batched_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// How many letters to members of fund `caisse_code` wait for a batch.
pub async fn waiting<C: ConnectionTrait>(db: &C, caisse_code: &str) -> Result<u64, StoreError> {
    Ok(Entity::find()
        .filter(Column::BatchId.is_null())
        .filter(of_fund(caisse_code))
        .count(db)
        .await?)
}

/// Puts up to `limit` waiting letters to members of fund `caisse_code`, oldest first, into
/// batch `batch_id`; returns the letters of the batch. Letters taken by a concurrent batch are
/// skipped, never shared.
pub async fn take_batch<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    batch_id: Uuid,
    limit: u64,
    now: OffsetDateTime,
) -> Result<Vec<Model>, StoreError> {
    let candidates: Vec<Uuid> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::BatchId.is_null())
        .filter(of_fund(caisse_code))
        .order_by_asc(Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    Entity::update_many()
        .col_expr(Column::BatchId, Expr::value(Some(batch_id)))
        .col_expr(Column::BatchedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::Id.is_in(candidates))
        .filter(Column::BatchId.is_null())
        .exec(db)
        .await?;
    batch(db, caisse_code, batch_id).await
}

/// The letters of a batch to members of fund `caisse_code`, in queue order (none for another
/// fund's batch).
pub async fn batch<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    batch_id: Uuid,
) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::BatchId.eq(batch_id))
        .filter(of_fund(caisse_code))
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}

/// One batch in the list of recent batches.
#[derive(Clone, Debug, FromQueryResult)]
pub struct BatchSummary {
    /// Batch id.
    pub batch_id: Uuid,
    /// When it was made.
    pub batched_at: OffsetDateTime,
    /// How many letters.
    pub letters: i64,
}

/// Batches of letters to members of fund `caisse_code` made since `since`, newest first.
pub async fn recent_batches<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
    since: OffsetDateTime,
) -> Result<Vec<BatchSummary>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::BatchId)
        .column_as(Column::BatchedAt.max(), "batched_at")
        .column_as(Column::Id.count(), "letters")
        .filter(Column::BatchId.is_not_null())
        .filter(Column::BatchedAt.gte(normalize_instant(since)))
        .filter(of_fund(caisse_code))
        .group_by(Column::BatchId)
        .order_by_desc(Column::BatchedAt.max())
        .into_model::<BatchSummary>()
        .all(db)
        .await?)
}

/// Erases the content of letters batched before `cutoff` (it holds codes in clear); the
/// rows stay as the record that a letter was sent. Returns how many were erased.
pub async fn erase_printed_before<C: ConnectionTrait>(
    db: &C,
    cutoff: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Payload, Expr::value(Option::<String>::None))
        .filter(Column::BatchedAt.lt(normalize_instant(cutoff)))
        .filter(Column::Payload.is_not_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
