//! « Sommes à payer »: the member's debts (list, detail, empty state), paying by card through
//! the provider's emulator (start, « Payer », signed return, closed; a replayed return changes
//! nothing; a tampered amount or signature is refused and audited), transfers shown once
//! recorded, contesting, and another member's debt answering like a missing one (pages and
//! API).

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use caisse_core::debts::{
    DebtSettings, FundAccount, PaymentProvider, ProviderSecret, SignedRedirectProvider,
    TransferRecord,
};
use caisse_domain::{AmountCents, Bic, CreditorReference, Iban, Instant};
use caisse_store::claims::{debts, sheets};
use sea_orm::{ConnectionTrait, Statement};
use tower::ServiceExt;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, api_token, config, without_csrf};

/// Camille ROSSI (C2S: no participation nor franchise, so no debt).
const OTHER_NIR: &str = "2 93 12 2A 004 123 17";
const EMULATOR: &str = "http://emulateur.test";
const BASE: &str = "http://127.0.0.1:8080";

fn provider(secret: &[u8]) -> SignedRedirectProvider {
    SignedRedirectProvider {
        url: format!("{EMULATOR}/payer"),
        merchant_id: "CPAM-TEST-781".to_owned(),
        return_url: format!("{BASE}/paiements/sommes-a-payer/retour"),
        secret: ProviderSecret::new(secret.to_vec()),
    }
}

/// The account the test fund takes transfers on.
fn fund_account() -> FundAccount {
    FundAccount {
        iban: Iban::parse("FR76 1751 5900 0008 7654 3210 957").unwrap(),
        bic: Bic::parse("BDFEFRPP").unwrap(),
        holder: "Agent comptable CPAM de test".to_owned(),
    }
}

async fn app() -> TestApp {
    let mut settings = config();
    settings.services.debts = DebtSettings {
        account: Some(fund_account()),
        ..DebtSettings::default()
    };
    settings.services.payment_provider =
        Some(Arc::new(provider(b"a secret of the test fund")) as Arc<dyn PaymentProvider>);
    TestApp::build(settings, true).await
}

/// A new debt of `cents` for the member with `nir`, on their newest care sheet if they have
/// one (the demo's year of care, `caisse_core::demo::seed_care`), else on a sheet not stored.
async fn debt_of(app: &TestApp, nir: &str, cents: i64) -> Uuid {
    let member = app.member(nir).await;
    let db = &app.db.db;
    let (sheet, day) = match sheets::ids_of_member(db, member.id, 1)
        .await
        .unwrap()
        .first()
    {
        Some(sheet) => (
            *sheet,
            sheets::find(db, *sheet)
                .await
                .unwrap()
                .unwrap()
                .date_of_care,
        ),
        None => (Uuid::now_v7(), app.clock.now().date()),
    };
    debts::insert(
        db,
        member.caisse_code,
        member.id,
        sheet,
        day,
        AmountCents::new(cents),
        Instant::from(app.clock.now()),
    )
    .await
    .unwrap()
}

async fn refused_returns(app: &TestApp) -> i64 {
    let db = &app.db.db;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'debt.card.return_refused'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// Sends a request to the emulator, in process.
async fn emulator(request: Request<Body>) -> (StatusCode, Option<String>, String) {
    let router: Router = caisse_web::payment_emulator(provider(b"a secret of the test fund"));
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        location,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// Starts paying `debt` by card; returns the emulator's page URL.
async fn start_card_payment(app: &mut TestApp, debt: Uuid) -> String {
    let path = format!("/paiements/sommes-a-payer/{debt}");
    let started = app.submit(&path, &format!("{path}/carte"), &[]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let url = started.location().unwrap().to_owned();
    assert!(url.starts_with(&format!("{EMULATOR}/payer?")), "{url}");
    url
}

/// The emulator's page for `url`, then its « Payer » or « Refuser »: the return path.
async fn decide(url: &str, decision: &str) -> String {
    let path = url.strip_prefix(EMULATOR).unwrap();
    let (status, _, page) = emulator(Request::get(path).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(">Payer</button>") && page.contains(">Refuser</button>"));
    let query = path.split_once('?').unwrap().1;
    let mut fields: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    fields.push(("decision".to_owned(), decision.to_owned()));
    let (status, location, _) = emulator(
        Request::post("/payer")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(&fields).unwrap()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    location
        .unwrap()
        .strip_prefix(BASE)
        .expect("back to the portal")
        .to_owned()
}

fn with_field(path: &str, name: &str, value: &str) -> String {
    let (route, query) = path.split_once('?').unwrap();
    let fields: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap()
        .into_iter()
        .map(|(n, v)| {
            if n == name {
                (n, value.to_owned())
            } else {
                (n, v)
            }
        })
        .collect();
    format!("{route}?{}", serde_urlencoded::to_string(&fields).unwrap())
}

#[tokio::test]
async fn the_list_and_the_detail_say_what_is_owed_why_and_how_to_pay() {
    let mut app = app().await;
    caisse_core::demo::seed_care(&app.db.db, app.clock.now())
        .await
        .unwrap();
    let debt = debt_of(&app, MEMBER_NIR, 1234).await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;

    let list = app.get("/paiements/sommes-a-payer").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body
            .contains(&format!("/paiements/sommes-a-payer/{debt}"))
    );
    assert!(list.body.contains("12,34"), "{}", list.body);

    let page = app.get(&format!("/paiements/sommes-a-payer/{debt}")).await;
    assert_eq!(page.status, StatusCode::OK);
    // The card form's answer redirects to the provider: its origin is a form target here only.
    let policy = |response: &crate::support::TestResponse| {
        response.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert!(policy(&page).contains(&format!("form-action 'self' {EMULATOR};")));
    assert!(policy(&list).contains("form-action 'self';"));
    for text in [
        "Pourquoi cette somme ?",
        "tiers payant",
        "Comment elle est récupérée",
        "déduite de vos prochains remboursements",
        "vous recevrez un avis de sommes à payer",
        "FR76 1751 5900 0008 7654 3210 957",
        "BDFEFRPP",
        "Agent comptable CPAM de test",
        "Payer 12,34",
        "Contester",
    ] {
        assert!(page.body.contains(text), "{text} in {}", page.body);
    }
    let detail = app
        .services
        .debts
        .detail(app.member(MEMBER_NIR).await.id, debt)
        .await
        .unwrap();
    assert!(page.body.contains(&detail.reference.grouped()));
    assert!(CreditorReference::parse(detail.reference.as_str()).is_ok());
}

#[tokio::test]
async fn a_member_without_debts_is_told_what_would_appear() {
    let mut app = app().await;
    app.login_member(OTHER_NIR, MEMBER_PASSWORD).await;
    let list = app.get("/paiements/sommes-a-payer").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Vous n'avez aucune somme à payer"));
    assert!(list.body.contains("elles apparaîtront ici"));
}

#[tokio::test]
async fn another_members_debt_is_a_404_like_a_missing_one() {
    let mut app = app().await;
    let debt = debt_of(&app, MEMBER_NIR, 500).await;
    app.login_member(OTHER_NIR, MEMBER_PASSWORD).await;
    let theirs = app.get(&format!("/paiements/sommes-a-payer/{debt}")).await;
    let missing = app
        .get(&format!("/paiements/sommes-a-payer/{}", Uuid::now_v7()))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(without_csrf(&theirs.body), without_csrf(&missing.body));
    // Nor can it be paid or contested.
    let list = app.get("/paiements/sommes-a-payer").await;
    let token = list.csrf_token();
    let pay = app
        .post_form(
            &format!("/paiements/sommes-a-payer/{debt}/carte"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(pay.status, StatusCode::NOT_FOUND);

    let token = api_token(&mut app, OTHER_NIR).await;
    let theirs = app
        .get_with_bearer(&format!("/api/v1/debts/{debt}"), &token)
        .await;
    let missing = app
        .get_with_bearer(&format!("/api/v1/debts/{}", Uuid::now_v7()), &token)
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.body, missing.body);
    let list = app.get_with_bearer("/api/v1/debts", &token).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body, r#"{"debts":[]}"#);
}

#[tokio::test]
async fn the_api_lists_and_shows_the_members_debts() {
    let mut app = app().await;
    let debt = debt_of(&app, MEMBER_NIR, 700).await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let list = app.get_with_bearer("/api/v1/debts", &token).await;
    assert_eq!(list.status, StatusCode::OK);
    let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let ours = list["debts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == debt.to_string())
        .expect("the debt is listed")
        .clone();
    assert_eq!(ours["left_cents"], 700);
    assert_eq!(ours["state"], "open");
    let one = app
        .get_with_bearer(&format!("/api/v1/debts/{debt}"), &token)
        .await;
    assert_eq!(one.status, StatusCode::OK);
    let one: serde_json::Value = serde_json::from_str(&one.body).unwrap();
    assert!(one["reference"].as_str().unwrap().starts_with("RF"));
    assert_eq!(one["transfer"]["bic"], "BDFEFRPP");
    assert_eq!(one["amount_cents"], 700);
}

#[tokio::test]
async fn a_card_payment_through_the_emulator_closes_the_debt_once() {
    let mut app = app().await;
    let debt = debt_of(&app, MEMBER_NIR, 1900).await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let url = start_card_payment(&mut app, debt).await;
    assert!(url.contains("amount=1900"), "{url}");
    let back = decide(&url, "payer").await;

    let landed = app.get(&back).await;
    assert_eq!(landed.status, StatusCode::SEE_OTHER);
    let detail_path = landed.location().unwrap().to_owned();
    assert_eq!(
        detail_path,
        format!("/paiements/sommes-a-payer/{debt}?paiement=accepte")
    );
    let page = app.get(&detail_path).await;
    assert!(page.body.contains("Paiement accepté"), "{}", page.body);
    assert!(page.body.contains("Réglée"));
    assert!(page.body.contains("Paiement par carte"));
    assert!(!page.body.contains("Payer 19,00"));

    // The same return again (a reload, or a replay): counted once.
    let again = app.get(&back).await;
    assert_eq!(
        again.location(),
        Some(format!("/paiements/sommes-a-payer/{debt}?paiement=deja-enregistre").as_str())
    );
    let member = app.member(MEMBER_NIR).await.id;
    let detail = app.services.debts.detail(member, debt).await.unwrap();
    assert_eq!(detail.payments.len(), 1);
    assert_eq!(detail.summary.left.cents(), 0);
}

#[tokio::test]
async fn a_refused_card_payment_changes_nothing() {
    let mut app = app().await;
    let debt = debt_of(&app, MEMBER_NIR, 800).await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let url = start_card_payment(&mut app, debt).await;
    let back = decide(&url, "refuser").await;
    let landed = app.get(&back).await;
    let page = app.get(landed.location().unwrap()).await;
    assert!(page.body.contains("Paiement non effectué"), "{}", page.body);
    assert!(page.body.contains("Payer 8,00"));
}

#[tokio::test]
async fn a_tampered_return_is_refused_and_audited() {
    let mut app = app().await;
    let debt = debt_of(&app, MEMBER_NIR, 1900).await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let url = start_card_payment(&mut app, debt).await;
    let back = decide(&url, "payer").await;
    assert_eq!(refused_returns(&app).await, 0);

    // A lower amount with the original signature.
    let cheaper = app.get(&with_field(&back, "amount", "100")).await;
    assert_eq!(cheaper.status, StatusCode::BAD_REQUEST);
    // A forged signature.
    let forged = app.get(&with_field(&back, "signature", "AAAA")).await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    // A lower amount signed with another secret.
    let other = provider(b"not the fund's secret");
    let query = back.split_once('?').unwrap().1;
    let mut fields: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    fields.retain(|(n, _)| n != "signature");
    let resigned = app
        .get(&format!(
            "/paiements/sommes-a-payer/retour?{}",
            other.signed_query(&caisse_core::debts::provider::RETURN_FIELDS, fields)
        ))
        .await;
    assert_eq!(resigned.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused_returns(&app).await, 3);

    let member = app.member(MEMBER_NIR).await.id;
    let detail = app.services.debts.detail(member, debt).await.unwrap();
    assert!(detail.payments.is_empty());
    assert_eq!(detail.summary.left.cents(), 1900);
    // The genuine return still goes through.
    assert_eq!(
        app.get(&back).await.location(),
        Some(format!("/paiements/sommes-a-payer/{debt}?paiement=accepte").as_str())
    );
}

#[tokio::test]
async fn a_return_for_another_amount_than_started_is_refused() {
    // A provider that signs whatever it is given: the amount must still match the start.
    let mut app = app().await;
    let debt = debt_of(&app, MEMBER_NIR, 1900).await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let url = start_card_payment(&mut app, debt).await;
    let back = decide(&url, "payer").await;
    let query = back.split_once('?').unwrap().1;
    let fields: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap()
        .into_iter()
        .filter(|(n, _)| n != "signature")
        .map(|(n, v)| {
            if n == "amount" {
                (n, "100".to_owned())
            } else {
                (n, v)
            }
        })
        .collect();
    let signed = provider(b"a secret of the test fund")
        .signed_query(&caisse_core::debts::provider::RETURN_FIELDS, fields);
    let response = app
        .get(&format!("/paiements/sommes-a-payer/retour?{signed}"))
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused_returns(&app).await, 1);
}

#[tokio::test]
async fn transfers_show_on_the_page_and_lower_the_balance() {
    let mut app = app().await;
    let debt = debt_of(&app, MEMBER_NIR, 1000).await;
    let member = app.member(MEMBER_NIR).await;
    let detail = app.services.debts.detail(member.id, debt).await.unwrap();
    let record = |cents: i64, bank: &str| TransferRecord {
        caisse: member.caisse_code,
        reference: detail.reference.clone(),
        amount: AmountCents::new(cents),
        date: time::macros::date!(2026 - 01 - 05),
        bank_transaction_id: bank.to_owned(),
    };
    app.services
        .debts
        .record_transfer(&record(400, "B-1"))
        .await
        .unwrap();
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let page = app.get(&format!("/paiements/sommes-a-payer/{debt}")).await;
    assert!(page.body.contains("Virement reçu"), "{}", page.body);
    assert!(page.body.contains("Payer 6,00"));
    app.services
        .debts
        .record_transfer(&record(600, "B-2"))
        .await
        .unwrap();
    let page = app.get(&format!("/paiements/sommes-a-payer/{debt}")).await;
    assert!(page.body.contains("Réglée"));
}

#[tokio::test]
async fn contesting_opens_a_reclamation_linked_to_the_debt() {
    let mut app = app().await;
    let debt = debt_of(&app, MEMBER_NIR, 300).await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let path = format!("/paiements/sommes-a-payer/{debt}");
    let empty = app
        .submit(&path, &format!("{path}/contester"), &[("explication", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("field--invalid"), "{}", empty.body);

    let sent = app
        .submit(
            &path,
            &format!("{path}/contester"),
            &[("explication", "Ces soins ont été payés sur place.")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let page = app.get(sent.location().unwrap()).await;
    assert!(page.body.contains("Contestation envoyée"), "{}", page.body);
    assert!(page.body.contains("Contestée"));
    let member = app.member(MEMBER_NIR).await.id;
    let contest = app
        .services
        .debts
        .detail(member, debt)
        .await
        .unwrap()
        .contest
        .expect("a contest");
    assert!(
        page.body
            .contains(&format!("href=\"/messagerie/{}\"", contest.thread_id))
    );
    let thread = app.get(&format!("/messagerie/{}", contest.thread_id)).await;
    assert_eq!(thread.status, StatusCode::OK);
    assert!(thread.body.contains("Ces soins ont été payés sur place."));
    assert!(thread.body.contains("Réclamation"), "{}", thread.body);
    // Once contested, the form is gone until the fund answers.
    assert!(!page.body.contains("Pourquoi contestez-vous cette somme ?"));
}

#[tokio::test]
async fn a_card_payment_above_what_is_left_by_then_is_refunded_not_counted() {
    let mut app = app().await;
    let debt = debt_of(&app, MEMBER_NIR, 1900).await;
    let member = app.member(MEMBER_NIR).await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let url = start_card_payment(&mut app, debt).await;
    // A transfer arrives while the member is on the provider's page.
    let reference = app
        .services
        .debts
        .detail(member.id, debt)
        .await
        .unwrap()
        .reference;
    app.services
        .debts
        .record_transfer(&TransferRecord {
            caisse: member.caisse_code,
            reference,
            amount: AmountCents::new(500),
            date: time::macros::date!(2026 - 01 - 05),
            bank_transaction_id: "B-9".to_owned(),
        })
        .await
        .unwrap();
    let back = decide(&url, "payer").await;
    let landed = app.get(&back).await;
    assert_eq!(
        landed.location(),
        Some(format!("/paiements/sommes-a-payer/{debt}?paiement=a-rembourser").as_str())
    );
    let page = app.get(landed.location().unwrap()).await;
    assert!(
        page.body.contains("votre caisse vous rembourse"),
        "{}",
        page.body
    );
    assert_eq!(refused_returns(&app).await, 1);
    let detail = app.services.debts.detail(member.id, debt).await.unwrap();
    assert_eq!(detail.summary.left.cents(), 1400);
    assert_eq!(detail.payments.len(), 1);
}

#[tokio::test]
async fn a_member_without_an_email_address_gets_a_printed_notice_with_each_reference() {
    use caisse_core::claims::debt_notices::issue_debt_notices;
    let mut app = app().await;
    let member = app.member(MEMBER_NIR).await;
    let store = app.db.clone();
    let db = &store.db;
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        "UPDATE members SET email = NULL WHERE id = $1",
        [member.id.into()],
    ))
    .await
    .unwrap();
    let debt = debt_of(&app, MEMBER_NIR, 1234).await;
    let account = Some(fund_account());
    let later = app.clock.now() + time::Duration::days(1);
    let run = issue_debt_notices(db, time::Duration::ZERO, account.as_ref(), later)
        .await
        .unwrap();
    assert!(run.posted >= 1, "{run:?}");
    let reference = caisse_store::claims::debt_payments::of_member(db, member.id, debt)
        .await
        .unwrap()
        .unwrap()
        .reference
        .unwrap();

    app.login_staff("superviseur").await;
    let made = app
        .submit("/agent/courriers", "/agent/courriers/lot", &[])
        .await;
    let location = made.location().unwrap().to_owned();
    let pdf = app.get(&location).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    let text = caisse_test_support::pdf::checked_text(&pdf.bytes).replace('\u{a0}', " ");
    for expected in [
        "Avis de sommes à payer",
        "Monsieur Julien MARTIN",
        "12,34 €",
        reference.grouped().as_str(),
        "FR76 1751 5900 0008 7654 3210 957",
        "BDFEFRPP",
        "/paiements/sommes-a-payer",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
    let again = issue_debt_notices(db, time::Duration::ZERO, account.as_ref(), later)
        .await
        .unwrap();
    assert_eq!(again.posted, 0, "a debt is noticed once");
}
