//! One-time secrets in the store: single use, expiry, replacement, attempts counted before the
//! check; the same rules for every table. SQLite by default, PostgreSQL with
//! `TEST_DATABASE_URL`.

use caisse_domain::{Instant, LinkPurpose, PhoneNumber};
use caisse_store::members::{self, NewMember};
use caisse_store::one_time::{
    self, CodeRef, CodeTable, LinkKind, LinkTable, NewLink, consume_code, consume_link, find_link,
    reserve_code_attempt,
};
use caisse_store::{contact_codes, now_utc, provisional_codes};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::new_member;
use time::Duration;
use uuid::Uuid;

async fn member(t: &TestDb) -> Uuid {
    members::insert(
        &t.db,
        NewMember {
            first_name: "Julien".into(),
            last_name: "MARTIN".into(),
            ..new_member("185057800608491", "781", Some("julien.martin@exemple.fr"))
        },
        vec![],
        now_utc(),
    )
    .await
    .unwrap()
}

/// A code sent by SMS to the member's new mobile, valid ten minutes; returns the number.
async fn sms_code(t: &TestDb, member_id: Uuid, now: Instant) -> PhoneNumber {
    let phone = PhoneNumber::parse("06 12 34 56 78").unwrap();
    contact_codes::replace(
        &t.db,
        member_id,
        &phone,
        "x".repeat(64),
        now + Duration::minutes(10),
        now,
    )
    .await
    .unwrap();
    phone
}

fn link(digest: &str, member_id: Uuid, expires_at: Instant) -> NewLink {
    NewLink {
        digest: digest.repeat(64),
        member_id,
        payload: None,
        expires_at,
    }
}

#[tokio::test]
async fn a_link_is_consumed_once_and_never_after_it_expires() {
    let t = TestDb::new().await;
    let id = member(&t).await;
    let now = Instant::from(now_utc());
    let hour = Duration::hours(1);
    let kind = LinkKind::PasswordReset;
    one_time::insert_link(&t.db, kind, link("a", id, now + hour), now)
        .await
        .unwrap();
    one_time::insert_link(&t.db, kind, link("b", id, now + hour), now)
        .await
        .unwrap();

    assert!(
        !consume_link(&t.db, kind, &"b".repeat(64), now + hour)
            .await
            .unwrap()
    );
    assert!(
        consume_link(&t.db, kind, &"a".repeat(64), now)
            .await
            .unwrap()
    );
    assert!(
        !consume_link(&t.db, kind, &"a".repeat(64), now)
            .await
            .unwrap()
    );
    let used = find_link(&t.db, kind, &"a".repeat(64))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(used.used_at, Some(now));
    assert_eq!(used.expires_at, now + hour);

    assert_eq!(
        one_time::spend_unused_links(&t.db, kind, id, now)
            .await
            .unwrap(),
        1
    );
    assert!(
        !consume_link(&t.db, kind, &"b".repeat(64), now)
            .await
            .unwrap()
    );
    assert_eq!(
        one_time::links_issued_since(&t.db, kind, id, now - hour)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        one_time::delete_expired_links(
            &t.db,
            LinkTable::PasswordResets,
            now + hour + Duration::seconds(1)
        )
        .await
        .unwrap(),
        2
    );
    assert!(
        find_link(&t.db, kind, &"a".repeat(64))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_account_link_serves_only_its_purpose_and_a_newer_one_replaces_it() {
    let t = TestDb::new().await;
    let id = member(&t).await;
    let now = Instant::from(now_utc());
    let activation = LinkKind::Account(LinkPurpose::Activation);
    let email_change = LinkKind::Account(LinkPurpose::EmailChange);
    one_time::insert_link(
        &t.db,
        activation,
        link("c", id, now + Duration::days(1)),
        now,
    )
    .await
    .unwrap();
    one_time::insert_link(
        &t.db,
        email_change,
        link("d", id, now + Duration::days(1)),
        now,
    )
    .await
    .unwrap();
    assert!(
        find_link(&t.db, email_change, &"c".repeat(64))
            .await
            .unwrap()
            .is_none(),
        "another purpose's link is unknown"
    );
    assert!(
        !consume_link(&t.db, email_change, &"c".repeat(64), now)
            .await
            .unwrap()
    );
    assert_eq!(
        one_time::spend_unused_links(&t.db, email_change, id, now)
            .await
            .unwrap(),
        1,
        "only the email change's link"
    );
    assert!(
        consume_link(&t.db, activation, &"c".repeat(64), now)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn attempts_are_counted_before_the_check_up_to_the_limit_on_every_table_of_codes() {
    let t = TestDb::new().await;
    let id = member(&t).await;
    let now = Instant::from(now_utc());
    let phone = sms_code(&t, id, now).await;
    provisional_codes::replace(
        &t.db,
        id,
        "$argon2id$…".into(),
        now + Duration::days(30),
        now,
    )
    .await
    .unwrap();
    let sms = contact_codes::live(&t.db, id, now).await.unwrap().unwrap();
    assert_eq!(sms.target, phone);
    let letter = provisional_codes::live(&t.db, id, now)
        .await
        .unwrap()
        .unwrap();
    for code in [sms.code(), letter.code()] {
        for expected in 1..=3 {
            assert_eq!(
                reserve_code_attempt(&t.db, code, 3, now).await.unwrap(),
                Some(expected)
            );
        }
        assert_eq!(
            reserve_code_attempt(&t.db, code, 3, now).await.unwrap(),
            None,
            "no attempt left: the code is not checked"
        );
        one_time::give_back_code_attempt(&t.db, code).await.unwrap();
        assert_eq!(
            reserve_code_attempt(&t.db, code, 3, now).await.unwrap(),
            Some(3)
        );
        assert!(consume_code(&t.db, code, now).await.unwrap());
        assert!(!consume_code(&t.db, code, now).await.unwrap(), "used once");
    }
    assert!(contact_codes::live(&t.db, id, now).await.unwrap().is_none());
    let unknown = CodeRef {
        table: CodeTable::LoginChallenges,
        id: Uuid::now_v7(),
    };
    assert_eq!(
        reserve_code_attempt(&t.db, unknown, 3, now).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn an_expired_code_takes_no_attempt_and_is_not_consumed() {
    let t = TestDb::new().await;
    let id = member(&t).await;
    let now = Instant::from(now_utc());
    sms_code(&t, id, now).await;
    let code = contact_codes::live(&t.db, id, now)
        .await
        .unwrap()
        .unwrap()
        .code();
    let later = now + Duration::minutes(10);
    assert_eq!(
        reserve_code_attempt(&t.db, code, 5, later).await.unwrap(),
        None
    );
    assert!(!consume_code(&t.db, code, later).await.unwrap());
    assert!(consume_code(&t.db, code, now).await.unwrap());
}
