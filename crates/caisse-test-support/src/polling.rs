//! Waiting for another process (a worker the test started) to reach a state: polled, never a
//! fixed sleep.

use std::time::{Duration, Instant};

/// Polls `done` every 20 ms until it holds or `limit` has passed; returns its last answer.
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}
