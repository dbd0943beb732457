//! `caisse demo`'s data on a real database (SQLite, or PostgreSQL with `TEST_DATABASE_URL`):
//! the staff's fixed TOTP secrets stay usable when the database outlives the server key.

use caisse_core::demo::{DEMO_STAFF_TOTP_SECRETS, demo_totp_secret, seed};
use caisse_core::passwords::{HashParams, PasswordHasherPool};
use caisse_core::staff_totp::SealingKey;
use caisse_store::{Db, now_utc, staff};
use caisse_test_support::TestDb;

fn hasher() -> PasswordHasherPool {
    let params = HashParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };
    PasswordHasherPool::new(params, 1).unwrap()
}

/// The base32 secret `login` holds, opened with `key`, if it opens.
async fn opened(db: &Db, key: &SealingKey, login: &str) -> Option<String> {
    let row = staff::find_by_login(db, login).await.unwrap().unwrap();
    let sealed = row.totp_secret?;
    key.open(&sealed, row.id).ok().map(|s| s.base32())
}

#[tokio::test]
async fn demo_staff_secrets_are_sealed_and_resealed_under_a_new_server_key() {
    let test_db = TestDb::new().await;
    let db = &test_db.db;
    let first = SealingKey::derive(b"first server key, 32 characters!").unwrap();
    let summary = seed(db, &hasher(), &first, now_utc()).await.unwrap();
    assert!(summary.created);
    for (login, secret) in DEMO_STAFF_TOTP_SECRETS {
        assert_eq!(opened(db, &first, login).await.as_deref(), Some(*secret));
        let shown = summary
            .staff
            .iter()
            .find(|l| l.identifier == *login)
            .and_then(|l| l.totp_secret.clone());
        assert_eq!(
            shown,
            demo_totp_secret(login).map(|s| s.base32_grouped()),
            "the banner shows the key"
        );
    }

    // An administrator cleared one; then the server restarts with another key.
    caisse_store::staff::clear_totp(db, "conseiller")
        .await
        .unwrap();
    let second = SealingKey::derive(b"second server key, 32 characters").unwrap();
    let again = seed(db, &hasher(), &second, now_utc()).await.unwrap();
    assert!(!again.created);
    assert_eq!(
        opened(db, &second, "admin").await.as_deref(),
        Some("ADMINDEMOCAISSEDEUXMILLEVINGTSIX")
    );
    assert_eq!(opened(db, &first, "admin").await, None);
    assert_eq!(
        opened(db, &second, "conseiller").await,
        None,
        "stays cleared"
    );
}
