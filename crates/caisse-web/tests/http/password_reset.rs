use axum::http::StatusCode;
use caisse_core::auth::LoginSettings;
use caisse_core::clock::ManualClock;
use caisse_core::tokens::{random_token, token_digest};
use caisse_domain::{CaisseCode, Email, Instant, Nir, Sex};
use caisse_store::members::{self, NewMember};
use caisse_store::sessions::{self, NewSession, SubjectKind};
use caisse_store::{api_tokens, devices};
use time::Duration;
use time::macros::date;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, config};

const EMAIL: &str = "julien.martin@exemple.fr";
const BIRTH: &str = "14/05/1985";
const NEW_PASSWORD: &str = "Girafe-Parapluie-Violon-47";
const LINK_SUBJECT: &str = "Réinitialisation de votre mot de passe";
const ANSWER: &str = "Si ces informations correspondent à un compte, vous allez recevoir un e-mail contenant un lien valable une heure.";
/// A valid NIR that the demo file does not hold.
const OTHER_NIR: &str = "1 85 05 78 006 085 90";

async fn ask(app: &mut TestApp, nir: &str, birth_date: &str, email: &str) -> TestResponse {
    let answer = app
        .submit(
            "/mot-de-passe-oublie",
            "/mot-de-passe-oublie",
            &[("nir", nir), ("birth_date", birth_date), ("email", email)],
        )
        .await;
    // Requests are handled after their answer.
    app.services.settle_background().await;
    answer
}

async fn mails(app: &TestApp, recipient: &str, subject: &str) -> Vec<String> {
    app.mail_bodies(recipient, subject).await
}

/// The path of the link in the newest reset mail to `recipient`.
async fn newest_link(app: &TestApp, recipient: &str) -> String {
    let body = mails(app, recipient, LINK_SUBJECT)
        .await
        .pop()
        .expect("a reset mail");
    let base = "http://127.0.0.1:8080";
    let start = body
        .find(&format!("{base}/mot-de-passe-oublie/"))
        .expect("link")
        + base.len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

/// Posts a new password to `link`, with a CSRF token taken from the request form (a dead
/// link's page has no form to take it from).
async fn choose(app: &mut TestApp, link: &str, password: &str, confirmation: &str) -> TestResponse {
    app.submit(
        "/mot-de-passe-oublie",
        link,
        &[("password", password), ("confirmation", confirmation)],
    )
    .await
}

async fn logs_in(app: &mut TestApp, password: &str) -> bool {
    let saved = app.cookie.take();
    let response = app.login_member(MEMBER_NIR, password).await;
    app.cookie = saved;
    response.status == StatusCode::SEE_OTHER
}

#[tokio::test]
async fn the_login_page_links_to_the_recovery_form_which_is_accessible() {
    let mut app = TestApp::with_demo_data().await;
    let login = app.get("/connexion").await;
    assert!(login.body.contains("href=\"/mot-de-passe-oublie\""));
    let form = app.get("/mot-de-passe-oublie").await;
    assert_eq!(form.status, StatusCode::OK);
    for needle in [
        "<h1>Mot de passe oublié</h1>",
        "name=\"csrf_token\"",
        "for=\"nir\"",
        "for=\"birth_date\"",
        "JJ/MM/AAAA",
        "autocomplete=\"bday\"",
        "for=\"email\"",
    ] {
        assert!(form.body.contains(needle), "{needle}");
    }
}

#[tokio::test]
async fn matched_and_unmatched_requests_get_the_same_answer() {
    let mut app = TestApp::with_demo_data().await;
    // A member of the file who never opened a portal account.
    members::insert(
        &app.db.db,
        NewMember {
            nir: Nir::parse("185057800608590").unwrap(),
            last_name: "DURAND".into(),
            usage_name: None,
            first_name: "Paul".into(),
            birth_date: date!(1985 - 05 - 01),
            sex: Sex::Male,
            caisse_code: CaisseCode::parse("781").unwrap(),
            vitale_serial: None,
            address_line1: "1 rue Haute".into(),
            address_line2: None,
            postal_code: "78000".into(),
            city: "VERSAILLES".into(),
            email: Some(Email::parse("paul.durand@exemple.fr").unwrap()),
            phone: None,
            iban: None,
        },
        vec![],
        caisse_store::now_utc(),
    )
    .await
    .unwrap();

    let matched = ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    assert_eq!(matched.status, StatusCode::OK);
    assert!(matched.body.contains(ANSWER), "{}", matched.body);
    for (nir, birth, email) in [
        (MEMBER_NIR, "15/05/1985", EMAIL),
        (MEMBER_NIR, BIRTH, "julien.martin@exemple.com"),
        ("1850578006084", BIRTH, "JULIEN.Martin@Exemple.fr"),
        (OTHER_NIR, BIRTH, EMAIL),
        (OTHER_NIR, "01/05/1985", "paul.durand@exemple.fr"),
    ] {
        let other = ask(&mut app, nir, birth, email).await;
        assert_eq!(other.status, matched.status, "{nir} {birth} {email}");
        assert_eq!(other.body, matched.body, "{nir} {birth} {email}");
    }
    // The right data with the 13-character number and another case of email matched too.
    assert_eq!(mails(&app, EMAIL, LINK_SUBJECT).await.len(), 2);
    assert!(
        mails(&app, "paul.durand@exemple.fr", LINK_SUBJECT)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn malformed_input_is_explained_without_touching_the_database() {
    let mut app = TestApp::with_demo_data().await;
    let response = ask(&mut app, "1 85 05 78 006 084 92", "31/02/1985", "julien").await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("Le formulaire contient 3 erreurs"));
    assert!(response.body.contains("href=\"#nir\""));
    assert!(response.body.contains("href=\"#birth_date\""));
    assert!(response.body.contains("href=\"#email\""));
    assert!(response.body.contains("aria-invalid=\"true\""));
    assert!(!response.body.contains(ANSWER));
    assert!(mails(&app, EMAIL, LINK_SUBJECT).await.is_empty());
}

#[tokio::test]
async fn the_mailed_link_sets_a_new_password_once() {
    let mut app = TestApp::with_demo_data().await;
    ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    let body = mails(&app, EMAIL, LINK_SUBJECT).await.remove(0);
    assert!(body.contains("valable une heure"));
    assert!(body.contains(
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé."
    ));
    assert!(!body.contains("185057800608491") && !body.contains("1 85 05"));

    let link = newest_link(&app, EMAIL).await;
    let form = app.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("autocomplete=\"new-password\""));
    assert!(form.body.contains("entre 12 et 128 caractères"));

    let done = choose(&mut app, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/connexion?motdepasse=modifie"));
    let login = app.get("/connexion?motdepasse=modifie").await;
    assert!(login.body.contains(
        "Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe."
    ));
    assert!(!app.get("/connexion").await.body.contains("a été modifié"));

    let again = app.get(&link).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("Lien déjà utilisé"));
    assert!(again.body.contains("href=\"/mot-de-passe-oublie\""));
    let replay = choose(
        &mut app,
        &link,
        "Autre-Girafe-Violon-58",
        "Autre-Girafe-Violon-58",
    )
    .await;
    assert_eq!(replay.status, StatusCode::GONE);
    assert!(logs_in(&mut app, NEW_PASSWORD).await);

    let confirmation = mails(&app, EMAIL, "Votre mot de passe a été modifié").await;
    assert_eq!(confirmation.len(), 1);
    assert!(confirmation[0].contains("36 46"));
    let member = app.member("185057800608491").await;
    let actions: Vec<String> =
        caisse_store::audit::for_subject(&app.db.db, "member", member.id, 50)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action.code().to_owned())
            .collect();
    assert!(
        actions
            .iter()
            .any(|a| a == "member.password_reset.requested")
    );
    assert!(
        actions
            .iter()
            .any(|a| a == "member.password_reset.completed")
    );
}

#[tokio::test]
async fn an_unknown_link_is_a_404_and_a_newer_link_replaces_an_older_one() {
    let mut app = TestApp::with_demo_data().await;
    let unknown = app.get("/mot-de-passe-oublie/pas-un-vrai-jeton").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Lien introuvable"));

    ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    let first = newest_link(&app, EMAIL).await;
    ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    let second = newest_link(&app, EMAIL).await;
    assert_ne!(first, second);
    assert_eq!(app.get(&first).await.status, StatusCode::GONE);
    assert_eq!(app.get(&second).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_expired_link_is_refused_and_changes_nothing() {
    let clock = ManualClock::new(caisse_store::now_utc());
    let mut app = TestApp::with_clock(clock.clone(), LoginSettings::default()).await;
    ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    let link = newest_link(&app, EMAIL).await;
    clock.advance(Duration::minutes(59));
    assert_eq!(app.get(&link).await.status, StatusCode::OK);
    clock.advance(Duration::minutes(1));
    let expired = app.get(&link).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(expired.body.contains("Lien expiré"));
    let post = choose(&mut app, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(post.status, StatusCode::GONE);
    assert!(logs_in(&mut app, MEMBER_PASSWORD).await);
    assert!(!logs_in(&mut app, NEW_PASSWORD).await);
}

#[tokio::test]
async fn refused_passwords_are_explained_in_french_and_change_nothing() {
    let mut app = TestApp::with_demo_data().await;
    ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    let link = newest_link(&app, EMAIL).await;
    for (password, confirmation, expected) in [
        (
            "Aaaaaaaaaaa1",
            "Aaaaaaaaaaa1",
            &["Votre mot de passe est trop facile à deviner."][..],
        ),
        (
            "Zebre-1850578006084",
            "Zebre-1850578006084",
            &["ne doit pas contenir votre numéro de sécurité sociale"][..],
        ),
        (
            NEW_PASSWORD,
            "Girafe-Parapluie-Violon-48",
            &["La confirmation ne correspond pas au mot de passe"][..],
        ),
        (
            "court",
            "",
            // One message per field: the first rule broken, in the words of the list.
            &[
                "Votre mot de passe doit contenir entre 12 et 128 caractères.",
                "Saisissez à nouveau votre nouveau mot de passe.",
            ][..],
        ),
    ] {
        let response = choose(&mut app, &link, password, confirmation).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{password}"
        );
        assert!(
            response
                .body
                .contains("Ce mot de passe ne peut pas être utilisé"),
            "{password}"
        );
        for message in expected {
            assert!(response.body.contains(message), "{password}: {message}");
        }
        assert!(
            !response.body.contains("au moins une lettre majuscule."),
            "{password}: one message per field"
        );
        assert!(
            response
                .body
                .contains(&format!("name=\"password\" value=\"{password}\"")),
            "{password}: given back to correct"
        );
    }
    assert_eq!(app.get(&link).await.status, StatusCode::OK, "still usable");
    assert!(logs_in(&mut app, MEMBER_PASSWORD).await);
    assert!(
        mails(&app, EMAIL, "Votre mot de passe a été modifié")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_reset_revokes_every_session_and_token_and_replaces_the_password() {
    let mut app = TestApp::with_demo_data().await;
    let member = app.member("185057800608491").await;
    let now = Instant::from(caisse_store::now_utc());
    // Opened through the store, so the test does not depend on the steps of the login form.
    let session = random_token().unwrap();
    sessions::insert(
        &app.db.db,
        NewSession {
            token_hash: token_digest(&session),
            subject_kind: SubjectKind::Member,
            subject_id: member.id,
            expires_at: now + Duration::minutes(30),
            ip: "127.0.0.1".into(),
            user_agent: "test".into(),
        },
        now,
    )
    .await
    .unwrap();
    api_tokens::insert(
        &app.db.db,
        "a".repeat(64),
        member.id,
        "app",
        now + Duration::days(30),
        now,
    )
    .await
    .unwrap();
    devices::trust(&app.db.db, "d".repeat(64), member.id, "ordinateur", now)
        .await
        .unwrap();
    app.cookie = Some(format!("caisse_sid={session}"));
    assert_eq!(app.get("/profil").await.status, StatusCode::OK);

    app.cookie = None;
    ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    let link = newest_link(&app, EMAIL).await;
    let done = choose(&mut app, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);

    app.cookie = Some(format!("caisse_sid={session}"));
    assert_eq!(
        app.get("/profil").await.status,
        StatusCode::SEE_OTHER,
        "the session opened before the reset is revoked"
    );
    let later = Instant::from(caisse_store::now_utc());
    assert!(
        api_tokens::find_live(&app.db.db, &"a".repeat(64), later)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        devices::trusted_of(&app.db.db, member.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!logs_in(&mut app, MEMBER_PASSWORD).await);
    assert!(logs_in(&mut app, NEW_PASSWORD).await);
}

#[tokio::test]
async fn a_reset_unlocks_a_locked_account() {
    let clock = ManualClock::new(caisse_store::now_utc());
    let mut app = TestApp::with_clock(clock, LoginSettings::default()).await;
    for _ in 0..6 {
        app.login_member(MEMBER_NIR, "Mauvais-Mot-2026").await;
    }
    assert!(!logs_in(&mut app, MEMBER_PASSWORD).await, "locked");
    ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    let link = newest_link(&app, EMAIL).await;
    choose(&mut app, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    assert!(
        logs_in(&mut app, NEW_PASSWORD).await,
        "unlocked by the reset"
    );
}

#[tokio::test]
async fn both_forms_are_rate_limited_like_logins() {
    let mut strict = config();
    strict.web.logins_per_minute_per_ip = 2;
    let mut app = TestApp::build(strict, true).await;
    assert_eq!(
        ask(&mut app, OTHER_NIR, BIRTH, EMAIL).await.status,
        StatusCode::OK
    );
    assert_eq!(
        ask(&mut app, OTHER_NIR, BIRTH, EMAIL).await.status,
        StatusCode::OK
    );
    let limited = ask(&mut app, OTHER_NIR, BIRTH, EMAIL).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let choose = choose(&mut app, "/mot-de-passe-oublie/jeton", "a", "a").await;
    assert_eq!(choose.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.get("/mot-de-passe-oublie").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_member_receives_at_most_three_links_an_hour_whatever_is_asked() {
    let clock = ManualClock::new(caisse_store::now_utc());
    let mut app = TestApp::with_clock(clock.clone(), LoginSettings::default()).await;
    let first = ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    for _ in 0..4 {
        let next = ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
        assert_eq!((next.status, next.body), (first.status, first.body.clone()));
    }
    assert_eq!(mails(&app, EMAIL, LINK_SUBJECT).await.len(), 3);
    let link = newest_link(&app, EMAIL).await;
    assert_eq!(
        app.get(&link).await.status,
        StatusCode::OK,
        "the last one sent works"
    );
    clock.advance(Duration::minutes(61));
    ask(&mut app, MEMBER_NIR, BIRTH, EMAIL).await;
    assert_eq!(mails(&app, EMAIL, LINK_SUBJECT).await.len(), 4);
}

/// Holds the table every request writes to (its audit event), in a transaction the caller ends.
async fn hold_audit_table(app: &TestApp) -> caisse_store::Tx {
    use caisse_store::{ConnectionTrait, TransactionTrait};
    let txn = app.db.db.begin().await.unwrap();
    let hold = match txn.get_database_backend() {
        // Any write takes SQLite's one write lock.
        sea_orm::DbBackend::Sqlite => "UPDATE audit_events SET id = id WHERE 1 = 0",
        _ => "LOCK TABLE audit_events IN EXCLUSIVE MODE",
    };
    txn.execute_unprepared(hold).await.unwrap();
    txn
}

#[tokio::test]
async fn a_request_is_answered_before_it_is_handled_so_a_match_costs_no_time() {
    let mut app = TestApp::with_demo_data().await;
    for (nir, email) in [(OTHER_NIR, "personne@exemple.fr"), (MEMBER_NIR, EMAIL)] {
        let hold = hold_audit_table(&app).await;
        let token = app.get("/mot-de-passe-oublie").await.csrf_token();
        // Nothing of the request's own work runs before the answer: it comes although the
        // database cannot record anything yet.
        let answer = tokio::time::timeout(
            std::time::Duration::from_secs(3),
            app.post_form(
                "/mot-de-passe-oublie",
                &[
                    ("csrf_token", token.as_str()),
                    ("nir", nir),
                    ("birth_date", "14/05/1985"),
                    ("email", email),
                ],
            ),
        )
        .await
        .expect("answered without waiting for the database");
        assert_eq!(answer.status, StatusCode::OK);
        assert!(answer.body.contains(ANSWER));
        hold.rollback().await.unwrap();
        app.services.settle_background().await;
    }
    assert_eq!(mails(&app, EMAIL, LINK_SUBJECT).await.len(), 1);
}
