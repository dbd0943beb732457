use axum::http::StatusCode;
use caisse_core::auth::LoginSettings;
use caisse_core::clock::ManualClock;
use serde_json::{Value, json};

use crate::support::{MEMBER_PASSWORD, TestApp};

const UNKNOWN: &str = "185057800608517";

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn unknown_number_and_wrong_password_get_identical_api_answers_before_and_after_the_lock() {
    // One frozen clock for both apps: `retry-after` counts seconds from "now", and two real
    // clocks read a few microseconds apart may straddle a second.
    let clock = ManualClock::new(time::OffsetDateTime::now_utc());
    let mut known = TestApp::with_clock(clock.clone(), LoginSettings::default()).await;
    let mut unknown = TestApp::with_clock(clock, LoginSettings::default()).await;
    for attempt in 1..=7 {
        let a = known
            .post_json(
                "/api/v1/auth/login",
                json!({"nir": "185057800608491", "password": "Faux-Mot-2026"}),
                None,
            )
            .await;
        let b = unknown
            .post_json(
                "/api/v1/auth/login",
                json!({"nir": UNKNOWN, "password": "Faux-Mot-2026"}),
                None,
            )
            .await;
        assert_eq!(a.status, b.status, "attempt {attempt}");
        assert_eq!(a.body, b.body, "attempt {attempt}");
        assert_eq!(
            a.headers.get("retry-after"),
            b.headers.get("retry-after"),
            "attempt {attempt}"
        );
        let expected = if attempt < 5 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::LOCKED
        };
        assert_eq!(a.status, expected, "attempt {attempt}");
    }
}

#[tokio::test]
async fn the_app_logs_in_with_a_mailed_code_then_uses_and_revokes_its_token() {
    let mut app = TestApp::with_device_check().await;
    let started = app
        .post_json(
            "/api/v1/auth/login",
            json!({"nir": "1850578006084", "password": MEMBER_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(started.status, StatusCode::ACCEPTED);
    let challenge = json_of(&started.body)["challenge_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = app.last_code("julien.martin@exemple.fr").await;

    let wrong = app
        .post_json(
            "/api/v1/auth/login/confirm",
            json!({"challenge_id": challenge, "code": "12345x"}),
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let confirmed = app
        .post_json(
            "/api/v1/auth/login/confirm",
            json!({"challenge_id": challenge, "code": code, "trust_device": true}),
            None,
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let body = json_of(&confirmed.body);
    let token = body["token"].as_str().unwrap().to_owned();
    let device = body["device_token"].as_str().unwrap().to_owned();
    assert_eq!(body["token_type"], "Bearer");

    let me = app.get_with_bearer("/api/v1/me", &token).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = json_of(&me.body);
    assert_eq!(me["nir"], "185057800608491");
    assert_eq!(me["beneficiaries"].as_array().unwrap().len(), 3);

    // The trusted device gets a token straight away next time.
    let direct = app
        .post_json(
            "/api/v1/auth/login",
            json!({"nir": "185057800608491", "password": MEMBER_PASSWORD, "device_token": device}),
            None,
        )
        .await;
    assert_eq!(direct.status, StatusCode::OK);

    let logout = app
        .post_json("/api/v1/auth/logout", json!({}), Some(&token))
        .await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_with_bearer("/api/v1/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_api_refuses_missing_tokens_and_malformed_bodies_with_problem_documents() {
    let mut app = TestApp::with_device_check().await;
    let me = app.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(json_of(&me.body)["code"], "unauthenticated");
    let bad = app
        .post_json("/api/v1/auth/login", json!({"nir": 1}), None)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.headers["content-type"], "application/problem+json");
}

#[tokio::test]
async fn the_browser_cookie_does_not_open_the_api() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member("185057800608491", MEMBER_PASSWORD).await;
    assert_eq!(app.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}
