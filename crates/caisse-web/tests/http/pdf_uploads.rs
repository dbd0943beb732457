//! PDFs members send are rewritten without active or hidden content before they are stored;
//! one that cannot be rewritten is refused, by name.

use axum::http::StatusCode;
use caisse_test_support::files::{HOSTILE_PDF_MARKERS, HOSTILE_PDF_TEXT, contains, hostile_pdf};
use caisse_test_support::pdf::checked_text;
use serde_json::Value;

use crate::support::{
    MEMBER_NIR, MEMBER_PASSWORD, TestApp, api_token, message_fields, message_json,
};

#[tokio::test]
async fn a_hostile_pdf_is_stored_without_its_scripts_files_or_polyglot() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let message = message_json("Facture", "Bonjour, voici ma facture.").to_string();
    let hostile = hostile_pdf();
    let sent = app
        .post_multipart(
            "/api/v1/messages",
            &[("message", &message)],
            &[("file", "facture.pdf", &hostile)],
            Some(&token),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let id = serde_json::from_str::<Value>(&sent.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stored = app
        .get_with_bearer(&format!("/api/v1/messages/{id}/attachments/1"), &token)
        .await;
    assert_eq!(stored.status, StatusCode::OK);
    for marker in HOSTILE_PDF_MARKERS {
        assert!(
            !contains(&stored.bytes, marker.as_bytes()),
            "{marker} stored"
        );
    }
    assert!(checked_text(&stored.bytes).contains(HOSTILE_PDF_TEXT));
}

#[tokio::test]
async fn a_pdf_that_cannot_be_rewritten_is_refused_by_name() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let broken = b"%PDF-1.7\n<html><script>alert(1)</script></html>".to_vec();
    let page = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &message_fields("Facture", "Bonjour, voici ma facture.", "verifier"),
            &[("files", "facture.pdf", &broken)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .replace("&#39;", "'")
            .contains("« facture.pdf » est un PDF endommagé ou illisible"),
        "{}",
        page.body
    );
}
