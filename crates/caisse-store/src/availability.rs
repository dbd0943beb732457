//! Telling a database that could not be reached (a primary switch, a restart, a full pool)
//! from one that answered and refused. The first kind is worth retrying once the database is
//! back; the second is not. A request can [`watch`] whether any of its queries met the first
//! kind, and whether any statement that writes succeeded before (seen by `observe`, the
//! pool's statement callback): a request that wrote nothing can run again whatever its method,
//! one that wrote may not (its first transaction may be committed).

use std::cell::Cell;
use std::future::Future;

use sea_orm::{DbErr, RuntimeErr};

/// What a watched request's statements met.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Watched {
    /// A statement found the database unreachable.
    pub unavailable: bool,
    /// A statement that writes succeeded (its effect may be committed).
    pub wrote: bool,
}

tokio::task_local! {
    static SEEN: Cell<Watched>;
}

fn update(change: impl FnOnce(&mut Watched)) {
    let _ = SEEN.try_with(|seen| {
        let mut now = seen.get();
        change(&mut now);
        seen.set(now);
    });
}

/// Whether `sql` may change something: anything but a read or a transaction's bookkeeping.
fn may_write(sql: &str) -> bool {
    let head: String = sql
        .trim_start()
        .chars()
        .take(9)
        .collect::<String>()
        .to_ascii_uppercase();
    ![
        "SELECT",
        "SHOW",
        "BEGIN",
        "START",
        "SET ",
        "SAVEPOINT",
        "RELEASE",
        "ROLLBACK",
        "PRAGMA",
    ]
    .iter()
    .any(|read| head.starts_with(read))
}

/// The pool's statement callback (`connect` sets it): notes a statement that wrote.
pub(crate) fn observe(info: &sea_orm::metric::Info<'_>) {
    if !info.failed && may_write(&info.statement.sql) {
        update(|seen| seen.wrote = true);
    }
}

/// Notes that the watched request handed a write to another task (a writer that commits
/// for many requests): its effect may be committed, so the request must not run again.
pub fn note_write_elsewhere() {
    update(|seen| seen.wrote = true);
}

/// SQLSTATE classes and codes of a server going away or refusing writes while it changes role:
/// connection exceptions (08), operator intervention (57P01 admin shutdown, 57P02 crash
/// shutdown, 57P03 cannot connect now) and a read-only transaction (25006, a replica not yet
/// promoted behind the primary's address).
fn unavailable_code(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "25006")
}

fn unavailable_sqlx(error: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match error {
        Error::Io(_)
        | Error::Tls(_)
        | Error::Protocol(_)
        | Error::PoolTimedOut
        | Error::PoolClosed
        | Error::WorkerCrashed => true,
        Error::Database(database) => database.code().is_some_and(|code| unavailable_code(&code)),
        _ => false,
    }
}

/// Whether `error` says the database could not be reached, rather than that it refused.
pub fn is_unavailable(error: &DbErr) -> bool {
    match error {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => match runtime {
            RuntimeErr::SqlxError(error) => unavailable_sqlx(error),
            _ => false,
        },
        _ => false,
    }
}

/// Counts `error` if it is of the unavailable kind and marks the watching request.
pub(crate) fn note(error: &DbErr) {
    if is_unavailable(error) {
        metrics::counter!("caisse_db_unavailable_total").increment(1);
        update(|seen| seen.unavailable = true);
    }
}

/// Runs `future`, and says what its statements (on this task) met.
pub async fn watch<F: Future>(future: F) -> (F::Output, Watched) {
    SEEN.scope(Cell::new(Watched::default()), async move {
        let output = future.await;
        (output, SEEN.with(Cell::get))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_and_refused_are_told_apart() {
        assert!(is_unavailable(&DbErr::ConnectionAcquire(
            sea_orm::error::ConnAcquireErr::Timeout
        )));
        assert!(!is_unavailable(&DbErr::RecordNotFound("x".into())));
        assert!(unavailable_code("57P01"));
        assert!(unavailable_code("08006"));
        assert!(unavailable_code("25006"));
        assert!(!unavailable_code("23505"));
    }

    #[tokio::test]
    async fn a_watched_request_learns_it_met_an_unreachable_database() {
        let ((), met) = watch(async {
            note(&DbErr::ConnectionAcquire(
                sea_orm::error::ConnAcquireErr::ConnectionClosed,
            ));
        })
        .await;
        assert!(met.unavailable && !met.wrote);
        let ((), met) = watch(async { note(&DbErr::Custom("refused".into())) }).await;
        assert!(!met.unavailable);
    }

    #[test]
    fn reads_and_bookkeeping_are_not_writes() {
        for sql in [
            "SELECT 1",
            "  select * from t",
            "BEGIN",
            "ROLLBACK",
            "SAVEPOINT a",
        ] {
            assert!(!may_write(sql), "{sql}");
        }
        for sql in [
            "INSERT INTO t",
            "UPDATE t",
            "DELETE FROM t",
            "WITH x AS (INSERT",
            "COMMIT",
        ] {
            assert!(may_write(sql), "{sql}");
        }
    }
}
