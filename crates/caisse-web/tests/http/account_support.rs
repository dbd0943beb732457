//! Suspicious activity, « Ce n'était pas moi » and what conseillers do about accounts.

use axum::http::StatusCode;
use caisse_domain::{AccountStatus, AlertKind, CaisseCode};
use caisse_store::members;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, config};

const JULIEN: &str = "185057800608491";

fn yvelines() -> CaisseCode {
    CaisseCode::parse("781").unwrap()
}
const SUSPENDED: &str = "Par précaution, l";

async fn julien_id(app: &TestApp) -> uuid::Uuid {
    app.member(JULIEN).await.id
}

async fn trusting_proxy_app() -> TestApp {
    let mut settings = config();
    settings.web.trust_forwarded_for = true;
    settings.web.logins_per_minute_per_ip = 1000;
    TestApp::build(settings, true).await
}

/// Five wrong passwords for Julien, each from another address: enough to suspend.
async fn wrong_passwords_from_five_addresses(app: &mut TestApp) {
    let page = app.get("/connexion").await;
    let token = page.csrf_token();
    for n in 1..=5 {
        app.post_form_from(
            &format!("198.51.100.{n}"),
            "/connexion",
            &[
                ("csrf_token", token.as_str()),
                ("nir", MEMBER_NIR),
                ("password", "Mauvais-Mot-De-Passe-1"),
                ("next", "/"),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn failures_from_many_addresses_suspend_the_account_until_an_conseiller_unlocks_it() {
    let mut app = trusting_proxy_app().await;
    wrong_passwords_from_five_addresses(&mut app).await;
    let id = julien_id(&app).await;
    let account = members::find_account(&app.db.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.status, AccountStatus::Suspended);
    assert_eq!(
        app.mail_bodies(
            "julien.martin@exemple.fr",
            "Votre compte est suspendu par précaution"
        )
        .await
        .len(),
        1
    );
    // The conseiller of the member's fund sees the alert and unlocks (which also ends the lock
    // the five failures started).
    let mut conseiller = TestApp::with_demo_data().await;
    conseiller.router = app.router.clone();
    conseiller.login_staff("conseiller").await;
    let alerts = conseiller.get("/agent/alertes").await;
    assert!(alerts.body.contains("Julien MARTIN"), "{}", alerts.body);
    let path = format!("/agent/comptes/{id}");
    let view = conseiller.get(&path).await;
    assert!(view.body.contains("Suspendu par précaution"));
    let unlocked = conseiller
        .submit(&path, &format!("{path}/debloquer"), &[])
        .await;
    assert_eq!(
        unlocked.location(),
        Some(format!("{path}?fait=debloque").as_str())
    );
    let login = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert!(
        conseiller
            .get("/agent/alertes")
            .await
            .body
            .contains("Aucune alerte ouverte")
    );
}

#[tokio::test]
async fn only_the_owner_learns_of_a_suspension() {
    let mut app = TestApp::with_demo_data().await;
    let id = julien_id(&app).await;
    members::set_account_status(
        &app.db.db,
        id,
        AccountStatus::Suspended,
        app.clock.instant(),
    )
    .await
    .unwrap();
    let wrong = app.login_member(MEMBER_NIR, "Mauvais-Mot-De-Passe-1").await;
    assert!(!wrong.body.contains(SUSPENDED));
    assert!(wrong.body.contains("ne correspondent pas"));
    let right = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(right.status, StatusCode::OK);
    assert!(right.body.contains(SUSPENDED));
}

/// The conseillers' search by NIR, posted as the page's form posts it.
async fn search(app: &mut TestApp, nir: &str) -> crate::support::TestResponse {
    app.submit("/agent/comptes", "/agent/comptes", &[("nir", nir)])
        .await
}

#[tokio::test]
async fn the_search_by_nir_is_a_post_never_an_address_and_every_search_is_audited() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("conseiller").await;
    let form = app.get("/agent/comptes").await;
    assert!(
        form.body
            .contains("<form class=\"form\" method=\"post\" action=\"/agent/comptes\">"),
        "{}",
        form.body
    );
    // A NIR in the address searches nothing (nor lands in the page).
    let by_address = app.get("/agent/comptes?nir=1+85+05+78+006+084+91").await;
    assert_eq!(by_address.status, StatusCode::OK);
    assert_eq!(by_address.location(), None);
    assert!(!by_address.body.contains("1 85 05 78 006 084 91"));
    // Without the form's token, no search either.
    let forged = app
        .post_form("/agent/comptes", &[("nir", "1 85 05 78 006 084 91")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let id = julien_id(&app).await;
    let found = search(&mut app, "185057800608491").await;
    assert_eq!(
        found.location(),
        Some(format!("/agent/comptes/{id}").as_str())
    );
    search(&mut app, "2 82 12 67 482 023 55").await;
    let searches = app
        .staff_events("conseiller", "staff.member.searched")
        .await;
    assert_eq!(searches.len(), 2, "one event per search");
    assert!(searches.iter().any(|e| e.subject_id == Some(id)));
    assert!(
        searches
            .iter()
            .any(|e| e.subject_id.is_none() && e.details.contains("false")),
        "a search that found nobody is audited too"
    );
    assert!(
        searches
            .iter()
            .all(|e| !e.details.contains("282126748202355") && !e.details.contains("2 82 12 67")),
        "the NIR typed is not recorded"
    );
}

#[tokio::test]
async fn conseillers_see_only_their_funds_members_and_every_view_is_audited() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("conseiller").await;
    let found = search(&mut app, "1 85 05 78 006 084 91").await;
    let id = julien_id(&app).await;
    assert_eq!(
        found.location(),
        Some(format!("/agent/comptes/{id}").as_str())
    );
    // Sophie WEBER belongs to the Bas-Rhin fund (67), the conseiller to the Yvelines (78).
    let other = search(&mut app, "2 82 12 67 482 023 55").await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(other.body.contains("Aucun assuré de votre caisse"));
    let sophie = app.member("282126748202355").await;
    assert_eq!(
        app.get(&format!("/agent/comptes/{}", sophie.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let forged = app
        .submit(
            "/agent/comptes",
            &format!("/agent/comptes/{}/debloquer", sophie.id),
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    app.get(&format!("/agent/comptes/{id}")).await;
    // The account and its latest payments, each audited once.
    let views: Vec<String> = caisse_store::audit::for_subject(&app.db.db, "member", id, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.code() == "staff.member.viewed")
        .map(|e| e.details)
        .collect();
    assert_eq!(views.len(), 2, "{views:?}");
    assert!(views.iter().any(|d| d.contains("\"account\"")), "{views:?}");
    assert!(
        views.iter().any(|d| d.contains("\"payments\"")),
        "{views:?}"
    );
    // A member is no conseiller.
    let mut member = TestApp::with_demo_data().await;
    member.router = app.router.clone();
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(
        member.get("/agent/comptes").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn not_me_ends_every_session_freezes_bank_changes_and_alerts_the_fund() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(app.get("/profil").await.status, StatusCode::OK);
    // Any security mail carries the link; a provisional-code notice is one.
    let mut stranger = TestApp::with_demo_data().await;
    stranger.router = app.router.clone();
    stranger
        .submit(
            "/code-provisoire/demande",
            "/code-provisoire/demande",
            &[("nir", MEMBER_NIR), ("birth_date", "14/05/1985")],
        )
        .await;
    let link = app
        .link_in_mail(
            "julien.martin@exemple.fr",
            "Un code provisoire vous est envoyé par courrier",
            "/ce-n-etait-pas-moi/",
        )
        .await;
    let page = stranger.get(&link).await;
    assert!(page.body.contains("Signaler et protéger mon compte"));
    let done = stranger.submit(&link, &link, &[]).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("Votre signalement est enregistré"));
    assert_eq!(
        app.get("/profil").await.status,
        StatusCode::SEE_OTHER,
        "session ended"
    );
    let id = julien_id(&app).await;
    let account = members::find_account(&app.db.db, id)
        .await
        .unwrap()
        .unwrap();
    assert!(account.bank_frozen);
    let alerts = caisse_store::security_alerts::open_for_fund(&app.db.db, &yvelines(), 10)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kind, AlertKind::NotMe);
    assert_eq!(stranger.get(&link).await.status, StatusCode::GONE);
    // The conseiller lifts the freeze.
    let mut conseiller = TestApp::with_demo_data().await;
    conseiller.router = app.router.clone();
    conseiller.login_staff("conseiller").await;
    let path = format!("/agent/comptes/{id}");
    conseiller
        .submit(&path, &format!("{path}/lever-gel"), &[])
        .await;
    let account = members::find_account(&app.db.db, id)
        .await
        .unwrap()
        .unwrap();
    assert!(!account.bank_frozen);
}

#[tokio::test]
async fn the_lock_mail_carries_a_not_me_link() {
    let mut app = TestApp::with_demo_data().await;
    for _ in 0..5 {
        app.login_member(MEMBER_NIR, "Mauvais-Mot-De-Passe-1").await;
    }
    let mails = app
        .mail_bodies(
            "julien.martin@exemple.fr",
            "Votre compte est temporairement bloqué",
        )
        .await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("/ce-n-etait-pas-moi/"));
}

#[tokio::test]
async fn a_login_flood_from_many_addresses_meets_the_node_limit_before_any_hashing() {
    let mut settings = config();
    settings.web.trust_forwarded_for = true;
    settings.web.logins_per_second_per_node = 3;
    let mut app = TestApp::build(settings, true).await;
    let token = app.get("/connexion").await.csrf_token();
    let mut statuses = Vec::new();
    for n in 1..=6 {
        let response = app
            .post_form_from(
                &format!("203.0.113.{n}"),
                "/connexion",
                &[
                    ("csrf_token", token.as_str()),
                    ("nir", MEMBER_NIR),
                    ("password", "Mauvais-Mot-De-Passe-1"),
                    ("next", "/"),
                ],
            )
            .await;
        statuses.push(response.status);
    }
    assert_eq!(&statuses[..3], &[StatusCode::OK; 3], "{statuses:?}");
    assert!(
        statuses[3..].contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_suspension_ends_the_sessions_tokens_and_trusted_devices_already_open() {
    let mut app = trusting_proxy_app().await;
    let mut member = app.another_browser();
    assert_eq!(
        member
            .login_member(MEMBER_NIR, MEMBER_PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let token = crate::support::api_token(&mut app, MEMBER_NIR).await;
    let id = julien_id(&app).await;
    let now = app.clock.instant();
    caisse_store::devices::trust(&app.db.db, "d".repeat(64), id, "Téléphone", now)
        .await
        .unwrap();
    wrong_passwords_from_five_addresses(&mut app).await;
    let account = members::find_account(&app.db.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.status, AccountStatus::Suspended);
    assert_eq!(member.get("/profil").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_with_bearer("/api/v1/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    let now = app.clock.instant();
    assert!(
        caisse_store::sessions::live_of(
            &app.db.db,
            caisse_store::sessions::SubjectKind::Member,
            id,
            now
        )
        .await
        .unwrap()
        .is_empty(),
        "sessions revoked"
    );
    assert!(
        caisse_store::devices::trusted_of(&app.db.db, id)
            .await
            .unwrap()
            .is_empty(),
        "trusted devices revoked"
    );
}

#[tokio::test]
async fn every_request_refuses_an_account_that_is_not_active() {
    let mut app = TestApp::with_demo_data().await;
    assert_eq!(
        app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let token = crate::support::api_token(&mut app, MEMBER_NIR).await;
    assert_eq!(app.get("/profil").await.status, StatusCode::OK);
    let id = julien_id(&app).await;
    for status in [
        AccountStatus::Suspended,
        AccountStatus::Closed,
        AccountStatus::Active,
    ] {
        members::set_account_status(&app.db.db, id, status, app.clock.instant())
            .await
            .unwrap();
        let usable = status == AccountStatus::Active;
        assert_eq!(
            app.get("/profil").await.status == StatusCode::OK,
            usable,
            "page, {status:?}"
        );
        assert_eq!(
            app.get_with_bearer("/api/v1/me", &token).await.status == StatusCode::OK,
            usable,
            "API, {status:?}"
        );
    }
}

#[tokio::test]
async fn reading_the_funds_alerts_is_audited_with_the_members_listed() {
    let mut app = TestApp::with_demo_data().await;
    let id = julien_id(&app).await;
    caisse_store::security_alerts::raise(
        &app.db.db,
        id,
        &yvelines(),
        AlertKind::NotMe,
        app.clock.instant(),
    )
    .await
    .unwrap();
    app.login_staff("conseiller").await;
    let page = app.get("/agent/alertes").await;
    assert!(page.body.contains("Julien MARTIN"), "{}", page.body);
    let listed = app.staff_events("conseiller", "staff.alerts.listed").await;
    assert_eq!(listed.len(), 1, "the reading is audited");
    assert!(listed[0].details.contains(&id.to_string()));
}
