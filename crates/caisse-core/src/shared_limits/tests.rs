use std::sync::Arc;
use std::time::Duration;

use caisse_test_support::TestDb;

use super::*;

const TEN_A_MINUTE: Limit = Limit {
    limit: 10,
    window: Duration::from_secs(60),
};

/// Two nodes' limits over one database.
async fn two_nodes(t: &TestDb) -> [SharedLimits; 2] {
    let store: Arc<dyn CounterStore> = Arc::new(DatabaseCounters::new(t.db.clone()));
    [SharedLimits::new(store.clone()), SharedLimits::new(store)]
}

/// Whether the test would straddle two windows (the budget then starts again): waits for the
/// next one. A minute window leaves plenty of room.
fn same_window_for(limit: Limit, seconds: i64) -> bool {
    let now = time::OffsetDateTime::now_utc();
    limit.window_start(now) == limit.window_start(now + time::Duration::seconds(seconds))
}

#[tokio::test]
async fn login_attempts_on_two_nodes_share_one_budget_even_at_once() {
    let t = TestDb::new().await;
    let [a, b] = two_nodes(&t).await;
    let (a, b) = (Arc::new(a), Arc::new(b));
    while !same_window_for(TEN_A_MINUTE, 5) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // 30 attempts at once, spread over both nodes: exactly 10 pass.
    let attempts = (0..30).map(|i| {
        let node = if i % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move { node.count_now("login:203.0.113.9", TEN_A_MINUTE).await })
    });
    let mut allowed = 0;
    for attempt in attempts {
        if attempt.await.unwrap() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 10);
    // Another client keeps its own budget.
    assert!(a.count_now("login:203.0.113.10", TEN_A_MINUTE).await);
}

#[tokio::test]
async fn requests_counted_later_are_judged_on_the_cluster_total_after_a_flush() {
    let t = TestDb::new().await;
    let [a, b] = two_nodes(&t).await;
    while !same_window_for(TEN_A_MINUTE, 5) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Each node alone lets 10 through before any flush...
    assert_eq!(
        (0..6)
            .filter(|_| a.count_later("req:x", TEN_A_MINUTE))
            .count(),
        6
    );
    assert_eq!(
        (0..6)
            .filter(|_| b.count_later("req:x", TEN_A_MINUTE))
            .count(),
        6
    );
    // ...then each learns the other's hits: 12 of 10 spent, both refuse.
    a.flush().await;
    b.flush().await;
    a.flush().await;
    assert!(!a.count_later("req:x", TEN_A_MINUTE));
    assert!(!b.count_later("req:x", TEN_A_MINUTE));
    // Every hit reached the store once: 6 + 6 + the two refused ones.
    b.flush().await;
    a.flush().await;
    let totals = rate_counters::add(
        &t.db,
        &[Hits {
            key: "req:x".to_owned(),
            window_start: TEN_A_MINUTE.window_start(time::OffsetDateTime::now_utc()),
            hits: 0,
        }],
        now() + time::Duration::MINUTE,
    )
    .await
    .unwrap();
    assert_eq!(totals.values().copied().collect::<Vec<_>>(), vec![14]);
}

/// A store that is down.
struct Down;

#[async_trait]
impl CounterStore for Down {
    async fn add(
        &self,
        _hits: &[Hits],
        _keep: Duration,
    ) -> Result<HashMap<(String, i64), i64>, CounterError> {
        Err(CounterError("connection refused".to_owned()))
    }
}

#[tokio::test]
async fn a_store_that_is_down_lets_requests_through_and_keeps_their_hits_pending() {
    let limits = SharedLimits::new(Arc::new(Down));
    assert!(limits.count_now("login:x", TEN_A_MINUTE).await);
    assert!(limits.count_later("req:y", TEN_A_MINUTE));
    limits.flush().await;
    let tallies = limits.tallies.lock().unwrap();
    assert_eq!(tallies["req:y"].pending, 1);
}
