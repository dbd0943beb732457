//! Quotas of a member: messages sent a day (new threads and replies) and attachment drafts
//! kept, by count and by bytes; refused with a French message on the page and a problem
//! document in the API, and counted atomically under concurrent requests.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use caisse_core::messaging::MessagingQuotas;
use caisse_store::entities::attachment_draft;
use caisse_test_support::files::{pdf, png, stored_files};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{
    MEMBER_NIR, MEMBER_PASSWORD, TestApp, api_token, config, message_fields, message_json,
    multipart_body,
};

const SUBJECT: &str = "Facture de la pharmacie";
const BODY: &str = "Bonjour, voici la facture et l'ordonnance de mars.";

/// The demo app under these quotas (`field: value` of [`MessagingQuotas`]).
macro_rules! app_with {
    ($($field:ident: $value:expr),+) => {{
        let mut config = config();
        config.services.messaging_quotas = MessagingQuotas {
            $($field: $value,)+
            ..MessagingQuotas::default()
        };
        TestApp::build(config, true).await
    }};
}

/// [`app_with!`], with the demo member logged in.
async fn logged_in(app: TestApp) -> TestApp {
    let mut app = app;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    app
}

fn message() -> Value {
    message_json(SUBJECT, BODY)
}

/// A page's text with askama's escapes of quotes undone.
fn text(body: &str) -> String {
    body.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

async fn drafts_and_files(app: &TestApp) -> (u64, usize) {
    (
        attachment_draft::Entity::find()
            .count(&app.db.db)
            .await
            .unwrap(),
        stored_files(app.files.backend().as_ref()).await,
    )
}

#[tokio::test]
async fn drafts_are_capped_by_count_with_a_french_message() {
    let mut app = logged_in(app_with!(max_drafts: 3)).await;
    let (pdf, png) = (pdf(), png());
    let fields = message_fields(SUBJECT, BODY, "verifier");
    let files = [
        ("files", "facture.pdf", &pdf[..]),
        ("files", "photo.png", &png[..]),
    ];
    let first = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &fields,
            &files,
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(drafts_and_files(&app).await, (2, 2));
    // A second form (the first abandoned): two more files would make four.
    let second = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &fields,
            &files,
        )
        .await;
    let second = text(&second.body);
    assert!(
        second.contains("Ces fichiers n'ont pas été joints")
            && second.contains("3 fichiers ou 50 Mo en tout"),
        "{second}"
    );
    assert_eq!(drafts_and_files(&app).await, (2, 2), "nothing more kept");
}

#[tokio::test]
async fn drafts_are_capped_by_bytes() {
    let pdf = pdf();
    // Room for one PDF as stored (rewritten), not two.
    let stored = caisse_core::pdf_files::sanitise(&pdf).unwrap().len() as u64;
    let mut app = logged_in(app_with!(max_draft_bytes: stored + 10)).await;
    let fields = message_fields(SUBJECT, BODY, "verifier");
    let one = [("files", "facture.pdf", &pdf[..])];
    app.submit_with_files("/messagerie/nouveau", "/messagerie/nouveau", &fields, &one)
        .await;
    assert_eq!(drafts_and_files(&app).await, (1, 1));
    let refused = app
        .submit_with_files("/messagerie/nouveau", "/messagerie/nouveau", &fields, &one)
        .await;
    assert!(text(&refused.body).contains("Ces fichiers n'ont pas été joints"));
    assert_eq!(drafts_and_files(&app).await, (1, 1));
}

#[tokio::test]
async fn sends_a_day_count_new_threads_and_replies() {
    let mut app = app_with!(sends_per_day: 2);
    let token = api_token(&mut app, MEMBER_NIR).await;
    let sent = app
        .post_json("/api/v1/messages", message(), Some(&token))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let id = serde_json::from_str::<Value>(&sent.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = app
        .post_json(
            &format!("/api/v1/messages/{id}/replies"),
            json!({ "body": "Je joins la facture demain." }),
            Some(&token),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    for refused in [
        app.post_json("/api/v1/messages", message(), Some(&token))
            .await,
        app.post_json(
            &format!("/api/v1/messages/{id}/replies"),
            json!({ "body": "Encore un mot." }),
            Some(&token),
        )
        .await,
    ] {
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            refused.headers[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let problem: Value = serde_json::from_str(&refused.body).unwrap();
        assert_eq!(problem["code"], "quota_exceeded");
    }

    // The pages say so beside the text, and keep what the member wrote.
    let mut browser = app.another_browser();
    browser.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let page = browser
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &message_fields(SUBJECT, BODY, "envoyer"),
            &[],
        )
        .await;
    let page = text(&page.body);
    assert!(
        page.contains("Vous avez déjà envoyé 2 messages aujourd'hui"),
        "{page}"
    );
    assert!(page.contains(BODY), "what the member wrote is kept");
    let reply_page = browser
        .submit_with_files(
            &format!("/messagerie/{id}"),
            &format!("/messagerie/{id}/repondre"),
            &[("body", "Une réponse de trop.")],
            &[],
        )
        .await;
    assert!(reply_page.body.contains("Vous avez déjà envoyé 2 messages"));
}

#[tokio::test]
async fn concurrent_sends_never_pass_the_last_slot_together() {
    let mut app = app_with!(sends_per_day: 2);
    let token = api_token(&mut app, MEMBER_NIR).await;
    let requests = (0..5).map(|_| {
        let request = Request::post("/api/v1/messages")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(message().to_string()))
            .unwrap();
        app.router.clone().oneshot(request)
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|response| response.unwrap().status())
        .collect();
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((created, refused), (2, 3), "{statuses:?}");
}

#[tokio::test]
async fn concurrent_uploads_never_pass_the_draft_cap_together() {
    let mut app = logged_in(app_with!(max_drafts: 2)).await;
    let token = app.get("/messagerie/nouveau").await.csrf_token();
    let cookie = app.cookie.clone().unwrap();
    let pdf = pdf();
    let requests = (0..5).map(|_| {
        let mut fields = vec![("csrf_token", token.as_str())];
        fields.extend(message_fields(SUBJECT, BODY, "verifier"));
        let (content_type, body) = multipart_body(&fields, &[("files", "facture.pdf", &pdf)]);
        let request = Request::post("/messagerie/nouveau")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::COOKIE, &cookie)
            .body(Body::from(body))
            .unwrap();
        app.router.clone().oneshot(request)
    });
    for response in futures_util::future::join_all(requests).await {
        // The form again: its drafts, or the refusal of the file.
        let status = response.unwrap().status();
        assert!(status.is_success() || status == StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(drafts_and_files(&app).await, (2, 2));
}
