//! The rules of the API's contract (docs/api.md « Errors »), checked on the routes: a JSON
//! body with a member the route does not know, or a multipart body with a part it does not
//! read, is refused with a 400 like any body that is not the one described; a value the
//! description allows but a rule refuses is a 422.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, api_token};

fn code(body: &str) -> Value {
    serde_json::from_str::<Value>(body).unwrap_or(Value::Null)["code"].clone()
}

fn message() -> Value {
    json!({
        "recipient": "caisse",
        "objet": "remboursement.feuille_de_soins",
        "nature": "demande_renseignements",
        "subject": "Feuille de soins du 3 novembre",
        "body": "Bonjour, je n'ai pas reçu le remboursement de ma consultation du 3 novembre."
    })
}

#[tokio::test]
async fn a_json_body_with_an_unknown_member_is_refused_with_a_400() {
    let mut app = TestApp::with_demo_data().await;
    let login = json!({ "nir": MEMBER_NIR, "password": MEMBER_PASSWORD, "remember": true });
    let refused = app.post_json("/api/v1/auth/login", login, None).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(code(&refused.body), "bad_request");
    let verify = json!({ "code": "7K3M-Q9TX-2BCF", "qr": "" });
    let refused = app
        .post_json("/api/v1/attestations/verify", verify, None)
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);

    let token = api_token(&mut app, MEMBER_NIR).await;
    let mut extra = message();
    extra["priority"] = json!("high");
    let refused = app.post_json("/api/v1/messages", extra, Some(&token)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    // The same body without the unknown member is sent: only the member was refused.
    let sent = app
        .post_json("/api/v1/messages", message(), Some(&token))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let id = serde_json::from_str::<Value>(&sent.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = app
        .post_json(
            &format!("/api/v1/messages/{id}/replies"),
            json!({ "body": "Voici la suite.", "files": [] }),
            Some(&token),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
}

#[tokio::test]
async fn a_multipart_body_with_a_part_the_route_does_not_read_is_refused_with_a_400() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let json = message().to_string();
    let refused = app
        .post_multipart(
            "/api/v1/messages",
            &[("message", &json), ("priority", "high")],
            &[],
            Some(&token),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(code(&refused.body), "bad_request");
    let sent = app
        .post_multipart("/api/v1/messages", &[("message", &json)], &[], Some(&token))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);

    // A dossier's files: only `file` parts. The text part is refused before the dossier is
    // looked up; without it, the unknown dossier is a 404.
    let pdf = b"%PDF-1.7\n".as_slice();
    let path = "/api/v1/dossiers/0190a0c2-8f0e-7cc3-a4f5-3e1e0d1c2b3a/fields/justificatif/files";
    let refused = app
        .post_multipart(
            path,
            &[("note", "x")],
            &[("file", "a.pdf", pdf)],
            Some(&token),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    let missing = app
        .post_multipart(path, &[], &[("file", "a.pdf", pdf)], Some(&token))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
}

#[tokio::test]
async fn a_booking_whose_phone_is_not_a_french_number_is_a_422() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let booking = json!({
        "motif": "c2s",
        "channel": "telephone",
        "starts_at": "2030-01-07T09:00:00+01:00",
        "phone": "12345",
    });
    let refused = app
        .post_json("/api/v1/appointments", booking, Some(&token))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(code(&refused.body), "invalid_phone");
}
