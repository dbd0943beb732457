use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, config};

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let mut app = TestApp::build(config(), false).await;
    let response = app.get("/").await;
    let csp = response.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(response.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(response.headers[header::REFERRER_POLICY], "same-origin");
    assert_eq!(response.headers[header::CACHE_CONTROL], "no-store");
    assert!(
        response
            .headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none(),
        "no HSTS over plain HTTP"
    );
}

#[tokio::test]
async fn the_visitor_cookie_is_http_only_and_same_site() {
    let mut app = TestApp::build(config(), false).await;
    let response = app.get("/").await;
    let cookie = response.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("caisse_sid="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"));
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_host_only_and_hsts_is_sent() {
    let mut tls = config();
    tls.web.https = true;
    let mut app = TestApp::build(tls, false).await;
    let response = app.get("/").await;
    let cookie = response.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("__Host-caisse_sid=") && cookie.contains("Secure"));
    assert!(
        response
            .headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_some()
    );
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let mut app = TestApp::with_demo_data().await;
    app.get("/connexion").await;
    let response = app
        .post_form(
            "/connexion",
            &[("nir", MEMBER_NIR), ("password", MEMBER_PASSWORD)],
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(response.body.contains("Formulaire expiré"));
}

#[tokio::test]
async fn a_csrf_token_of_another_browser_is_refused() {
    let mut victim = TestApp::with_demo_data().await;
    let token = victim.get("/connexion").await.csrf_token();
    victim.cookie = None;
    victim.get("/").await; // a new browser, a new cookie
    let response = victim
        .post_form(
            "/connexion",
            &[
                ("csrf_token", &token),
                ("nir", MEMBER_NIR),
                ("password", MEMBER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_before_the_form_is_read() {
    let mut app = TestApp::with_demo_data().await;
    let token = app.get("/connexion").await.csrf_token();
    let body = format!("csrf_token={token}&nir=1850578006084&password={MEMBER_PASSWORD}");
    let request = Request::post("/connexion")
        .header(header::COOKIE, app.cookie.clone().unwrap())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(body.clone()))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    let request = Request::post("/connexion")
        .header(header::COOKIE, app.cookie.clone().unwrap())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "caisse.example")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn login_attempts_are_rate_limited_per_address() {
    let mut limited = config();
    limited.web.logins_per_minute_per_ip = 3;
    let mut app = TestApp::build(limited, true).await;
    for _ in 0..3 {
        let response = app.login_member(MEMBER_NIR, "mauvais").await;
        assert_eq!(response.status, StatusCode::OK);
    }
    let response = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        response.body.contains("Trop de demandes"),
        "{:?} {}",
        response.headers,
        response.body
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let mut app = TestApp::with_demo_data().await;
    let token = app.get("/connexion").await.csrf_token();
    let padding = "x".repeat(2 * 1024 * 1024);
    let response = app
        .post_form("/connexion", &[("csrf_token", &token), ("nir", &padding)])
        .await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
}
