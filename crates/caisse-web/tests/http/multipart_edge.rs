//! Forms with files: the CSRF token is read first and checked before anything else of the
//! body, and only the routes that take files get the long time limit.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use futures_util::StreamExt;

use crate::support::{TestApp, config, multipart_body};

const BOUNDARY: &str = "----caisse-test-boundary-7MA4YWxkTrZu0gW";

/// A multipart body that starts with `head` and never ends, as a slow or hostile client's.
fn endless(head: String) -> Body {
    let first = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(head))]);
    Body::from_stream(first.chain(futures_util::stream::pending()))
}

fn text_part(name: &str, value: &str) -> String {
    format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
}

fn multipart_post(path: &str, cookie: Option<&str>, body: Body) -> Request<Body> {
    let mut request = Request::post(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(body).expect("request")
}

#[tokio::test]
async fn a_token_after_the_files_is_refused() {
    let mut app = TestApp::build(config(), false).await;
    let token = app.get("/verifier").await.csrf_token();
    let (content_type, mut body) = multipart_body(&[], &[("files", "a.pdf", b"%PDF-1.7\n")]);
    // The same token, as a last part.
    let tail = format!("--{BOUNDARY}--\r\n");
    body.truncate(body.len() - tail.len());
    body.extend_from_slice(text_part("csrf_token", &token).as_bytes());
    body.extend_from_slice(tail.as_bytes());
    let request = Request::post("/verifier/fichier")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, app.cookie.clone().expect("a cookie"))
        .body(Body::from(body))
        .expect("request");
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(response.body.contains("Formulaire expiré"));
}

#[tokio::test]
async fn a_forged_upload_is_refused_before_its_files_are_read() {
    let mut app = TestApp::build(config(), false).await;
    app.get("/verifier").await;
    let cookie = app.cookie.clone().expect("a cookie");
    let file_start = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; \
         filename=\"a.pdf\"\r\n\r\n%PDF-1.7\n"
    );
    // A wrong token then a file still arriving, and a file first.
    for first in [
        format!("{}{file_start}", text_part("csrf_token", "forged")),
        file_start.clone(),
    ] {
        let request = multipart_post("/verifier/fichier", Some(&cookie), endless(first));
        let response = tokio::time::timeout(Duration::from_secs(10), app.send(request))
            .await
            .expect("an answer without waiting for the rest of the body");
        assert_eq!(response.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn declaring_multipart_to_the_login_form_earns_no_extra_time() {
    let mut app = TestApp::build(config(), false).await;
    tokio::time::pause();
    let started = tokio::time::Instant::now();
    let request = multipart_post("/connexion", None, endless(text_part("nir", "1")));
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(started.elapsed().as_secs(), 30);
}

#[tokio::test]
async fn the_routes_that_take_files_keep_five_minutes() {
    let mut app = TestApp::build(config(), false).await;
    tokio::time::pause();
    let started = tokio::time::Instant::now();
    // A slow client still sending its first part.
    let request = multipart_post("/verifier/fichier", None, endless(String::new()));
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(started.elapsed().as_secs(), 300);
}
