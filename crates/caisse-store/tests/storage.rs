//! The storage suite: runs on SQLite by default and on PostgreSQL with `TEST_DATABASE_URL`.

use caisse_domain::{CaisseCode, Email, Instant, StaffRole};
use caisse_store::outbox::{self, NewMessage, OutboxMessage, Outcome, Status};
use caisse_store::{ConnectionTrait, now_utc, pending_migrations, sessions};
use caisse_test_support::TestDb;
use time::Duration;

/// The fund of the messages these tests queue.
const FUND: &str = "781";

fn fund(code: &str) -> CaisseCode {
    CaisseCode::parse(code).unwrap()
}

fn now() -> Instant {
    Instant::from(now_utc())
}

fn mail(to: &str) -> NewMessage {
    NewMessage::email(
        &Email::parse(to).unwrap(),
        "Objet",
        "Bonjour".to_owned(),
        Some(&fund(FUND)),
    )
}

/// The messages a claim took (all readable here).
async fn claim<C: ConnectionTrait>(
    db: &C,
    now: Instant,
    lease: Duration,
    limit: u64,
) -> Vec<OutboxMessage> {
    outbox::claim_due(db, now, lease, limit)
        .await
        .unwrap()
        .into_iter()
        .map(Result::unwrap)
        .collect()
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
    let now = now();
    let id = outbox::enqueue(&t.db, mail("a@example.fr"), now)
        .await
        .unwrap();

    let first = claim(&t.db, now, Duration::seconds(30), 10).await;
    assert_eq!(first.iter().map(|m| m.id).collect::<Vec<_>>(), vec![id]);
    let second = claim(&t.db, now, Duration::seconds(30), 10).await;
    assert!(
        second.is_empty(),
        "a leased message must not be claimed again"
    );

    let after_lease = now + Duration::seconds(31);
    let third = claim(&t.db, after_lease, Duration::seconds(30), 10).await;
    assert_eq!(
        third.len(),
        1,
        "an expired lease makes the message claimable again"
    );
}

#[tokio::test]
async fn outcomes_move_a_message_through_its_statuses() {
    let t = TestDb::new().await;
    let now = now();
    let id = outbox::enqueue(&t.db, mail("b@example.fr"), now)
        .await
        .unwrap();
    claim(&t.db, now, Duration::seconds(30), 10).await;

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
        (m.status, m.attempts, m.locked_until),
        (Status::Pending, 1, None)
    );
    assert!(
        claim(&t.db, now, Duration::seconds(30), 10)
            .await
            .is_empty(),
        "not due before retry_at"
    );

    claim(&t.db, retry_at, Duration::seconds(30), 10).await;
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
    assert_eq!(m.status, Status::Failed);
    assert_eq!(m.last_error.as_deref(), Some("refused again"));
    assert_eq!(outbox::counts(&t.db, &fund(FUND)).await.unwrap().failed, 1);

    assert!(
        outbox::retry(&t.db, &fund(FUND), id, retry_at)
            .await
            .unwrap()
    );
    let again = claim(&t.db, retry_at, Duration::seconds(30), 10).await;
    assert_eq!(again.len(), 1);
    outbox::record_outcome(&t.db, id, Outcome::Sent, retry_at)
        .await
        .unwrap();
    let m = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!((m.status, m.attempts), (Status::Sent, 3));
    assert!(m.sent_at.is_some());
    assert!(
        !outbox::retry(&t.db, &fund(FUND), id, retry_at)
            .await
            .unwrap(),
        "only failed messages can be retried"
    );
}

#[tokio::test]
async fn the_outbox_list_pages_and_filters() {
    let t = TestDb::new().await;
    let now = now();
    for i in 0..5 {
        outbox::enqueue(
            &t.db,
            mail(&format!("p{i}@example.fr")),
            now + Duration::seconds(i),
        )
        .await
        .unwrap();
    }
    let (page0, more) = outbox::list(&t.db, &fund(FUND), None, 0, 2).await.unwrap();
    assert_eq!(page0.len(), 2);
    assert!(more);
    assert_eq!(page0[0].recipient.as_str(), "p4@example.fr", "newest first");
    let (page2, more) = outbox::list(&t.db, &fund(FUND), None, 2, 2).await.unwrap();
    assert_eq!((page2.len(), more), (1, false));
    let (sent, _) = outbox::list(&t.db, &fund(FUND), Some(Status::Sent), 0, 10)
        .await
        .unwrap();
    assert!(sent.is_empty());
}

#[tokio::test]
async fn a_fund_reaches_only_its_own_messages() {
    let t = TestDb::new().await;
    let now = now();
    let ours = outbox::enqueue(&t.db, mail("nous@example.fr"), now)
        .await
        .unwrap();
    let theirs = outbox::enqueue(
        &t.db,
        NewMessage::email(
            &Email::parse("eux@example.fr").unwrap(),
            "Objet",
            "Bonjour".to_owned(),
            Some(&fund("671")),
        ),
        now,
    )
    .await
    .unwrap();
    let nobody = outbox::enqueue(
        &t.db,
        NewMessage::email(
            &Email::parse("personne@example.fr").unwrap(),
            "Objet",
            "Bonjour".to_owned(),
            None,
        ),
        now,
    )
    .await
    .unwrap();
    let (listed, _) = outbox::list(&t.db, &fund(FUND), None, 0, 10).await.unwrap();
    assert_eq!(listed.iter().map(|m| m.id).collect::<Vec<_>>(), [ours]);
    assert_eq!(outbox::counts(&t.db, &fund(FUND)).await.unwrap().pending, 1);
    assert!(
        outbox::fund_message(&t.db, &fund(FUND), ours)
            .await
            .unwrap()
            .is_some()
    );
    for other in [theirs, nobody] {
        assert!(
            outbox::fund_message(&t.db, &fund(FUND), other)
                .await
                .unwrap()
                .is_none()
        );
    }
    // Another fund's failed message is not put back by this fund.
    claim(&t.db, now, Duration::seconds(30), 10).await;
    outbox::record_outcome(
        &t.db,
        theirs,
        Outcome::Failed {
            error: "550".into(),
            retry_at: None,
        },
        now,
    )
    .await
    .unwrap();
    assert!(
        !outbox::retry(&t.db, &fund(FUND), theirs, now)
            .await
            .unwrap()
    );
    assert!(
        outbox::retry(&t.db, &fund("671"), theirs, now)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn recording_a_delivery_erases_the_sealed_body() {
    let t = TestDb::new().await;
    let now = now();
    let id = uuid::Uuid::now_v7();
    outbox::enqueue_sealed(&t.db, id, mail("s@example.fr"), "v1.SEALED".to_owned(), now)
        .await
        .unwrap();
    outbox::enqueue_sealed(
        &t.db,
        uuid::Uuid::now_v7(),
        mail("f@example.fr"),
        "v1.KEPT".to_owned(),
        now,
    )
    .await
    .unwrap();
    let claimed = claim(&t.db, now, Duration::seconds(30), 10).await;
    assert_eq!(claimed[0].sealed_body.as_deref(), Some("v1.SEALED"));
    outbox::record_outcomes(
        &t.db,
        vec![
            (id, Outcome::Sent),
            (
                claimed[1].id,
                Outcome::Failed {
                    error: "421".into(),
                    retry_at: None,
                },
            ),
        ],
        now,
    )
    .await
    .unwrap();
    let sent = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!((sent.status, sent.sealed_body), (Status::Sent, None));
    let kept = outbox::get(&t.db, claimed[1].id).await.unwrap().unwrap();
    assert_eq!(
        kept.sealed_body.as_deref(),
        Some("v1.KEPT"),
        "a failed message keeps it for a retry"
    );
}

#[tokio::test]
async fn timestamps_round_trip_exactly() {
    let t = TestDb::new().await;
    let now = now();
    let id = outbox::enqueue(&t.db, mail("c@example.fr"), now)
        .await
        .unwrap();
    let m = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!(m.created_at, now);
}

#[tokio::test]
async fn a_revoked_or_expired_session_is_not_live() {
    let t = TestDb::new().await;
    let now = now();
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

async fn a_staff_account(t: &TestDb) -> uuid::Uuid {
    caisse_store::staff::insert(
        &t.db,
        caisse_store::staff::NewStaff {
            login: "marie.curie".to_owned(),
            display_name: "Marie Curie".to_owned(),
            email: None,
            role: StaffRole::Conseiller,
            caisse_code: fund("751"),
            password_hash: "$argon2id$…".to_owned(),
        },
        now_utc(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_totp_step_is_accepted_once_and_only_moving_forward() {
    use caisse_store::staff;
    let t = TestDb::new().await;
    let id = a_staff_account(&t).await;
    assert!(
        !staff::accept_totp_step(&t.db, id, 10).await.unwrap(),
        "no secret, no code"
    );
    assert!(
        staff::set_totp_secret_if_unset(&t.db, id, "v1.first".into(), Some(10))
            .await
            .unwrap()
    );
    assert!(
        !staff::set_totp_secret_if_unset(&t.db, id, "v1.second".into(), None)
            .await
            .unwrap(),
        "a second enrolment loses"
    );
    assert!(
        !staff::accept_totp_step(&t.db, id, 10).await.unwrap(),
        "replay"
    );
    assert!(
        !staff::accept_totp_step(&t.db, id, 9).await.unwrap(),
        "older"
    );
    assert!(staff::accept_totp_step(&t.db, id, 11).await.unwrap());
    let row = staff::find(&t.db, id).await.unwrap().unwrap();
    assert_eq!(
        (row.totp_secret.as_deref(), row.totp_last_step),
        (Some("v1.first"), Some(11))
    );
    staff::reseal_totp_secret(&t.db, id, "v1.resealed".into())
        .await
        .unwrap();
    let row = staff::find(&t.db, id).await.unwrap().unwrap();
    assert_eq!(row.totp_last_step, Some(11), "same secret, same last step");
    assert_eq!(
        staff::clear_totp(&t.db, "marie.curie").await.unwrap(),
        Some(id)
    );
    assert_eq!(staff::clear_totp(&t.db, "personne").await.unwrap(), None);
    let row = staff::find(&t.db, id).await.unwrap().unwrap();
    assert_eq!((row.totp_secret, row.totp_last_step), (None, None));
}

#[tokio::test]
async fn a_browser_has_one_live_pending_staff_login_used_once() {
    use caisse_store::staff_challenges::{self, NewStaffChallenge};
    let t = TestDb::new().await;
    let id = a_staff_account(&t).await;
    let now = now();
    let pending = |binding: &str, minutes: i64| NewStaffChallenge {
        staff_id: id,
        binding: binding.to_owned(),
        pending_secret: None,
        expires_at: now + Duration::minutes(minutes),
    };
    let first = staff_challenges::replace(&t.db, pending("browser-a", 5), now)
        .await
        .unwrap();
    let second = staff_challenges::replace(&t.db, pending("browser-a", 5), now)
        .await
        .unwrap();
    staff_challenges::replace(&t.db, pending("browser-b", 5), now)
        .await
        .unwrap();
    let live = staff_challenges::live_for_binding(&t.db, "browser-a", now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(live.id, second, "the newer replaced {first}");
    assert!(
        staff_challenges::live_for_binding(&t.db, "browser-c", now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        staff_challenges::live_for_binding(&t.db, "browser-a", now + Duration::minutes(5))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(staff_challenges::consume(&t.db, second, now).await.unwrap());
    assert!(!staff_challenges::consume(&t.db, second, now).await.unwrap());
    assert!(
        staff_challenges::live_for_binding(&t.db, "browser-a", now)
            .await
            .unwrap()
            .is_none(),
        "used"
    );
    assert_eq!(
        staff_challenges::purge_ended(&t.db, now + Duration::minutes(6))
            .await
            .unwrap(),
        2
    );
    staff_challenges::replace(&t.db, pending("browser-a", 5), now)
        .await
        .unwrap();
    assert_eq!(
        staff_challenges::delete_for_staff(&t.db, id).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn a_claim_takes_the_oldest_due_messages_up_to_its_limit_and_outcomes_are_recorded_together()
{
    let t = TestDb::new().await;
    let now = now();
    let mut ids = Vec::new();
    for n in 0..5 {
        let at = now - Duration::seconds(10 - n);
        ids.push(
            outbox::enqueue(&t.db, mail(&format!("{n}@example.fr")), at)
                .await
                .unwrap(),
        );
    }
    // Not due yet: never claimed.
    let later = outbox::enqueue(&t.db, mail("later@example.fr"), now + Duration::hours(1))
        .await
        .unwrap();
    let claimed = claim(&t.db, now, Duration::seconds(30), 3).await;
    assert_eq!(
        claimed.iter().map(|m| m.id).collect::<Vec<_>>(),
        ids[..3],
        "the three oldest, in due order"
    );
    assert!(claimed.iter().all(|m| m.locked_until.is_some()));
    assert_eq!(outbox::depth(&t.db).await.unwrap(), (6, 0));

    outbox::record_outcomes(
        &t.db,
        vec![
            (ids[0], Outcome::Sent),
            (ids[1], Outcome::Sent),
            (
                ids[2],
                Outcome::Failed {
                    error: "550 refusé".to_owned(),
                    retry_at: None,
                },
            ),
        ],
        now,
    )
    .await
    .unwrap();
    let status_of = async |id| outbox::get(&t.db, id).await.unwrap().unwrap().status;
    assert_eq!(status_of(ids[0]).await, Status::Sent);
    assert_eq!(status_of(ids[1]).await, Status::Sent);
    assert_eq!(status_of(ids[2]).await, Status::Failed);
    assert_eq!(status_of(later).await, Status::Pending);
    assert_eq!(outbox::depth(&t.db).await.unwrap(), (3, 1));
    let rest = claim(&t.db, now, Duration::seconds(30), 10).await;
    assert_eq!(rest.iter().map(|m| m.id).collect::<Vec<_>>(), ids[3..]);
}
