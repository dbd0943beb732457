//! Bounded pools for blocking work.
//!
//! Hashing a password, decoding an image or rewriting a PDF is CPU work that also holds
//! memory while it runs. Each runs on Tokio's blocking threads, but at most `workers` of a
//! pool at once (a semaphore), so a burst queues here instead of starving the request
//! threads or multiplying the memory: what a pool may hold at once is `workers` times one
//! job's worst case. The permit travels with the job, so a request that gives up (its time
//! limit) does not free a slot while its job still runs.

use std::sync::Arc;

use tokio::sync::Semaphore;

/// Why a job did not run to its end.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// The pool was closed.
    #[error("the pool is closed")]
    Closed,
    /// The job panicked or was cancelled.
    #[error("the job stopped: {0}")]
    Stopped(String),
}

/// At most `workers` blocking jobs at once.
#[derive(Clone, Debug)]
pub struct BlockingPool {
    permits: Arc<Semaphore>,
    workers: u32,
}

impl BlockingPool {
    /// A pool running at most `workers` jobs at once (at least one).
    pub fn new(workers: usize) -> BlockingPool {
        BlockingPool {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            workers: u32::try_from(workers.max(1)).unwrap_or(u32::MAX),
        }
    }

    /// Holds every worker until the returned guard is dropped: no job starts meanwhile (tests
    /// use it to line requests up behind a busy pool).
    ///
    /// # Errors
    /// [`PoolError::Closed`] when the pool is closed.
    pub async fn hold(&self) -> Result<tokio::sync::OwnedSemaphorePermit, PoolError> {
        self.permits
            .clone()
            .acquire_many_owned(self.workers)
            .await
            .map_err(|_| PoolError::Closed)
    }

    /// Runs `job` on a blocking thread once a worker is free; returns its result.
    ///
    /// # Errors
    /// [`PoolError`] when the pool is closed or the job panicked.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PoolError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| PoolError::Closed)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            job()
        })
        .await
        .map_err(|error| PoolError::Stopped(error.to_string()))
    }
}
