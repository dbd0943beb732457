//! Rate limits shared by every node, so N nodes do not give a client N times its budget.
//!
//! Counts live in a [`CounterStore`]: the database (`rate_counters`, one upsert returning the
//! totals) or Redis when the operator sets one. Two ways to count:
//! - [`SharedLimits::count_now`], for login attempts: one round trip, counted before the check,
//!   so concurrent attempts on every node add up before any of them is judged;
//! - [`SharedLimits::count_later`], for every request: counted in memory and added to the
//!   store by [`SharedLimits::flush`] a few times a second (one statement for all keys), judged
//!   on the cluster's total as of the last flush plus this node's hits since. A client can pass
//!   its budget by at most what the other nodes saw in one flush interval.
//!
//! When the store cannot be reached, requests are let through (the node's own in-memory limits
//! still hold) and `caisse_rate_limit_store_errors_total` counts it: a rate limit must not take
//! the portal down with the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use caisse_domain::Instant;
pub use caisse_store::rate_counters::Hits;
use caisse_store::{Db, rate_counters};
use tokio_util::sync::CancellationToken;

/// A count store failed.
#[derive(Debug, thiserror::Error)]
#[error("rate counters: {0}")]
pub struct CounterError(pub String);

/// Where the shared counts live.
#[async_trait]
pub trait CounterStore: Send + Sync {
    /// Adds every `Hits`, kept for `keep`, and returns each (key, window) total.
    async fn add(
        &self,
        hits: &[Hits],
        keep: Duration,
    ) -> Result<HashMap<(String, i64), i64>, CounterError>;

    /// Forgets ended windows (a no-op where the store expires keys itself).
    async fn purge(&self) -> Result<u64, CounterError> {
        Ok(0)
    }
}

/// The counts in the database (`rate_counters`).
pub struct DatabaseCounters {
    db: Db,
}

impl DatabaseCounters {
    /// Counts in `db`.
    pub fn new(db: Db) -> DatabaseCounters {
        DatabaseCounters { db }
    }
}

#[async_trait]
impl CounterStore for DatabaseCounters {
    async fn add(
        &self,
        hits: &[Hits],
        keep: Duration,
    ) -> Result<HashMap<(String, i64), i64>, CounterError> {
        let expires_at = now() + time::Duration::try_from(keep).unwrap_or(time::Duration::HOUR);
        rate_counters::add(&self.db, hits, expires_at)
            .await
            .map_err(|error| CounterError(error.to_string()))
    }

    async fn purge(&self) -> Result<u64, CounterError> {
        rate_counters::purge(&self.db, now())
            .await
            .map_err(|error| CounterError(error.to_string()))
    }
}

fn now() -> Instant {
    Instant::new(time::OffsetDateTime::now_utc())
}

/// One limit: at most `limit` hits per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Hits allowed in one window.
    pub limit: u32,
    /// The window's length.
    pub window: Duration,
}

impl Limit {
    fn window_start(&self, at: time::OffsetDateTime) -> i64 {
        let seconds = i64::try_from(self.window.as_secs().max(1)).unwrap_or(i64::MAX);
        at.unix_timestamp().div_euclid(seconds) * seconds
    }

    /// Windows are kept one more window, so a late flush still finds its row.
    fn keep(&self) -> Duration {
        self.window * 2
    }
}

/// What this node knows of one key in its current window.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    window_start: i64,
    /// The cluster's total at the last flush.
    known: i64,
    /// This node's hits since.
    pending: i64,
    limit: Option<Limit>,
}

/// The shared limits of one node.
pub struct SharedLimits {
    store: Arc<dyn CounterStore>,
    tallies: Mutex<HashMap<String, Tally>>,
}

impl SharedLimits {
    /// Limits counted in `store`.
    pub fn new(store: Arc<dyn CounterStore>) -> SharedLimits {
        SharedLimits {
            store,
            tallies: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one hit of `key` in the store, then says whether it is within `limit`.
    pub async fn count_now(&self, key: &str, limit: Limit) -> bool {
        let window_start = limit.window_start(time::OffsetDateTime::now_utc());
        let hit = Hits {
            key: key.to_owned(),
            window_start,
            hits: 1,
        };
        match self
            .store
            .add(std::slice::from_ref(&hit), limit.keep())
            .await
        {
            Ok(totals) => totals
                .get(&(hit.key, window_start))
                .is_none_or(|total| *total <= i64::from(limit.limit)),
            Err(error) => {
                store_failed(&error);
                true
            }
        }
    }

    /// Counts one hit of `key` in memory (added to the store at the next [`flush`]) and says
    /// whether the cluster's total stays within `limit`.
    ///
    /// [`flush`]: SharedLimits::flush
    pub fn count_later(&self, key: &str, limit: Limit) -> bool {
        let window_start = limit.window_start(time::OffsetDateTime::now_utc());
        let mut tallies = self.tallies.lock().unwrap_or_else(PoisonError::into_inner);
        let tally = tallies.entry(key.to_owned()).or_default();
        if tally.window_start != window_start {
            *tally = Tally {
                window_start,
                ..Tally::default()
            };
        }
        tally.limit = Some(limit);
        tally.pending += 1;
        tally.known + tally.pending <= i64::from(limit.limit)
    }

    /// Adds the hits counted in memory to the store, in one call, and learns the cluster's
    /// totals of every key this node saw in the current window; forgets keys of ended windows.
    pub async fn flush(&self) {
        let (hits, keep) = {
            let mut tallies = self.tallies.lock().unwrap_or_else(PoisonError::into_inner);
            let current = time::OffsetDateTime::now_utc();
            tallies.retain(|_, tally| {
                tally
                    .limit
                    .is_some_and(|limit| limit.window_start(current) == tally.window_start)
                    || tally.pending > 0
            });
            let mut keep = Duration::ZERO;
            // Keys without new hits go too (adding nothing): this node learns what the
            // others counted.
            let hits: Vec<Hits> = tallies
                .iter()
                .map(|(key, tally)| {
                    keep = keep.max(tally.limit.map_or(Duration::ZERO, |l| l.keep()));
                    Hits {
                        key: key.clone(),
                        window_start: tally.window_start,
                        hits: tally.pending,
                    }
                })
                .collect();
            (hits, keep)
        };
        if hits.is_empty() {
            return;
        }
        let totals = match self.store.add(&hits, keep).await {
            Ok(totals) => totals,
            Err(error) => {
                // The hits stay pending and go with the next flush.
                store_failed(&error);
                return;
            }
        };
        let mut tallies = self.tallies.lock().unwrap_or_else(PoisonError::into_inner);
        for hit in hits {
            let Some(total) = totals.get(&(hit.key.clone(), hit.window_start)) else {
                continue;
            };
            if let Some(tally) = tallies.get_mut(&hit.key)
                && tally.window_start == hit.window_start
            {
                // Hits counted while the flush ran stay pending.
                tally.pending -= hit.hits;
                tally.known = *total;
            }
        }
    }

    /// Flushes every `interval` until `shutdown`, and purges ended windows every minute.
    pub async fn run(self: Arc<Self>, interval: Duration, shutdown: CancellationToken) {
        let mut since_purge = Duration::ZERO;
        loop {
            tokio::select! {
                () = shutdown.cancelled() => {
                    self.flush().await;
                    return;
                }
                () = tokio::time::sleep(interval) => {}
            }
            self.flush().await;
            since_purge += interval;
            if since_purge >= Duration::from_secs(60) {
                since_purge = Duration::ZERO;
                if let Err(error) = self.store.purge().await {
                    store_failed(&error);
                }
            }
        }
    }
}

fn store_failed(error: &CounterError) {
    metrics::counter!("caisse_rate_limit_store_errors_total").increment(1);
    tracing::warn!(%error, "shared rate limits unavailable; this node's own limits still hold");
}

#[cfg(test)]
mod tests;
