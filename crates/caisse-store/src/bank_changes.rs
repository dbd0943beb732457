//! Queries on requested bank-detail changes.

use caisse_domain::{BankChangeStatus, Iban, Instant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::bank_change::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// A requested change. `Debug` never shows the IBAN.
#[derive(Clone, PartialEq, Eq)]
pub struct BankChange {
    /// Id.
    pub id: Uuid,
    /// Whose bank details.
    pub member_id: Uuid,
    /// The new bank details.
    pub iban: Iban,
    /// Asked at.
    pub requested_at: Instant,
    /// Applies at, unless cancelled.
    pub effective_at: Instant,
    /// Where it stands.
    pub status: BankChangeStatus,
    /// Applied or cancelled at.
    pub decided_at: Option<Instant>,
}

impl std::fmt::Debug for BankChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BankChange")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("requested_at", &self.requested_at)
            .field("effective_at", &self.effective_at)
            .field("status", &self.status)
            .field("decided_at", &self.decided_at)
            .finish_non_exhaustive()
    }
}

fn change(row: Model) -> Result<BankChange, StoreError> {
    let id = row.id;
    Ok(BankChange {
        iban: Iban::parse(&row.iban)
            .map_err(|_| StoreError::corrupt("bank_changes", "iban", id))?,
        status: BankChangeStatus::from_code(&row.status)
            .ok_or_else(|| StoreError::corrupt("bank_changes", "status", id))?,
        id,
        member_id: row.member_id,
        requested_at: instant(row.requested_at),
        effective_at: instant(row.effective_at),
        decided_at: row.decided_at.map(instant),
    })
}

/// Records a pending change; returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    iban: &Iban,
    effective_at: Instant,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        iban: Set(iban.as_str().to_owned()),
        requested_at: Set(now.get()),
        effective_at: Set(effective_at.get()),
        status: Set(BankChangeStatus::Pending.code().to_owned()),
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
) -> Result<Option<BankChange>, StoreError> {
    Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::Status.eq(BankChangeStatus::Pending.code()))
        .order_by_desc(Column::Id)
        .one(db)
        .await?
        .map(change)
        .transpose()
}

/// Cancels every pending change of a member; returns how many.
pub async fn cancel_pending<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: Instant,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(
            Column::Status,
            Expr::value(BankChangeStatus::Cancelled.code()),
        )
        .col_expr(Column::DecidedAt, Expr::value(Some(now.get())))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::Status.eq(BankChangeStatus::Pending.code()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Pending changes whose cool-off has ended, oldest first.
pub async fn due<C: ConnectionTrait>(
    db: &C,
    now: Instant,
    limit: u64,
) -> Result<Vec<BankChange>, StoreError> {
    Entity::find()
        .filter(Column::Status.eq(BankChangeStatus::Pending.code()))
        .filter(Column::EffectiveAt.lte(now.get()))
        .order_by_asc(Column::EffectiveAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(change)
        .collect()
}

/// Marks a change applied if it is still pending; returns whether it was (a cancellation
/// that came first wins).
pub async fn mark_applied<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: Instant,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(
            Column::Status,
            Expr::value(BankChangeStatus::Applied.code()),
        )
        .col_expr(Column::DecidedAt, Expr::value(Some(now.get())))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(BankChangeStatus::Pending.code()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
