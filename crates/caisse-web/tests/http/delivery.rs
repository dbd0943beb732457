//! How responses travel (issue 20): compressed in brotli or gzip when the browser asks, except
//! PDFs and images; static files under a name holding the hash of their bytes, cached for a
//! year; the CSRF token masked afresh in every page, since pages are compressed (BREACH).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, config};

async fn get_accepting(app: &mut TestApp, path: &str, encodings: &str) -> TestResponse {
    let mut request = Request::get(path).header(header::ACCEPT_ENCODING, encodings);
    if let Some(cookie) = app.cookie.clone() {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

fn encoding(response: &TestResponse) -> Option<&str> {
    response
        .headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
}

/// The `href` or `src` of the first link to `/static/{prefix}`.
fn static_link(body: &str, prefix: &str) -> String {
    let marker = format!("\"/static/{prefix}");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("{marker} in {body}"))
        + 1;
    let end = body[start..].find('"').unwrap() + start;
    body[start..end].to_owned()
}

#[tokio::test]
async fn pages_json_css_and_svg_are_compressed_as_the_browser_asks() {
    let mut app = TestApp::with_demo_data().await;
    let plain = app.get("/connexion").await;
    assert_eq!(encoding(&plain), None, "not asked, not compressed");
    let css_path = static_link(&plain.body, "css/caisse.");
    let svg_path = static_link(&plain.body, "img/favicon.");
    for (asked, expected) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        for path in ["/connexion", css_path.as_str(), "/api/v1/openapi.json"] {
            let response = get_accepting(&mut app, path, asked).await;
            assert_eq!(response.status, StatusCode::OK, "{path}");
            assert_eq!(
                encoding(&response),
                Some(expected),
                "{path} for « {asked} »"
            );
            let vary = response.headers[header::VARY].to_str().unwrap();
            assert!(vary.to_lowercase().contains("accept-encoding"), "{vary}");
        }
    }
    let page = get_accepting(&mut app, "/connexion", "gzip").await;
    assert!(page.bytes.starts_with(&[0x1f, 0x8b]), "a gzip stream");
    assert!(
        page.bytes.len() * 2 < plain.bytes.len(),
        "smaller by half at least"
    );
    let svg = get_accepting(&mut app, &svg_path, "br").await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.headers[header::CONTENT_TYPE], "image/svg+xml");
    // The favicon is tiny: compressing it would cost more than it saves.
    assert!(plain.body.len() > 256);
    if svg.bytes.len() > 256 {
        assert_eq!(encoding(&svg), Some("br"));
    }
}

#[tokio::test]
async fn pdfs_are_sent_as_they_are() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let page = app.get("/attestations").await;
    let token = page.csrf_token();
    let body = serde_urlencoded::to_string([
        ("csrf_token", token.as_str()),
        ("document", "droits"),
        ("beneficiaire", "famille"),
    ])
    .unwrap();
    let mut request = Request::post("/attestations")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = app.cookie.clone() {
        request = request.header(header::COOKIE, cookie);
    }
    let pdf = app.send(request.body(Body::from(body)).unwrap()).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(encoding(&pdf), None);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
}

#[tokio::test]
async fn static_files_are_linked_by_hash_and_cached_for_a_year() {
    let mut app = TestApp::build(config(), false).await;
    let page = app.get("/connexion").await;
    let css = static_link(&page.body, "css/caisse.");
    // `/static/css/caisse.<12 hex digits>.css`
    let hash = css
        .strip_prefix("/static/css/caisse.")
        .and_then(|rest| rest.strip_suffix(".css"))
        .unwrap_or_else(|| panic!("{css}"));
    assert_eq!(hash.len(), 12, "{css}");
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{css}");
    assert!(!page.body.contains("\"/static/css/caisse.css\""));
    assert!(!page.body.contains("\"/static/js/aide.js\""));

    let hashed = app.get(&css).await;
    assert_eq!(hashed.status, StatusCode::OK);
    assert_eq!(
        hashed.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(
        hashed.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    // The plain name still answers (pages and mails of before), briefly cached, same bytes.
    let plain = app.get("/static/css/caisse.css").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.headers[header::CACHE_CONTROL], "public, max-age=300");
    assert_eq!(plain.bytes, hashed.bytes);
    // A wrong or outdated hash is not found: never an old name with new bytes.
    let wrong = app.get("/static/css/caisse.000000000000.css").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    // The theme follows the configuration, not the build.
    let theme = app.get("/theme.css").await;
    assert_eq!(theme.headers[header::CACHE_CONTROL], "public, max-age=300");
}

#[tokio::test]
async fn the_csrf_token_differs_in_every_page_and_each_one_is_accepted() {
    let mut app = TestApp::with_demo_data().await;
    let first = app.get("/verifier").await.csrf_token();
    let second = app.get("/verifier").await.csrf_token();
    assert_ne!(first, second, "masked afresh in every response");
    for token in [&first, &second] {
        let posted = app
            .post_form("/verifier", &[("csrf_token", token), ("code", "")])
            .await;
        assert_ne!(posted.status, StatusCode::FORBIDDEN, "{}", posted.body);
        assert!(posted.body.contains("Saisissez le code de vérification"));
    }
    // Another browser's token, masked or not, stays refused.
    let mut other = app.another_browser();
    let theirs = other.get("/verifier").await.csrf_token();
    let refused = app
        .post_form("/verifier", &[("csrf_token", &theirs), ("code", "")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
