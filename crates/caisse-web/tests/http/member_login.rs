use axum::http::StatusCode;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, without_csrf};

#[tokio::test]
async fn member_pages_send_anonymous_visitors_to_the_login_page() {
    let mut app = TestApp::with_demo_data().await;
    for path in [
        "/paiements",
        "/demarches",
        "/messagerie",
        "/attestations",
        "/profil",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            response.location(),
            Some(format!("/connexion?suite={path}").as_str())
        );
    }
}

#[tokio::test]
async fn a_member_logs_in_with_the_thirteen_character_number_and_lands_where_they_were_going() {
    let mut app = TestApp::with_demo_data().await;
    let page = app.get("/connexion?suite=/profil").await;
    let token = page.csrf_token();
    let response = app
        .post_form(
            "/connexion",
            &[
                ("csrf_token", &token),
                ("nir", "1850578006084"),
                ("password", MEMBER_PASSWORD),
                ("next", "/profil"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/profil"));
    let profile = app.get("/profil").await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("1 85 05 78 006 084 91"));
    assert!(profile.body.contains("CPAM des Yvelines"));
}

#[tokio::test]
async fn logging_in_replaces_the_cookie_so_a_planted_one_is_worthless() {
    let mut app = TestApp::with_demo_data().await;
    app.get("/").await;
    let before = app.cookie.clone();
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_ne!(app.cookie, before);
    let mut attacker = app.another_browser();
    attacker.cookie = before;
    assert_eq!(attacker.get("/profil").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_dashboard_lists_the_beneficiaries() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let home = app.get("/").await;
    assert!(home.body.contains("Léa MARTIN"));
    assert!(home.body.contains("12 mars 2015"));
    for path in ["/paiements", "/demarches", "/messagerie", "/attestations"] {
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn unknown_number_and_wrong_password_get_the_same_answer() {
    let mut app = TestApp::with_demo_data().await;
    let wrong_password = app.login_member(MEMBER_NIR, "Mauvais-Mot-2026").await;
    // A valid NIR that is not in the member file, typed with the same layout.
    let unknown = app
        .login_member("1 85 05 78 006 085 17", "Mauvais-Mot-2026")
        .await;
    assert_eq!(wrong_password.status, unknown.status);
    let strip = |body: &str, nir: &str| without_csrf(body).replace(nir, "NIR");
    assert_eq!(
        strip(&wrong_password.body, MEMBER_NIR),
        strip(&unknown.body, "1 85 05 78 006 085 17")
    );
    assert!(unknown.body.contains("ne correspondent pas"));
}

#[tokio::test]
async fn an_open_redirect_through_the_next_field_is_not_followed() {
    let mut app = TestApp::with_demo_data().await;
    let response = app
        .submit(
            "/connexion",
            "/connexion",
            &[
                ("nir", MEMBER_NIR),
                ("password", MEMBER_PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(response.location(), Some("/"));
}

#[tokio::test]
async fn logging_out_revokes_the_session_server_side() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let session_cookie = app.cookie.clone();
    let response = app.submit("/profil", "/deconnexion", &[]).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    app.cookie = session_cookie;
    assert_eq!(
        app.get("/profil").await.status,
        StatusCode::SEE_OTHER,
        "the old cookie no longer opens the session"
    );
}

#[tokio::test]
async fn staff_cannot_use_member_pages() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("conseiller").await;
    assert_eq!(app.get("/profil").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_profile_shows_the_security_history_in_plain_french() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, "Mauvais-Mot-2026").await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let profile = app.get("/profil").await;
    assert!(profile.body.contains("Historique de sécurité"));
    let failed = profile
        .body
        .find("Mot de passe erroné")
        .expect("the failure is listed");
    let succeeded = profile
        .body
        .find("Connexion réussie")
        .expect("the login is listed");
    assert!(succeeded < failed, "newest first");
    assert!(profile.body.contains("127.0.0.1"));
}
