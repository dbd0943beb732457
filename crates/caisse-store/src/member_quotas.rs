//! Queries on member quotas.
//!
//! A quota is a read-check-write that two concurrent requests must not both pass on the last
//! slot. The caller runs [`lock_row`] first inside a transaction, like the login throttles:
//! an insert that does nothing when the row exists takes SQLite's write lock before any read,
//! and PostgreSQL then reads the row `FOR UPDATE`; a second request of the same member waits
//! there until the first commits, then sees what it did.

use caisse_domain::Instant;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use time::Date;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::attachment_draft;
use crate::entities::member_quota::{ActiveModel, Column, Entity};

/// A member's quota row: the day its count is about, and the sends counted that day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendsOfDay {
    /// The day `sends` counts (the date in metropolitan France).
    pub day: Date,
    /// Messages sent that day.
    pub sends: u32,
}

/// Creates the member's row if needed and reads it for update. Call inside a transaction,
/// before reading what the quota counts.
pub async fn lock_row<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    today: Date,
    now: Instant,
) -> Result<SendsOfDay, StoreError> {
    Entity::insert(ActiveModel {
        member_id: Set(member_id),
        day: Set(today),
        sends: Set(0),
        updated_at: Set(now.get()),
    })
    .on_conflict(OnConflict::column(Column::MemberId).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(StoreError::NotFound("member quota"))
        .and_then(|row| {
            Ok(SendsOfDay {
                day: row.day,
                sends: u32::try_from(row.sends)
                    .map_err(|_| StoreError::corrupt("member_quotas", "sends", member_id))?,
            })
        })
}

/// Records that the member has sent `sends` messages on `day`. Call after [`lock_row`].
pub async fn set_sends<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    day: Date,
    sends: u32,
    now: Instant,
) -> Result<(), StoreError> {
    ActiveModel {
        member_id: Set(member_id),
        day: Set(day),
        sends: Set(i32::try_from(sends).unwrap_or(i32::MAX)),
        updated_at: Set(now.get()),
    }
    .update(db)
    .await?;
    Ok(())
}

/// How many drafts the member keeps that are still valid at `now`, and their bytes.
pub async fn draft_usage<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: Instant,
) -> Result<(u64, u64), StoreError> {
    let sizes: Vec<i64> = attachment_draft::Entity::find()
        .select_only()
        .column(attachment_draft::Column::SizeBytes)
        .filter(attachment_draft::Column::MemberId.eq(member_id))
        .filter(attachment_draft::Column::ExpiresAt.gt(now.get()))
        .into_tuple()
        .all(db)
        .await?;
    let bytes = sizes
        .iter()
        .map(|size| u64::try_from(*size).unwrap_or(0))
        .sum();
    Ok((sizes.len() as u64, bytes))
}
