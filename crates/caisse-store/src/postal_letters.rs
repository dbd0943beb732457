//! Queries on the print queue of postal letters. A fund's staff reach only the letters of
//! their fund's members: every query but [`enqueue`] and the housekeeping takes the fund.

use caisse_domain::{CaisseCode, Instant, LetterKind};
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::member;
use crate::entities::postal_letter::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// A letter of the print queue. `Debug` never shows what it says.
#[derive(Clone, PartialEq, Eq)]
pub struct Letter {
    /// Id.
    pub id: Uuid,
    /// Its recipient.
    pub member_id: Uuid,
    /// What it is.
    pub kind: LetterKind,
    /// What it says (JSON), until it is erased after printing.
    pub payload: Option<String>,
    /// Queued at.
    pub created_at: Instant,
    /// Its batch, once batched.
    pub batch_id: Option<Uuid>,
    /// Batched at.
    pub batched_at: Option<Instant>,
}

impl std::fmt::Debug for Letter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Letter")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("kind", &self.kind)
            .field("batch_id", &self.batch_id)
            .finish_non_exhaustive()
    }
}

fn letter(row: Model) -> Result<Letter, StoreError> {
    Ok(Letter {
        kind: LetterKind::from_code(&row.kind)
            .ok_or_else(|| StoreError::corrupt("postal_letters", "kind", row.id))?,
        id: row.id,
        member_id: row.member_id,
        payload: row.payload,
        created_at: instant(row.created_at),
        batch_id: row.batch_id,
        batched_at: row.batched_at.map(instant),
    })
}

/// Letters to members of fund `caisse_code`.
fn of_fund(caisse_code: &CaisseCode) -> SimpleExpr {
    Column::MemberId.in_subquery(
        Query::select()
            .column(member::Column::Id)
            .from(member::Entity)
            .and_where(member::Column::CaisseCode.eq(caisse_code.as_str()))
            .to_owned(),
    )
}

/// Queues a letter; returns its id.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    kind: LetterKind,
    payload: String,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        kind: Set(kind.code().to_owned()),
        payload: Set(Some(payload)),
        created_at: Set(now.get()),
        batch_id: Set(None),
        batched_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// How many letters to members of fund `caisse_code` wait for a batch.
pub async fn waiting<C: ConnectionTrait>(
    db: &C,
    caisse_code: &CaisseCode,
) -> Result<u64, StoreError> {
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
    caisse_code: &CaisseCode,
    batch_id: Uuid,
    limit: u64,
    now: Instant,
) -> Result<Vec<Letter>, StoreError> {
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
        .col_expr(Column::BatchedAt, Expr::value(Some(now.get())))
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
    caisse_code: &CaisseCode,
    batch_id: Uuid,
) -> Result<Vec<Letter>, StoreError> {
    Entity::find()
        .filter(Column::BatchId.eq(batch_id))
        .filter(of_fund(caisse_code))
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(letter)
        .collect()
}

/// One batch in the list of recent batches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchSummary {
    /// Batch id.
    pub batch_id: Uuid,
    /// When it was made.
    pub batched_at: Instant,
    /// How many letters.
    pub letters: u64,
}

#[derive(FromQueryResult)]
struct BatchRow {
    batch_id: Uuid,
    batched_at: OffsetDateTime,
    letters: i64,
}

/// Batches of letters to members of fund `caisse_code` made since `since`, newest first.
pub async fn recent_batches<C: ConnectionTrait>(
    db: &C,
    caisse_code: &CaisseCode,
    since: Instant,
) -> Result<Vec<BatchSummary>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::BatchId)
        .column_as(Column::BatchedAt.max(), "batched_at")
        .column_as(Column::Id.count(), "letters")
        .filter(Column::BatchId.is_not_null())
        .filter(Column::BatchedAt.gte(since.get()))
        .filter(of_fund(caisse_code))
        .group_by(Column::BatchId)
        .order_by_desc(Column::BatchedAt.max())
        .into_model::<BatchRow>()
        .all(db)
        .await?
        .into_iter()
        .map(|row| BatchSummary {
            batch_id: row.batch_id,
            batched_at: instant(row.batched_at),
            letters: u64::try_from(row.letters).unwrap_or(0),
        })
        .collect())
}

/// Erases the content of letters batched before `cutoff` (it holds codes in clear); the
/// rows stay as the record that a letter was sent. Returns how many were erased.
pub async fn erase_printed_before<C: ConnectionTrait>(
    db: &C,
    cutoff: Instant,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Payload, Expr::value(Option::<String>::None))
        .filter(Column::BatchedAt.lt(cutoff.get()))
        .filter(Column::Payload.is_not_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
