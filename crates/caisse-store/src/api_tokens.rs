//! Queries on API tokens. Tokens arrive here already hashed.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::api_token::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// Stores a token.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    token_hash: String,
    member_id: Uuid,
    label: &str,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let now = normalize_instant(now);
    ActiveModel {
        token_hash: Set(token_hash),
        member_id: Set(member_id),
        label: Set(label.chars().take(256).collect()),
        created_at: Set(now),
        last_used_at: Set(now),
        expires_at: Set(normalize_instant(expires_at)),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The live token with this hash: not revoked, not expired.
pub async fn find_live<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<Model>, StoreError> {
    Ok(live(token_hash, now).one(db).await?)
}

fn live(token_hash: &str, now: OffsetDateTime) -> Select<Entity> {
    Entity::find_by_id(token_hash.to_owned())
        .filter(Column::RevokedAt.is_null())
        .filter(Column::ExpiresAt.gt(normalize_instant(now)))
}

/// The live token with this hash whose member's account is active (not suspended or closed),
/// read in one statement.
pub async fn find_usable<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<Model>, StoreError> {
    let active_members = crate::members::active_account_ids();
    Ok(live(token_hash, now)
        .filter(Column::MemberId.in_subquery(active_members))
        .one(db)
        .await?)
}

/// Records a use.
pub async fn touch<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::LastUsedAt, Expr::value(normalize_instant(now)))
        .filter(Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes one token.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::TokenHash.eq(token_hash))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every token of a member; returns how many.
pub async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The live tokens of a member, most recently used first.
pub async fn live_of<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: OffsetDateTime,
) -> Result<Vec<Model>, StoreError> {
    use sea_orm::QueryOrder;
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::RevokedAt.is_null())
        .filter(Column::ExpiresAt.gt(normalize_instant(now)))
        .order_by_desc(Column::LastUsedAt)
        .all(db)
        .await?)
}

/// Revokes one token of this member; returns whether it was live.
pub async fn revoke_owned<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::TokenHash.eq(token_hash))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
