use axum::http::StatusCode;
use caisse_test_support::TestDb;

use crate::support::{TestApp, config};

#[tokio::test]
async fn healthz_answers_while_the_process_is_up() {
    let mut app = TestApp::build(config(), false).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status, StatusCode::OK);
}

#[tokio::test]
async fn readyz_is_ok_when_the_schema_is_current() {
    let mut app = TestApp::build(config(), false).await;
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn readyz_is_unavailable_when_migrations_are_pending() {
    let mut app = TestApp::over(TestDb::empty().await, config(), false).await;
    assert_eq!(
        app.get("/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn metrics_expose_requests_by_route_and_the_outbox() {
    let mut app = TestApp::with_demo_data().await;
    app.get("/connexion").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.contains(
        "caisse_http_requests_total{method=\"GET\",route=\"/connexion\",status=\"200\"}"
    ));
    assert!(
        response
            .body
            .contains("caisse_http_request_duration_seconds_bucket")
    );
    assert!(
        response
            .body
            .contains("caisse_outbox_messages{status=\"pending\"}")
    );
}

#[tokio::test]
async fn an_unknown_page_is_a_french_404() {
    let mut app = TestApp::build(config(), false).await;
    let response = app.get("/nexiste-pas").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.body.contains("<html lang=\"fr\""));
    assert!(response.body.contains("Page introuvable"));
}

#[tokio::test]
async fn an_unknown_api_path_is_a_problem_document() {
    let mut app = TestApp::build(config(), false).await;
    let response = app.get("/api/v1/nexiste-pas").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.headers["content-type"], "application/problem+json");
    let json: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(json["code"], "not_found");
    assert_eq!(json["status"], 404);
}

#[tokio::test]
async fn the_fund_directory_is_served_by_the_api() {
    let mut app = TestApp::build(config(), false).await;
    let list: serde_json::Value =
        serde_json::from_str(&app.get("/api/v1/caisses").await.body).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 107);
    let one: serde_json::Value =
        serde_json::from_str(&app.get("/api/v1/caisses/2A1").await.body).unwrap();
    assert_eq!(one["department"], "2A");
    assert_eq!(
        app.get("/api/v1/caisses/000").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn static_assets_and_the_theme_are_served() {
    let mut app = TestApp::build(config(), false).await;
    let css = app.get("/static/css/caisse.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let theme = app.get("/theme.css").await;
    assert!(theme.body.contains("--brand-primary: #1d4e89;"));
    assert_eq!(
        app.get("/static/nope.css").await.status,
        StatusCode::NOT_FOUND
    );
}
