//! Telling a database that could not be reached (a primary switch, a restart, a full pool)
//! from one that answered and refused. The first kind is worth retrying once the database is
//! back; the second is not. A request can [`watch`] whether any of its queries met the first
//! kind, so the web layer retries a read or answers « réessayez » (503) instead of a bare 500.

use std::cell::Cell;
use std::future::Future;

use sea_orm::{DbErr, RuntimeErr};

tokio::task_local! {
    static MET_UNAVAILABLE: Cell<bool>;
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
        let _ = MET_UNAVAILABLE.try_with(|met| met.set(true));
    }
}

/// Runs `future`, and says whether any of its queries (on this task) found the database
/// unreachable.
pub async fn watch<F: Future>(future: F) -> (F::Output, bool) {
    MET_UNAVAILABLE
        .scope(Cell::new(false), async move {
            let output = future.await;
            (output, MET_UNAVAILABLE.with(Cell::get))
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
        assert!(met);
        let ((), met) = watch(async { note(&DbErr::Custom("refused".into())) }).await;
        assert!(!met);
    }
}
