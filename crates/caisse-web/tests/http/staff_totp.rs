//! Staff login in two steps: password, then the code of an authenticator app (TOTP), with the
//! enrolment of the app for an account that has none.

use axum::http::{StatusCode, header};
use caisse_core::audit::RequestContext;
use caisse_core::clock::ManualClock;
use caisse_core::demo::demo_totp_secret;
use caisse_core::staff::{StaffDraft, StaffRole};
use caisse_core::staff_totp::{TotpSecret, step_of};
use caisse_domain::CaisseCode;
use time::Duration;
use uuid::Uuid;

use crate::support::{STAFF_PASSWORD, TestApp, TestResponse, cheap_hasher, no_device_check};

const CODE_PAGE: &str = "/agent/connexion/code";
const ENROLMENT_PAGE: &str = "/agent/connexion/enrolement";
const NEWCOMER: &str = "nouvelle.recrue";
const NEWCOMER_PASSWORD: &str = "Recrue-Agent-2026";

async fn app() -> (TestApp, ManualClock) {
    app_at(caisse_store::now_utc()).await
}

async fn app_at(now: time::OffsetDateTime) -> (TestApp, ManualClock) {
    let clock = ManualClock::new(now);
    (
        TestApp::with_clock(clock.clone(), no_device_check()).await,
        clock,
    )
}

fn secret(login: &str) -> TotpSecret {
    demo_totp_secret(login).expect("a demo staff login")
}

/// The code of `login`'s demo secret, `steps` away from the app's current step.
fn code(app: &TestApp, login: &str, steps: i64) -> String {
    secret(login).code_of_step(step_of(app.clock.now()) + steps)
}

/// Six digits that no app shows now (not a code of the accepted window).
fn wrong_code(app: &TestApp, secret: &TotpSecret) -> String {
    let now = step_of(app.clock.now());
    let near: Vec<String> = (now - 1..=now + 1)
        .map(|s| secret.code_of_step(s))
        .collect();
    ["000000", "111111", "222222", "333333"]
        .into_iter()
        .find(|c| !near.iter().any(|n| n == c))
        .unwrap()
        .to_owned()
}

async fn password(app: &mut TestApp, login: &str, password: &str) -> TestResponse {
    app.submit(
        "/agent/connexion",
        "/agent/connexion",
        &[("login", login), ("password", password)],
    )
    .await
}

async fn send_code(app: &mut TestApp, page: &str, code: &str) -> TestResponse {
    app.submit(page, page, &[("code", code)]).await
}

async fn staff_id(app: &TestApp, login: &str) -> Uuid {
    caisse_store::staff::by_login(&app.db.db, login)
        .await
        .unwrap()
        .expect("staff account")
        .id
}

async fn audit_actions(app: &TestApp, login: &str) -> Vec<String> {
    let id = staff_id(app, login).await;
    caisse_store::audit::for_subject(&app.db.db, "staff", id, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action.code().to_owned())
        .collect()
}

async fn logged_in(app: &mut TestApp) -> bool {
    app.get("/agent").await.status == StatusCode::OK
}

async fn create_newcomer(app: &TestApp) -> Uuid {
    caisse_core::staff::create(
        &app.db.db,
        &cheap_hasher(),
        StaffDraft {
            login: NEWCOMER.to_owned(),
            display_name: "Nouvelle Recrue".to_owned(),
            email: Some("nouvelle.recrue@caisse.example".to_owned()),
            role: StaffRole::Conseiller,
            caisse: CaisseCode::parse("751").unwrap(),
            password: NEWCOMER_PASSWORD.to_owned(),
        },
        app.clock.now(),
    )
    .await
    .unwrap()
}

/// The key the enrolment page shows, read back.
fn key_on_page(page: &TestResponse) -> TotpSecret {
    let start = page.body.find("<p class=\"totp-key\"><code>").expect("key") + 26;
    let end = page.body[start..].find("</code>").unwrap() + start;
    TotpSecret::from_base32(&page.body[start..end]).expect("a base32 key")
}

#[tokio::test]
async fn the_password_alone_opens_no_session() {
    let (mut app, _clock) = app().await;
    let response = password(&mut app, "conseiller", STAFF_PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some(CODE_PAGE));
    assert!(!logged_in(&mut app).await);
    let page = app.get(CODE_PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Code à 6 chiffres"), "{}", page.body);
    assert!(page.body.contains("autocomplete=\"one-time-code\""));
    let actions = audit_actions(&app, "conseiller").await;
    assert!(actions.contains(&"staff.login.password_accepted".to_owned()));
    assert!(!actions.contains(&"staff.login.succeeded".to_owned()));
}

#[tokio::test]
async fn the_right_code_opens_the_session() {
    let (mut app, _clock) = app().await;
    password(&mut app, "conseiller", STAFF_PASSWORD).await;
    let code = code(&app, "conseiller", 0);
    let response = send_code(&mut app, CODE_PAGE, &code).await;
    assert_eq!(response.location(), Some("/agent"));
    assert!(logged_in(&mut app).await);
    assert!(
        audit_actions(&app, "conseiller")
            .await
            .contains(&"staff.login.succeeded".to_owned())
    );
    // The code page is done with: it sends back to the password.
    assert_eq!(
        app.get(CODE_PAGE).await.location(),
        Some("/agent/connexion")
    );
}

#[tokio::test]
async fn unknown_login_and_wrong_password_share_one_answer_and_ask_no_code() {
    let (mut app, _clock) = app().await;
    let unknown = password(&mut app, "personne", STAFF_PASSWORD).await;
    let wrong = password(&mut app, "conseiller", "Mauvais-Mot-2026").await;
    for response in [&unknown, &wrong] {
        assert_eq!(response.status, StatusCode::OK);
        assert!(
            response
                .body
                .contains("identifiant et le mot de passe ne correspondent pas"),
            "{}",
            response.body
        );
    }
    assert_eq!(
        app.get(CODE_PAGE).await.location(),
        Some("/agent/connexion")
    );
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_says_so() {
    let (mut app, _clock) = app().await;
    password(&mut app, "conseiller", STAFF_PASSWORD).await;
    let wrong = wrong_code(&app, &secret("conseiller"));
    let response = send_code(&mut app, CODE_PAGE, &wrong).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.contains("pas le bon"), "{}", response.body);
    assert!(
        response
            .body
            .contains("aria-describedby=\"code-aide code-erreur-1\" aria-invalid=\"true\"")
    );
    assert!(!logged_in(&mut app).await);
    // The pending login survives a typo.
    let right = code(&app, "conseiller", 0);
    assert_eq!(
        send_code(&mut app, CODE_PAGE, &right).await.location(),
        Some("/agent")
    );
    let actions = audit_actions(&app, "conseiller").await;
    assert!(actions.contains(&"staff.login.code_refused".to_owned()));
}

#[tokio::test]
async fn a_code_is_accepted_once_even_from_another_browser() {
    let (mut app, _clock) = app().await;
    let code = code(&app, "admin", 0);
    password(&mut app, "admin", STAFF_PASSWORD).await;
    assert_eq!(
        send_code(&mut app, CODE_PAGE, &code).await.location(),
        Some("/agent")
    );

    let mut other = app.another_browser();
    password(&mut other, "admin", STAFF_PASSWORD).await;
    let replay = send_code(&mut other, CODE_PAGE, &code).await;
    assert!(
        replay.body.contains("Ce code a déjà servi"),
        "{}",
        replay.body
    );
    assert!(!logged_in(&mut other).await);

    // The same browser, after logging out, cannot reuse it either; the next step's code works.
    app.submit("/agent", "/agent/deconnexion", &[]).await;
    password(&mut app, "admin", STAFF_PASSWORD).await;
    let again = send_code(&mut app, CODE_PAGE, &code).await;
    assert!(again.body.contains("Ce code a déjà servi"));
    let next = self::code(&app, "admin", 1);
    assert_eq!(
        send_code(&mut app, CODE_PAGE, &next).await.location(),
        Some("/agent")
    );
}

#[tokio::test]
async fn a_code_one_step_old_is_accepted_but_two_steps_old_is_refused() {
    // A fixed instant, so the three codes below are known to differ (at a random one, the
    // old code could be, one time in a million, also a near one).
    let (mut app, clock) = app_at(time::macros::datetime!(2026-12-05 10:00:00 UTC)).await;
    let two_ago = code(&app, "superviseur", -2);
    let one_ago = code(&app, "superviseur", -1);
    assert_ne!(two_ago, one_ago);
    assert_ne!(two_ago, code(&app, "superviseur", 0));
    password(&mut app, "superviseur", STAFF_PASSWORD).await;
    let refused = send_code(&mut app, CODE_PAGE, &two_ago).await;
    assert!(refused.body.contains("pas le bon"));
    assert_eq!(
        send_code(&mut app, CODE_PAGE, &one_ago).await.location(),
        Some("/agent")
    );

    // Thirty seconds later, the code typed a step ago has become two steps old.
    let mut later = app.another_browser();
    clock.advance(Duration::seconds(30));
    password(&mut later, "superviseur", STAFF_PASSWORD).await;
    let stale = code(&later, "superviseur", -2);
    let refused = send_code(&mut later, CODE_PAGE, &stale).await;
    assert!(!logged_in(&mut later).await, "{}", refused.body);
}

#[tokio::test]
async fn the_pending_login_belongs_to_the_browser_that_typed_the_password() {
    let (mut app, _clock) = app().await;
    password(&mut app, "conseiller", STAFF_PASSWORD).await;

    let mut other = app.another_browser();
    assert_eq!(
        other.get(CODE_PAGE).await.location(),
        Some("/agent/connexion")
    );
    let code = code(&app, "conseiller", 0);
    let refused = other
        .submit("/agent/connexion", CODE_PAGE, &[("code", &code)])
        .await;
    assert!(
        refused
            .body
            .contains("Votre connexion a expiré ou a commencé dans un autre navigateur"),
        "{}",
        refused.body
    );
    assert!(!logged_in(&mut other).await);

    // The first browser still finishes with the same code, unused.
    assert_eq!(
        send_code(&mut app, CODE_PAGE, &code).await.location(),
        Some("/agent")
    );
}

#[tokio::test]
async fn a_pending_login_expires_after_five_minutes() {
    let (mut app, clock) = app().await;
    password(&mut app, "conseiller", STAFF_PASSWORD).await;
    clock.advance(Duration::minutes(5) + Duration::seconds(1));
    assert_eq!(
        app.get(CODE_PAGE).await.location(),
        Some("/agent/connexion")
    );
    let code = code(&app, "conseiller", 0);
    let late = app
        .submit("/agent/connexion", CODE_PAGE, &[("code", &code)])
        .await;
    assert!(late.body.contains("Votre connexion a expiré"));
    assert!(!logged_in(&mut app).await);
}

#[tokio::test]
async fn five_wrong_codes_lock_the_account_even_across_password_steps() {
    let (mut app, _clock) = app().await;
    let wrong = wrong_code(&app, &secret("admin"));
    password(&mut app, "admin", STAFF_PASSWORD).await;
    for attempt in 1..=3 {
        let response = send_code(&mut app, CODE_PAGE, &wrong).await;
        assert!(response.body.contains("pas le bon"), "attempt {attempt}");
    }
    // Typing the password again does not wipe the count.
    password(&mut app, "admin", STAFF_PASSWORD).await;
    let fourth = send_code(&mut app, CODE_PAGE, &wrong).await;
    assert!(fourth.body.contains("pas le bon"));
    let fifth = send_code(&mut app, CODE_PAGE, &wrong).await;
    assert!(
        fifth.body.contains("Ce compte est temporairement bloqué"),
        "{}",
        fifth.body
    );
    // The pending login is gone, and the right password is refused while locked.
    assert_eq!(
        app.get(CODE_PAGE).await.location(),
        Some("/agent/connexion")
    );
    let locked = password(&mut app, "admin", STAFF_PASSWORD).await;
    assert!(locked.body.contains("Ce compte est temporairement bloqué"));
    assert!(!logged_in(&mut app).await);

    let actions = audit_actions(&app, "admin").await;
    assert!(actions.contains(&"staff.account.locked".to_owned()));
    assert!(actions.contains(&"staff.login.refused_locked".to_owned()));
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "staff.login.code_refused")
            .count(),
        5
    );
}

#[tokio::test]
async fn a_staff_user_without_a_secret_enrols_before_anything_else() {
    let (mut app, _clock) = app().await;
    let id = create_newcomer(&app).await;
    let response = password(&mut app, NEWCOMER, NEWCOMER_PASSWORD).await;
    assert_eq!(response.location(), Some(ENROLMENT_PAGE));
    assert!(!logged_in(&mut app).await);
    assert_eq!(
        app.get(CODE_PAGE).await.location(),
        Some(ENROLMENT_PAGE),
        "the code page sends to the enrolment"
    );

    let page = app.get(ENROLMENT_PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    let key = key_on_page(&page);
    assert!(page.body.contains(&format!(
        "otpauth://totp/CPAM%20de%20test:{NEWCOMER}?secret={}&#38;issuer=CPAM%20de%20test",
        key.base32()
    )));
    assert!(
        page.body
            .contains("src=\"/agent/connexion/enrolement/qr.svg\"")
    );
    // Reloading shows the same key: it belongs to the pending login.
    assert_eq!(
        key_on_page(&app.get(ENROLMENT_PAGE).await).base32(),
        key.base32()
    );

    let qr = app.get("/agent/connexion/enrolement/qr.svg").await;
    assert_eq!(qr.status, StatusCode::OK);
    assert_eq!(qr.headers[header::CONTENT_TYPE], "image/svg+xml");
    assert_eq!(qr.headers[header::CACHE_CONTROL], "no-store");
    assert!(qr.body.contains("<svg") && qr.body.contains("<path"));

    // Nothing is saved before a valid first code.
    let db = app.db.clone();
    let saved = || async {
        caisse_store::staff::find(&db.db, id)
            .await
            .unwrap()
            .unwrap()
            .totp_secret
    };
    assert!(saved().await.is_none());
    let wrong = wrong_code(&app, &key);
    let refused = send_code(&mut app, ENROLMENT_PAGE, &wrong).await;
    assert!(refused.body.contains("pas le bon"));
    assert!(
        refused.body.contains(&key.base32_grouped()),
        "same key shown again"
    );
    assert!(saved().await.is_none());

    let first = key.code_at(app.clock.now());
    let opened = send_code(&mut app, ENROLMENT_PAGE, &first).await;
    assert_eq!(opened.location(), Some("/agent"));
    assert!(logged_in(&mut app).await);
    let sealed = saved().await.expect("saved after the first code");
    assert!(sealed.starts_with("v1.") && !sealed.contains(&key.base32()));

    let actions = audit_actions(&app, NEWCOMER).await;
    for action in [
        "staff.totp.enrolment_started",
        "staff.totp.enrolled",
        "staff.login.succeeded",
    ] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action}: {actions:?}"
        );
    }
    assert_eq!(
        app.mail_bodies(
            "nouvelle.recrue@caisse.example",
            "Application d'authentification enregistrée"
        )
        .await
        .len(),
        1
    );

    // Next time, the code is asked, and the first code cannot be replayed.
    let mut later = app.another_browser();
    let next = password(&mut later, NEWCOMER, NEWCOMER_PASSWORD).await;
    assert_eq!(next.location(), Some(CODE_PAGE));
    let replay = send_code(&mut later, CODE_PAGE, &first).await;
    assert!(replay.body.contains("Ce code a déjà servi"));
}

#[tokio::test]
async fn an_enrolment_is_not_shown_to_another_browser() {
    let (mut app, _clock) = app().await;
    create_newcomer(&app).await;
    password(&mut app, NEWCOMER, NEWCOMER_PASSWORD).await;
    let key = key_on_page(&app.get(ENROLMENT_PAGE).await);

    let mut other = app.another_browser();
    assert_eq!(
        other.get(ENROLMENT_PAGE).await.location(),
        Some("/agent/connexion")
    );
    assert_eq!(
        other.get("/agent/connexion/enrolement/qr.svg").await.status,
        StatusCode::NOT_FOUND
    );
    let code = key.code_at(app.clock.now());
    let refused = other
        .submit("/agent/connexion", ENROLMENT_PAGE, &[("code", &code)])
        .await;
    assert!(refused.body.contains("Votre connexion a expiré"));
    assert!(!logged_in(&mut other).await);
}

#[tokio::test]
async fn a_reset_secret_is_enrolled_again_at_the_next_login() {
    let (mut app, _clock) = app().await;
    let context = RequestContext::default();
    let id =
        caisse_core::staff_login::reset_totp(&app.db.db, "conseiller", &context, app.clock.now())
            .await
            .unwrap()
            .expect("known login");
    assert_eq!(id, staff_id(&app, "conseiller").await);
    assert!(
        caisse_core::staff_login::reset_totp(&app.db.db, "personne", &context, app.clock.now())
            .await
            .unwrap()
            .is_none()
    );

    let response = password(&mut app, "conseiller", STAFF_PASSWORD).await;
    assert_eq!(response.location(), Some(ENROLMENT_PAGE));
    // The old (demo) secret no longer opens anything.
    let old = code(&app, "conseiller", 0);
    let key = key_on_page(&app.get(ENROLMENT_PAGE).await);
    if key.code_at(app.clock.now()) != old {
        let refused = send_code(&mut app, ENROLMENT_PAGE, &old).await;
        assert!(refused.body.contains("pas le bon"));
    }
    let fresh = key.code_at(app.clock.now());
    let opened = send_code(&mut app, ENROLMENT_PAGE, &fresh).await;
    assert_eq!(opened.location(), Some("/agent"));
    assert!(
        audit_actions(&app, "conseiller")
            .await
            .contains(&"staff.totp.reset".to_owned())
    );
}

#[tokio::test]
async fn a_reset_during_a_pending_login_ends_it() {
    let (mut app, _clock) = app().await;
    password(&mut app, "conseiller", STAFF_PASSWORD).await;
    caisse_core::staff_login::reset_totp(
        &app.db.db,
        "conseiller",
        &RequestContext::default(),
        app.clock.now(),
    )
    .await
    .unwrap();
    let code = code(&app, "conseiller", 0);
    let refused = app
        .submit("/agent/connexion", CODE_PAGE, &[("code", &code)])
        .await;
    assert!(refused.body.contains("Votre connexion a expiré"));
    assert!(!logged_in(&mut app).await);
}
