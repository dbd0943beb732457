//! Queries on login throttles.
//!
//! Recording a failure is a read-modify-write that must not lose a concurrent failure. The
//! caller runs [`lock_row`] inside a transaction: it first writes (an insert that does nothing
//! when the row exists), which on SQLite takes the database's write lock before the read — so
//! the read is never stale — and on PostgreSQL then reads with `FOR UPDATE`.

use caisse_domain::{Instant, ThrottleState};
use sea_orm::sea_query::{ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::StoreError;
use crate::entities::login_throttle::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

fn to_state(row: &Model) -> ThrottleState {
    ThrottleState {
        consecutive_failures: u32::try_from(row.consecutive_failures).unwrap_or(0),
        lock_count: u32::try_from(row.lock_count).unwrap_or(0),
        locked_until: row.locked_until.map(instant),
        last_locked_at: row.last_locked_at.map(instant),
    }
}

/// The state of a key (the default state when nothing is recorded).
pub async fn get<C: ConnectionTrait>(db: &C, key: &str) -> Result<ThrottleState, StoreError> {
    Ok(Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .as_ref()
        .map(to_state)
        .unwrap_or_default())
}

/// Creates the row if needed and reads it for update. Call inside a transaction.
pub async fn lock_row<C: ConnectionTrait>(
    db: &C,
    key: &str,
    now: Instant,
) -> Result<ThrottleState, StoreError> {
    Entity::insert(ActiveModel {
        key: Set(key.to_owned()),
        consecutive_failures: Set(0),
        lock_count: Set(0),
        locked_until: Set(None),
        last_locked_at: Set(None),
        updated_at: Set(now.get()),
    })
    .on_conflict(OnConflict::column(Column::Key).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    let row = Entity::find()
        .filter(Column::Key.eq(key))
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(StoreError::NotFound("login throttle"))?;
    Ok(to_state(&row))
}

/// Stores a state (the row must exist: see [`lock_row`]).
pub async fn save<C: ConnectionTrait>(
    db: &C,
    key: &str,
    state: &ThrottleState,
    now: Instant,
) -> Result<(), StoreError> {
    ActiveModel {
        key: Set(key.to_owned()),
        consecutive_failures: Set(i32::try_from(state.consecutive_failures).unwrap_or(i32::MAX)),
        lock_count: Set(i32::try_from(state.lock_count).unwrap_or(i32::MAX)),
        locked_until: Set(state.locked_until.map(Instant::get)),
        last_locked_at: Set(state.last_locked_at.map(Instant::get)),
        updated_at: Set(now.get()),
    }
    .update(db)
    .await?;
    Ok(())
}

/// Forgets a key entirely (after a password reset or a staff member's unlock).
pub async fn delete<C: ConnectionTrait>(db: &C, key: &str) -> Result<(), StoreError> {
    Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}

/// Deletes rows untouched since `cutoff` that hold no running lock; returns how many. Keeps
/// the table small although anyone can type any identifier.
pub async fn purge_idle<C: ConnectionTrait>(db: &C, cutoff: Instant) -> Result<u64, StoreError> {
    let cutoff = cutoff.get();
    let result = Entity::delete_many()
        .filter(Column::UpdatedAt.lt(cutoff))
        .filter(
            Column::LockedUntil
                .is_null()
                .or(Column::LockedUntil.lt(cutoff)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
