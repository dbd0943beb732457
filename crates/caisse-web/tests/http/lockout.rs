use axum::http::StatusCode;
use caisse_core::clock::ManualClock;
use time::Duration;

use crate::support::{
    MEMBER_NIR, MEMBER_PASSWORD, STAFF_PASSWORD, TestApp, TestResponse, no_device_check,
};

const UNKNOWN_NIR: &str = "1 85 05 78 006 085 17";
const WRONG: &str = "Mauvais-Mot-2026";

async fn app() -> (TestApp, ManualClock) {
    let clock = ManualClock::new(caisse_store::now_utc());
    (
        TestApp::with_clock(clock.clone(), no_device_check()).await,
        clock,
    )
}

fn locked(response: &TestResponse) -> bool {
    response.body.contains("temporairement bloqué")
}

async fn lock_mails(app: &TestApp) -> usize {
    caisse_store::outbox::for_recipient(&app.db.db, "julien.martin@exemple.fr")
        .await
        .unwrap()
        .iter()
        .filter(|m| m.subject == "Votre compte est temporairement bloqué")
        .count()
}

#[tokio::test]
async fn the_fifth_wrong_password_locks_and_even_the_right_one_is_then_refused() {
    let (mut app, _clock) = app().await;
    for attempt in 1..=4 {
        let response = app.login_member(MEMBER_NIR, WRONG).await;
        assert!(!locked(&response), "attempt {attempt} must not lock");
    }
    let fifth = app.login_member(MEMBER_NIR, WRONG).await;
    assert!(locked(&fifth));
    assert!(
        fifth.body.contains("Réessayez dans 15 minutes"),
        "{}",
        fifth.body
    );
    let right = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(right.status, StatusCode::OK, "no session while locked");
    assert!(locked(&right));
    assert_eq!(app.get("/profil").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_member_is_mailed_once_when_the_lock_starts() {
    let (mut app, _clock) = app().await;
    for _ in 0..7 {
        app.login_member(MEMBER_NIR, WRONG).await;
    }
    assert_eq!(lock_mails(&app).await, 1);
    let mail = caisse_store::outbox::for_recipient(&app.db.db, "julien.martin@exemple.fr")
        .await
        .unwrap();
    let body = &mail
        .iter()
        .find(|m| m.subject.contains("bloqué"))
        .unwrap()
        .body_text;
    assert!(
        body.contains("15 minutes") && body.contains("/mot-de-passe-oublie"),
        "{body}"
    );
}

#[tokio::test]
async fn an_unknown_number_is_answered_exactly_like_a_known_one_before_and_after_the_lock() {
    let (mut known, _c1) = app().await;
    let (mut unknown, _c2) = app().await;
    for attempt in 1..=7 {
        let a = known.login_member(MEMBER_NIR, WRONG).await;
        let b = unknown.login_member(UNKNOWN_NIR, WRONG).await;
        assert_eq!(a.status, b.status, "attempt {attempt}");
        assert_eq!(
            a.body
                .replace(MEMBER_NIR, "NIR")
                .replace(&a.csrf_token(), "TOKEN"),
            b.body
                .replace(UNKNOWN_NIR, "NIR")
                .replace(&b.csrf_token(), "TOKEN"),
            "attempt {attempt}"
        );
    }
}

#[tokio::test]
async fn locks_grow_and_end_on_their_own() {
    let (mut app, clock) = app().await;
    for _ in 0..5 {
        app.login_member(MEMBER_NIR, WRONG).await;
    }
    clock.advance(Duration::minutes(15));
    for _ in 0..5 {
        app.login_member(MEMBER_NIR, WRONG).await;
    }
    let second = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert!(
        second.body.contains("Réessayez dans 1 h 00"),
        "second lock lasts one hour"
    );
    clock.advance(Duration::hours(1));
    let response = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "the lock ended");
}

#[tokio::test]
async fn a_successful_login_resets_the_count() {
    let (mut app, _clock) = app().await;
    for _ in 0..4 {
        app.login_member(MEMBER_NIR, WRONG).await;
    }
    assert_eq!(
        app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    app.cookie = None;
    for _ in 0..4 {
        assert!(!locked(&app.login_member(MEMBER_NIR, WRONG).await));
    }
}

#[tokio::test]
async fn locking_is_recorded_in_the_audit_log() {
    let (mut app, _clock) = app().await;
    for _ in 0..6 {
        app.login_member(MEMBER_NIR, WRONG).await;
    }
    let member = app.member("185057800608491").await;
    let events = caisse_store::audit::for_subject(&app.db.db, "member", member.id, 20)
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.code()).collect();
    assert!(actions.contains(&"member.account.locked"), "{actions:?}");
    assert!(
        actions.contains(&"member.login.refused_locked"),
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "member.login.failed")
            .count(),
        5
    );
}

#[tokio::test]
async fn staff_accounts_lock_too() {
    let (mut app, _clock) = app().await;
    for _ in 0..5 {
        app.submit(
            "/agent/connexion",
            "/agent/connexion",
            &[("login", "admin"), ("password", WRONG)],
        )
        .await;
    }
    let response = app.login_staff("admin").await;
    assert!(
        response
            .body
            .contains("Ce compte est temporairement bloqué"),
        "{}",
        response.body
    );
    assert_ne!(STAFF_PASSWORD, WRONG);
}
