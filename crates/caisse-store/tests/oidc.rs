//! OpenID Connect rows in the store (`m0030_oidc`): a request is taken once, never after its
//! expiry; two takers at once get it once; a member's FranceConnect identity is linked to one
//! member only; a pending link is spent once; the purge leaves live rows. SQLite by default,
//! PostgreSQL with `TEST_DATABASE_URL`.

use caisse_domain::{Instant, LoginProvider};
use caisse_store::members;
use caisse_store::oidc::{self, NewPendingLink, NewRequest};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::{new_member, next_nir};
use time::Duration;

fn now() -> Instant {
    Instant::new(time::OffsetDateTime::now_utc())
}

fn request(digest: &str, expires_in: Duration) -> NewRequest {
    NewRequest {
        state_digest: digest.to_owned(),
        provider: LoginProvider::FranceConnect,
        binding: "b".repeat(64),
        sealed: "v1.sealed".to_owned(),
        expires_at: now() + expires_in,
    }
}

#[tokio::test]
async fn a_request_is_taken_once_and_never_after_its_expiry() {
    let t = TestDb::new().await;
    let now = now();
    oidc::insert_request(&t.db, request(&"a".repeat(64), Duration::minutes(10)), now)
        .await
        .unwrap();
    oidc::insert_request(&t.db, request(&"c".repeat(64), Duration::minutes(-1)), now)
        .await
        .unwrap();
    let digest = "a".repeat(64);
    let (first, second) = tokio::join!(
        oidc::take_request(&t.db, &digest, now),
        oidc::take_request(&t.db, &digest, now),
    );
    let taken = [first.unwrap(), second.unwrap()];
    assert_eq!(taken.iter().filter(|r| r.is_some()).count(), 1);
    let request = taken.into_iter().flatten().next().unwrap();
    assert_eq!(request.provider, LoginProvider::FranceConnect);
    assert_eq!(request.sealed, "v1.sealed");
    assert!(
        oidc::take_request(&t.db, &"c".repeat(64), now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        oidc::take_request(&t.db, &"d".repeat(64), now)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_identity_is_linked_to_one_member_and_a_pending_link_is_spent_once() {
    let t = TestDb::new().await;
    let now = now();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let id = members::insert(&t.db, new_member(&next_nir(), "781", None), vec![], now)
            .await
            .unwrap();
        ids.push(id);
    }
    let link = oidc::insert_link(&t.db, ids[0], "https://fc", "sub-1", "eidas1", now)
        .await
        .unwrap();
    assert!(
        oidc::insert_link(&t.db, ids[1], "https://fc", "sub-1", "eidas1", now)
            .await
            .is_err()
    );
    // A new `sub` for the same member replaces the old one.
    oidc::insert_link(&t.db, ids[0], "https://fc", "sub-2", "eidas1", now)
        .await
        .unwrap();
    assert!(
        oidc::find_link(&t.db, "https://fc", "sub-1")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(oidc::links_of_member(&t.db, ids[0]).await.unwrap().len(), 1);
    assert!(!oidc::delete_link(&t.db, ids[1], link).await.unwrap());

    let pending = oidc::insert_pending(
        &t.db,
        NewPendingLink {
            binding: "b".repeat(64),
            member_id: ids[1],
            issuer: "https://fc".to_owned(),
            subject: "sub-3".to_owned(),
            acr: "eidas1".to_owned(),
            sealed_id_token: "v1.token".to_owned(),
            expires_at: now + Duration::minutes(15),
        },
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        oidc::pending_of_browser(&t.db, &"b".repeat(64), now)
            .await
            .unwrap()
            .map(|p| p.id),
        Some(pending)
    );
    let (a, b) = tokio::join!(
        oidc::consume_pending(&t.db, pending, now),
        oidc::consume_pending(&t.db, pending, now),
    );
    assert_eq!(
        [a.unwrap(), b.unwrap()].iter().filter(|won| **won).count(),
        1
    );
    assert!(
        oidc::pending_of_browser(&t.db, &"b".repeat(64), now)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_purge_keeps_live_rows() {
    let t = TestDb::new().await;
    let now = now();
    oidc::insert_request(&t.db, request(&"a".repeat(64), Duration::minutes(10)), now)
        .await
        .unwrap();
    oidc::insert_request(&t.db, request(&"e".repeat(64), Duration::days(-2)), now)
        .await
        .unwrap();
    oidc::insert_session_token(
        &t.db,
        &"f".repeat(64),
        LoginProvider::FranceConnect,
        "v1.t".into(),
        now,
    )
    .await
    .unwrap();
    // No session row has this digest: its token goes; the expired request goes; the live stays.
    assert_eq!(
        oidc::purge(&t.db, now - Duration::days(1)).await.unwrap(),
        2
    );
    assert!(
        oidc::take_request(&t.db, &"a".repeat(64), now)
            .await
            .unwrap()
            .is_some()
    );
}
