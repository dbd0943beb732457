use axum::http::{StatusCode, header};

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp};

const EMAIL: &str = "julien.martin@exemple.fr";

fn query_value<'a>(location: &'a str, key: &str) -> &'a str {
    location
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
        .expect("query parameter")
}

/// Logs the demo member in on a new device; returns the code page, the challenge and the code.
async fn challenged(app: &mut TestApp) -> (String, String, String) {
    let location = app
        .login_member(MEMBER_NIR, MEMBER_PASSWORD)
        .await
        .location()
        .unwrap()
        .to_owned();
    let challenge = query_value(&location, "defi").to_owned();
    let code = app.last_code(EMAIL).await;
    (location, challenge, code)
}

#[tokio::test]
async fn a_new_device_must_type_the_mailed_code_before_any_session_opens() {
    let mut app = TestApp::with_device_check().await;
    let response = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let location = response.location().unwrap().to_owned();
    assert!(location.starts_with("/connexion/code?defi="), "{location}");
    assert_eq!(
        app.get("/profil").await.status,
        StatusCode::SEE_OTHER,
        "no session before the code"
    );

    let page = app.get(&location).await;
    assert!(page.body.contains("Confirmez votre connexion"));
    let challenge = query_value(&location, "defi");
    let wrong = app
        .submit(
            &location,
            "/connexion/code",
            &[("defi", challenge), ("code", "000000"), ("next", "/")],
        )
        .await;
    assert!(wrong.body.contains("pas le bon") || app.last_code(EMAIL).await == "000000");

    let code = app.last_code(EMAIL).await;
    let ok = app
        .submit(
            &location,
            "/connexion/code",
            &[("defi", challenge), ("code", &code), ("next", "/profil")],
        )
        .await;
    assert_eq!(ok.location(), Some("/profil"));
    assert_eq!(app.get("/profil").await.status, StatusCode::OK);
    let replay = app
        .submit(
            &location,
            "/connexion/code",
            &[("defi", challenge), ("code", &code), ("next", "/")],
        )
        .await;
    assert!(
        replay.body.contains("error-summary") && replay.location().is_none(),
        "a code works once"
    );
}

#[tokio::test]
async fn five_wrong_codes_kill_the_challenge() {
    let mut app = TestApp::with_device_check().await;
    let (location, challenge, code) = challenged(&mut app).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    for _ in 0..5 {
        app.submit(
            &location,
            "/connexion/code",
            &[("defi", &challenge), ("code", wrong), ("next", "/")],
        )
        .await;
    }
    let late = app
        .submit(
            &location,
            "/connexion/code",
            &[("defi", &challenge), ("code", &code), ("next", "/")],
        )
        .await;
    assert!(late.body.contains("a expiré"));
    assert_eq!(app.get("/profil").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_code_typed_in_another_browser_is_refused() {
    let mut app = TestApp::with_device_check().await;
    let (location, challenge, code) = challenged(&mut app).await;
    app.cookie = None; // another browser
    let response = app
        .submit(
            &location,
            "/connexion/code",
            &[("defi", &challenge), ("code", &code), ("next", "/")],
        )
        .await;
    assert!(response.body.contains("pas le bon"));
}

#[tokio::test]
async fn a_trusted_device_skips_the_code_next_time() {
    let mut app = TestApp::with_device_check().await;
    let (location, challenge, code) = challenged(&mut app).await;
    let page = app.get(&location).await;
    let token = page.csrf_token();
    let body = serde_urlencoded::to_string([
        ("csrf_token", token.as_str()),
        ("defi", challenge.as_str()),
        ("code", code.as_str()),
        ("confiance", "oui"),
        ("next", "/"),
    ])
    .unwrap();
    let request = axum::http::Request::post("/connexion/code")
        .header(header::COOKIE, app.cookie.clone().unwrap())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body))
        .unwrap();
    let response = app.send(request).await;
    let cookies: Vec<String> = response
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    let device = cookies
        .iter()
        .find(|c| c.starts_with("caisse_device="))
        .expect("device cookie")
        .clone();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("caisse_sid="))
        .expect("session cookie")
        .clone();

    // Log out, then log in again from the same browser (the device cookie stays).
    app.cookie = Some(format!("{session}; {device}"));
    app.submit("/profil", "/deconnexion", &[]).await;
    let fresh = app.cookie.clone().unwrap();
    app.cookie = Some(format!("{fresh}; {device}"));
    let again = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(again.location(), Some("/"), "trusted: no code");
}
