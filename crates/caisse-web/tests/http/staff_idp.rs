//! Staff login through the fund's own identity provider (a real OpenID Connect provider, the
//! npm `oidc-provider`, configured like a Keycloak with groups), started per test.

use axum::http::StatusCode;
use caisse_core::oidc::OidcProvider;
use caisse_core::oidc::staff_idp::{StaffIdpRules, settings};
use caisse_domain::StaffRole;
use caisse_domain::messaging::TeamCode;
use caisse_test_support::oidc_provider::{STAFF_CLIENT, TestProvider};

use crate::support::{STAFF_PASSWORD, TestApp, config};

const BASE: &str = "http://127.0.0.1:8080";

async fn app_with(issuer: &str, create_staff: bool) -> TestApp {
    let mut cfg = config();
    cfg.web.logins_per_minute_per_ip = 1000;
    let fund = caisse_core::demo::demo_fund().expect("the demo fund");
    cfg.services.staff_idp = Some((
        OidcProvider::new(settings(issuer, STAFF_CLIENT.0, STAFF_CLIENT.1, BASE))
            .expect("a client"),
        StaffIdpRules {
            login_claim: "preferred_username".to_owned(),
            groups_claim: "groups".to_owned(),
            roles: vec![
                ("caisse-conseillers".to_owned(), StaffRole::Conseiller),
                ("caisse-superviseurs".to_owned(), StaffRole::Superviseur),
            ],
            teams: vec![(
                "equipe-remboursements".to_owned(),
                TeamCode::parse("prestations").expect("a team code"),
            )],
            fund,
            create_staff,
            break_glass: vec!["admin".to_owned()],
        },
    ));
    TestApp::build(cfg, true).await
}

/// The button, the provider's login, the return: Caisse's answer to the return.
async fn log_in(
    app: &mut TestApp,
    provider: &TestProvider,
    login: &str,
) -> crate::support::TestResponse {
    let started = app
        .submit("/agent/connexion", "/agent/connexion/oidc", &[])
        .await;
    let authorize = started.location().expect("to the provider").to_owned();
    assert!(authorize.starts_with(&provider.issuer), "{authorize}");
    let back = provider.log_in(&authorize, login).await;
    app.get(back.strip_prefix(BASE).expect("back to Caisse"))
        .await
}

#[tokio::test]
async fn an_advisor_logs_in_through_the_provider_with_the_role_and_team_of_their_groups() {
    let provider = TestProvider::start(BASE).await;
    let mut app = app_with(&provider.issuer, true).await;
    let page = app.get("/agent/connexion").await;
    assert!(
        page.body
            .contains("Se connecter avec le compte de la caisse")
    );
    assert!(page.body.contains("Compte de secours"));

    let answer = log_in(&mut app, &provider, "agent.superviseur").await;
    assert_eq!(answer.location(), Some("/agent"), "{}", answer.body);
    let home = app.get("/agent").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Anne DURAND"), "{}", home.body);

    let staff = caisse_store::staff::by_login(&app.db.db, "a.durand")
        .await
        .expect("lookup")
        .expect("created at the first login");
    assert_eq!(staff.role, StaffRole::Superviseur);
    let teams = caisse_store::teams::of_staff(&app.db.db, staff.id)
        .await
        .expect("teams");
    assert!(teams.iter().any(|t| t.team.code.as_str() == "prestations"));
    assert!(
        !app.staff_events("a.durand", "staff.oidc.login")
            .await
            .is_empty()
    );
    assert!(
        !app.staff_events("a.durand", "staff.oidc.created")
            .await
            .is_empty()
    );

    // Logout ends the provider's session too.
    let token = app.get("/agent").await.csrf_token();
    let out = app
        .post_form("/agent/deconnexion", &[("csrf_token", &token)])
        .await;
    let logout = out.location().expect("a redirect").to_owned();
    assert!(
        logout.starts_with(&format!("{}/session/end?", provider.issuer)),
        "{logout}"
    );
    let after = provider.log_out(&logout).await;
    assert!(
        after.starts_with(&format!("{BASE}/agent/connexion")),
        "{after}"
    );
    assert!(app.get("/agent").await.status.is_redirection());
}

#[tokio::test]
async fn no_role_unknown_staff_and_local_passwords_are_refused() {
    let provider = TestProvider::start(BASE).await;
    let mut app = app_with(&provider.issuer, false).await;

    // No group gives a role.
    let answer = log_in(&mut app, &provider, "agent.sans-groupe").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.body.contains("aucun de vos groupes"),
        "{}",
        answer.body
    );
    assert!(app.get("/agent").await.status.is_redirection());

    // Unknown to Caisse, and the fund does not create staff at first login.
    provider.forget_cookies();
    let mut other = app.another_browser();
    let answer = log_in(&mut other, &provider, "agent.conseiller").await;
    assert!(
        answer.body.contains("aucun compte agent actif"),
        "{}",
        answer.body
    );
    assert!(
        caisse_store::staff::by_login(&app.db.db, "b.leroy")
            .await
            .expect("lookup")
            .is_none()
    );

    // With the provider, a local password is only for break-glass logins.
    let mut third = app.another_browser();
    let refused = third
        .submit(
            "/agent/connexion",
            "/agent/connexion",
            &[("login", "conseiller"), ("password", STAFF_PASSWORD)],
        )
        .await;
    assert!(
        refused.body.contains("comptes de secours"),
        "{}",
        refused.body
    );
    assert!(third.get("/agent").await.status.is_redirection());
}

#[tokio::test]
async fn a_provider_that_is_down_leaves_the_break_glass_login() {
    let mut app = app_with("http://127.0.0.1:9", false).await;
    let page = app
        .submit("/agent/connexion", "/agent/connexion/oidc", &[])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ne répond pas"));
    assert!(page.body.contains("Compte de secours"));
}
