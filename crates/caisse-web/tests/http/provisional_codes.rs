//! Provisional codes by post: one answer for every request, a letter in the print queue only
//! for a real member, the code opens (or reopens) the account once, and the print queue gives
//! supervisors a PDF.

use axum::http::{StatusCode, header};
use caisse_domain::{AccountStatus, CaisseCode, Instant};
use caisse_store::members;
use caisse_store::postal_letters;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, without_csrf};

const NEW_PASSWORD: &str = "Girafe-Parapluie-Violon-47";
/// Julien MARTIN's fund, the CPAM des Yvelines (the demo staff's too).
const YVELINES: &str = "781";

fn fund(code: &str) -> CaisseCode {
    CaisseCode::parse(code).unwrap()
}
const REFUSED: &str = "Le numéro de sécurité sociale et le code provisoire ne correspondent pas";

async fn ask(app: &mut TestApp, nir: &str, birth_date: &str) -> TestResponse {
    app.submit(
        "/code-provisoire/demande",
        "/code-provisoire/demande",
        &[("nir", nir), ("birth_date", birth_date)],
    )
    .await
}

async fn redeem(app: &mut TestApp, nir: &str, code: &str) -> TestResponse {
    app.submit(
        "/code-provisoire",
        "/code-provisoire",
        &[
            ("nir", nir),
            ("code", code),
            ("password", NEW_PASSWORD),
            ("confirmation", NEW_PASSWORD),
        ],
    )
    .await
}

/// The codes of the letters waiting in the print queue (batching them).
async fn printed_codes(app: &TestApp) -> Vec<String> {
    postal_letters::take_batch(
        &app.db.db,
        &fund(YVELINES),
        uuid::Uuid::now_v7(),
        100,
        Instant::from(caisse_store::now_utc()),
    )
    .await
    .unwrap()
    .into_iter()
    .map(|letter| {
        let payload: serde_json::Value =
            serde_json::from_str(letter.payload.as_deref().unwrap()).unwrap();
        payload["code"].as_str().unwrap().to_owned()
    })
    .collect()
}

#[tokio::test]
async fn a_request_answers_alike_and_queues_a_letter_only_for_a_member() {
    let mut app = TestApp::with_demo_data().await;
    let unknown = ask(&mut app, "1 85 05 78 006 086 89", "14/05/1985").await;
    let wrong_birth = ask(&mut app, MEMBER_NIR, "15/05/1985").await;
    assert_eq!(
        postal_letters::waiting(&app.db.db, &fund(YVELINES))
            .await
            .unwrap(),
        0
    );
    let known = ask(&mut app, MEMBER_NIR, "14/05/1985").await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!((unknown.status, &unknown.body), (known.status, &known.body));
    assert_eq!(
        (wrong_birth.status, &wrong_birth.body),
        (known.status, &known.body)
    );
    assert_eq!(
        postal_letters::waiting(&app.db.db, &fund(YVELINES))
            .await
            .unwrap(),
        1
    );
    let notice = app
        .mail_bodies(
            "julien.martin@exemple.fr",
            "Un code provisoire vous est envoyé par courrier",
        )
        .await;
    assert_eq!(notice.len(), 1);
    assert!(notice[0].contains("/ce-n-etait-pas-moi/"));
    let invalid = ask(&mut app, "pas un numéro", "").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_code_sets_a_definitive_password_once_and_logs_in() {
    let mut app = TestApp::with_demo_data().await;
    ask(&mut app, MEMBER_NIR, "14/05/1985").await;
    let code = printed_codes(&app).await.pop().unwrap();
    let wrong = redeem(&mut app, MEMBER_NIR, "AAAA-AAAA").await;
    let unknown = redeem(&mut app, "1 85 05 78 006 086 89", &code).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains(REFUSED));
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains(REFUSED));
    // Typed in lower case with spaces: still the printed code.
    let typed = code.to_lowercase().replace('-', " ");
    let success = redeem(&mut app, MEMBER_NIR, &typed).await;
    assert_eq!(success.status, StatusCode::SEE_OTHER);
    assert_eq!(success.location(), Some("/profil"));
    let cookies: Vec<&str> = success
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(cookies.len(), 2, "session and trusted device: {cookies:?}");
    assert_eq!(app.get("/profil").await.status, StatusCode::OK);
    let mut other = TestApp::with_demo_data().await;
    other.router = app.router.clone();
    assert_eq!(
        other.login_member(MEMBER_NIR, MEMBER_PASSWORD).await.status,
        StatusCode::OK,
        "the old password no longer works"
    );
    assert_eq!(
        other.login_member(MEMBER_NIR, NEW_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let again = redeem(&mut other, MEMBER_NIR, &code).await;
    assert!(again.body.contains(REFUSED), "a code serves once");
}

#[tokio::test]
async fn a_closed_account_reopens_with_a_code() {
    let mut app = TestApp::with_demo_data().await;
    let member = app.member("185057800608491").await;
    members::set_account_status(
        &app.db.db,
        member.id,
        AccountStatus::Closed,
        Instant::from(caisse_store::now_utc()),
    )
    .await
    .unwrap();
    assert_eq!(
        app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await.status,
        StatusCode::OK,
        "a closed account does not log in"
    );
    ask(&mut app, MEMBER_NIR, "14/05/1985").await;
    let code = printed_codes(&app).await.pop().unwrap();
    assert_eq!(
        redeem(&mut app, MEMBER_NIR, &code).await.location(),
        Some("/profil")
    );
    let account = members::find_account(&app.db.db, member.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.status, AccountStatus::Active);
    assert!(account.closed_at.is_none());
}

#[tokio::test]
async fn a_weak_password_is_refused_before_the_code_is_spent() {
    let mut app = TestApp::with_demo_data().await;
    ask(&mut app, MEMBER_NIR, "14/05/1985").await;
    let code = printed_codes(&app).await.pop().unwrap();
    let weak = app
        .submit(
            "/code-provisoire",
            "/code-provisoire",
            &[
                ("nir", MEMBER_NIR),
                ("code", &code),
                ("password", "Azerty123456"),
                ("confirmation", "Azerty123456"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!weak.body.contains(REFUSED));
    assert_eq!(
        redeem(&mut app, MEMBER_NIR, &code).await.location(),
        Some("/profil")
    );
}

/// Sophie WEBER's fund, the CPAM du Bas-Rhin.
const BAS_RHIN: &str = "671";

#[tokio::test]
async fn supervisors_download_a_batch_of_their_funds_letters_as_pdf_and_conseillers_cannot() {
    let mut app = TestApp::with_demo_data().await;
    ask(&mut app, MEMBER_NIR, "14/05/1985").await;
    ask(&mut app, "2 82 12 67 482 023 55", "21/12/1982").await;
    let mut conseiller = TestApp::with_demo_data().await;
    conseiller.router = app.router.clone();
    conseiller.login_staff("conseiller").await;
    assert_eq!(
        conseiller.get("/agent/courriers").await.status,
        StatusCode::FORBIDDEN
    );
    app.login_staff("superviseur").await;
    let queue = app.get("/agent/courriers").await;
    // Julien's letter (Yvelines, the supervisor's fund), not Sophie's (Bas-Rhin).
    assert!(
        queue.body.contains("<strong class=\"tabular\">1</strong>"),
        "{}",
        queue.body
    );
    let made = app
        .submit("/agent/courriers", "/agent/courriers/lot", &[])
        .await;
    let location = made.location().unwrap().to_owned();
    assert!(location.starts_with("/agent/courriers/lots/"));
    let pdf = app.get(&location).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );
    assert!(pdf.body.starts_with("%PDF-"));
    assert_eq!(
        postal_letters::waiting(&app.db.db, &fund(YVELINES))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        postal_letters::waiting(&app.db.db, &fund(BAS_RHIN))
            .await
            .unwrap(),
        1,
        "the other fund's letter is not in this fund's batch"
    );
    assert_eq!(
        conseiller.get(&location).await.status,
        StatusCode::FORBIDDEN
    );
    let julien = app.member("185057800608491").await.id;
    let downloads = app
        .staff_events("superviseur", "staff.print_batch.downloaded")
        .await;
    assert_eq!(downloads.len(), 1);
    assert!(downloads[0].details.contains(&julien.to_string()));
}

#[tokio::test]
async fn a_weak_password_gets_the_same_answer_whether_or_not_the_number_is_known() {
    let mut app = TestApp::with_demo_data().await;
    let attempt = |nir: &'static str| {
        [
            ("nir", nir),
            ("code", "AAAA-BBBB"),
            ("password", "Azerty123456"),
            ("confirmation", "Azerty123456"),
        ]
    };
    let known = app
        .submit("/code-provisoire", "/code-provisoire", &attempt(MEMBER_NIR))
        .await;
    let unknown = app
        .submit(
            "/code-provisoire",
            "/code-provisoire",
            &attempt("1 85 05 78 006 086 89"),
        )
        .await;
    assert_eq!(known.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(known.status, unknown.status);
    assert!(!known.body.contains(REFUSED) && !unknown.body.contains(REFUSED));
    let without_nir = |body: &str| {
        without_csrf(body)
            .replace(MEMBER_NIR, "")
            .replace("1 85 05 78 006 086 89", "")
    };
    assert_eq!(without_nir(&known.body), without_nir(&unknown.body));
}

#[tokio::test]
async fn a_request_costs_one_hash_whether_or_not_the_identity_matches() {
    let mut app = TestApp::with_demo_data().await;
    let cases = [
        ("1 85 05 78 006 086 89", "14/05/1985", "unknown number"),
        (MEMBER_NIR, "15/05/1985", "wrong birth date"),
        (MEMBER_NIR, "14/05/1985", "match"),
        (MEMBER_NIR, "14/05/1985", "match"),
        (MEMBER_NIR, "14/05/1985", "match"),
        (
            MEMBER_NIR,
            "14/05/1985",
            "match, but too many letters this month",
        ),
    ];
    for (nir, birth_date, case) in cases {
        let before = app.hasher.work_done();
        let answer = ask(&mut app, nir, birth_date).await;
        assert_eq!(answer.status, StatusCode::OK, "{case}");
        let after = app.hasher.work_done();
        assert_eq!(after.hashes - before.hashes, 1, "{case}");
        assert_eq!(after.verifications, before.verifications, "{case}");
    }
    assert_eq!(
        postal_letters::waiting(&app.db.db, &fund(YVELINES))
            .await
            .unwrap(),
        3
    );
}
