//! Attempt limits under concurrency: bursts of wrong passwords and codes fired at once through
//! the real router and pool. Each attempt is counted before it is checked, so exactly the
//! limit is checked, whatever the concurrency, on SQLite and PostgreSQL.

use std::time::{Duration as StdDuration, Instant};

use axum::http::StatusCode;
use caisse_core::auth::LoginSettings;
use caisse_core::clock::ManualClock;
use caisse_domain::Nir;
use serde_json::json;
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, no_device_check};

const WRONG: &str = "Mauvais-Mot-2026";
const EMAIL: &str = "julien.martin@exemple.fr";
const BURST: usize = 30;

async fn app_with(login: LoginSettings) -> TestApp {
    TestApp::with_clock(ManualClock::new(caisse_store::now_utc()), login).await
}

async fn julien(app: &TestApp) -> Uuid {
    app.member("185057800608491").await.id
}

async fn actions(app: &TestApp, kind: &str, id: Uuid, action: &str) -> usize {
    caisse_store::audit::for_subject(&app.db.db, kind, id, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action.code() == action)
        .count()
}

fn verifications(app: &TestApp) -> u64 {
    app.hasher.work_done().verifications
}

/// Posts `fields` to `path` `n` times at once, from the same browser as `app`.
async fn burst_form(
    app: &TestApp,
    n: usize,
    path: &'static str,
    fields: Vec<(&'static str, String)>,
) -> Vec<TestResponse> {
    let mut set = JoinSet::new();
    for _ in 0..n {
        let mut browser = app.another_browser();
        browser.cookie.clone_from(&app.cookie);
        let fields = fields.clone();
        set.spawn(async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post_form(path, &fields).await
        });
    }
    set.join_all().await
}

/// Posts JSON bodies at once, one request each.
async fn burst_json(
    app: &TestApp,
    path: &'static str,
    bodies: Vec<serde_json::Value>,
) -> Vec<TestResponse> {
    let mut set = JoinSet::new();
    for body in bodies {
        let mut browser = app.another_browser();
        set.spawn(async move { browser.post_json(path, body, None).await });
    }
    set.join_all().await
}

/// Waits until `condition` holds, polling; panics after ten seconds.
async fn until<F, Fut>(what: &str, condition: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !condition().await {
        assert!(
            start.elapsed() < StdDuration::from_secs(10),
            "never: {what}"
        );
        tokio::time::sleep(StdDuration::from_millis(5)).await;
    }
}

fn statuses(responses: &[TestResponse], status: StatusCode) -> usize {
    responses.iter().filter(|r| r.status == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_wrong_passwords_gets_exactly_five_checks() {
    let app = app_with(no_device_check()).await;
    let before = verifications(&app);
    let responses = burst_json(
        &app,
        "/api/v1/auth/login",
        vec![json!({ "nir": MEMBER_NIR, "password": WRONG }); BURST],
    )
    .await;
    assert_eq!(verifications(&app) - before, 5, "checked against the hash");
    assert_eq!(statuses(&responses, StatusCode::UNAUTHORIZED), 4);
    assert_eq!(statuses(&responses, StatusCode::LOCKED), BURST - 4);
    let id = julien(&app).await;
    assert_eq!(actions(&app, "member", id, "member.login.failed").await, 5);
    assert_eq!(
        actions(&app, "member", id, "member.account.locked").await,
        1
    );
    assert_eq!(
        app.mail_bodies(EMAIL, "Votre compte est temporairement bloqué")
            .await
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_right_password_inside_a_burst_leaves_the_burst_lock_in_place() {
    let app = app_with(no_device_check()).await;
    let nir = Nir::parse("185057800608491").unwrap();
    let key = caisse_core::lockout::member_key(Some(&nir), "");
    let throttle = || async {
        caisse_store::login_throttles::get(&app.db.db, &key)
            .await
            .unwrap()
    };
    // Every check waits until the burst has locked the NIR.
    let hold = app.hasher.hold().await.unwrap();
    let mut right = app.another_browser();
    let right = tokio::spawn(async move {
        right
            .post_json(
                "/api/v1/auth/login",
                json!({ "nir": MEMBER_NIR, "password": MEMBER_PASSWORD }),
                None,
            )
            .await
    });
    until("the right password is counted", || async {
        throttle().await.consecutive_failures == 1
    })
    .await;
    let wrong = tokio::spawn({
        let app = app.another_browser();
        async move {
            burst_json(
                &app,
                "/api/v1/auth/login",
                vec![json!({ "nir": MEMBER_NIR, "password": WRONG }); 20],
            )
            .await
        }
    });
    until("the burst locks", || async {
        throttle().await.locked_until.is_some()
    })
    .await;
    drop(hold);
    let right = right.await.unwrap();
    let wrong = wrong.await.unwrap();
    assert_eq!(right.status, StatusCode::OK, "counted before the lock");
    // Four of the burst were counted (the fourth started the lock), sixteen refused unchecked.
    assert_eq!(statuses(&wrong, StatusCode::UNAUTHORIZED), 3);
    assert_eq!(statuses(&wrong, StatusCode::LOCKED), 17);
    let mut later = app.another_browser();
    let after = later
        .post_json(
            "/api/v1/auth/login",
            json!({ "nir": MEMBER_NIR, "password": MEMBER_PASSWORD }),
            None,
        )
        .await;
    assert_eq!(after.status, StatusCode::LOCKED, "the lock stays");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_passwords_typed_again_in_the_profile_gets_exactly_five_checks() {
    let mut app = app_with(no_device_check()).await;
    let login = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let token = app.get("/profil/adresse").await.csrf_token();
    let before = verifications(&app);
    let responses = burst_form(
        &app,
        BURST,
        "/profil/adresse",
        vec![
            ("csrf_token", token),
            ("line1", "3 avenue de Paris".to_owned()),
            ("line2", String::new()),
            ("postal_code", "78000".to_owned()),
            ("city", "Versailles".to_owned()),
            ("current_password", WRONG.to_owned()),
        ],
    )
    .await;
    assert_eq!(verifications(&app) - before, 5);
    assert_eq!(
        responses
            .iter()
            .filter(|r| r.body.contains("temporairement bloqué"))
            .count(),
        BURST - 4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_wrong_login_codes_gets_exactly_five_checks() {
    let mut app = app_with(LoginSettings::default()).await;
    let login = app
        .post_json(
            "/api/v1/auth/login",
            json!({ "nir": MEMBER_NIR, "password": MEMBER_PASSWORD }),
            None,
        )
        .await;
    assert_eq!(login.status, StatusCode::ACCEPTED, "{}", login.body);
    let challenge: serde_json::Value = serde_json::from_str(&login.body).unwrap();
    let challenge_id = challenge["challenge_id"].as_str().unwrap().to_owned();
    let code = app.last_code(EMAIL).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let responses = burst_json(
        &app,
        "/api/v1/auth/login/confirm",
        vec![json!({ "challenge_id": challenge_id, "code": wrong }); BURST],
    )
    .await;
    assert_eq!(statuses(&responses, StatusCode::UNAUTHORIZED), 4);
    assert_eq!(statuses(&responses, StatusCode::GONE), BURST - 4);
    let id = julien(&app).await;
    assert_eq!(
        actions(&app, "member", id, "member.login.code_refused").await,
        5,
        "codes compared"
    );
    let row = caisse_store::devices::challenge(&app.db.db, challenge_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.attempts, 5);
    // Out of attempts: even the right code no longer works.
    let right = app
        .post_json(
            "/api/v1/auth/login/confirm",
            json!({ "challenge_id": challenge_id, "code": code }),
            None,
        )
        .await;
    assert_eq!(right.status, StatusCode::GONE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_wrong_sms_codes_gets_exactly_five_checks() {
    let mut app = app_with(no_device_check()).await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let asked = app
        .submit(
            "/profil/mobile",
            "/profil/mobile",
            &[
                ("phone", "06 98 76 54 00"),
                ("current_password", MEMBER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        asked.location(),
        Some("/profil/mobile/code"),
        "{}",
        asked.body
    );
    let code = app.last_sms_code("+33698765400").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let token = app.get("/profil/mobile/code").await.csrf_token();
    burst_form(
        &app,
        BURST,
        "/profil/mobile/code",
        vec![("csrf_token", token), ("code", wrong.to_owned())],
    )
    .await;
    let id = julien(&app).await;
    let live = caisse_store::contact_codes::live(&app.db.db, id, app.clock.instant())
        .await
        .unwrap()
        .expect("the code is not used");
    assert_eq!(live.attempts, 5, "codes compared");
    // Out of attempts: the code page is gone, and the right code no longer works.
    let right = app
        .submit("/profil/mobile", "/profil/mobile/code", &[("code", &code)])
        .await;
    assert!(
        right.body.contains("mal saisi trop de fois"),
        "{}",
        right.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_wrong_provisional_codes_gets_exactly_five_checks() {
    let mut app = app_with(no_device_check()).await;
    let asked = app
        .submit(
            "/code-provisoire/demande",
            "/code-provisoire/demande",
            &[("nir", MEMBER_NIR), ("birth_date", "14/05/1985")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    let token = app.get("/code-provisoire").await.csrf_token();
    let before = verifications(&app);
    let password = "Girafe-Parapluie-Violon-47".to_owned();
    burst_form(
        &app,
        BURST,
        "/code-provisoire",
        vec![
            ("csrf_token", token),
            ("nir", MEMBER_NIR.to_owned()),
            ("code", "AAAA-AAAA".to_owned()),
            ("password", password.clone()),
            ("confirmation", password),
        ],
    )
    .await;
    assert_eq!(verifications(&app) - before, 5, "codes checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_wrong_staff_codes_gets_exactly_five_checks() {
    let mut app = app_with(no_device_check()).await;
    let password = app
        .submit(
            "/agent/connexion",
            "/agent/connexion",
            &[
                ("login", "admin"),
                ("password", crate::support::STAFF_PASSWORD),
            ],
        )
        .await;
    assert_eq!(password.location(), Some("/agent/connexion/code"));
    let secret = caisse_core::demo::demo_totp_secret("admin").unwrap();
    let now = caisse_core::staff_totp::step_of(app.clock.now());
    let near: Vec<String> = (now - 1..=now + 1)
        .map(|s| secret.code_of_step(s))
        .collect();
    let wrong = ["000000", "111111", "222222"]
        .into_iter()
        .find(|c| !near.iter().any(|n| n == c))
        .unwrap();
    let token = app.get("/agent/connexion/code").await.csrf_token();
    burst_form(
        &app,
        BURST,
        "/agent/connexion/code",
        vec![("csrf_token", token), ("code", wrong.to_owned())],
    )
    .await;
    let id = caisse_store::staff::by_login(&app.db.db, "admin")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        actions(&app, "staff", id, "staff.login.code_refused").await,
        5,
        "codes checked"
    );
    assert_eq!(actions(&app, "staff", id, "staff.account.locked").await, 1);
}
