//! The character limits of « Ma messagerie » without and with JavaScript: the hints state the
//! limits, a checked or refused form shows the counts, and the fields carry the limits for
//! `character-count.js` (served from `/static`, so the strict CSP holds).

use axum::http::{StatusCode, header};

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, message_fields};

const NBSP: char = '\u{a0}';

/// Every `<script` of the page loads a file: none is inline.
fn scripts_are_files(body: &str) -> usize {
    let scripts: Vec<&str> = body.split("<script").skip(1).collect();
    for script in &scripts {
        assert!(
            script.starts_with(" src=\"/static/js/"),
            "inline script: {script}"
        );
    }
    scripts.len()
}

#[tokio::test]
async fn the_new_message_form_states_the_limits_then_counts_what_was_typed() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let form = app.get("/messagerie/nouveau").await;
    assert!(
        form.body
            .contains(&format!("4{NBSP}000 caractères maximum. Ne communiquez"))
    );
    assert!(form.body.contains("Quelques mots, 100 caractères maximum."));
    assert!(
        form.body.contains("data-max-chars=\"4000\""),
        "{}",
        form.body
    );
    assert!(form.body.contains("data-max-chars=\"100\""));
    assert!(
        !form.body.contains("maxlength"),
        "JavaScript warns instead of cutting"
    );
    assert!(!form.body.contains("-compte"));
    assert_eq!(scripts_are_files(&form.body), 2);
    assert!(
        form.body
            .contains("<script src=\"/static/js/character-count.")
    );

    let body = format!("{}\r\n{}", "a".repeat(1_000), "é".repeat(233));
    let checked = app
        .submit(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            // « Modifier » from the check step: the form again, with the counts.
            &message_fields("  Feuille de soins  ", &body, "modifier"),
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(
        checked.body.contains(&format!(
            "<p class=\"field__count\" id=\"body-compte\">1{NBSP}234 caractères sur 4{NBSP}000</p>"
        )),
        "{}",
        checked.body
    );
    assert!(
        checked
            .body
            .contains("<p class=\"field__count\" id=\"subject-compte\">16 caractères sur 100</p>")
    );
    assert!(
        checked
            .body
            .contains("aria-describedby=\"body-aide body-compte\"")
    );
    assert!(
        checked
            .body
            .contains("aria-describedby=\"subject-aide subject-compte\"")
    );

    // Past the limit: the count turns into an error beside the field's error.
    let too_long = "a".repeat(4_012);
    let refused = app
        .submit(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &message_fields("Feuille de soins", &too_long, "envoyer"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(&format!(
        "<p class=\"field__count field__count--over\" id=\"body-compte\">4{NBSP}012 caractères sur 4{NBSP}000</p>"
    )));
    assert!(refused.body.contains("body-aide body-compte body-erreur-1"));
    assert!(refused.body.contains(&too_long), "the draft is kept");
}

#[tokio::test]
async fn a_reply_over_the_limit_is_given_back_with_its_count() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let sent = app
        .submit(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &message_fields("Feuille de soins", "Bonjour.", "envoyer"),
        )
        .await;
    let thread = sent
        .location()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let page = app.get(&thread).await;
    assert!(
        page.body
            .contains(&format!("4{NBSP}000 caractères maximum."))
    );
    assert!(page.body.contains("data-max-chars=\"4000\""));
    // The counter's, and the assistant's panel of every member page.
    assert_eq!(scripts_are_files(&page.body), 2);

    let too_long = "b".repeat(4_001);
    let refused = app
        .submit(
            &thread,
            &format!("{thread}/repondre"),
            &[("body", &too_long)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(&format!(
        "id=\"body-compte\">4{NBSP}001 caractères sur 4{NBSP}000</p>"
    )));
    assert!(refused.body.contains(&format!(">{too_long}</textarea>")));
}

#[tokio::test]
async fn the_counter_script_is_served_from_static_and_knows_no_limit_itself() {
    let mut app = TestApp::with_demo_data().await;
    let script = app.get("/static/js/character-count.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(
        script.headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert!(script.body.contains("data-max-chars"));
    assert!(script.body.contains("aria-live"));
    let numbers: Vec<&str> = script
        .body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    for limit in ["4000", "100"] {
        assert!(!numbers.contains(&limit), "{limit} is hard-coded");
    }
    let csp = script.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
}
