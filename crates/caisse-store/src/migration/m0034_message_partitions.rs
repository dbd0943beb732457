//! `messages`, the largest table (500,000 a day nationally), partitioned by month on
//! PostgreSQL (issue 19), by its UUIDv7 id: the id's first 48 bits are the milliseconds it
//! was made at, so a month is a range of ids, and the primary key stays `id`, which
//! `message_attachments` keeps referencing. Rows whose id is not a UUIDv7 of a created month
//! (ids of another kind, imported rows) go to `messages_default`. The table's constraints and
//! indexes, and the foreign keys that point at it, are read from the catalogue and made again
//! under the same names. SQLite is unchanged.

use sea_orm::{DbBackend, Statement};
use sea_orm_migration::prelude::*;

use crate::log_partitions::{self, MonthBound, Partitioned};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0034_message_partitions"
    }
}

const MESSAGES: Partitioned = Partitioned {
    table: "messages",
    bound: MonthBound::Uuid7,
};

/// What makes `messages` what it is, as SQL to run again on a new table of that name.
struct Definition {
    /// `ALTER TABLE messages ADD CONSTRAINT …` for its primary key and foreign keys.
    constraints: Vec<String>,
    /// `CREATE INDEX …` for its other indexes.
    indexes: Vec<String>,
    /// (table, constraint, definition) of the foreign keys that reference it.
    referencing: Vec<(String, String, String)>,
}

async fn strings(
    db: &SchemaManagerConnection<'_>,
    sql: &str,
    columns: &[&str],
) -> Result<Vec<Vec<String>>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?;
    rows.iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| row.try_get::<String>("", c))
                .collect()
        })
        .collect()
}

async fn definition(db: &SchemaManagerConnection<'_>) -> Result<Definition, DbErr> {
    let constraints = strings(
        db,
        "SELECT conname::text AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint \
         WHERE conrelid = 'messages'::regclass ORDER BY contype DESC, conname",
        &["name", "def"],
    )
    .await?
    .into_iter()
    .map(|r| format!("ALTER TABLE messages ADD CONSTRAINT {} {}", r[0], r[1]))
    .collect();
    let indexes = strings(
        db,
        "SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i \
         WHERE i.indrelid = 'messages'::regclass AND NOT EXISTS \
         (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        &["def"],
    )
    .await?
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    let referencing = strings(
        db,
        "SELECT conrelid::regclass::text AS tab, conname::text AS name, \
         pg_get_constraintdef(oid) AS def FROM pg_constraint \
         WHERE confrelid = 'messages'::regclass AND contype = 'f' ORDER BY 1, 2",
        &["tab", "name", "def"],
    )
    .await?
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
    .collect();
    Ok(Definition {
        constraints,
        indexes,
        referencing,
    })
}

/// Replaces `messages` by a table made by `create` (named `messages_new`), with the same rows,
/// constraints, indexes and references.
async fn rebuild(db: &SchemaManagerConnection<'_>, create: &str) -> Result<Definition, DbErr> {
    let before = definition(db).await?;
    for (table, name, _) in &before.referencing {
        db.execute_unprepared(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))
            .await?;
    }
    db.execute_unprepared(create).await?;
    Ok(before)
}

/// Moves the rows into the new table and gives it the name `messages`.
async fn swap(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    db.execute_unprepared(
        "INSERT INTO messages_new SELECT * FROM messages; \
         DROP TABLE messages; \
         ALTER TABLE messages_new RENAME TO messages",
    )
    .await?;
    Ok(())
}

/// Gives the new `messages` the constraints, indexes and references of the old.
async fn restore(db: &SchemaManagerConnection<'_>, before: &Definition) -> Result<(), DbErr> {
    for sql in before.constraints.iter().chain(&before.indexes) {
        db.execute_unprepared(sql).await?;
    }
    for (table, name, def) in &before.referencing {
        db.execute_unprepared(&format!("ALTER TABLE {table} ADD CONSTRAINT {name} {def}"))
            .await?;
    }
    Ok(())
}

#[expect(
    elided_lifetimes_in_paths,
    reason = "the signature must match MigrationTrait's async_trait declaration"
)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        let before = rebuild(
            db,
            "CREATE TABLE messages_new (LIKE messages INCLUDING DEFAULTS) \
             PARTITION BY RANGE (id); \
             CREATE TABLE messages_default PARTITION OF messages_new DEFAULT",
        )
        .await?;
        swap(db).await?;
        // Months are created once the table has its name (they are named after it): the
        // rows copied meanwhile wait in the default partition, then move to their month.
        let today = time::OffsetDateTime::now_utc().date();
        let oldest = oldest_month(db).await?.unwrap_or(today);
        let mut ahead = today;
        for _ in 0..3 {
            ahead = log_partitions::next_month(ahead);
        }
        db.execute_unprepared(
            "CREATE TEMP TABLE messages_moved ON COMMIT DROP AS SELECT * FROM messages_default; \
             DELETE FROM messages_default",
        )
        .await?;
        log_partitions::ensure_months_of(db, &[MESSAGES], oldest, ahead)
            .await
            .map_err(|error| DbErr::Migration(error.to_string()))?;
        db.execute_unprepared("INSERT INTO messages SELECT * FROM messages_moved")
            .await?;
        restore(db, &before).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        let before = rebuild(
            db,
            "CREATE TABLE messages_new (LIKE messages INCLUDING DEFAULTS)",
        )
        .await?;
        swap(db).await?;
        restore(db, &before).await
    }
}

/// The month of the oldest UUIDv7 id among the messages (version nibble 7), if any.
async fn oldest_month(db: &SchemaManagerConnection<'_>) -> Result<Option<time::Date>, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT (to_timestamp(('x' || substr(replace(id::text, '-', ''), 1, 12))\
             ::bit(48)::bigint / 1000.0) AT TIME ZONE 'UTC')::date AS oldest \
             FROM messages WHERE substr(id::text, 15, 1) = '7' ORDER BY id LIMIT 1",
        ))
        .await?;
    Ok(row.and_then(|row| {
        row.try_get::<Option<time::Date>>("", "oldest")
            .ok()
            .flatten()
    }))
}
