//! « S'identifier avec FranceConnect » against a real OpenID Connect provider (the npm
//! `oidc-provider`, configured like FranceConnect v2: ES256 or RS256, signed userinfo, eidas1,
//! RP-initiated logout), started per test.

use axum::http::StatusCode;
use caisse_core::oidc::OidcProvider;
use caisse_core::oidc::franceconnect::settings;
use caisse_domain::{ActorKind, CaisseCode, Nir, Sex, compute_key};
use caisse_test_support::oidc_provider::{FC_CLIENT, FC_RS256_CLIENT, TestProvider};
use serde_json::json;
use time::macros::date;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, config};

const PROOF_PATH: &str = "/connexion/franceconnect/lier";
const BASE: &str = "http://127.0.0.1:8080";

/// The demo app with FranceConnect through `issuer` as `client`.
async fn app_with(issuer: &str, client: (&str, &str)) -> TestApp {
    let mut cfg = config();
    cfg.web.logins_per_minute_per_ip = 1000;
    cfg.services.franceconnect = Some(
        OidcProvider::new(settings(issuer, client.0, client.1, BASE, "eidas1", true))
            .expect("a client"),
    );
    TestApp::build(cfg, true).await
}

/// Clicks « S'identifier avec FranceConnect »: returns the provider's URL.
async fn click_button(app: &mut TestApp) -> String {
    let started = app
        .submit("/connexion", "/connexion/franceconnect", &[("next", "/")])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    started.location().expect("to FranceConnect").to_owned()
}

/// The whole round trip for `login` at the provider: returns Caisse's answer to the return.
async fn franceconnect(app: &mut TestApp, provider: &TestProvider, login: &str) -> TestResponse {
    let authorize = click_button(app).await;
    let back = provider.log_in(&authorize, login).await;
    let path = back.strip_prefix(BASE).expect("back to Caisse").to_owned();
    app.get(&path).await
}

fn nir_of(body: &str) -> String {
    let key = compute_key(body).expect("a body");
    format!("{body}{key:02}")
}

async fn add_member(
    app: &TestApp,
    nir: &str,
    last: &str,
    first: &str,
    birth: time::Date,
    sex: Sex,
    email: &str,
) {
    let mut new = caisse_test_support::fixtures::new_member(nir, "781", Some(email));
    new.nir = Nir::parse(nir).expect("a NIR");
    new.last_name = last.to_owned();
    new.first_name = first.to_owned();
    new.birth_date = birth;
    new.sex = sex;
    new.caisse_code = CaisseCode::parse("781").expect("a fund");
    caisse_store::members::insert(&app.db.db, new, Vec::new(), time::OffsetDateTime::now_utc())
        .await
        .expect("member inserted");
}

async fn member_actions(app: &TestApp, nir: &str) -> Vec<String> {
    let id = app.member(nir).await.id;
    caisse_store::audit::by_actor(&app.db.db, ActorKind::Member, id, 200)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action.code().to_owned())
        .collect()
}

async fn count_refusals(app: &TestApp) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.db.db;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'member.franceconnect.refused'",
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("a number")
}

/// The reason of the newest FranceConnect refusal in the audit log.
async fn last_refusal(app: &TestApp) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.db.db;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT details FROM audit_events WHERE action = 'member.franceconnect.refused' \
             ORDER BY at DESC, id DESC",
        ))
        .await
        .expect("refusals");
    let details: String = rows
        .first()
        .expect("a refusal")
        .try_get("", "details")
        .expect("details");
    let details: serde_json::Value = serde_json::from_str(&details).expect("JSON details");
    details["reason"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn without_configuration_the_button_is_not_offered() {
    let mut app = TestApp::with_demo_data().await;
    let page = app.get("/connexion").await;
    assert!(!page.body.contains("S'identifier avec"));
    let answer = app
        .get("/connexion/franceconnect/retour?code=x&state=y")
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn first_login_asks_for_one_proof_then_links_and_the_next_login_goes_straight_in() {
    let provider = TestProvider::start(BASE).await;
    let mut app = app_with(&provider.issuer, FC_CLIENT).await;

    let page = app.get("/connexion").await;
    assert!(page.body.contains("S'identifier avec"));
    assert!(page.body.contains("Qu'est-ce que FranceConnect ?"));
    let registration = app.get("/inscription").await;
    assert!(registration.body.contains("S'identifier avec"));

    // The request: code flow, PKCE S256, eidas1, state and nonce of 43 characters (32 bytes).
    let authorize = click_button(&mut app).await;
    assert!(authorize.starts_with(&format!("{}/auth?", provider.issuer)));
    for part in [
        "response_type=code",
        "code_challenge_method=S256",
        "acr_values=eidas1",
        "client_id=caisse-fc",
    ] {
        assert!(authorize.contains(part), "{part} in {authorize}");
    }
    let param = |name: &str| {
        authorize
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(param("state").len() >= 43 && param("nonce").len() >= 43);

    // First login: Julien's file matches, one proof is asked before the link.
    let back = provider.log_in(&authorize, "julien.martin").await;
    let answer = app.get(back.strip_prefix(BASE).expect("back")).await;
    assert_eq!(answer.location(), Some(PROOF_PATH));
    let proof = app.get(PROOF_PATH).await;
    assert!(proof.body.contains("Confirmez que ce dossier est le vôtre"));
    assert!(proof.body.contains("j•••@exemple.fr"), "{}", proof.body);
    assert!(
        app.get("/").await.body.contains("Se connecter"),
        "no session yet"
    );

    let wrong = app
        .submit(
            PROOF_PATH,
            "/connexion/franceconnect/lier/mot-de-passe",
            &[("password", "pas le bon")],
        )
        .await;
    assert!(wrong.body.contains("pas celui de votre compte"));
    let linked = app
        .submit(
            PROOF_PATH,
            "/connexion/franceconnect/lier/mot-de-passe",
            &[("password", MEMBER_PASSWORD)],
        )
        .await;
    assert_eq!(linked.status, StatusCode::SEE_OTHER);
    assert_eq!(linked.location(), Some("/"));
    assert!(app.get("/profil").await.status.is_success());
    let actions = member_actions(&app, MEMBER_NIR).await;
    assert!(actions.contains(&"member.franceconnect.linked".to_owned()));
    let linked_mail = app
        .mail_bodies(
            "julien.martin@exemple.fr",
            "FranceConnect est relié à votre compte",
        )
        .await;
    assert_eq!(linked_mail.len(), 1);
    assert!(
        linked_mail[0].contains("/ce-n-etait-pas-moi/"),
        "{}",
        linked_mail[0]
    );

    // « Mes connexions » shows the link.
    let connections = app.get("/profil/connexions").await;
    assert!(
        connections
            .body
            .contains("Votre compte est relié à votre identité FranceConnect")
    );

    // Logout ends FranceConnect's session too (RP-initiated, id_token_hint).
    let token = app.get("/").await.csrf_token();
    let out = app
        .post_form("/deconnexion", &[("csrf_token", &token)])
        .await;
    let logout = out
        .location()
        .expect("to FranceConnect's logout")
        .to_owned();
    assert!(
        logout.starts_with(&format!("{}/session/end?", provider.issuer)),
        "{logout}"
    );
    assert!(logout.contains("id_token_hint="));
    assert!(logout.contains("post_logout_redirect_uri="));
    let after = provider.log_out(&logout).await;
    assert!(
        after.starts_with(&format!("{BASE}/deconnexion/franceconnect")),
        "{after}"
    );
    let done = app.get(after.strip_prefix(BASE).expect("back")).await;
    assert!(done.body.contains("Vous êtes déconnecté"));
    assert!(
        app.get("/profil").await.status.is_redirection(),
        "logged out"
    );

    // Second login, another browser: straight in, audited and mailed.
    let mut other = app.another_browser();
    let straight = franceconnect(&mut other, &provider, "julien.martin").await;
    assert_eq!(straight.location(), Some("/"), "{}", straight.body);
    assert!(other.get("/profil").await.status.is_success());
    let actions = member_actions(&app, MEMBER_NIR).await;
    assert!(actions.contains(&"member.franceconnect.login".to_owned()));
    assert_eq!(
        app.mail_bodies(
            "julien.martin@exemple.fr",
            "Connexion à votre compte avec FranceConnect"
        )
        .await
        .len(),
        1
    );

    // The link can be removed: audited and mailed; the next FranceConnect login asks again.
    let connections = other.get("/profil/connexions").await;
    let id = connections
        .body
        .split("name=\"id\" value=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|id| uuid::Uuid::parse_str(id).is_ok())
        .expect("the link's id")
        .to_owned();
    let removed = other
        .submit(
            "/profil/connexions",
            "/profil/connexions/franceconnect/retirer",
            &[("id", &id)],
        )
        .await;
    assert_eq!(
        removed.location(),
        Some("/profil/connexions?fait=franceconnect")
    );
    let actions = member_actions(&app, MEMBER_NIR).await;
    assert!(actions.contains(&"member.franceconnect.unlinked".to_owned()));
    assert_eq!(
        app.mail_bodies(
            "julien.martin@exemple.fr",
            "FranceConnect n'est plus relié à votre compte"
        )
        .await
        .len(),
        1
    );
    let mut third = app.another_browser();
    let again = franceconnect(&mut third, &provider, "julien.martin").await;
    assert_eq!(again.location(), Some(PROOF_PATH));
}

#[tokio::test]
async fn the_proof_can_be_a_code_sent_to_the_email_on_file_and_rs256_is_accepted() {
    let provider = TestProvider::start(BASE).await;
    let mut app = app_with(&provider.issuer, FC_RS256_CLIENT).await;
    let answer = franceconnect(&mut app, &provider, "julien.martin").await;
    assert_eq!(answer.location(), Some(PROOF_PATH));
    let sent = app
        .submit(PROOF_PATH, "/connexion/franceconnect/lier/code", &[])
        .await;
    assert_eq!(sent.location(), Some(PROOF_PATH));
    let code = app.last_code("julien.martin@exemple.fr").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = app
        .submit(
            PROOF_PATH,
            "/connexion/franceconnect/lier/code/verifier",
            &[("code", wrong)],
        )
        .await;
    assert!(refused.body.contains("pas le bon"));
    let linked = app
        .submit(
            PROOF_PATH,
            "/connexion/franceconnect/lier/code/verifier",
            &[("code", &code)],
        )
        .await;
    assert_eq!(linked.location(), Some("/"));
    assert!(app.get("/profil").await.status.is_success());

    // « Ce n'était pas moi » on the link's mail removes the link (and ends the session).
    let member = app.member(MEMBER_NIR).await.id;
    let links = |app: &TestApp| {
        let db = app.db.db.clone();
        async move {
            caisse_store::oidc::links_of_member(&db, member)
                .await
                .expect("links")
        }
    };
    assert_eq!(links(&app).await.len(), 1);
    let not_me = app
        .link_in_mail(
            "julien.martin@exemple.fr",
            "FranceConnect est relié à votre compte",
            "/ce-n-etait-pas-moi/",
        )
        .await;
    let mut stranger = app.another_browser();
    let done = stranger.submit(&not_me, &not_me, &[]).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(links(&app).await.is_empty());
    assert!(app.get("/profil").await.status.is_redirection());
}

#[tokio::test]
async fn a_member_born_abroad_is_matched_with_the_country_in_the_nir() {
    let provider = TestProvider::start(BASE).await;
    let mut app = app_with(&provider.issuer, FC_CLIENT).await;
    let nir = nir_of("2880799350012");
    add_member(
        &app,
        &nir,
        "BENALI",
        "Amina",
        date!(1988 - 07 - 21),
        Sex::Female,
        "amina.benali@exemple.fr",
    )
    .await;
    let answer = franceconnect(&mut app, &provider, "amina.benali").await;
    assert_eq!(answer.location(), Some(PROOF_PATH));
    // No portal account yet: the code is the only proof offered; the link opens the account.
    let proof = app.get(PROOF_PATH).await;
    assert!(!proof.body.contains("Avec le mot de passe"));
    app.submit(PROOF_PATH, "/connexion/franceconnect/lier/code", &[])
        .await;
    let code = app.last_code("amina.benali@exemple.fr").await;
    let linked = app
        .submit(
            PROOF_PATH,
            "/connexion/franceconnect/lier/code/verifier",
            &[("code", &code)],
        )
        .await;
    assert_eq!(linked.location(), Some("/"));
    assert!(app.get("/profil").await.status.is_success());
}

#[tokio::test]
async fn homonyms_are_never_linked_automatically_and_an_unknown_identity_is_told_what_to_do() {
    let provider = TestProvider::start(BASE).await;
    let mut app = app_with(&provider.issuer, FC_CLIENT).await;
    for serial in ["001", "002"] {
        let nir = nir_of(&format!("1700175056{serial}"));
        add_member(
            &app,
            &nir,
            "DUPONT",
            "Jean",
            date!(1970 - 01 - 15),
            Sex::Male,
            &format!("jean{serial}@exemple.fr"),
        )
        .await;
    }
    let homonyms = franceconnect(&mut app, &provider, "jean.dupont").await;
    assert_eq!(homonyms.status, StatusCode::OK);
    assert!(homonyms.body.contains("Plusieurs dossiers correspondent"));
    assert!(
        app.get(PROOF_PATH)
            .await
            .body
            .contains("Cette connexion a expiré")
    );

    let mut other = app.another_browser();
    provider.forget_cookies();
    let unknown = franceconnect(&mut other, &provider, "inconnu").await;
    assert!(unknown.body.contains("pas trouvé votre dossier"));
    assert!(unknown.body.contains("Créer mon compte"));
}

/// Each bad answer of the provider: a clear page, no session, nothing linked.
#[tokio::test]
async fn every_bad_token_or_userinfo_is_refused() {
    let provider = TestProvider::start(BASE).await;
    let app = app_with(&provider.issuer, FC_CLIENT).await;
    for (mode, reason) in [
        (json!({"id_token": "unknown_key"}), "invalid_id_token"),
        (json!({"id_token": "alg_none"}), "invalid_id_token"),
        (json!({"id_token": "hs256"}), "invalid_id_token"),
        (json!({"id_token": "expired"}), "invalid_id_token"),
        (json!({"id_token": "no_nonce"}), "invalid_id_token"),
        (json!({"id_token": "acr_low"}), "acr_not_accepted"),
        (json!({"userinfo": "unsigned"}), "invalid_userinfo"),
    ] {
        provider.set_mode(mode.clone()).await;
        let mut browser = app.another_browser();
        let answer = franceconnect(&mut browser, &provider, "julien.martin").await;
        assert_eq!(answer.status, StatusCode::OK, "{mode}");
        assert!(
            answer.body.contains("contrôles de sécurité"),
            "{mode}: {}",
            answer.body
        );
        assert!(
            browser.get("/profil").await.status.is_redirection(),
            "{mode}: no session"
        );
        assert!(
            browser.get(PROOF_PATH).await.body.contains("expiré"),
            "{mode}: nothing pending"
        );
        assert_eq!(last_refusal(&app).await, reason, "{mode}");
    }
    assert_eq!(count_refusals(&app).await, 7);
    // Back to normal: the same provider logs in again.
    provider.set_mode(json!({})).await;
    let mut browser = app.another_browser();
    let fine = franceconnect(&mut browser, &provider, "julien.martin").await;
    assert_eq!(fine.location(), Some(PROOF_PATH));
}

#[tokio::test]
async fn keys_rotated_by_the_provider_are_fetched_again() {
    let provider = TestProvider::start(BASE).await;
    let mut app = app_with(&provider.issuer, FC_CLIENT).await;
    // A first round trip caches the discovery and its keys.
    assert_eq!(
        franceconnect(&mut app, &provider, "julien.martin")
            .await
            .location(),
        Some(PROOF_PATH)
    );
    provider.set_mode(json!({"id_token": "rotated"})).await;
    let mut other = app.another_browser();
    assert_eq!(
        franceconnect(&mut other, &provider, "julien.martin")
            .await
            .location(),
        Some(PROOF_PATH)
    );
}

#[tokio::test]
async fn a_wrong_replayed_or_foreign_state_leads_nowhere() {
    let provider = TestProvider::start(BASE).await;
    let mut app = app_with(&provider.issuer, FC_CLIENT).await;
    let authorize = click_button(&mut app).await;
    let back = provider.log_in(&authorize, "julien.martin").await;
    let path = back.strip_prefix(BASE).expect("back").to_owned();

    // Another browser presenting this answer (a stolen link): unknown there.
    let mut thief = app.another_browser();
    thief.get("/connexion").await;
    let stolen = thief.get(&path).await;
    assert!(stolen.body.contains("Cette connexion a expiré"));

    // A made-up state.
    let forged = path.replace("state=", "state=x");
    assert!(
        app.get(&forged)
            .await
            .body
            .contains("Cette connexion a expiré")
    );
    // The real answer was consumed by neither: the thief's try took it away (single use).
    let replay = app.get(&path).await;
    assert!(replay.body.contains("Cette connexion a expiré"));

    // A fresh answer works once, its replay does not.
    let authorize = click_button(&mut app).await;
    let back = provider.log_in(&authorize, "julien.martin").await;
    let path = back.strip_prefix(BASE).expect("back").to_owned();
    assert_eq!(app.get(&path).await.location(), Some(PROOF_PATH));
    assert!(
        app.get(&path)
            .await
            .body
            .contains("Cette connexion a expiré")
    );
    // Cancelling at the provider.
    let cancelled = app
        .get("/connexion/franceconnect/retour?error=access_denied&state=nothing")
        .await;
    assert!(cancelled.body.contains("expiré"));
}

#[tokio::test]
async fn a_provider_that_is_down_gets_a_clear_page_and_the_password_login_still_works() {
    let mut app = app_with("http://127.0.0.1:9", FC_CLIENT).await;
    let page = app
        .submit("/connexion", "/connexion/franceconnect", &[("next", "/")])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("FranceConnect est momentanément indisponible")
    );
    let login = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(login.location(), Some("/"));
}
