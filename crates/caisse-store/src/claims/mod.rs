//! The claims engine's tables: senders and their keys, lots, care sheets and their
//! liquidated lines, deduction counters, payments, member debts and professionals' debts
//! (`sender_debts`); arrêts de travail and the schedules of their indemnités journalières
//! (`arrets`, `ij_payments`). Values arrive as domain types and are stored in their canonical
//! codes (`docs/claims-rules.md`).

pub mod arrets;
pub mod context;
pub mod corrections;
pub mod counters;
pub mod debt_payments;
pub mod debts;
pub mod ij_payments;
pub mod lines;
pub mod lots;
pub mod member_payments;
pub mod partitions;
pub mod payments;
pub mod sender_debts;
pub mod senders;
pub mod sheets;

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

/// The rows of one multi-row statement: both databases take a few thousand bind values per
/// statement, and fewer, larger statements are what make a lot of 10⁶ sheets fast.
/// A transaction for the member pages' reads of the claims tables. On PostgreSQL its
/// statements run on their generic plans, made once per connection, and without parallel
/// workers: planning a statement over every monthly partition costs more than running it for
/// one member (4 ms against 2 ms with 10⁷ care lines, docs/perf.md), and starting workers
/// (about 10 ms) is what a generic estimate would otherwise buy for a few dozen rows.
///
/// # Errors
/// When the database fails.
pub async fn begin_member_reads(db: &crate::Db) -> Result<crate::Tx, crate::StoreError> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        txn.execute_unprepared(
            "SET LOCAL plan_cache_mode = force_generic_plan; \
             SET LOCAL max_parallel_workers_per_gather = 0",
        )
        .await?;
    }
    Ok(txn)
}

pub(crate) const ROWS_PER_STATEMENT: usize = 500;

/// The bind values one statement may carry on both databases (SQLite's default limit since
/// 3.32; PostgreSQL takes 65,535).
const MAX_BINDS: usize = 32_766;

/// The rows of a multi-row statement of `arity` values per row and `fixed` other values:
/// as many as the bind limit allows, so that a batch is a few statements (each statement
/// costs a round trip, and over TCP a large one may wait for the server's delayed ACK).
pub(crate) fn rows_per_statement(arity: usize, fixed: usize) -> usize {
    (MAX_BINDS.saturating_sub(fixed) / arity.max(1)).max(1)
}

/// A statement in the connection's dialect, with `$1`-style placeholders rewritten to `?` for
/// SQLite.
pub(crate) fn statement<C: ConnectionTrait>(db: &C, sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => sql.to_owned(),
        _ => question_marks(sql),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `$12` → `?12`: SQLite numbers its parameters the same way.
fn question_marks(sql: &str) -> String {
    sql.replace('$', "?")
}

/// Holds, until the transaction ends, a lock per member (PostgreSQL advisory locks, taken in
/// one order so two workers cannot deadlock): what makes a beneficiary's counters read and
/// written by one liquidation at a time. SQLite has one writer at a time anyway.
pub async fn lock_members<C: ConnectionTrait>(
    db: &C,
    members: &[uuid::Uuid],
) -> Result<(), crate::StoreError> {
    if db.get_database_backend() != DbBackend::Postgres || members.is_empty() {
        return Ok(());
    }
    for chunk in member_keys(members).chunks(ROWS_PER_STATEMENT) {
        // The sorted sub-select (OFFSET 0 keeps it from being flattened) fixes the order the
        // locks are taken in.
        let sql = format!(
            "SELECT pg_advisory_xact_lock(k) FROM \
             (SELECT k FROM (VALUES {}) AS v(k) ORDER BY k OFFSET 0) AS sorted",
            key_values(chunk)
        );
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Takes, until the transaction ends, the locks of [`lock_members`] that are free, without
/// waiting: the members it returns are this transaction's, the others are another worker's
/// now. Never waiting is what lets several liquidation workers run side by side without
/// queueing behind one another. SQLite (one writer at a time) holds them all.
pub async fn try_lock_members<C: ConnectionTrait>(
    db: &C,
    members: &[uuid::Uuid],
) -> Result<HashSet<uuid::Uuid>, crate::StoreError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(members.iter().copied().collect());
    }
    let mut held_keys = HashSet::new();
    for chunk in member_keys(members).chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT k FROM (VALUES {}) AS v(k) WHERE pg_try_advisory_xact_lock(k)",
            key_values(chunk)
        );
        let rows = db
            .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await?;
        for row in rows {
            held_keys.insert(row.try_get_by_index::<i64>(0)?);
        }
    }
    Ok(members
        .iter()
        .copied()
        .filter(|m| held_keys.contains(&member_key(*m)))
        .collect())
}

/// A member's advisory-lock key (two members may share one: they then lock together).
fn member_key(id: uuid::Uuid) -> i64 {
    let (high, low) = id.as_u64_pair();
    i64::from_ne_bytes((high ^ low).to_ne_bytes())
}

/// The keys of `members`, sorted, without repeats.
fn member_keys(members: &[uuid::Uuid]) -> Vec<i64> {
    let mut keys: Vec<i64> = members.iter().copied().map(member_key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn key_values(keys: &[i64]) -> String {
    keys.iter()
        .map(|k| format!("({k})"))
        .collect::<Vec<_>>()
        .join(", ")
}
