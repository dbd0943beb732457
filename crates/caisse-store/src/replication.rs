//! What a PostgreSQL primary has written and a streaming replica has replayed, as WAL
//! positions (`pg_lsn` text), for deciding whether the replica is current enough to read from.

use sea_orm::{ConnectionTrait, DbErr, Statement};

use crate::StoreError;

async fn one<C: ConnectionTrait, T: sea_orm::TryGetable>(
    db: &C,
    statement: Statement,
) -> Result<T, StoreError> {
    let row = db
        .query_one_raw(statement)
        .await?
        .ok_or_else(|| DbErr::Custom("no row".to_owned()))?;
    Ok(row.try_get_by_index(0)?)
}

/// The primary's current WAL position.
pub async fn written<C: ConnectionTrait>(primary: &C) -> Result<String, StoreError> {
    one(
        primary,
        Statement::from_string(
            primary.get_database_backend(),
            "SELECT pg_current_wal_lsn()::text",
        ),
    )
    .await
}

/// How far a replica has replayed (a server that is not a replica, such as a promoted one:
/// everything it wrote).
pub async fn replayed<C: ConnectionTrait>(replica: &C) -> Result<String, StoreError> {
    one(
        replica,
        Statement::from_string(
            replica.get_database_backend(),
            "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() \
             ELSE pg_current_wal_lsn() END)::text",
        ),
    )
    .await
}

/// Whether WAL position `position` is at or past `target` (compared by the server).
pub async fn reached<C: ConnectionTrait>(
    db: &C,
    position: &str,
    target: &str,
) -> Result<bool, StoreError> {
    one(
        db,
        Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT $1::pg_lsn >= $2::pg_lsn",
            [position.into(), target.into()],
        ),
    )
    .await
}
