//! Registration and activation: identical answers whatever fails, the carte Vitale serial and
//! the bank details on file required, a 24-hour single-use link, one account per address.

use axum::http::StatusCode;
use caisse_core::auth::LoginSettings;
use caisse_core::clock::ManualClock;
use caisse_domain::{CaisseCode, Email, Iban, Nir, PhoneNumber, Sex, VitaleSerial};
use caisse_store::members::{self, NewMember};
use serde_json::json;
use time::Duration;
use time::macros::date;

use crate::support::{MEMBER_NIR, TestApp, TestResponse};

/// A member of the file (fund 781) without an account.
const NIR: &str = "1 85 05 78 006 085 90";
const BIRTH: &str = "01/05/1985";
const SERIAL: &str = "12345678";
const IBAN: &str = "FR76 3000 4008 2300 0123 4567 819";
const EMAIL: &str = "paul.durand@exemple.fr";
const PASSWORD: &str = "Girafe-Parapluie-Violon-47";
const ACTIVATION: &str = "Activez votre compte";

async fn insert_member(app: &TestApp) {
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
            vitale_serial: Some(VitaleSerial::parse(SERIAL).unwrap()),
            address_line1: "1 rue Haute".into(),
            address_line2: None,
            postal_code: "78000".into(),
            city: "VERSAILLES".into(),
            email: None,
            phone: None,
            iban: Some(Iban::parse(IBAN).unwrap()),
        },
        Vec::new(),
        time::OffsetDateTime::now_utc(),
    )
    .await
    .expect("member");
}

async fn register(app: &mut TestApp, changes: &[(&str, &str)]) -> TestResponse {
    let mut fields = vec![
        ("nir", NIR),
        ("birth_date", BIRTH),
        ("vitale_serial", SERIAL),
        ("iban", IBAN),
        ("email", EMAIL),
        ("phone", "06 98 76 54 32"),
        ("password", PASSWORD),
        ("confirmation", PASSWORD),
        ("terms", "oui"),
    ];
    for (name, value) in changes {
        if let Some(field) = fields.iter_mut().find(|(n, _)| n == name) {
            field.1 = value;
        }
    }
    app.submit("/inscription", "/inscription", &fields).await
}

#[tokio::test]
async fn every_failure_answers_like_a_success_and_only_a_full_match_mails_a_link() {
    let mut app = TestApp::with_demo_data().await;
    insert_member(&app).await;
    let mut answers = Vec::new();
    for changes in [
        vec![("nir", "1 85 05 78 006 086 89")],        // unknown NIR
        vec![("birth_date", "02/05/1985")],            // wrong birth date
        vec![("vitale_serial", "12345679")],           // wrong serial
        vec![("iban", "FR7630006000011234567890189")], // someone else's bank details
    ] {
        let response = register(&mut app, &changes).await;
        answers.push((response.status, response.location().map(str::to_owned)));
    }
    assert!(
        app.mail_bodies(EMAIL, ACTIVATION).await.is_empty(),
        "no link on a mismatch"
    );
    let success = register(&mut app, &[]).await;
    answers.push((success.status, success.location().map(str::to_owned)));
    for answer in &answers {
        assert_eq!(
            answer,
            &(
                StatusCode::SEE_OTHER,
                Some("/inscription/envoyee".to_owned())
            )
        );
    }
    assert_eq!(app.mail_bodies(EMAIL, ACTIVATION).await.len(), 1);
    let sent = app.get("/inscription/envoyee").await;
    assert!(
        sent.body
            .contains("Si ces informations correspondent à votre dossier")
    );
}

#[tokio::test]
async fn the_activation_link_opens_the_account_once_and_records_the_contacts() {
    let mut app = TestApp::with_demo_data().await;
    insert_member(&app).await;
    register(&mut app, &[]).await;
    // Pending: the password does not open anything yet.
    let early = app.login_member(NIR, PASSWORD).await;
    assert_eq!(early.status, StatusCode::OK, "login page again");
    let link = app
        .link_in_mail(EMAIL, ACTIVATION, "/inscription/activer/")
        .await;
    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Activer mon compte"));
    // Opening the link changed nothing (mail scanners open links).
    assert!(
        app.mail_bodies(EMAIL, "Votre compte est activé")
            .await
            .is_empty()
    );
    let activated = app.submit(&link, &link, &[]).await;
    assert_eq!(activated.location(), Some("/connexion?compte=active"));
    let member = app.member("185057800608590").await;
    assert_eq!(member.email.as_ref().map(Email::as_str), Some(EMAIL));
    assert_eq!(
        member.phone.as_ref().map(PhoneNumber::as_str),
        Some("+33698765432")
    );
    let confirmation = app.mail_bodies(EMAIL, "Votre compte est activé").await;
    assert!(confirmation[0].contains("/ce-n-etait-pas-moi/"));
    let login = app.login_member(NIR, PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    // Used once.
    assert_eq!(app.get(&link).await.status, StatusCode::GONE);
}

#[tokio::test]
async fn the_link_expires_after_a_day() {
    let clock = ManualClock::new(caisse_store::now_utc());
    let mut app = TestApp::with_clock(clock.clone(), LoginSettings::default()).await;
    insert_member(&app).await;
    register(&mut app, &[]).await;
    let link = app
        .link_in_mail(EMAIL, ACTIVATION, "/inscription/activer/")
        .await;
    clock.advance(Duration::hours(24) + Duration::seconds(1));
    assert_eq!(app.get(&link).await.status, StatusCode::GONE);
}

#[tokio::test]
async fn an_open_account_is_not_replaced_and_its_owner_is_told() {
    let mut app = TestApp::with_demo_data().await;
    // Julien MARTIN has an account; his serial and IBAN come from the demo data.
    let response = register(
        &mut app,
        &[
            ("nir", MEMBER_NIR),
            ("birth_date", "14/05/1985"),
            ("vitale_serial", "780060042"),
            ("iban", "FR7630006000011234567890189"),
            ("email", "attaquant@exemple.fr"),
        ],
    )
    .await;
    assert_eq!(response.location(), Some("/inscription/envoyee"));
    assert!(
        app.mail_bodies("attaquant@exemple.fr", ACTIVATION)
            .await
            .is_empty()
    );
    assert_eq!(
        app.mail_bodies(
            "julien.martin@exemple.fr",
            "Tentative de création de compte"
        )
        .await
        .len(),
        1
    );
}

#[tokio::test]
async fn an_address_already_used_by_another_account_opens_nothing() {
    let mut app = TestApp::with_demo_data().await;
    insert_member(&app).await;
    register(&mut app, &[("email", "julien.martin@exemple.fr")]).await;
    assert!(
        app.mail_bodies("julien.martin@exemple.fr", ACTIVATION)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn malformed_fields_are_all_reported_in_french() {
    let mut app = TestApp::with_demo_data().await;
    let response = register(
        &mut app,
        &[
            ("nir", "3 85 05 78 006 084 36"),
            ("iban", "FR76 1234"),
            ("email", "pas-une-adresse"),
            ("phone", "01 23 45 67 89"),
            ("password", "court"),
            ("terms", ""),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["#iban", "#email", "#phone", "#password", "#nir"] {
        assert!(response.body.contains(field), "{field}");
    }
    // The confirmation typed is given back, for the member to correct the password only.
    assert!(
        response
            .body
            .contains(&format!("name=\"confirmation\" value=\"{PASSWORD}\""))
    );
}

#[tokio::test]
async fn the_api_answers_202_alike_and_422_with_every_field() {
    let mut app = TestApp::with_demo_data().await;
    insert_member(&app).await;
    let body = |nir: &str| {
        json!({
            "nir": nir, "birth_date": "1985-05-01", "vitale_serial": SERIAL, "iban": IBAN,
            "email": EMAIL, "phone": "0698765432", "password": PASSWORD, "accept_terms": true
        })
    };
    let unknown = app
        .post_json("/api/v1/accounts", body("1 85 05 78 006 086 89"), None)
        .await;
    let known = app.post_json("/api/v1/accounts", body(NIR), None).await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!((unknown.status, unknown.body), (known.status, known.body));
    assert_eq!(app.mail_bodies(EMAIL, ACTIVATION).await.len(), 1);
    let invalid = app
        .post_json(
            "/api/v1/accounts",
            json!({
                "nir": "x", "birth_date": "01/05/1985", "vitale_serial": "", "iban": "",
                "email": "", "phone": "", "password": "", "accept_terms": false
            }),
            None,
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = serde_json::from_str(&invalid.body).unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in [
        "nir",
        "birth_date",
        "vitale_serial",
        "iban",
        "email",
        "phone",
        "password",
        "terms",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
}

#[tokio::test]
async fn the_minimum_password_length_follows_the_configuration() {
    let mut settings = crate::support::config();
    settings.services.password_policy.min_length = 30;
    let mut app = TestApp::build(settings, true).await;
    insert_member(&app).await;
    let response = register(&mut app, &[]).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response.body.contains("entre 30 et 128 caractères"),
        "rules listed"
    );
    assert!(app.mail_bodies(EMAIL, ACTIVATION).await.is_empty());
}
