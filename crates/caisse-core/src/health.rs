//! What load balancers and monitoring ask of a node: whether it can serve (the database answers
//! and its schema is current) and how much mail waits in the outbox.

use caisse_store::Db;

use crate::CoreError;

/// Whether a node can serve requests.
#[derive(Debug)]
pub enum Readiness {
    /// The database answers and every migration is applied.
    Ready,
    /// The database does not answer.
    Unreachable(CoreError),
    /// The database answers but these migrations are not applied yet (a rolling upgrade
    /// before `caisse migrate`).
    PendingMigrations(Vec<String>),
    /// The database answers but the applied migrations could not be read.
    MigrationStatusUnknown(CoreError),
}

/// Messages of the outbox that are not delivered: waiting, and given up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutboxDepth {
    /// Waiting for delivery (or a retry).
    pub pending: u64,
    /// Given up after the last attempt.
    pub failed: u64,
}

/// Health checks of a node.
#[derive(Clone)]
pub struct Health {
    db: Db,
}

impl Health {
    /// The checks of this database.
    pub fn new(db: Db) -> Health {
        Health { db }
    }

    /// Whether the node can serve: the database answers and its schema is current.
    #[tracing::instrument(name = "health.readiness", skip_all)]
    pub async fn readiness(&self) -> Readiness {
        if let Err(error) = self.db.ping().await {
            return Readiness::Unreachable(error.into());
        }
        match caisse_store::pending_migrations(&self.db).await {
            Ok(pending) if pending.is_empty() => Readiness::Ready,
            Ok(pending) => Readiness::PendingMigrations(pending),
            Err(error) => Readiness::MigrationStatusUnknown(error.into()),
        }
    }

    /// The undelivered messages of every fund. Only the waiting and the given-up ones: the sent
    /// history would be a range as long as the whole mail history.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "health.outbox_depth", skip_all)]
    pub async fn outbox_depth(&self) -> Result<OutboxDepth, CoreError> {
        let (pending, failed) = caisse_store::outbox::depth(&self.db).await?;
        Ok(OutboxDepth { pending, failed })
    }
}

#[cfg(test)]
mod tests {
    use caisse_test_support::TestDb;

    use super::*;

    #[tokio::test]
    async fn a_migrated_database_is_ready_and_an_empty_one_is_not() {
        let db = TestDb::new().await;
        let health = Health::new(db.db.clone());
        assert!(matches!(health.readiness().await, Readiness::Ready));
        assert_eq!(
            health.outbox_depth().await.unwrap(),
            OutboxDepth {
                pending: 0,
                failed: 0
            }
        );

        let empty = TestDb::empty().await;
        match Health::new(empty.db.clone()).readiness().await {
            Readiness::PendingMigrations(pending) => assert!(!pending.is_empty()),
            other => panic!("an unmigrated database is not ready: {other:?}"),
        }
        empty.db.clone().close().await.unwrap();
        assert!(matches!(
            Health::new(empty.db.clone()).readiness().await,
            Readiness::Unreachable(_)
        ));
    }
}
