//! `POST /api/v1/claims/arrets`: a partner of the fund sends arrêts de travail with its
//! sender key and gets the acknowledgement; sent again, they are counted as already
//! received; a malformed file is a 422 listing each problem by line and imports nothing; no
//! key or a revoked key is refused.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use caisse_core::claims::{reference_data, senders};
use caisse_core::demo::REFERENCE_FILES;
use caisse_domain::claims::ProfessionalId;
use caisse_domain::{CaisseCode, Iban};
use caisse_store::now_utc;
use time::Duration;

use crate::support::{MEMBER_NIR, TestApp, TestResponse};

const SENDER: &str = "10003456789";

async fn app_with_key() -> (TestApp, String) {
    let app = TestApp::with_demo_data().await;
    reference_data::load(&app.db.db, &REFERENCE_FILES, now_utc())
        .await
        .unwrap();
    let key = senders::add(
        &app.db.db,
        app.member(MEMBER_NIR).await.caisse_code,
        &ProfessionalId::rpps(SENDER).unwrap(),
        "Relais DSN",
        &Iban::parse("FR7630006000011234567890189").unwrap(),
        now_utc(),
    )
    .await
    .unwrap();
    (app, key.key)
}

/// An arrêt maladie of the demo member from 20 days ago to 2 days ago.
fn arret(reference: &str, siret: &str) -> String {
    let today = caisse_domain::paris_time::paris_time(now_utc()).date();
    let start = today - Duration::days(20);
    let end = today - Duration::days(2);
    let nir = MEMBER_NIR.replace(' ', "");
    format!(
        "{{\"reference_arret\": \"{reference}\", \"nir\": \"{nir}\", \"rang\": 1, \"type_arret\": \"maladie\", \"date_debut\": \"{start}\", \"date_fin\": \"{end}\", \"siret_employeur\": \"{siret}\", \"salaire_1_cents\": 200000, \"salaire_2_cents\": 200000, \"salaire_3_cents\": 200000, \"carence\": true, \"ald\": false}}\n"
    )
}

async fn send(app: &mut TestApp, key: Option<&str>, body: String) -> TestResponse {
    let mut request =
        Request::post("/api/v1/claims/arrets").header(header::CONTENT_TYPE, "application/jsonl");
    if let Some(key) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn arrets_are_acknowledged_and_counted_as_already_received_when_sent_again() {
    let (mut app, key) = app_with_key().await;
    let body = arret("AT-1", "73282932000074");
    let first = send(&mut app, Some(&key), body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let ack: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(ack["accepted"], 1, "{ack}");
    assert_eq!(ack["already_received"], 0);
    assert_eq!(ack["rejected_count"], 0);

    let overlapping = arret("AT-2", "73282932000074");
    let again = send(&mut app, Some(&key), format!("{body}{overlapping}")).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    let ack: serde_json::Value = serde_json::from_str(&again.body).unwrap();
    assert_eq!(ack["accepted"], 0);
    assert_eq!(ack["already_received"], 1);
    assert_eq!(ack["rejected"][0]["line"], 2);
    assert_eq!(ack["rejected"][0]["reference"], "AT-2");
    assert_eq!(ack["rejected"][0]["reason"], "overlap");
    assert!(
        ack["rejected"][0]["message"]
            .as_str()
            .unwrap()
            .contains("chevauche")
    );
}

#[tokio::test]
async fn a_malformed_file_is_a_422_listing_each_problem_by_line() {
    let (mut app, key) = app_with_key().await;
    let body = format!(
        "{}{}not json\n",
        arret("AT-1", "73282932000074"),
        arret("AT-2", "73282932000075")
    );
    let response = send(&mut app, Some(&key), body).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert_eq!(
        response.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    let problem: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(problem["code"], "malformed_arrets");
    let errors = problem["errors"].as_array().unwrap();
    let lines: Vec<u64> = errors.iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3], "{errors:?}");
    assert!(errors[0]["message"].as_str().unwrap().contains("SIRET"));

    // Nothing was imported: the first arrêt is new when the file is sent fixed.
    let fixed = send(&mut app, Some(&key), arret("AT-1", "73282932000074")).await;
    let ack: serde_json::Value = serde_json::from_str(&fixed.body).unwrap();
    assert_eq!(ack["accepted"], 1, "{ack}");
}

#[tokio::test]
async fn no_key_or_a_revoked_key_is_refused() {
    let (mut app, key) = app_with_key().await;
    let body = arret("AT-1", "73282932000074");
    let none = send(&mut app, None, body.clone()).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let wrong = send(
        &mut app,
        Some("cs_not-a-key-of-anyone-at-all"),
        body.clone(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

    let caisse: CaisseCode = app.member(MEMBER_NIR).await.caisse_code;
    senders::revoke(
        &app.db.db,
        caisse,
        &ProfessionalId::rpps(SENDER).unwrap(),
        now_utc(),
    )
    .await
    .unwrap();
    let after = send(&mut app, Some(&key), body).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}
