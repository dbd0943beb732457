//! « Mon profil »: the member changes their password, email address, mobile number, postal
//! address, bank details and notification preferences, sees and closes their connections, and
//! closes their account.

use axum::http::StatusCode;
use caisse_core::auth::LoginSettings;
use caisse_core::clock::ManualClock;
use caisse_core::tokens::token_digest;
use caisse_domain::Iban;
use time::Duration;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, link_path};

const EMAIL: &str = "julien.martin@exemple.fr";
const NEW_EMAIL: &str = "julien.martin@nouveau.fr";
const NEW_PASSWORD: &str = "Girafe-Parapluie-Violon-47";
const OTHER_IBAN: &str = "FR76 1027 8010 0000 0123 4567 891";
const CAMILLE_NIR: &str = "293122A004123";
const CAMILLE_EMAIL: &str = "camille.rossi@exemple.fr";
const WRONG_PASSWORD: &str = "Le mot de passe actuel est incorrect.";
/// The login page's one answer to every refusal.
const INVALID_CREDENTIALS: &str =
    "Le numéro de sécurité sociale et le mot de passe ne correspondent pas.";

async fn logged_in() -> TestApp {
    let mut app = TestApp::with_demo_data().await;
    login(&mut app).await;
    app
}

async fn login(app: &mut TestApp) {
    let response = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
}

/// Julien and a clock the test moves.
async fn logged_in_with_clock() -> (TestApp, ManualClock) {
    let clock = ManualClock::new(time::macros::datetime!(2026-03-02 09:00 UTC));
    let mut app = TestApp::with_clock(
        clock.clone(),
        LoginSettings {
            new_device_confirmation: false,
            ..LoginSettings::default()
        },
    )
    .await;
    login(&mut app).await;
    (app, clock)
}

/// Posts a profile form from its own page.
async fn send(app: &mut TestApp, path: &str, fields: &[(&str, &str)]) -> TestResponse {
    app.submit(path, path, fields).await
}

/// The digest of a browser's session token, the opaque id « Mes connexions » posts back.
fn session_id(app: &TestApp) -> String {
    let cookie = app.cookie.as_deref().expect("a cookie");
    token_digest(cookie.split_once('=').expect("name=value").1)
}

async fn member(app: &TestApp, nir: &str) -> caisse_store::members::MemberRecord {
    app.member(nir).await
}

async fn julien(app: &TestApp) -> caisse_store::members::MemberRecord {
    member(app, "185057800608491").await
}

fn assert_problem_on(response: &TestResponse, field: &str, message: &str) {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert!(
        response.body.contains(&format!("href=\"#{field}\"")),
        "summary links to {field}"
    );
    assert!(
        response.body.contains(&format!("id=\"{field}-erreur-1\"")),
        "error beside {field}"
    );
    assert!(response.body.contains("aria-invalid=\"true\""));
    assert!(response.body.contains(message), "{message}");
}

#[tokio::test]
async fn the_profile_links_to_every_change_page_and_each_asks_for_a_login() {
    let mut app = TestApp::with_demo_data().await;
    let pages = [
        "/profil/mot-de-passe",
        "/profil/email",
        "/profil/mobile",
        "/profil/adresse",
        "/profil/coordonnees-bancaires",
        "/profil/notifications",
        "/profil/connexions",
        "/profil/cloture",
    ];
    for page in pages {
        let anonymous = app.get(page).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{page}");
        assert!(
            anonymous
                .location()
                .unwrap()
                .starts_with("/connexion?suite=/profil/"),
            "{page}"
        );
    }
    login(&mut app).await;
    let profile = app.get("/profil").await;
    assert!(profile.body.contains("Modifier mes informations"));
    assert!(profile.body.contains("FR76 **** **** **** **** ***0 189"));
    assert!(!profile.body.contains("FR7630006000011234567890189"));
    for page in pages {
        assert!(profile.body.contains(&format!("href=\"{page}\"")), "{page}");
        let shown = app.get(page).await;
        assert_eq!(shown.status, StatusCode::OK, "{page}");
        assert!(shown.body.contains("aria-current=\"page\""), "{page}");
    }
}

#[tokio::test]
async fn every_new_form_requires_the_csrf_token() {
    let mut app = logged_in().await;
    for action in [
        "/profil/mot-de-passe",
        "/profil/email",
        "/profil/email/confirmer/un-jeton",
        "/profil/mobile",
        "/profil/mobile/code",
        "/profil/adresse",
        "/profil/coordonnees-bancaires",
        "/profil/coordonnees-bancaires/annuler",
        "/profil/notifications",
        "/profil/connexions/fermer",
        "/profil/cloture",
    ] {
        let response = app
            .post_form(action, &[("current_password", MEMBER_PASSWORD)])
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{action}");
        assert!(response.body.contains("Formulaire expiré"), "{action}");
    }
    assert_eq!(app.get("/profil").await.status, StatusCode::OK);
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let mut app = logged_in().await;
    let mut other = app.another_browser();
    login(&mut other).await;

    let refused = send(
        &mut app,
        "/profil/mot-de-passe",
        &[
            ("current_password", MEMBER_PASSWORD),
            ("password", "court"),
            ("confirmation", "autre"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#password\""));
    assert!(refused.body.contains("href=\"#confirmation\""));
    assert!(refused.body.contains("entre 12 et 128 caractères"));

    let done = send(
        &mut app,
        "/profil/mot-de-passe",
        &[
            ("current_password", MEMBER_PASSWORD),
            ("password", NEW_PASSWORD),
            ("confirmation", NEW_PASSWORD),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/profil?fait=mot-de-passe"));
    let profile = app.get("/profil?fait=mot-de-passe").await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(
        profile
            .body
            .contains("Votre mot de passe a été modifié. Vos autres connexions ont été fermées.")
    );
    assert_eq!(other.get("/profil").await.status, StatusCode::SEE_OTHER);

    let mut third = app.another_browser();
    let old = third.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert!(old.body.contains(INVALID_CREDENTIALS));
    assert_eq!(
        third.login_member(MEMBER_NIR, NEW_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.mail_bodies(EMAIL, "Votre mot de passe a été modifié")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn a_wrong_current_password_is_refused_on_every_sensitive_form() {
    let mut app = logged_in().await;
    let wrong = "Pas-Le-Bon-2026";
    let forms: [(&str, Vec<(&str, &str)>); 5] = [
        (
            "/profil/mot-de-passe",
            vec![("password", NEW_PASSWORD), ("confirmation", NEW_PASSWORD)],
        ),
        ("/profil/email", vec![("email", NEW_EMAIL)]),
        (
            "/profil/adresse",
            vec![
                ("line1", "3 avenue de Paris"),
                ("line2", ""),
                ("postal_code", "78000"),
                ("city", "Versailles"),
            ],
        ),
        ("/profil/coordonnees-bancaires", vec![("iban", OTHER_IBAN)]),
        ("/profil/cloture", vec![("confirm", "oui")]),
    ];
    for (i, (path, mut fields)) in forms.into_iter().enumerate() {
        fields.push(("current_password", wrong));
        let response = send(&mut app, path, &fields).await;
        // The fifth wrong password starts the login's lock: one budget for both.
        let expected = if i < 4 {
            WRONG_PASSWORD
        } else {
            "temporairement bloqué"
        };
        assert_problem_on(&response, "current_password", expected);
    }
    let julien = julien(&app).await;
    assert_eq!(julien.email.as_ref().map(|e| e.as_str()), Some(EMAIL));
    assert_eq!(julien.address_line1, "12 rue de la Paroisse");
    assert!(
        app.mail_bodies(NEW_EMAIL, "Confirmez votre nouvelle adresse e-mail")
            .await
            .is_empty()
    );
    assert!(
        app.get("/profil/coordonnees-bancaires")
            .await
            .body
            .contains("Saisir de nouvelles")
    );
    assert!(
        !app.get("/profil/coordonnees-bancaires")
            .await
            .body
            .contains("Changement en attente")
    );
    assert_eq!(app.get("/profil").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_password_typed_again_in_the_profile_counts_in_the_login_lockout() {
    let mut app = logged_in().await;
    let mut attacker = app.another_browser();
    for _ in 0..4 {
        let response = attacker.login_member(MEMBER_NIR, "Pas-Le-Bon-2026").await;
        assert!(response.body.contains(INVALID_CREDENTIALS));
    }
    let address = [
        ("line1", "3 avenue de Paris"),
        ("line2", ""),
        ("postal_code", "78000"),
        ("city", "Versailles"),
    ];
    let mut fields = address.to_vec();
    fields.push(("current_password", "Pas-Le-Bon-2026"));
    let fifth = send(&mut app, "/profil/adresse", &fields).await;
    assert_problem_on(&fifth, "current_password", "temporairement bloqué");
    assert_eq!(
        app.mail_bodies(EMAIL, "Votre compte est temporairement bloqué")
            .await
            .len(),
        1,
        "the owner is told once"
    );
    // Locked: even the right password is no longer checked, here or at the login.
    let mut fields = address.to_vec();
    fields.push(("current_password", MEMBER_PASSWORD));
    let right = send(&mut app, "/profil/adresse", &fields).await;
    assert_problem_on(&right, "current_password", "temporairement bloqué");
    assert_eq!(julien(&app).await.address_line1, "12 rue de la Paroisse");
    let login = attacker.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert!(login.body.contains("temporairement bloqué"));
}

#[tokio::test]
async fn a_new_email_address_applies_only_through_the_link_sent_to_it() {
    let mut app = logged_in().await;
    let asked = send(
        &mut app,
        "/profil/email",
        &[("email", NEW_EMAIL), ("current_password", MEMBER_PASSWORD)],
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(asked.location(), Some("/profil/email/lien-envoye"));
    let sent = app.get("/profil/email/lien-envoye").await;
    assert!(sent.body.contains("lien de confirmation"));
    assert!(sent.body.contains("24 heures"));

    let told = app
        .mail_bodies(EMAIL, "Changement de votre adresse e-mail demandé")
        .await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains("/ce-n-etait-pas-moi/"));
    let link = link_path(
        &app.mail_bodies(NEW_EMAIL, "Confirmez votre nouvelle adresse e-mail")
            .await
            .pop()
            .expect("a link to the new address"),
        "/profil/email/confirmer/",
    );

    // Opening the link (as a mail scanner does) changes nothing.
    let mut mailbox = app.another_browser();
    let opened = mailbox.get(&link).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.body.contains("Confirmer cette adresse"));
    assert_eq!(
        julien(&app).await.email.as_ref().map(|e| e.as_str()),
        Some(EMAIL)
    );
    assert!(app.get("/profil").await.body.contains(EMAIL));

    // The button works without being logged in, once.
    let confirmed = mailbox.submit(&link, &link, &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(confirmed.location(), Some("/profil/email/confirmee"));
    assert!(
        mailbox
            .get("/profil/email/confirmee")
            .await
            .body
            .contains("Votre nouvelle adresse e-mail est enregistrée")
    );
    assert_eq!(
        julien(&app).await.email.as_ref().map(|e| e.as_str()),
        Some(NEW_EMAIL)
    );
    assert!(app.get("/profil").await.body.contains(NEW_EMAIL));
    // A used link says so as soon as it is opened, and refuses a replayed form.
    let reopened = mailbox.get(&link).await;
    assert_eq!(reopened.status, StatusCode::GONE);
    assert!(reopened.body.contains("Lien inutilisable"));
    let token = mailbox.get("/connexion").await.csrf_token();
    let replay = mailbox
        .post_form(&link, &[("csrf_token", token.as_str())])
        .await;
    assert_eq!(replay.status, StatusCode::GONE);
    assert!(replay.body.contains("Lien inutilisable"));
}

#[tokio::test]
async fn an_address_another_account_uses_is_answered_as_a_free_one_and_its_owner_told() {
    let mut app = logged_in().await;
    let camille = member(&app, "293122A00412317").await;
    let taken = camille
        .email
        .clone()
        .expect("Camille has an address")
        .as_str()
        .to_owned();
    let taken_upper = taken.to_uppercase();
    let free = send(
        &mut app,
        "/profil/email",
        &[("email", NEW_EMAIL), ("current_password", MEMBER_PASSWORD)],
    )
    .await;
    let used = send(
        &mut app,
        "/profil/email",
        &[
            ("email", taken_upper.as_str()),
            ("current_password", MEMBER_PASSWORD),
        ],
    )
    .await;
    assert_eq!(used.status, free.status, "{}", used.body);
    assert_eq!(used.location(), free.location());
    let sent = app.get(free.location().unwrap()).await;
    assert!(!sent.body.contains("déjà utilisée"));
    // The owner of the address is told, and gets no link; the requester's old address is
    // told as for any request.
    assert!(
        app.mail_bodies(&taken, "Confirmez votre nouvelle adresse e-mail")
            .await
            .is_empty()
    );
    let told = app
        .mail_bodies(
            &taken,
            "Votre adresse e-mail a été saisie pour un autre compte",
        )
        .await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains("rien n'a été modifié"), "{}", told[0]);
    assert_eq!(
        app.mail_bodies(EMAIL, "Changement de votre adresse e-mail demandé")
            .await
            .len(),
        2
    );
    assert_eq!(
        julien(&app).await.email.as_ref().map(|e| e.as_str()),
        Some(EMAIL)
    );
    assert_eq!(
        member(&app, "293122A00412317")
            .await
            .email
            .as_ref()
            .map(|e| e.as_str()),
        Some(taken.as_str())
    );
}

#[tokio::test]
async fn an_email_link_is_refused_when_another_account_took_the_address_meanwhile() {
    let mut app = logged_in().await;
    let shared = "adresse.partagee@exemple.fr";
    send(
        &mut app,
        "/profil/email",
        &[("email", shared), ("current_password", MEMBER_PASSWORD)],
    )
    .await;
    let mut camille = app.another_browser();
    camille.login_member(CAMILLE_NIR, MEMBER_PASSWORD).await;
    let asked = send(
        &mut camille,
        "/profil/email",
        &[("email", shared), ("current_password", MEMBER_PASSWORD)],
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let links: Vec<String> = app
        .mail_bodies(shared, "Confirmez votre nouvelle adresse e-mail")
        .await
        .iter()
        .map(|body| link_path(body, "/profil/email/confirmer/"))
        .collect();
    assert_eq!(links.len(), 2);
    let mut mailbox = app.another_browser();
    let first = mailbox.submit(&links[0], &links[0], &[]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = mailbox.submit(&links[1], &links[1], &[]).await;
    assert_eq!(second.status, StatusCode::GONE);
    assert!(second.body.contains("déjà utilisée par un autre compte"));
    let holders = [
        julien(&app).await.email,
        member(&app, "293122A00412317").await.email,
    ]
    .into_iter()
    .filter(|email| email.as_ref().map(|e| e.as_str()) == Some(shared))
    .count();
    assert_eq!(holders, 1);
}

#[tokio::test]
async fn a_new_mobile_number_applies_with_the_code_sent_to_it_by_sms() {
    let mut app = logged_in().await;
    let malformed = send(
        &mut app,
        "/profil/mobile",
        &[
            ("phone", "01 23 45 67 89"),
            ("current_password", MEMBER_PASSWORD),
        ],
    )
    .await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(malformed.body.contains("href=\"#phone\""));

    assert_eq!(
        app.get("/profil/mobile/code").await.location(),
        Some("/profil/mobile")
    );
    let asked = send(
        &mut app,
        "/profil/mobile",
        &[
            ("phone", "06 98 76 54 00"),
            ("current_password", MEMBER_PASSWORD),
        ],
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(asked.location(), Some("/profil/mobile/code"));
    let code_page = app.get("/profil/mobile/code").await;
    assert!(code_page.body.contains("06 98 76 54 00"));
    assert!(code_page.body.contains("autocomplete=\"one-time-code\""));

    let code = app.last_sms_code("+33698765400").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = send(&mut app, "/profil/mobile/code", &[("code", wrong)]).await;
    // Messages are escaped (the apostrophe too), so the test looks for words without one.
    assert_problem_on(&refused, "code", "pas le bon ou");
    assert_eq!(
        julien(&app).await.phone.as_ref().map(|p| p.as_str()),
        Some("+33612345678")
    );

    let done = send(&mut app, "/profil/mobile/code", &[("code", &code)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/profil?fait=mobile"));
    assert_eq!(
        julien(&app).await.phone.as_ref().map(|p| p.as_str()),
        Some("+33698765400")
    );
    let profile = app.get("/profil?fait=mobile").await;
    assert!(profile.body.contains("06 98 76 54 00"));
    assert!(
        profile
            .body
            .contains("Votre nouveau numéro de mobile est enregistré.")
    );
    let told = app
        .mail_bodies(EMAIL, "Votre numéro de mobile a été modifié")
        .await;
    assert!(told[0].contains("/ce-n-etait-pas-moi/"));
}

#[tokio::test]
async fn a_code_by_sms_takes_the_password_and_a_member_gets_three_an_hour_ten_a_day() {
    let (mut app, clock) = logged_in_with_clock().await;
    let ask = |number: &'static str, password: &'static str| {
        [("phone", number), ("current_password", password)]
    };
    let wrong = send(
        &mut app,
        "/profil/mobile",
        &ask("06 98 76 54 00", "Pas-Le-Bon-2026"),
    )
    .await;
    assert_problem_on(&wrong, "current_password", WRONG_PASSWORD);
    let sms = |app: &TestApp, number: &'static str| {
        let db = app.db.clone();
        async move {
            caisse_store::outbox::for_recipient(&db.db, number)
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(sms(&app, "+33698765400").await, 0, "nothing sent");
    let numbers = [
        ("06 98 76 54 01", "+33698765401"),
        ("06 98 76 54 02", "+33698765402"),
        ("06 98 76 54 03", "+33698765403"),
        ("06 98 76 54 04", "+33698765404"),
    ];
    for (typed, _) in &numbers[..3] {
        let asked = send(&mut app, "/profil/mobile", &ask(typed, MEMBER_PASSWORD)).await;
        assert_eq!(
            asked.location(),
            Some("/profil/mobile/code"),
            "{}",
            asked.body
        );
    }
    let fourth = send(
        &mut app,
        "/profil/mobile",
        &ask(numbers[3].0, MEMBER_PASSWORD),
    )
    .await;
    assert_problem_on(
        &fourth,
        "phone",
        "Vous pourrez en demander un nouveau dans 1 h 00.",
    );
    assert_eq!(sms(&app, numbers[3].1).await, 0);
    // An hour later, three more; the day's tenth is the last.
    let mut sent = 3;
    for _ in 0..3 {
        clock.advance(time::Duration::minutes(61));
        login(&mut app).await;
        for _ in 0..3 {
            let asked = send(
                &mut app,
                "/profil/mobile",
                &ask(numbers[3].0, MEMBER_PASSWORD),
            )
            .await;
            if sent < 10 {
                assert_eq!(asked.location(), Some("/profil/mobile/code"));
                sent += 1;
            } else {
                assert_problem_on(&asked, "phone", "Vous pourrez en demander un nouveau dans");
            }
        }
    }
    assert_eq!(sms(&app, numbers[3].1).await, 7);
}

#[tokio::test]
async fn the_postal_address_form_is_prefilled_and_checked() {
    let mut app = logged_in().await;
    let form = app.get("/profil/adresse").await;
    assert!(form.body.contains("value=\"12 rue de la Paroisse\""));
    assert!(form.body.contains("value=\"78000\""));
    assert!(form.body.contains("value=\"VERSAILLES\""));

    let fields = |postal_code| {
        [
            ("line1", "3 avenue de Saint-Cloud"),
            ("line2", "Bâtiment B"),
            ("postal_code", postal_code),
            ("city", "Versailles"),
            ("current_password", MEMBER_PASSWORD),
        ]
    };
    let refused = send(&mut app, "/profil/adresse", &fields("780")).await;
    assert_problem_on(
        &refused,
        "postal_code",
        "Le code postal comporte 5 chiffres.",
    );
    assert!(
        refused.body.contains("value=\"3 avenue de Saint-Cloud\""),
        "typed again"
    );

    let done = send(&mut app, "/profil/adresse", &fields("78 000")).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/profil?fait=adresse"));
    let profile = app.get("/profil?fait=adresse").await;
    assert!(
        profile
            .body
            .contains("3 avenue de Saint-Cloud<br>Bâtiment B<br>78000 VERSAILLES")
    );
    assert!(
        profile
            .body
            .contains("Votre nouvelle adresse postale est enregistrée.")
    );
}

#[tokio::test]
async fn a_bank_change_waits_for_its_cool_off_and_can_be_cancelled_meanwhile() {
    let (mut app, clock) = logged_in_with_clock().await;
    let page = app.get("/profil/coordonnees-bancaires").await;
    assert!(page.body.contains("FR76 **** **** **** **** ***0 189"));
    assert!(page.body.contains("3 jours après leur saisie"));

    let asked = send(
        &mut app,
        "/profil/coordonnees-bancaires",
        &[("iban", OTHER_IBAN), ("current_password", MEMBER_PASSWORD)],
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(asked.location(), Some("/profil?fait=banque"));
    let masked = Iban::parse(OTHER_IBAN).unwrap().masked();
    let profile = app.get("/profil?fait=banque").await;
    assert!(
        profile
            .body
            .contains("Changement de coordonnées bancaires en attente")
    );
    assert!(profile.body.contains(&masked));
    // 09:00 UTC on 2 March is 10 h in Paris; three days later.
    assert!(
        profile.body.contains("05/03/2026 à 10 h 00"),
        "{}",
        profile.body
    );
    let page = app.get("/profil/coordonnees-bancaires").await;
    assert!(page.body.contains("Annuler ce changement"));

    let cancelled = app
        .submit(
            "/profil/coordonnees-bancaires",
            "/profil/coordonnees-bancaires/annuler",
            &[],
        )
        .await;
    assert_eq!(cancelled.location(), Some("/profil?fait=banque-annulee"));
    let profile = app.get("/profil?fait=banque-annulee").await;
    assert!(
        profile
            .body
            .contains("Le changement de coordonnées bancaires est annulé")
    );
    assert!(!profile.body.contains("en attente"));

    clock.advance(Duration::days(4));
    assert_eq!(app.services.run_account_jobs().await.unwrap(), 0);
    assert_eq!(
        julien(&app).await.iban.as_ref().map(|i| i.as_str()),
        Some("FR7630006000011234567890189")
    );
}

#[tokio::test]
async fn a_bank_change_applies_once_the_cool_off_has_passed() {
    let (mut app, clock) = logged_in_with_clock().await;
    send(
        &mut app,
        "/profil/coordonnees-bancaires",
        &[("iban", OTHER_IBAN), ("current_password", MEMBER_PASSWORD)],
    )
    .await;
    let told = app
        .mail_bodies(EMAIL, "Changement de vos coordonnées bancaires")
        .await;
    assert!(told[0].contains("/ce-n-etait-pas-moi/"));

    clock.advance(Duration::days(2));
    assert_eq!(app.services.run_account_jobs().await.unwrap(), 0);
    clock.advance(Duration::days(1) + Duration::minutes(1));
    assert_eq!(app.services.run_account_jobs().await.unwrap(), 1);
    assert_eq!(
        julien(&app).await.iban.as_ref().map(|i| i.as_str()),
        Some("FR7610278010000001234567891")
    );
    // A session idle for three days has ended; a new login sees the new details.
    login(&mut app).await;
    let profile = app.get("/profil").await;
    assert!(
        profile
            .body
            .contains(&Iban::parse(OTHER_IBAN).unwrap().masked())
    );
    assert!(!profile.body.contains("en attente"));
}

#[tokio::test]
async fn bank_changes_are_refused_while_frozen_with_the_number_to_call() {
    let mut app = logged_in().await;
    let id = julien(&app).await.id;
    caisse_store::members::set_bank_frozen(
        &app.db.db,
        id,
        true,
        caisse_domain::Instant::from(caisse_store::now_utc()),
    )
    .await
    .unwrap();
    let page = app.get("/profil/coordonnees-bancaires").await;
    assert!(page.body.contains("Changement impossible pour le moment"));
    assert!(page.body.contains("Appelez votre caisse au 36 46"));
    assert!(
        !page.body.contains("name=\"iban\""),
        "no form to fill in vain"
    );

    let refused = send(
        &mut app,
        "/profil/coordonnees-bancaires",
        &[("iban", OTHER_IBAN), ("current_password", MEMBER_PASSWORD)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Appelez votre caisse au 36 46"));
    assert!(!refused.body.contains("Changement en attente"));
}

#[tokio::test]
async fn notification_preferences_are_shown_and_saved() {
    let mut app = logged_in().await;
    let page = app.get("/profil/notifications").await;
    assert!(
        page.body
            .contains("id=\"by_email\" name=\"by_email\" value=\"oui\" checked")
    );
    assert!(
        !page
            .body
            .contains("id=\"by_sms\" name=\"by_sms\" value=\"oui\" checked")
    );

    let saved = send(&mut app, "/profil/notifications", &[("by_sms", "oui")]).await;
    assert_eq!(saved.location(), Some("/profil?fait=notifications"));
    let page = app.get("/profil/notifications").await;
    assert!(
        !page
            .body
            .contains("id=\"by_email\" name=\"by_email\" value=\"oui\" checked")
    );
    assert!(
        page.body
            .contains("id=\"by_sms\" name=\"by_sms\" value=\"oui\" checked")
    );
    let account = caisse_store::members::find_account(&app.db.db, julien(&app).await.id)
        .await
        .unwrap()
        .unwrap();
    assert!(!account.notify_email && account.notify_sms);
}

#[tokio::test]
async fn connections_list_both_sessions_and_closing_one_ends_it() {
    let mut app = logged_in().await;
    let mut other = app.another_browser();
    login(&mut other).await;
    let other_id = session_id(&other);

    let list = app.get("/profil/connexions").await;
    assert_eq!(
        list.body.matches("name=\"kind\" value=\"session\"").count(),
        2
    );
    assert_eq!(list.body.matches("Cette connexion").count(), 1);
    assert!(list.body.contains(&other_id));
    assert!(list.body.contains("Navigateur inconnu"));

    let closed = app
        .submit(
            "/profil/connexions",
            "/profil/connexions/fermer",
            &[("kind", "session"), ("id", &other_id)],
        )
        .await;
    assert_eq!(closed.location(), Some("/profil/connexions?fait=fermeture"));
    assert_eq!(other.get("/profil").await.status, StatusCode::SEE_OTHER);
    let list = app.get("/profil/connexions?fait=fermeture").await;
    assert!(list.body.contains("La connexion est fermée."));
    assert_eq!(
        list.body.matches("name=\"kind\" value=\"session\"").count(),
        1
    );

    // Closing the session in use logs out.
    let own = session_id(&app);
    let out = app
        .submit(
            "/profil/connexions",
            "/profil/connexions/fermer",
            &[("kind", "session"), ("id", &own)],
        )
        .await;
    assert_eq!(out.location(), Some("/connexion"));
    assert_eq!(app.get("/profil").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_member_cannot_close_another_members_session() {
    let mut app = logged_in().await;
    let mut camille = app.another_browser();
    let logged = camille.login_member(CAMILLE_NIR, MEMBER_PASSWORD).await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER);
    let camille_session = session_id(&camille);

    let response = app
        .submit(
            "/profil/connexions",
            "/profil/connexions/fermer",
            &[("kind", "session"), ("id", &camille_session)],
        )
        .await;
    assert_eq!(response.location(), Some("/profil/connexions"));
    assert_eq!(camille.get("/profil").await.status, StatusCode::OK);
    assert!(
        !app.get("/profil/connexions")
            .await
            .body
            .contains(&camille_session)
    );
    assert!(
        app.mail_bodies(CAMILLE_EMAIL, "Votre mot de passe a été modifié")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn closing_the_account_logs_out_and_later_logins_get_the_generic_answer() {
    let mut app = logged_in().await;
    let page = app.get("/profil/cloture").await;
    assert!(page.body.contains("href=\"/code-provisoire/demande\""));
    assert!(
        page.body
            .contains("Votre dossier d'assuré et vos droits restent inchangés")
    );

    let unticked = send(
        &mut app,
        "/profil/cloture",
        &[("current_password", MEMBER_PASSWORD)],
    )
    .await;
    assert_problem_on(&unticked, "confirm", "Cochez la case");
    assert_eq!(app.get("/profil").await.status, StatusCode::OK);

    let closed = send(
        &mut app,
        "/profil/cloture",
        &[("current_password", MEMBER_PASSWORD), ("confirm", "oui")],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    assert_eq!(closed.location(), Some("/profil/cloture/effectuee"));
    let done = app.get("/profil/cloture/effectuee").await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("Votre compte en ligne est fermé"));
    assert!(done.body.contains("href=\"/code-provisoire/demande\""));
    assert!(done.body.contains("href=\"/connexion\""), "logged out");
    assert_eq!(app.get("/profil").await.status, StatusCode::SEE_OTHER);

    let again = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains(INVALID_CREDENTIALS));
    assert_eq!(app.get("/profil").await.status, StatusCode::SEE_OTHER);
    // The member file stays.
    assert_eq!(julien(&app).await.first_name, "Julien");
}

#[tokio::test]
async fn account_links_expired_for_a_day_are_deleted_by_the_account_jobs() {
    use caisse_domain::LinkPurpose;
    use caisse_store::one_time::{LinkKind, NewLink, find_link, insert_link};

    let (app, clock) = logged_in_with_clock().await;
    let member_id = julien(&app).await.id;
    let now = time::macros::datetime!(2026-03-02 09:00 UTC);
    let kind = LinkKind::Account(LinkPurpose::NotMe);
    for (digest, expires_at) in [
        ("a".repeat(64), now - Duration::days(2)),
        ("b".repeat(64), now - Duration::hours(12)),
        ("c".repeat(64), now + Duration::days(7)),
    ] {
        let link = NewLink {
            digest,
            member_id,
            payload: None,
            expires_at: expires_at.into(),
        };
        insert_link(&app.db.db, kind, link, now.into())
            .await
            .unwrap();
    }

    app.services.run_account_jobs().await.unwrap();
    let kept = |digest: String| {
        let db = app.db.db.clone();
        async move { find_link(&db, kind, &digest).await.unwrap().is_some() }
    };
    // Expired for two days: gone; expired for half a day or still valid: kept.
    assert!(!kept("a".repeat(64)).await);
    assert!(kept("b".repeat(64)).await);
    assert!(kept("c".repeat(64)).await);

    clock.advance(Duration::hours(13));
    app.services.run_account_jobs().await.unwrap();
    assert!(!kept("b".repeat(64)).await);
    assert!(kept("c".repeat(64)).await);
}
