//! Rate-limit counters shared by every node: hits per key and fixed window, added to in one
//! upsert that returns the new totals, so two nodes adding at once both see the sum.

use std::collections::HashMap;

use caisse_domain::Instant;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::StoreError;
use crate::entities::rate_counter::{Column, Entity};

/// Hits to add to one key's window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hits {
    /// The limit's key (its name and the client's address, say).
    pub key: String,
    /// The window's start, in seconds since the epoch.
    pub window_start: i64,
    /// How many hits to add.
    pub hits: i64,
}

/// Adds every `Hits` (one statement) and returns each key's total in its window, counting
/// every node's hits. Rows live until `expires_at`.
pub async fn add<C: ConnectionTrait>(
    db: &C,
    hits: &[Hits],
    expires_at: Instant,
) -> Result<HashMap<(String, i64), i64>, StoreError> {
    if hits.is_empty() {
        return Ok(HashMap::new());
    }
    let mut insert = Query::insert();
    insert.into_table(Entity).columns([
        Column::Key,
        Column::WindowStart,
        Column::Hits,
        Column::ExpiresAt,
    ]);
    for hit in hits {
        insert.values_panic([
            hit.key.clone().into(),
            hit.window_start.into(),
            hit.hits.into(),
            expires_at.get().into(),
        ]);
    }
    insert
        .on_conflict(
            OnConflict::columns([Column::Key, Column::WindowStart])
                .value(
                    Column::Hits,
                    Expr::cust("rate_counters.hits + excluded.hits"),
                )
                .to_owned(),
        )
        .returning(Query::returning().columns([Column::Key, Column::WindowStart, Column::Hits]));
    let mut totals = HashMap::with_capacity(hits.len());
    for row in db.query_all(&insert).await? {
        let key: String = row.try_get("", "key")?;
        let window_start: i64 = row.try_get("", "window_start")?;
        let total: i64 = row.try_get("", "hits")?;
        totals.insert((key, window_start), total);
    }
    Ok(totals)
}

/// Deletes the windows that ended before `now`; returns how many.
pub async fn purge<C: ConnectionTrait>(db: &C, now: Instant) -> Result<u64, StoreError> {
    let result = Entity::delete_many()
        .filter(Column::ExpiresAt.lt(now.get()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
