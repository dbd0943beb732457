//! Queries on member quotas.
//!
//! The sends of the day are counted by one upsert that returns the new count
//! ([`add_sends`]): atomic by itself, it lets many members' sends be counted in one statement.
//!
//! The drafts quota is a read-check-write that two concurrent requests must not both pass on
//! the last slot. The caller runs [`lock_row`] first inside a transaction, like the login throttles:
//! an insert that does nothing when the row exists takes SQLite's write lock before any read,
//! and PostgreSQL then reads the row `FOR UPDATE`; a second request of the same member waits
//! there until the first commits, then sees what it did.

use std::collections::HashMap;

use caisse_domain::Instant;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
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

/// Counts `sends` more messages for each member on `today` (one statement for them all: an
/// upsert that starts the count again on a new day) and returns each member's count of the
/// day, these included. Counted before any check, so two nodes or two requests of the same
/// member adding at once both see the sum; the caller refuses what goes past its limit. The
/// count includes refused attempts (see [`give_back_sends`] for sends that failed).
/// A member must appear once in `sends`.
pub async fn add_sends<C: ConnectionTrait>(
    db: &C,
    sends: &[(Uuid, u32)],
    today: Date,
    now: Instant,
) -> Result<HashMap<Uuid, u32>, StoreError> {
    if sends.is_empty() {
        return Ok(HashMap::new());
    }
    let mut insert = Query::insert();
    insert.into_table(Entity).columns([
        Column::MemberId,
        Column::Day,
        Column::Sends,
        Column::UpdatedAt,
    ]);
    for (member_id, count) in sends {
        insert.values_panic([
            (*member_id).into(),
            today.into(),
            i32::try_from(*count).unwrap_or(i32::MAX).into(),
            now.get().into(),
        ]);
    }
    insert
        .on_conflict(
            OnConflict::column(Column::MemberId)
                .value(
                    Column::Sends,
                    Expr::cust(
                        "CASE WHEN member_quotas.day = excluded.day \
                         THEN member_quotas.sends + excluded.sends ELSE excluded.sends END",
                    ),
                )
                .update_columns([Column::Day, Column::UpdatedAt])
                .to_owned(),
        )
        .returning(Query::returning().columns([Column::MemberId, Column::Sends]));
    let mut totals = HashMap::with_capacity(sends.len());
    for row in db.query_all(&insert).await? {
        let member_id: Uuid = row.try_get("", "member_id")?;
        let total: i32 = row.try_get("", "sends")?;
        let total = u32::try_from(total)
            .map_err(|_| StoreError::corrupt("member_quotas", "sends", member_id))?;
        totals.insert(member_id, total);
    }
    Ok(totals)
}

/// Takes back `count` of the member's sends of `today` (sends that [`add_sends`] counted and
/// that failed afterwards), never below zero; nothing when the day has turned since.
pub async fn give_back_sends<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    count: u32,
    today: Date,
    now: Instant,
) -> Result<(), StoreError> {
    let count = i32::try_from(count).unwrap_or(i32::MAX);
    Entity::update_many()
        .col_expr(
            Column::Sends,
            // An integer of ours, not user input.
            Expr::cust(format!(
                "CASE WHEN sends > {count} THEN sends - {count} ELSE 0 END"
            )),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now.get()))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::Day.eq(today))
        .exec(db)
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
