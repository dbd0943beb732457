//! Rows that let several nodes share one database (`m0031_cluster`): rate-limit counters that
//! add up whichever node counts, and periodic jobs claimed by one node per period. SQLite by
//! default, PostgreSQL with `TEST_DATABASE_URL`.

use caisse_domain::Instant;
use caisse_store::cluster_jobs;
use caisse_store::rate_counters::{self, Hits};
use caisse_test_support::TestDb;
use time::Duration;

fn now() -> Instant {
    Instant::new(time::OffsetDateTime::now_utc())
}

fn hits(key: &str, window_start: i64, hits: i64) -> Hits {
    Hits {
        key: key.to_owned(),
        window_start,
        hits,
    }
}

#[tokio::test]
async fn counters_add_up_across_concurrent_writers_and_windows() {
    let t = TestDb::new().await;
    let expires = now() + Duration::minutes(1);
    // Eight "nodes" add to the same key at once: every hit is counted, none lost.
    let adds = (0..8).map(|_| {
        let db = t.db.clone();
        tokio::spawn(async move {
            rate_counters::add(&db, &[hits("login:198.51.100.7", 100, 3)], expires).await
        })
    });
    let mut seen = Vec::new();
    for add in adds {
        let totals = add.await.unwrap().unwrap();
        seen.push(totals[&("login:198.51.100.7".to_owned(), 100)]);
    }
    seen.sort_unstable();
    assert_eq!(
        seen,
        vec![3, 6, 9, 12, 15, 18, 21, 24],
        "each add sees the sum so far"
    );
    // Several keys in one statement; another window starts from zero.
    let totals = rate_counters::add(
        &t.db,
        &[
            hits("login:198.51.100.7", 100, 1),
            hits("login:198.51.100.7", 110, 2),
            hits("req:a", 100, 5),
        ],
        expires,
    )
    .await
    .unwrap();
    assert_eq!(totals[&("login:198.51.100.7".to_owned(), 100)], 25);
    assert_eq!(totals[&("login:198.51.100.7".to_owned(), 110)], 2);
    assert_eq!(totals[&("req:a".to_owned(), 100)], 5);
    // Ended windows go; live ones stay.
    rate_counters::add(&t.db, &[hits("old", 1, 1)], now() - Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(rate_counters::purge(&t.db, now()).await.unwrap(), 1);
    let totals = rate_counters::add(&t.db, &[hits("req:a", 100, 0)], expires)
        .await
        .unwrap();
    assert_eq!(totals[&("req:a".to_owned(), 100)], 5);
}

#[tokio::test]
async fn a_due_job_is_claimed_by_one_node_once_per_period() {
    let t = TestDb::new().await;
    let now = now();
    let period = Duration::minutes(10);
    let claims = (0..6).map(|node| {
        let db = t.db.clone();
        tokio::spawn(async move {
            cluster_jobs::claim(
                &db,
                "maintenance",
                &format!("node-{node}"),
                now,
                now + period,
            )
            .await
        })
    });
    let mut claimed = 0;
    for claim in claims {
        if claim.await.unwrap().unwrap() {
            claimed += 1;
        }
    }
    assert_eq!(claimed, 1, "one node runs the job");
    // Not due again within the period, whichever node asks.
    assert!(
        !cluster_jobs::claim(
            &t.db,
            "maintenance",
            "node-9",
            now + Duration::minutes(5),
            now + period
        )
        .await
        .unwrap()
    );
    let runs = cluster_jobs::runs(&t.db).await.unwrap();
    let node = runs[0].node.clone().unwrap();
    assert!(runs[0].finished_at.is_none());
    cluster_jobs::finish(&t.db, "maintenance", &node, now + Duration::seconds(3))
        .await
        .unwrap();
    let runs = cluster_jobs::runs(&t.db).await.unwrap();
    assert_eq!(runs[0].finished_at, Some(now + Duration::seconds(3)));
    // Due again after the period: one claim.
    let later = now + period;
    assert!(
        cluster_jobs::claim(&t.db, "maintenance", "node-9", later, later + period)
            .await
            .unwrap()
    );
    assert!(
        !cluster_jobs::claim(&t.db, "maintenance", "node-1", later, later + period)
            .await
            .unwrap()
    );
    // Another job is claimed on its own.
    assert!(
        cluster_jobs::claim(&t.db, "partitions", "node-1", later, later + period)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn logs_past_their_retention_go_and_a_month_with_a_waiting_mail_stays() {
    use caisse_domain::{ActorKind, AuditAction};
    use caisse_store::ConnectionTrait;
    use caisse_store::audit::{self, NewEvent};
    use caisse_store::log_partitions;
    use caisse_store::outbox::{self, Channel, NewMessage};
    use sea_orm::Statement;

    let t = TestDb::new().await;
    let now = now();
    let long_ago = now - Duration::days(30 * 30);
    // The months of 30 months ago exist (the housekeeping would have made them then).
    log_partitions::ensure_months(&t.db, long_ago.get().date(), now.get().date())
        .await
        .unwrap();
    let event = || NewEvent {
        actor_kind: ActorKind::System,
        actor_id: None,
        action: AuditAction::MemberLoginSucceeded,
        subject_kind: None,
        subject_id: None,
        ip: "198.51.100.1".to_owned(),
        user_agent: String::new(),
        details: serde_json::json!({}),
    };
    audit::record(&t.db, event(), long_ago).await.unwrap();
    audit::record(&t.db, event(), now).await.unwrap();
    let mail = || NewMessage {
        channel: Channel::Email,
        recipient: "a@example.fr".to_owned(),
        subject: "Objet".to_owned(),
        body_text: "Bonjour".to_owned(),
        caisse_code: Some("781".to_owned()),
    };
    let sent = outbox::enqueue(&t.db, mail(), long_ago).await.unwrap();
    outbox::enqueue(&t.db, mail(), now).await.unwrap();
    let backend = t.db.get_database_backend();
    let placeholder = if backend == sea_orm::DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    t.db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!("UPDATE outbox SET status = 'sent' WHERE id = {placeholder}"),
        [sent.into()],
    ))
    .await
    .unwrap();
    let count = async |table: &str| -> i64 {
        t.db.query_one_raw(Statement::from_string(
            backend,
            format!("SELECT count(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap()
    };
    let cutoff = (now - Duration::days(24 * 31)).get();
    let removed = log_partitions::apply_retention(&t.db, cutoff, cutoff)
        .await
        .unwrap();
    assert_eq!((removed.audit_events, removed.outbox), (1, 1));
    assert_eq!(count("audit_events").await, 1, "the recent event stays");
    assert_eq!(count("outbox").await, 1, "the recent mail stays");

    // A mail still waiting keeps its month, however old (the month made again first: a mail
    // of a month without a partition waits in the default one, kept the same way).
    log_partitions::ensure_months(&t.db, long_ago.get().date(), now.get().date())
        .await
        .unwrap();
    outbox::enqueue(&t.db, mail(), long_ago).await.unwrap();
    let removed = log_partitions::apply_retention(&t.db, cutoff, cutoff)
        .await
        .unwrap();
    assert_eq!(removed.outbox, 0);
    assert_eq!(count("outbox").await, 2);
    if backend == sea_orm::DbBackend::Postgres {
        assert_eq!(removed.outbox_months_kept.len(), 1);
    }
}
