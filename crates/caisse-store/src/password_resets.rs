//! Queries on password-reset links. Tokens arrive here already hashed.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::password_reset::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// Stores a new reset link.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    token_hash: String,
    member_id: Uuid,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    ActiveModel {
        token_hash: Set(token_hash),
        member_id: Set(member_id),
        created_at: Set(normalize_instant(now)),
        expires_at: Set(normalize_instant(expires_at)),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The link with this token hash, whatever its state (the caller tells expired from used).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find_by_id(token_hash.to_owned()).one(db).await?)
}

/// Marks the link used if it is still unused and unexpired; returns whether it was.
///
/// One conditional `UPDATE`: of two concurrent submissions of the same link, exactly one
/// sees `true`, on both databases.
pub async fn consume<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let now = normalize_instant(now);
    let result = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(Some(now)))
        .filter(Column::TokenHash.eq(token_hash))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks every unused link of a member as used (a newer link or a completed reset replaces
/// them); returns how many.
pub async fn invalidate_unused<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// How many links were issued to a member since `since` (used or not).
pub async fn count_issued_since<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    since: OffsetDateTime,
) -> Result<u64, StoreError> {
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::CreatedAt.gte(normalize_instant(since)))
        .count(db)
        .await?)
}

/// Deletes links that expired before `cutoff`; returns how many.
pub async fn delete_expired_before<C: ConnectionTrait>(
    db: &C,
    cutoff: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::delete_many()
        .filter(Column::ExpiresAt.lt(normalize_instant(cutoff)))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
