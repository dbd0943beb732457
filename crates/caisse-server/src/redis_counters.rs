//! The cluster's rate-limit counters in Redis (`CAISSE_REDIS_URL`), for operators who keep
//! that load off PostgreSQL: one atomic pipeline of `INCRBY` and `EXPIRE` per flush, each key
//! expiring on its own.

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use caisse_core::shared_limits::{CounterError, CounterStore, Hits};
use redis::aio::ConnectionManager;

/// Counts in one Redis (reconnected by the connection manager after a restart).
pub struct RedisCounters {
    connection: ConnectionManager,
}

impl RedisCounters {
    /// Connects to `url` (`redis://HOST:PORT/DB`, `rediss://…` with TLS).
    pub async fn connect(url: &str) -> Result<RedisCounters, CounterError> {
        let client = redis::Client::open(url).map_err(|error| CounterError(error.to_string()))?;
        let connection = client
            .get_connection_manager()
            .await
            .map_err(|error| CounterError(error.to_string()))?;
        Ok(RedisCounters { connection })
    }
}

fn redis_key(hit: &Hits) -> String {
    format!("caisse:rate:{}:{}", hit.key, hit.window_start)
}

#[async_trait]
impl CounterStore for RedisCounters {
    async fn add(
        &self,
        hits: &[Hits],
        keep: Duration,
    ) -> Result<HashMap<(String, i64), i64>, CounterError> {
        let seconds = i64::try_from(keep.as_secs().max(1)).unwrap_or(i64::MAX);
        let mut pipe = redis::pipe();
        pipe.atomic();
        for hit in hits {
            let key = redis_key(hit);
            pipe.incr(&key, hit.hits).expire(&key, seconds).ignore();
        }
        let mut connection = self.connection.clone();
        let totals: Vec<i64> = pipe
            .query_async(&mut connection)
            .await
            .map_err(|error| CounterError(error.to_string()))?;
        Ok(hits
            .iter()
            .zip(totals)
            .map(|(hit, total)| ((hit.key.clone(), hit.window_start), total))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use caisse_core::shared_limits::{Limit, SharedLimits};

    use super::*;

    /// The machine's Redis (`CAISSE_TEST_REDIS_URL`, default the local one).
    fn url() -> String {
        std::env::var("CAISSE_TEST_REDIS_URL")
            .unwrap_or_else(|_| "redis://127.0.0.1:6379/15".to_owned())
    }

    #[tokio::test]
    async fn two_nodes_share_one_budget_in_redis() {
        let store: Arc<dyn CounterStore> = Arc::new(
            RedisCounters::connect(&url())
                .await
                .expect("Redis runs locally (scripts/test-all starts it)"),
        );
        let (a, b) = (
            Arc::new(SharedLimits::new(store.clone())),
            Arc::new(SharedLimits::new(store)),
        );
        let key = format!("login:test-{}", uuid::Uuid::new_v4());
        let limit = Limit {
            limit: 5,
            window: Duration::from_secs(3600),
        };
        // Never across two windows: wait out the last seconds of an hour.
        while time::OffsetDateTime::now_utc().unix_timestamp() % 3600 > 3590 {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let attempts = (0..12).map(|i| {
            let node = if i % 2 == 0 { a.clone() } else { b.clone() };
            let key = key.clone();
            tokio::spawn(async move { node.count_now(&key, limit).await })
        });
        let mut allowed = 0;
        for attempt in attempts {
            if attempt.await.unwrap() {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 5);
    }
}
