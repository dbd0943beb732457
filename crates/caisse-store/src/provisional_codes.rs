//! Queries on provisional codes sent by post. Codes arrive as Argon2id hashes.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::code_attempts::{self, CodeColumns};
use crate::entities::provisional_code::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// Stores a new code, replacing the member's earlier unused codes (only the latest letter
/// works).
pub async fn replace<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    code_hash: String,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let now = normalize_instant(now);
    Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(Some(now)))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await?;
    ActiveModel {
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        code_hash: Set(code_hash),
        attempts: Set(0),
        created_at: Set(now),
        expires_at: Set(normalize_instant(expires_at)),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The member's live code: unused and unexpired.
pub async fn live<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: OffsetDateTime,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(normalize_instant(now)))
        .order_by_desc(Column::Id)
        .one(db)
        .await?)
}

/// Counts an attempt on a code *before* it is checked: one conditional update that succeeds
/// only while the code is unused, unexpired and under `max_attempts`. Returns the attempts
/// counted so far, this one included, or `None` when no attempt is left: then the code must not
/// be checked. Atomic on both databases, so parallel guesses never exceed the limit.
pub async fn reserve_attempt<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    max_attempts: i32,
    now: OffsetDateTime,
) -> Result<Option<i32>, StoreError> {
    let columns = CodeColumns {
        id: Column::Id,
        attempts: Column::Attempts,
        used_at: Column::UsedAt,
        expires_at: Column::ExpiresAt,
    };
    code_attempts::reserve::<Entity, _>(db, columns, id, max_attempts, now, |row| row.attempts)
        .await
}

/// Gives back an attempt counted on a code that turned out right, when what came with it was
/// refused (a new password that breaks the rules): the member may try again with the code.
pub async fn give_back_attempt<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).sub(1))
        .filter(Column::Id.eq(id))
        .filter(Column::Attempts.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a code used; returns false when a concurrent use won.
pub async fn consume<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::Id.eq(id))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many codes were issued to a member since `since`.
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
