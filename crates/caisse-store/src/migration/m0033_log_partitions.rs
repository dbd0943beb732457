//! The audit log and the outbox partitioned by month on PostgreSQL (issue 19): `audit_events`
//! by `at`, `outbox` by `created_at`, each with a `…_default` partition for rows outside the
//! created months. Retention then drops whole months (`log_partitions::apply_retention`). A
//! partitioned table's primary key must hold its partition column, so the keys become
//! `(id, at)` and `(id, created_at)`; nothing references either table. Existing rows are
//! copied into the months. SQLite is unchanged (its retention deletes rows).

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

use crate::log_partitions;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0033_log_partitions"
    }
}

/// An index: its name and its columns.
type IndexOn = (&'static str, &'static str);

/// (table, partition column, primary key constraint, its other indexes).
const LOGS: &[(&str, &str, &str, &[IndexOn])] = &[
    (
        "audit_events",
        "at",
        "audit_events_pkey",
        &[("ix_audit_subject", "subject_kind, subject_id, at")],
    ),
    (
        "outbox",
        "created_at",
        "outbox_pkey",
        &[
            ("ix_outbox_fund_created", "caisse_code, created_at"),
            ("ix_outbox_fund_status", "caisse_code, status"),
            ("ix_outbox_status_due", "status, next_attempt_at"),
        ],
    ),
];

/// Creates the months from the oldest row's to three months ahead.
async fn months_for_existing_rows(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    let oldest = db
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            "SELECT LEAST((SELECT min(at) FROM audit_events_unpartitioned), \
             (SELECT min(created_at) FROM outbox_unpartitioned), now())::date AS oldest",
        ))
        .await?
        .and_then(|row| row.try_get::<time::Date>("", "oldest").ok())
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let mut ahead = time::OffsetDateTime::now_utc().date();
    for _ in 0..3 {
        ahead = log_partitions::next_month(ahead);
    }
    log_partitions::ensure_months_of(db, &log_partitions::LOGS, oldest, ahead)
        .await
        .map_err(|error| DbErr::Migration(error.to_string()))?;
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
        for (table, column, pkey, indexes) in LOGS {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} RENAME TO {table}_unpartitioned; \
                 ALTER TABLE {table}_unpartitioned RENAME CONSTRAINT {pkey} TO {pkey}_old"
            ))
            .await?;
            for (index, _) in *indexes {
                db.execute_unprepared(&format!("ALTER INDEX {index} RENAME TO {index}_old"))
                    .await?;
            }
            db.execute_unprepared(&format!(
                "CREATE TABLE {table} (LIKE {table}_unpartitioned INCLUDING DEFAULTS) \
                 PARTITION BY RANGE ({column}); \
                 ALTER TABLE {table} ADD CONSTRAINT {pkey} PRIMARY KEY (id, {column}); \
                 CREATE TABLE {table}_default PARTITION OF {table} DEFAULT"
            ))
            .await?;
            for (index, columns) in *indexes {
                db.execute_unprepared(&format!("CREATE INDEX {index} ON {table} ({columns})"))
                    .await?;
            }
        }
        months_for_existing_rows(db).await?;
        for (table, ..) in LOGS {
            db.execute_unprepared(&format!(
                "INSERT INTO {table} SELECT * FROM {table}_unpartitioned; \
                 DROP TABLE {table}_unpartitioned"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for (table, _, pkey, indexes) in LOGS {
            db.execute_unprepared(&format!(
                "CREATE TABLE {table}_plain (LIKE {table} INCLUDING DEFAULTS); \
                 INSERT INTO {table}_plain SELECT * FROM {table}; \
                 DROP TABLE {table}; \
                 ALTER TABLE {table}_plain RENAME TO {table}; \
                 ALTER TABLE {table} ADD CONSTRAINT {pkey} PRIMARY KEY (id)"
            ))
            .await?;
            for (index, columns) in *indexes {
                db.execute_unprepared(&format!("CREATE INDEX {index} ON {table} ({columns})"))
                    .await?;
            }
        }
        Ok(())
    }
}
