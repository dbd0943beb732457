//! `POST /api/v1/claims/lots`: a professional's software sends a lot with its sender key and
//! gets the acknowledgement; a lot sent again gets the same one; a malformed lot is a 422
//! listing each problem by line; no key, a revoked key or another sender's lot is refused.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use caisse_core::claims::{reference_data, senders};
use caisse_core::demo::REFERENCE_FILES;
use caisse_domain::claims::ProfessionalId;
use caisse_domain::{CaisseCode, Iban};
use caisse_store::now_utc;

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
        "Dr Anne MARTIN",
        &Iban::parse("FR7630006000011234567890189").unwrap(),
        now_utc(),
    )
    .await
    .unwrap();
    (app, key.key)
}

fn lot(number: u32, emetteur: &str, day: &str) -> String {
    let nir = MEMBER_NIR.replace(' ', "");
    format!(
        "{{\"lot\": {{\"type_emetteur\": \"rpps\", \"emetteur\": \"{emetteur}\", \"numero_lot\": {number}}}}}\n\
         {{\"numero_feuille\": 1, \"nir\": \"{nir}\", \"rang\": 1, \"type_professionnel\": \"rpps\", \"professionnel\": \"{SENDER}\", \"date_soins\": \"{day}\", \"tiers_payant\": false, \"part_complementaire\": false, \"parcours\": \"medecin_traitant\", \"actes\": [{{\"code_acte\": \"G\", \"quantite\": 1, \"coefficient\": 1, \"montant_cents\": 3000, \"ald\": false, \"at_mp\": false}}]}}\n\
         {{\"numero_feuille\": 2, \"nir\": \"{nir}\", \"rang\": 1, \"type_professionnel\": \"rpps\", \"professionnel\": \"{SENDER}\", \"date_soins\": \"2015-01-05\", \"tiers_payant\": false, \"part_complementaire\": false, \"parcours\": \"medecin_traitant\", \"actes\": [{{\"code_acte\": \"G\", \"quantite\": 1, \"coefficient\": 1, \"montant_cents\": 3000, \"ald\": false, \"at_mp\": false}}]}}\n"
    )
}

async fn send(
    app: &mut TestApp,
    key: Option<&str>,
    content_type: &str,
    body: String,
) -> TestResponse {
    let mut request =
        Request::post("/api/v1/claims/lots").header(header::CONTENT_TYPE, content_type);
    if let Some(key) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

fn yesterday() -> String {
    let day = caisse_domain::paris_time::paris_time(now_utc())
        .date()
        .previous_day()
        .unwrap();
    day.to_string()
}

#[tokio::test]
async fn a_lot_is_acknowledged_once_with_its_rejected_sheets() {
    let (mut app, key) = app_with_key().await;
    let body = lot(1, SENDER, &yesterday());
    let first = send(&mut app, Some(&key), "application/jsonl", body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let ack: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(ack["sheets_accepted"], 1);
    assert_eq!(ack["sheets_rejected"], 1);
    assert_eq!(ack["rejected"][0]["sheet"], 2);
    assert_eq!(ack["rejected"][0]["reason"], "too_old");
    assert!(
        ack["rejected"][0]["message"]
            .as_str()
            .unwrap()
            .contains("deux ans")
    );

    let again = send(&mut app, Some(&key), "application/jsonl", body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&again.body).unwrap(),
        ack
    );
}

#[tokio::test]
async fn a_malformed_lot_is_a_422_listing_each_problem_and_imports_nothing() {
    let (mut app, key) = app_with_key().await;
    let body = format!(
        "{}{{\"numero_feuille\": 3, \"nir\": \"123\"}}\nnot json\n",
        lot(2, SENDER, &yesterday())
    );
    let response = send(&mut app, Some(&key), "application/jsonl", body).await;
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
    assert_eq!(problem["code"], "malformed_lot");
    let lines: Vec<u64> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert!(lines.contains(&4) && lines.contains(&5), "{lines:?}");
    assert!(
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| !e["message"].as_str().unwrap().is_empty())
    );
    let states = caisse_store::claims::sheets::count_by_state(&app.db.db)
        .await
        .unwrap();
    assert!(states.is_empty(), "{states:?}");
}

#[tokio::test]
async fn no_key_a_revoked_key_or_another_senders_lot_is_refused() {
    let (mut app, key) = app_with_key().await;
    let body = lot(3, SENDER, &yesterday());
    let none = send(&mut app, None, "application/jsonl", body.clone()).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let wrong = send(
        &mut app,
        Some("cs_not-a-key-of-anyone-at-all"),
        "text/csv",
        body.clone(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

    let other = lot(3, "10101234567", &yesterday());
    let mismatch = send(&mut app, Some(&key), "application/jsonl", other).await;
    assert_eq!(mismatch.status, StatusCode::FORBIDDEN, "{}", mismatch.body);

    let caisse: CaisseCode = app.member(MEMBER_NIR).await.caisse_code;
    let revoked = senders::revoke(
        &app.db.db,
        caisse,
        &ProfessionalId::rpps(SENDER).unwrap(),
        now_utc(),
    )
    .await
    .unwrap();
    assert_eq!(revoked, 1);
    let after = send(&mut app, Some(&key), "application/jsonl", body).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}
