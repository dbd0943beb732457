//! Reset links in the store: single use, expiry, replacement. SQLite by default, PostgreSQL
//! with `TEST_DATABASE_URL`.

use caisse_store::members::{self, NewMember};
use caisse_store::{now_utc, password_resets};
use caisse_test_support::TestDb;
use time::Duration;
use time::macros::date;
use uuid::Uuid;

async fn member(t: &TestDb) -> Uuid {
    members::insert(
        &t.db,
        NewMember {
            nir: "185057800608491".into(),
            last_name: "MARTIN".into(),
            usage_name: None,
            first_name: "Julien".into(),
            birth_date: date!(1985 - 05 - 14),
            sex: "1".into(),
            caisse_code: "781".into(),
            vitale_serial: None,
            address_line1: "12 rue de la Paroisse".into(),
            address_line2: None,
            postal_code: "78000".into(),
            city: "VERSAILLES".into(),
            email: Some("julien.martin@exemple.fr".into()),
            phone: None,
            iban: None,
        },
        vec![],
        now_utc(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_link_is_consumed_once_and_never_after_it_expires() {
    let t = TestDb::new().await;
    let id = member(&t).await;
    let now = now_utc();
    let hour = Duration::hours(1);
    password_resets::insert(&t.db, "a".repeat(64), id, now + hour, now)
        .await
        .unwrap();
    password_resets::insert(&t.db, "b".repeat(64), id, now + hour, now)
        .await
        .unwrap();

    assert!(
        !password_resets::consume(&t.db, &"b".repeat(64), now + hour)
            .await
            .unwrap()
    );
    assert!(
        password_resets::consume(&t.db, &"a".repeat(64), now)
            .await
            .unwrap()
    );
    assert!(
        !password_resets::consume(&t.db, &"a".repeat(64), now)
            .await
            .unwrap()
    );
    let used = password_resets::find(&t.db, &"a".repeat(64))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(used.used_at, Some(now));
    assert_eq!(used.expires_at, now + hour);

    assert_eq!(
        password_resets::invalidate_unused(&t.db, id, now)
            .await
            .unwrap(),
        1
    );
    assert!(
        !password_resets::consume(&t.db, &"b".repeat(64), now)
            .await
            .unwrap()
    );
    assert_eq!(
        password_resets::count_issued_since(&t.db, id, now - hour)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        password_resets::delete_expired_before(&t.db, now + hour + Duration::seconds(1))
            .await
            .unwrap(),
        2
    );
    assert!(
        password_resets::find(&t.db, &"a".repeat(64))
            .await
            .unwrap()
            .is_none()
    );
}
