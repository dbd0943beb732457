//! Numbers of the address (pages, file numbers) are range-checked: out of range answers 400,
//! a French page for pages, a problem document for the API; never a 500.

use axum::http::{StatusCode, header};

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, api_token};

const HUGE: &str = "9223372036854775807";

fn is_french_400(response: &crate::support::TestResponse) -> bool {
    response.status == StatusCode::BAD_REQUEST
        && response.body.contains("Adresse incorrecte")
        && response.body.contains("<html")
}

#[tokio::test]
async fn the_members_list_refuses_pages_out_of_range_with_a_french_page() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    for page in [HUGE, "18446744073709551615", "0", "100001", "-1", "deux"] {
        let response = app.get(&format!("/messagerie?page={page}")).await;
        assert!(
            is_french_400(&response),
            "{page}: {} {}",
            response.status,
            response.body
        );
    }
    assert_eq!(
        app.get("/messagerie?page=100000").await.status,
        StatusCode::OK
    );
    assert_eq!(app.get("/messagerie?page=2").await.status, StatusCode::OK);
}

#[tokio::test]
async fn file_numbers_and_ids_of_the_path_are_checked_too() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let id = uuid::Uuid::nil();
    for path in [
        format!("/messagerie/{id}/pieces-jointes/{HUGE}0"),
        format!("/messagerie/{id}/pieces-jointes/0"),
        "/messagerie/pas-un-identifiant".to_owned(),
    ] {
        let response = app.get(&path).await;
        assert!(is_french_400(&response), "{path}: {}", response.status);
    }
}

#[tokio::test]
async fn the_api_answers_a_problem_document_for_pages_out_of_range() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    for path in [
        format!("/api/v1/messages?page={HUGE}"),
        "/api/v1/messages?page=0".to_owned(),
        format!("/api/v1/messages/{}/attachments/{HUGE}0", uuid::Uuid::nil()),
        "/api/v1/messages/pas-un-identifiant".to_owned(),
    ] {
        let response = app.get_with_bearer(&path, &token).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            response.headers[header::CONTENT_TYPE],
            "application/problem+json",
            "{path}"
        );
        let problem: serde_json::Value = serde_json::from_str(&response.body).expect("JSON");
        assert_eq!(problem["code"], "bad_request");
    }
    let ok = app
        .get_with_bearer("/api/v1/messages?page=100000", &token)
        .await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn the_conseillers_queues_refuse_pages_out_of_range() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("superviseur").await;
    for path in [
        format!("/agent/messagerie?page={HUGE}"),
        format!("/agent/messagerie?statut=tous&page={HUGE}"),
        format!("/agent/mediation?page={HUGE}"),
    ] {
        let response = app.get(&path).await;
        assert!(is_french_400(&response), "{path}: {}", response.status);
    }
    assert_eq!(
        app.get("/agent/messagerie?page=3").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_outbox_refuses_pages_out_of_range() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("admin").await;
    let response = app.get("/admin/outbox?page=4294967295").await;
    assert!(is_french_400(&response), "{}", response.status);
    assert_eq!(app.get("/admin/outbox?page=2").await.status, StatusCode::OK);
}
