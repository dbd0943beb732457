//! Where a read goes: the primary, or a streaming replica (`CAISSE_DATABASE_REPLICA_URL`) for
//! the pages that tolerate a little lag (lists, queues, dashboards).
//!
//! - A watcher ([`Reads::watch_replica`]) asks both servers every second how far the replica
//!   has replayed; the replica is used only while it has replayed everything the primary had
//!   written one check earlier (at most about two seconds behind) and answers. Otherwise reads
//!   go to the primary and `caisse_db_replica_fallbacks_total` counts them.
//! - Whatever follows a write reads the primary: the web layer runs a write, and the requests
//!   of the same browser for a few seconds after it, inside [`follow_writes`].
//! - With no replica, every read goes to the primary.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use caisse_store::{Db, StoreError, replication};
use tokio_util::sync::CancellationToken;

tokio::task_local! {
    static FOLLOWS_WRITE: ();
}

/// Runs `future` with every read on the primary (a write, or a request just after one).
pub async fn follow_writes<F: Future>(future: F) -> F::Output {
    FOLLOWS_WRITE.scope((), future).await
}

fn follows_write() -> bool {
    FOLLOWS_WRITE.try_with(|()| ()).is_ok()
}

/// The primary and, if set, a replica.
#[derive(Clone)]
pub struct Reads {
    primary: Db,
    replica: Option<Arc<Replica>>,
}

struct Replica {
    db: Db,
    usable: AtomicBool,
}

impl Reads {
    /// Every read on `primary`.
    pub fn primary(primary: Db) -> Reads {
        Reads {
            primary,
            replica: None,
        }
    }

    /// Reads that tolerate lag on `replica` once [`Reads::watch_replica`] finds it current.
    pub fn with_replica(primary: Db, replica: Db) -> Reads {
        Reads {
            primary,
            replica: Some(Arc::new(Replica {
                db: replica,
                usable: AtomicBool::new(false),
            })),
        }
    }

    /// The primary, for reads that must see every write.
    pub fn primary_db(&self) -> &Db {
        &self.primary
    }

    /// Whether a replica is configured.
    pub fn has_replica(&self) -> bool {
        self.replica.is_some()
    }

    /// The connection for a read that tolerates a little lag.
    pub fn lagging(&self) -> &Db {
        let Some(replica) = &self.replica else {
            return &self.primary;
        };
        if follows_write() {
            return &self.primary;
        }
        if replica.usable.load(Ordering::Relaxed) {
            &replica.db
        } else {
            metrics::counter!("caisse_db_replica_fallbacks_total").increment(1);
            &self.primary
        }
    }

    /// Checks the replica every `interval` until `shutdown` (a no-op without one).
    pub async fn watch_replica(self, interval: Duration, shutdown: CancellationToken) {
        let Some(replica) = self.replica.clone() else {
            return;
        };
        let mut written_before: Option<String> = None;
        loop {
            let current = self
                .replica_is_current(&replica, written_before.as_deref())
                .await;
            let usable = match current {
                Ok((usable, written_now)) => {
                    written_before = Some(written_now);
                    usable
                }
                Err(error) => {
                    tracing::debug!(%error, "replica or primary unreachable");
                    false
                }
            };
            if replica.usable.swap(usable, Ordering::Relaxed) != usable {
                tracing::info!(usable, "read replica");
            }
            metrics::gauge!("caisse_db_replica_usable").set(if usable { 1.0 } else { 0.0 });
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(interval) => {}
            }
        }
    }

    /// Whether the replica has replayed `written_before` (the primary's position one check
    /// ago), with the primary's position now.
    async fn replica_is_current(
        &self,
        replica: &Replica,
        written_before: Option<&str>,
    ) -> Result<(bool, String), StoreError> {
        let written_now = replication::written(&self.primary).await?;
        let replayed = replication::replayed(&replica.db).await?;
        let usable = match written_before {
            None => false,
            Some(before) => replication::reached(&replica.db, &replayed, before).await?,
        };
        Ok((usable, written_now))
    }
}

#[cfg(test)]
mod tests {
    use caisse_store::{Backend, database_backend};
    use caisse_test_support::TestDb;

    use super::*;

    fn is(db: &Db, other: &Db) -> bool {
        std::ptr::eq(db, other)
    }

    /// Waits (bounded) until `reads` has a verdict on its replica equal to `usable`.
    async fn until_usable(reads: &Reads, usable: bool) -> bool {
        let replica = reads.replica.clone().unwrap();
        for _ in 0..100 {
            if replica.usable.load(Ordering::Relaxed) == usable {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    #[tokio::test]
    async fn without_a_replica_every_read_goes_to_the_primary() {
        let t = TestDb::new().await;
        let reads = Reads::primary(t.db.clone());
        assert!(!reads.has_replica());
        assert!(is(reads.lagging(), reads.primary_db()));
    }

    #[tokio::test]
    async fn an_unreachable_replica_leaves_reads_on_the_primary() {
        let t = TestDb::new().await;
        // Nothing listens on port 1: every check fails.
        let down = caisse_store::connect_replica("postgres://postgres@127.0.0.1:1/none", 1)
            .await
            .unwrap();
        let reads = Reads::with_replica(t.db.clone(), down);
        let shutdown = CancellationToken::new();
        let watcher = tokio::spawn(
            reads
                .clone()
                .watch_replica(Duration::from_millis(20), shutdown.clone()),
        );
        assert!(until_usable(&reads, false).await);
        assert!(is(reads.lagging(), reads.primary_db()));
        shutdown.cancel();
        watcher.await.unwrap();
    }

    #[tokio::test]
    async fn a_current_replica_serves_lagging_reads_but_never_those_after_a_write() {
        let t = TestDb::new().await;
        if database_backend(&t.db) != Backend::Postgres {
            // WAL positions are PostgreSQL's; SQLite has no replica.
            return;
        }
        // The primary's own server stands for a replica that has replayed everything.
        let replica = caisse_store::connect_replica(&t.url, 2).await.unwrap();
        let reads = Reads::with_replica(t.db.clone(), replica);
        let shutdown = CancellationToken::new();
        let watcher = tokio::spawn(
            reads
                .clone()
                .watch_replica(Duration::from_millis(20), shutdown.clone()),
        );
        assert!(
            until_usable(&reads, true).await,
            "the replica becomes usable"
        );
        let replica_db = &reads.replica.as_ref().unwrap().db;
        assert!(is(reads.lagging(), replica_db));
        follow_writes(async {
            assert!(is(reads.lagging(), reads.primary_db()));
        })
        .await;
        shutdown.cancel();
        watcher.await.unwrap();
    }
}
