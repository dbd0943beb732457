//! The storage suite: runs on SQLite by default and on PostgreSQL with `TEST_DATABASE_URL`.

use caisse_store::outbox::{self, Channel, NewMessage, Outcome, Status};
use caisse_store::{now_utc, pending_migrations, sessions};
use caisse_test_support::TestDb;
use time::Duration;

fn mail(to: &str) -> NewMessage {
    NewMessage {
        channel: Channel::Email,
        recipient: to.to_owned(),
        subject: "Objet".to_owned(),
        body_text: "Bonjour".to_owned(),
    }
}

#[tokio::test]
async fn a_migrated_database_has_no_pending_migration() {
    let t = TestDb::new().await;
    assert!(pending_migrations(&t.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_empty_database_reports_its_pending_migrations() {
    let t = TestDb::empty().await;
    // The bookkeeping table does not exist yet: either an error or a non-empty list is correct,
    // what matters is that it never claims to be current.
    if let Ok(pending) = pending_migrations(&t.db).await {
        assert!(!pending.is_empty());
    }
}

#[tokio::test]
async fn a_claimed_message_is_not_claimed_twice_until_its_lease_ends() {
    let t = TestDb::new().await;
    let now = now_utc();
    let id = outbox::enqueue(&t.db, mail("a@example.fr"), now)
        .await
        .unwrap();

    let first = outbox::claim_due(&t.db, now, Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(first.iter().map(|m| m.id).collect::<Vec<_>>(), vec![id]);
    let second = outbox::claim_due(&t.db, now, Duration::seconds(30), 10)
        .await
        .unwrap();
    assert!(
        second.is_empty(),
        "a leased message must not be claimed again"
    );

    let after_lease = now + Duration::seconds(31);
    let third = outbox::claim_due(&t.db, after_lease, Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(
        third.len(),
        1,
        "an expired lease makes the message claimable again"
    );
}

#[tokio::test]
async fn outcomes_move_a_message_through_its_statuses() {
    let t = TestDb::new().await;
    let now = now_utc();
    let id = outbox::enqueue(&t.db, mail("b@example.fr"), now)
        .await
        .unwrap();
    outbox::claim_due(&t.db, now, Duration::seconds(30), 10)
        .await
        .unwrap();

    let retry_at = now + Duration::minutes(1);
    outbox::record_outcome(
        &t.db,
        id,
        Outcome::Failed {
            error: "refused".into(),
            retry_at: Some(retry_at),
        },
        now,
    )
    .await
    .unwrap();
    let m = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!(
        (m.status.as_str(), m.attempts, m.locked_until),
        ("pending", 1, None)
    );
    assert!(
        outbox::claim_due(&t.db, now, Duration::seconds(30), 10)
            .await
            .unwrap()
            .is_empty(),
        "not due before retry_at"
    );

    outbox::claim_due(&t.db, retry_at, Duration::seconds(30), 10)
        .await
        .unwrap();
    outbox::record_outcome(
        &t.db,
        id,
        Outcome::Failed {
            error: "refused again".into(),
            retry_at: None,
        },
        retry_at,
    )
    .await
    .unwrap();
    let m = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!(Status::from_code(&m.status), Some(Status::Failed));
    assert_eq!(m.last_error.as_deref(), Some("refused again"));
    assert_eq!(outbox::counts(&t.db).await.unwrap().failed, 1);

    assert!(outbox::retry(&t.db, id, retry_at).await.unwrap());
    let again = outbox::claim_due(&t.db, retry_at, Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    outbox::record_outcome(&t.db, id, Outcome::Sent, retry_at)
        .await
        .unwrap();
    let m = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!((m.status.as_str(), m.attempts), ("sent", 3));
    assert!(m.sent_at.is_some());
    assert!(
        !outbox::retry(&t.db, id, retry_at).await.unwrap(),
        "only failed messages can be retried"
    );
}

#[tokio::test]
async fn the_outbox_list_pages_and_filters() {
    let t = TestDb::new().await;
    let now = now_utc();
    for i in 0..5 {
        outbox::enqueue(
            &t.db,
            mail(&format!("p{i}@example.fr")),
            now + Duration::seconds(i),
        )
        .await
        .unwrap();
    }
    let (page0, more) = outbox::list(&t.db, None, 0, 2).await.unwrap();
    assert_eq!(page0.len(), 2);
    assert!(more);
    assert_eq!(page0[0].recipient, "p4@example.fr", "newest first");
    let (page2, more) = outbox::list(&t.db, None, 2, 2).await.unwrap();
    assert_eq!((page2.len(), more), (1, false));
    let (sent, _) = outbox::list(&t.db, Some(Status::Sent), 0, 10)
        .await
        .unwrap();
    assert!(sent.is_empty());
}

#[tokio::test]
async fn timestamps_round_trip_exactly() {
    let t = TestDb::new().await;
    let now = now_utc();
    let id = outbox::enqueue(&t.db, mail("c@example.fr"), now)
        .await
        .unwrap();
    let m = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!(m.created_at, now);
}

#[tokio::test]
async fn a_revoked_or_expired_session_is_not_live() {
    let t = TestDb::new().await;
    let now = now_utc();
    let subject = uuid::Uuid::now_v7();
    for (hash, ttl) in [("a", 60), ("b", 60), ("c", -1)] {
        sessions::insert(
            &t.db,
            sessions::NewSession {
                token_hash: hash.into(),
                subject_kind: sessions::SubjectKind::Member,
                subject_id: subject,
                expires_at: now + Duration::minutes(ttl),
                ip: "127.0.0.1".into(),
                user_agent: "test".into(),
            },
            now,
        )
        .await
        .unwrap();
    }
    assert!(
        sessions::find_live(&t.db, "a", now)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        sessions::find_live(&t.db, "c", now)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    sessions::revoke(&t.db, "a", now).await.unwrap();
    assert!(
        sessions::find_live(&t.db, "a", now)
            .await
            .unwrap()
            .is_none(),
        "revoked"
    );
    assert_eq!(
        sessions::revoke_all(&t.db, sessions::SubjectKind::Member, subject, now)
            .await
            .unwrap(),
        2,
        "b and the expired c"
    );
    assert!(
        sessions::find_live(&t.db, "b", now)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(sessions::delete_ended_before(&t.db, now).await.unwrap(), 1);
}
