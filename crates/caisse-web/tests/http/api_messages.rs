//! `/api/v1/messages`: a member writes, lists, reads and replies; another member's thread is
//! invisible (404 like a missing one), through every route.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::support::{MEMBER_NIR, TestApp, TestResponse, api_token};

const CAMILLE_NIR: &str = "2 93 12 2A 004 123 17";

fn message() -> Value {
    json!({
        "recipient": "caisse",
        "objet": "remboursement.feuille_de_soins",
        "nature": "demande_renseignements",
        "subject": "Feuille de soins du 3 novembre",
        "body": "Bonjour, je n'ai pas reçu le remboursement de ma consultation du 3 novembre."
    })
}

async fn get(app: &mut TestApp, path: &str, bearer: &str) -> (StatusCode, Value) {
    let response: TestResponse = app.get_with_bearer(path, bearer).await;
    let value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response.status, value)
}

#[tokio::test]
async fn a_member_writes_lists_reads_and_replies() {
    let mut app = TestApp::with_demo_data().await;
    let julien = api_token(&mut app, MEMBER_NIR).await;
    let sent = app
        .post_json("/api/v1/messages", message(), Some(&julien))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let sent: Value = serde_json::from_str(&sent.body).unwrap();
    let id = sent["id"].as_str().unwrap().to_owned();
    assert!(sent["reference"].as_str().unwrap().starts_with("M-"));
    assert_eq!(sent["due_on"].as_str().unwrap().len(), 10);

    let (status, page) = get(&mut app, "/api/v1/messages", &julien).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["status_label"], "En attente de traitement");

    let (status, thread) = get(&mut app, &format!("/api/v1/messages/{id}"), &julien).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(thread["messages"][0]["author"], "member");

    let reply = app
        .post_json(
            &format!("/api/v1/messages/{id}/replies"),
            json!({ "body": "Je joins ma facture dès que possible." }),
            Some(&julien),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let (_, thread) = get(&mut app, &format!("/api/v1/messages/{id}"), &julien).await;
    assert_eq!(thread["messages"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn another_members_thread_does_not_exist_for_them() {
    let mut app = TestApp::with_demo_data().await;
    let julien = api_token(&mut app, MEMBER_NIR).await;
    let camille = api_token(&mut app, CAMILLE_NIR).await;
    let sent = app
        .post_json("/api/v1/messages", message(), Some(&julien))
        .await;
    let sent: Value = serde_json::from_str(&sent.body).unwrap();
    let id = sent["id"].as_str().unwrap();
    let (status, _) = get(&mut app, &format!("/api/v1/messages/{id}"), &camille).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (missing, _) = get(
        &mut app,
        "/api/v1/messages/0190a0b0-0000-7000-8000-000000000000",
        &camille,
    )
    .await;
    assert_eq!(
        missing,
        StatusCode::NOT_FOUND,
        "same answer as a missing thread"
    );
    let reply = app
        .post_json(
            &format!("/api/v1/messages/{id}/replies"),
            json!({ "body": "Intrusion" }),
            Some(&camille),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let (_, page) = get(&mut app, "/api/v1/messages", &camille).await;
    assert_eq!(page["total"], 0);
    let (_, thread) = get(&mut app, &format!("/api/v1/messages/{id}"), &julien).await;
    assert_eq!(
        thread["messages"].as_array().unwrap().len(),
        1,
        "nothing added"
    );
}

#[tokio::test]
async fn a_malformed_message_lists_its_fields_and_no_token_is_refused() {
    let mut app = TestApp::with_demo_data().await;
    let julien = api_token(&mut app, MEMBER_NIR).await;
    let bad = app
        .post_json(
            "/api/v1/messages",
            json!({ "recipient": "x", "objet": "y", "nature": "z", "subject": "", "body": "" }),
            Some(&julien),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = serde_json::from_str(&bad.body).unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in ["recipient", "objet", "nature", "subject", "body"] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    let anonymous = app
        .send(
            Request::post("/api/v1/messages")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(message().to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
