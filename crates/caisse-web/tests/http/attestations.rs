//! « Mes attestations », `/verifier` and their API: a member downloads a PDF at once; anyone
//! verifies it by code, by the QR code's text or by the file; one changed character or another
//! key's signature is « pas authentique »; a member never reaches another member's
//! beneficiary.

use axum::http::{StatusCode, header};
use caisse_core::attestations::{AttestationKeys, Statement, find_in_pdf, verification_url};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use crate::support::{
    MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, api_token, config, message_fields,
};

const SOPHIE_NIR: &str = "2 82 12 67 482 023 55";
const NOT_AUTHENTIC: &str = "Cette attestation n'est pas authentique";

/// The keys of the test configuration: derived from its secret key.
fn keys() -> AttestationKeys {
    AttestationKeys::derive(config().web.secret_key.expose_secret())
}

fn statement_of(pdf: &[u8]) -> Statement {
    keys()
        .verify(&find_in_pdf(pdf).expect("the PDF carries its statement"))
        .expect("signed with the app's key")
}

async fn download(app: &mut TestApp, fields: &[(&str, &str)]) -> TestResponse {
    app.submit("/attestations", "/attestations", fields).await
}

/// The demo member logged in, and the signed statement of the family's attestation de droits.
async fn family_statement() -> (TestApp, String) {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let response = download(
        &mut app,
        &[("document", "droits"), ("beneficiaire", "famille")],
    )
    .await;
    assert_pdf_attachment(&response);
    let sealed = find_in_pdf(&response.bytes).expect("the PDF carries its statement");
    (app, sealed)
}

fn assert_pdf_attachment(response: &TestResponse) {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(
        response.headers[header::CONTENT_TYPE],
        "application/pdf",
        "{}",
        response.body
    );
    let disposition = response.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"attestation-"),
        "{disposition}"
    );
    assert!(response.bytes.starts_with(b"%PDF-"));
}

/// Flips one character of the base-32 body of a sealed statement.
fn tampered(sealed: &str) -> String {
    let mut chars: Vec<char> = sealed.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

#[tokio::test]
async fn a_member_downloads_the_family_attestation_and_anyone_verifies_it() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let home = app.get("/").await;
    assert!(home.body.contains("href=\"/attestations\""));
    let page = app.get("/attestations").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Toute la famille"));
    assert!(page.body.contains("Léa MARTIN"));
    assert!(page.body.contains("aria-current=\"page\">Mes attestations"));

    let response = download(
        &mut app,
        &[
            ("document", "droits"),
            ("beneficiaire", "famille"),
            ("mentions", "oui"),
        ],
    )
    .await;
    assert_pdf_attachment(&response);
    let statement = statement_of(&response.bytes);
    let names: Vec<&str> = statement.people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Julien MARTIN", "Léa MARTIN", "Hugo MARTIN"]);
    let sealed = find_in_pdf(&response.bytes).unwrap();

    // Anyone, without an account.
    let mut visitor = app.another_browser();
    let form = visitor.get("/verifier").await;
    assert_eq!(form.status, StatusCode::OK);
    let by_code = visitor
        .submit(
            "/verifier",
            "/verifier",
            &[("code", &statement.code.formatted().to_lowercase())],
        )
        .await;
    assert_eq!(by_code.status, StatusCode::OK, "{}", by_code.body);
    assert!(by_code.body.contains("Cette attestation est authentique"));
    for shown in [
        "Julien MARTIN",
        "Léa MARTIN",
        "Hugo MARTIN",
        "CPAM des Yvelines",
        "1 85 05 78 006 084 91",
        "Droits ouverts aujourd'hui</dt><dd><span class=\"badge badge--succes\">Oui",
    ] {
        assert!(
            by_code.body.contains(shown),
            "« {shown} » in {}",
            by_code.body
        );
    }
    // Only what the attestation itself shows: no address, no health data.
    assert!(!by_code.body.contains("Paroisse"));
    assert!(
        !by_code.body.contains("DUBOIS"),
        "the declared doctor stays on the paper"
    );

    let by_text = visitor
        .submit("/verifier", "/verifier", &[("texte", &sealed)])
        .await;
    assert!(by_text.body.contains("Cette attestation est authentique"));

    let page = visitor.get("/verifier").await;
    let by_file = visitor
        .post_multipart(
            "/verifier/fichier",
            &[("csrf_token", &page.csrf_token())],
            &[("files", "attestation.pdf", response.bytes.as_slice())],
            None,
        )
        .await;
    assert_eq!(by_file.status, StatusCode::OK, "{}", by_file.body);
    assert!(
        by_file
            .body
            .contains("La déclaration signée contenue dans ce fichier est authentique"),
        "what was verified is said: the statement, not the file"
    );
    assert!(by_file.body.contains("pas le reste du fichier"));
    assert!(by_file.body.contains("Hugo MARTIN"));
}

#[tokio::test]
async fn a_file_merely_holding_a_genuine_statement_is_not_called_authentic() {
    let (app, genuine) = family_statement().await;
    let mut visitor = app.another_browser();
    let mut elsewhere = caisse_test_support::files::pdf();
    elsewhere.extend_from_slice(format!("% {genuine}\n").as_bytes());
    for (name, bytes, refusal) in [
        (
            "faux.pdf",
            format!("%PDF-1.7\n<html>Attestation {genuine}</html>").into_bytes(),
            "pas un PDF lisible",
        ),
        (
            "faux.txt",
            format!("Attestation {genuine}").into_bytes(),
            "pas un PDF lisible",
        ),
        (
            "ailleurs.pdf",
            elsewhere,
            "ne contient pas de code de vérification",
        ),
    ] {
        let page = visitor.get("/verifier").await;
        let answer = visitor
            .post_multipart(
                "/verifier/fichier",
                &[("csrf_token", &page.csrf_token())],
                &[("files", name, bytes.as_slice())],
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(!answer.body.contains("est authentique"), "{name}");
        assert!(answer.body.contains(refusal), "{name}: {}", answer.body);
    }
}

#[tokio::test]
async fn a_changed_character_or_another_key_is_not_authentic() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let response = download(
        &mut app,
        &[("document", "droits"), ("beneficiaire", "famille")],
    )
    .await;
    assert_pdf_attachment(&response);
    let sealed = find_in_pdf(&response.bytes).unwrap();
    let mut visitor = app.another_browser();

    let changed = visitor
        .submit("/verifier", "/verifier", &[("texte", &tampered(&sealed))])
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.contains(NOT_AUTHENTIC), "{}", changed.body);

    // The same statement, signed by another fund's (or a forger's) key.
    let other = AttestationKeys::derive(b"another secret key of 32 bytes!!");
    let forged = other.seal(&statement_of(&response.bytes)).unwrap();
    let foreign = visitor
        .submit("/verifier", "/verifier", &[("texte", &forged)])
        .await;
    assert!(foreign.body.contains(NOT_AUTHENTIC), "{}", foreign.body);

    // A changed PDF: one character of its embedded statement.
    let mut bytes = response.bytes.clone();
    let at = bytes
        .windows(12)
        .position(|w| w == b"CAISSE-ATT1:")
        .unwrap()
        + 40;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let page = visitor.get("/verifier").await;
    let file = visitor
        .post_multipart(
            "/verifier/fichier",
            &[("csrf_token", &page.csrf_token())],
            &[("files", "attestation.pdf", bytes.as_slice())],
            None,
        )
        .await;
    assert!(file.body.contains(NOT_AUTHENTIC), "{}", file.body);

    // A well-formed code that was never issued; a typing mistake is a form error.
    let unknown = caisse_domain::AttestationCode::from_random([9; 7]).formatted();
    let never = visitor
        .submit("/verifier", "/verifier", &[("code", &unknown)])
        .await;
    assert!(never.body.contains(NOT_AUTHENTIC));
    let mut typo: Vec<char> = unknown.chars().collect();
    typo[0] = if typo[0] == '7' { '8' } else { '7' };
    let typo: String = typo.into_iter().collect();
    let mistake = visitor
        .submit("/verifier", "/verifier", &[("code", &typo)])
        .await;
    assert_eq!(mistake.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        mistake.body.contains("erreur de saisie"),
        "{}",
        mistake.body
    );
    let not_pdf = visitor
        .post_multipart(
            "/verifier/fichier",
            &[("csrf_token", &page.csrf_token())],
            &[("files", "scan.pdf", &b"%PDF-1.7 a scanned page"[..])],
            None,
        )
        .await;
    assert_eq!(not_pdf.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_pdf.body.contains("pas un PDF lisible"));
}

#[tokio::test]
async fn one_person_at_a_time_and_never_another_members_beneficiary() {
    let mut app = TestApp::with_demo_data().await;
    let julien = app.member("185057800608491").await;
    let sophie = app.member("282126748202355").await;
    let hugo = caisse_store::members::beneficiaries(&app.db.db, julien.id)
        .await
        .unwrap()[1]
        .id
        .to_string();
    let emma = caisse_store::members::beneficiaries(&app.db.db, sophie.id)
        .await
        .unwrap()[0]
        .id
        .to_string();
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;

    let one = download(&mut app, &[("document", "droits"), ("beneficiaire", &hugo)]).await;
    assert_pdf_attachment(&one);
    let statement = statement_of(&one.bytes);
    assert_eq!(statement.people.len(), 1);
    assert_eq!(statement.people[0].name, "Hugo MARTIN");

    for other in [emma.as_str(), &sophie.id.to_string(), "pas-un-identifiant"] {
        let refused = download(&mut app, &[("document", "droits"), ("beneficiaire", other)]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{other}");
        assert_ne!(
            refused.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/pdf"
        );
    }

    // The API answers alike.
    let token = api_token(&mut app, MEMBER_NIR).await;
    let refused = app
        .get_with_bearer(
            &format!("/api/v1/attestations/droits?beneficiaire={emma}"),
            &token,
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let refused = app
        .get_with_bearer(
            &format!("/api/v1/attestations/droits?beneficiaire={}", sophie.id),
            &token,
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_carte_vitale_attestation_and_a_member_without_open_rights() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(SOPHIE_NIR, MEMBER_PASSWORD).await;
    let card = download(
        &mut app,
        &[("document", "carte_vitale"), ("beneficiaire", "famille")],
    )
    .await;
    assert_pdf_attachment(&card);
    assert!(
        card.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attestation-carte-vitale-")
    );
    let names: Vec<String> = statement_of(&card.bytes)
        .people
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Sophie WEBER", "Emma WEBER"]);

    // The fund closes Sophie's rights: the page says so and no attestation is issued.
    let sophie = app.member("282126748202355").await;
    caisse_store::rights::delete_of(
        &app.db.db,
        &[sophie.id],
        caisse_store::rights::Scope::Insured,
    )
    .await
    .unwrap();
    let page = app.get("/attestations").await;
    assert!(
        page.body
            .contains("Vos droits ne sont pas ouverts à ce jour")
    );
    assert!(!page.body.contains("Télécharger l'attestation"));
    let refused = download(
        &mut app,
        &[("document", "droits"), ("beneficiaire", "famille")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(
        refused
            .body
            .contains("Vos droits ne sont pas ouverts à ce jour")
    );
}

/// The path and query of the URL an attestation's QR code holds (its base is the portal's).
fn scanned_path(sealed: &str) -> String {
    let url = verification_url("https://portail.example.fr", sealed);
    url.strip_prefix("https://portail.example.fr")
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_qr_codes_url_opens_the_verdict_at_once() {
    let (app, sealed) = family_statement().await;
    let path = scanned_path(&sealed);
    assert!(path.starts_with("/verifier?a=CAISSE-ATT1:"), "{path}");

    // A phone's camera: a plain GET, no account, no cookie, no form.
    let mut phone = app.another_browser();
    let verdict = phone.get(&path).await;
    assert_eq!(verdict.status, StatusCode::OK, "{}", verdict.body);
    assert!(
        verdict.body.contains("Cette attestation est authentique"),
        "{}",
        verdict.body
    );
    for shown in ["Julien MARTIN", "Hugo MARTIN", "1 85 05 78 006 084 91"] {
        assert!(verdict.body.contains(shown), "« {shown} »");
    }
    assert!(verdict.body.contains("Ce que ce résultat veut dire"));
    // The statement names a person: never kept by a cache.
    assert_eq!(verdict.headers[header::CACHE_CONTROL], "no-store");

    // One changed character of the statement: refused, with what to do.
    let changed = phone.get(&scanned_path(&tampered(&sealed))).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.contains(NOT_AUTHENTIC), "{}", changed.body);
    assert!(changed.body.contains("Que faire ?"));
    assert!(!changed.body.contains("Julien MARTIN"));
    // Anything else in the parameter, or a statement too long to be one, is not authentic.
    for path in [
        "/verifier?a=bonjour",
        &format!("/verifier?a={}", "A".repeat(5000)),
    ] {
        let page = phone.get(path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(NOT_AUTHENTIC));
    }
    // Without the parameter: the forms.
    let form = phone.get("/verifier?a=").await;
    assert!(form.body.contains("Vérifier ce code"));
}

#[tokio::test]
async fn the_old_qr_text_and_the_new_url_both_verify_by_every_way() {
    let (app, sealed) = family_statement().await;
    let url = verification_url("https://portail.example.fr", &sealed);
    let mut visitor = app.another_browser();
    // Attestations printed before the URL carry the bare text in their QR code.
    for given in [sealed.as_str(), url.as_str()] {
        let pasted = visitor
            .submit("/verifier", "/verifier", &[("texte", given)])
            .await;
        assert!(
            pasted.body.contains("Cette attestation est authentique"),
            "{given}: {}",
            pasted.body
        );
        let api = visitor
            .post_json(
                "/api/v1/attestations/verify",
                json!({ "payload": given }),
                None,
            )
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let answer: Value = serde_json::from_str(&api.body).unwrap();
        assert_eq!(answer["authentic"], true, "{given}");
    }
    let bare = visitor
        .get(&format!("/verifier?a={}", sealed.replace(':', "%3A")))
        .await;
    assert!(bare.body.contains("Cette attestation est authentique"));
}

#[tokio::test]
async fn the_pages_need_a_member_and_the_form_its_csrf_token() {
    let mut app = TestApp::with_demo_data().await;
    let anonymous = app.get("/attestations").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().unwrap().starts_with("/connexion"));
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let forged = app
        .post_form("/attestations", &[("document", "droits")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let page = app.get("/verifier").await;
    let no_token = app
        .post_multipart(
            "/verifier/fichier",
            &[],
            &[("files", "a.pdf", &b"%PDF"[..])],
            None,
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
}

#[tokio::test]
async fn the_api_returns_the_pdf_and_verifies_in_json() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let pdf = app
        .get_with_bearer("/api/v1/attestations/droits?mentions=true", &token)
        .await;
    assert_pdf_attachment(&pdf);
    let statement = statement_of(&pdf.bytes);
    assert_eq!(statement.people.len(), 3);
    let none = app.get("/api/v1/attestations/droits").await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);

    let ok = app
        .post_json(
            "/api/v1/attestations/verify",
            json!({ "code": statement.code.formatted() }),
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let body: Value = serde_json::from_str(&ok.body).unwrap();
    assert_eq!(body["authentic"], true);
    assert_eq!(body["attestation"]["fund_name"], "CPAM des Yvelines");
    assert_eq!(body["attestation"]["nir"], "185057800608491");
    assert_eq!(body["attestation"]["people"][1]["name"], "Léa MARTIN");
    assert_eq!(body["attestation"]["open_today"], true);

    let sealed = find_in_pdf(&pdf.bytes).unwrap();
    let changed = app
        .post_json(
            "/api/v1/attestations/verify",
            json!({ "payload": tampered(&sealed) }),
            None,
        )
        .await;
    let body: Value = serde_json::from_str(&changed.body).unwrap();
    assert_eq!(body["authentic"], false);
    assert_eq!(body["message"], "Cette attestation n'est pas authentique.");
    assert!(body["attestation"].is_null());

    let other = AttestationKeys::derive(b"another secret key of 32 bytes!!")
        .seal(&statement)
        .unwrap();
    let foreign = app
        .post_json(
            "/api/v1/attestations/verify",
            json!({ "payload": other }),
            None,
        )
        .await;
    let body: Value = serde_json::from_str(&foreign.body).unwrap();
    assert_eq!(body["authentic"], false);

    let bad = app
        .post_json(
            "/api/v1/attestations/verify",
            json!({ "code": "7K3M" }),
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let empty = app
        .post_json("/api/v1/attestations/verify", json!({}), None)
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_public_keys_are_published_as_json_web_keys() {
    let mut app = TestApp::with_demo_data().await;
    let response = app.get("/.well-known/caisse-attestation-keys.json").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.headers[header::CACHE_CONTROL],
        "public, max-age=3600"
    );
    let body: Value = serde_json::from_str(&response.body).unwrap();
    let key = &body["keys"][0];
    assert_eq!(key["kty"], "OKP");
    assert_eq!(key["crv"], "Ed25519");
    assert_eq!(key["kid"], keys().signing_key_id());
    assert_eq!(key["signing"], true);
    assert_eq!(
        key["x"].as_str().unwrap().len(),
        43,
        "32 bytes in base64url"
    );
}

#[tokio::test]
async fn the_verification_page_is_rate_limited_like_the_logins() {
    let mut strict = config();
    strict.web.logins_per_minute_per_ip = 3;
    let mut app = TestApp::build(strict, true).await;
    let page = app.get("/verifier").await;
    let token = page.csrf_token();
    let code = caisse_domain::AttestationCode::from_random([9; 7]).formatted();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = app
            .post_form("/verifier", &[("csrf_token", &token), ("code", &code)])
            .await;
        statuses.push(response.status);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn conseillers_of_the_fund_see_the_familys_rights_on_the_account_page() {
    let mut app = TestApp::with_demo_data().await;
    let julien = app.member("185057800608491").await;
    let logged = app.login_staff("conseiller").await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    let page = app.get(&format!("/agent/comptes/{}", julien.id)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for shown in [
        "Droits de la famille",
        "Régime général (01), code de gestion 10",
        "depuis le 01/09/2007",
        "Dr Claire DUBOIS",
        "Hugo MARTIN",
    ] {
        assert!(page.body.contains(shown), "« {shown} » in {}", page.body);
    }
    // Sophie's file belongs to the Bas-Rhin fund: not this conseiller's.
    let sophie = app.member("282126748202355").await;
    let other = app.get(&format!("/agent/comptes/{}", sophie.id)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn conseillers_see_the_familys_rights_beside_a_thread() {
    let mut member = TestApp::with_demo_data().await;
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let fields = message_fields(
        "Attestation pour ma mutuelle",
        "Bonjour, ma mutuelle demande une attestation de droits.",
        "envoyer",
    );
    let sent = member
        .submit("/messagerie/nouveau", "/messagerie/nouveau", &fields)
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let thread = sent
        .location()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .trim_start_matches("/messagerie/")
        .to_owned();
    let mut conseiller = member.another_browser();
    conseiller.login_staff("conseiller").await;
    let page = conseiller.get(&format!("/agent/messagerie/{thread}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for shown in [
        "Dossier de l'assuré",
        "Droits de la famille",
        "Régime général (01), code de gestion 10",
        "Dr Claire DUBOIS",
        "Léa MARTIN",
    ] {
        assert!(page.body.contains(shown), "« {shown} » beside the thread");
    }
}
