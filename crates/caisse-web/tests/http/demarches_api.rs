//! « Mes démarches » through the API, on both databases: every shipped procedure filed from
//! its own form description (`GET /api/v1/demarches`) to its acceptance, and to its refusal
//! when an advisor may refuse it; the effects on the member file (a child on the
//! attestation, C2S rights, an address, a médecin traitant, a card order, a procuration);
//! malformed answers with one French message per input; the silence rules at the due date;
//! a completion asked and given; and another member's dossier answering like a missing one.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use caisse_core::audit::RequestContext;
use caisse_core::clock::ManualClock;
use caisse_core::demarches::Decision;
use caisse_domain::demarches::{DossierState, FieldId};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{MEMBER_NIR, TestApp, api_token, multipart_body, no_device_check};

const SOPHIE_NIR: &str = "282126748202355";
const CAMILLE_NIR: &str = "2 93 12 2A 004 123 17";

async fn put_json(
    app: &mut TestApp,
    path: &str,
    body: Value,
    token: &str,
) -> crate::support::TestResponse {
    let request = Request::put(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body.to_string()))
        .expect("request");
    app.send(request).await
}

async fn delete(app: &mut TestApp, path: &str, token: &str) -> crate::support::TestResponse {
    let request = Request::delete(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    app.send(request).await
}

async fn upload(app: &mut TestApp, path: &str, token: &str) -> crate::support::TestResponse {
    let pdf = caisse_test_support::files::pdf();
    let (content_type, body) = multipart_body(&[], &[("file", "justificatif.pdf", &pdf)]);
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body))
        .expect("request");
    app.send(request).await
}

/// A plausible answer of each kind; `overrides` win.
fn answer_of(
    field: &Value,
    prefix: &str,
    overrides: &BTreeMap<&str, String>,
    out: &mut BTreeMap<String, String>,
) {
    let id = field["id"].as_str().expect("an id");
    let name = format!("{prefix}{id}");
    if let Some(value) = overrides.get(name.as_str()) {
        out.insert(name, value.clone());
        return;
    }
    let value = match field["type"].as_str().expect("a type") {
        "text" => "Martin".to_owned(),
        "long_text" => "En descendant l'escalier de la gare.".to_owned(),
        "number" => {
            let min = field["min"].as_i64().unwrap_or(0).max(1);
            min.min(field["max"].as_i64().unwrap_or(i64::MAX))
                .to_string()
        }
        "amount" => "0".to_owned(),
        "date" => "2026-11-02".to_owned(),
        "yes_no" => "non".to_owned(),
        "choice" => field["options"][0]["value"]
            .as_str()
            .expect("an option")
            .to_owned(),
        "nir" => SOPHIE_NIR.to_owned(),
        "iban" => "FR76 3000 6000 0112 3456 7890 189".to_owned(),
        "phone" => "06 12 34 56 78".to_owned(),
        "email" => "assure@example.fr".to_owned(),
        "family_member" => "1".to_owned(),
        "postal_address" => {
            for (part, default) in [
                ("ligne1", "3 rue des Réservoirs"),
                ("code_postal", "78000"),
                ("commune", "Versailles"),
            ] {
                let key = format!("{name}.{part}");
                let value = overrides
                    .get(key.as_str())
                    .cloned()
                    .unwrap_or_else(|| default.to_owned());
                out.insert(key, value);
            }
            return;
        }
        "group" => {
            if field["min"].as_i64().unwrap_or(0) > 0 {
                for inner in field["fields"].as_array().expect("fields") {
                    answer_of(inner, &format!("{name}.0."), overrides, out);
                }
            }
            return;
        }
        _ => return,
    };
    out.insert(name, value);
}

/// Opens a dossier of `code` for the token's member and fills every step and every files
/// field from the procedure's form description; returns its id.
async fn filled(app: &mut TestApp, token: &str, code: &str, overrides: &[(&str, &str)]) -> Uuid {
    let overrides: BTreeMap<&str, String> = overrides
        .iter()
        .map(|(k, v)| (*k, (*v).to_owned()))
        .collect();
    let created = app
        .post_json(
            "/api/v1/dossiers",
            json!({ "procedure": code }),
            Some(token),
        )
        .await;
    assert_eq!(
        created.status,
        StatusCode::CREATED,
        "{code}: {}",
        created.body
    );
    let id: Uuid = serde_json::from_str::<Value>(&created.body).expect("JSON")["id"]
        .as_str()
        .expect("an id")
        .parse()
        .expect("a uuid");
    let dossier = app
        .get_with_bearer(&format!("/api/v1/dossiers/{id}"), token)
        .await;
    let dossier: Value = serde_json::from_str(&dossier.body).expect("JSON");
    for step in dossier["procedure_form"]["steps"]
        .as_array()
        .expect("steps")
    {
        let mut answers = BTreeMap::new();
        for field in step["fields"].as_array().expect("fields") {
            if field["type"] == "files" {
                let path = format!(
                    "/api/v1/dossiers/{id}/fields/{}/files",
                    field["id"].as_str().expect("id")
                );
                let added = upload(app, &path, token).await;
                assert_eq!(
                    added.status,
                    StatusCode::NO_CONTENT,
                    "{code}: {}",
                    added.body
                );
            } else {
                answer_of(field, "", &overrides, &mut answers);
            }
        }
        let path = format!(
            "/api/v1/dossiers/{id}/steps/{}",
            step["id"].as_str().expect("id")
        );
        let saved = put_json(app, &path, json!({ "answers": answers }), token).await;
        assert_eq!(
            saved.status,
            StatusCode::NO_CONTENT,
            "{code} {}: {}",
            step["id"],
            saved.body
        );
    }
    id
}

async fn state_of(app: &mut TestApp, token: &str, id: Uuid) -> Value {
    let response = app
        .get_with_bearer(&format!("/api/v1/dossiers/{id}"), token)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).expect("JSON")
}

async fn advisor(app: &TestApp) -> Uuid {
    caisse_store::staff::by_login(&app.db.db, "conseiller")
        .await
        .expect("staff lookup")
        .expect("the demo advisor")
        .id
}

fn context() -> RequestContext {
    RequestContext::default()
}

async fn codes(app: &mut TestApp, token: &str) -> Vec<(String, bool, String)> {
    let list = app.get_with_bearer("/api/v1/demarches", token).await;
    assert_eq!(list.status, StatusCode::OK);
    let list: Value = serde_json::from_str(&list.body).expect("JSON");
    list["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .map(|p| {
            (
                p["code"].as_str().expect("code").to_owned(),
                p["automatic"].as_bool().expect("automatic"),
                p["silence"].as_str().expect("silence").to_owned(),
            )
        })
        .collect()
}

/// What a procedure needs beyond plausible answers to be accepted.
fn overrides_for(
    code: &str,
    sophie: &caisse_store::members::MemberRecord,
) -> Vec<(&'static str, String)> {
    match code {
        // The mandataire must be an adult: Sophie.
        "procuration" => vec![
            ("nom", sophie.last_name.clone()),
            ("prenom", sophie.first_name.clone()),
            ("date_naissance", sophie.birth_date.to_string()),
        ],
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn every_procedure_goes_from_its_form_to_its_acceptance() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let sophie = app.member(SOPHIE_NIR).await;
    let staff = advisor(&app).await;
    let procedures = codes(&mut app, &token).await;
    assert_eq!(procedures.len(), 14);
    for (code, automatic, _) in procedures {
        let overrides = overrides_for(&code, &sophie);
        let overrides: Vec<(&str, &str)> =
            overrides.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let id = filled(&mut app, &token, &code, &overrides).await;
        let submitted = app
            .post_json(
                &format!("/api/v1/dossiers/{id}/submit"),
                json!({}),
                Some(&token),
            )
            .await;
        assert_eq!(
            submitted.status,
            StatusCode::NO_CONTENT,
            "{code}: {}",
            submitted.body
        );
        if !automatic {
            let dossier = state_of(&mut app, &token, id).await;
            assert_eq!(dossier["state"], "deposee", "{code}");
            assert!(dossier["due_on"].is_string(), "{code}");
            app.services
                .demarches
                .take(staff, id, &context())
                .await
                .expect("taken");
            app.services
                .demarches
                .decide(staff, id, Decision::Accept, Vec::new(), &context())
                .await
                .unwrap_or_else(|e| panic!("{code}: {e}"));
        }
        let dossier = state_of(&mut app, &token, id).await;
        assert_eq!(dossier["state"], "acceptee", "{code}: {dossier}");
        assert_eq!(dossier["decision_letter"], true, "{code}");
        let letter = app
            .get_with_bearer(&format!("/api/v1/dossiers/{id}/decision"), &token)
            .await;
        assert_eq!(letter.status, StatusCode::OK, "{code}");
        assert!(letter.bytes.starts_with(b"%PDF"), "{code}");
    }
}

#[tokio::test]
async fn every_procedure_an_advisor_may_refuse_is_refused_with_its_reasons_in_the_letter() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let staff = advisor(&app).await;
    let member = app.member(MEMBER_NIR).await;
    for (code, automatic, _) in codes(&mut app, &token).await {
        if automatic {
            continue;
        }
        let id = filled(&mut app, &token, &code, &[]).await;
        let submitted = app
            .post_json(
                &format!("/api/v1/dossiers/{id}/submit"),
                json!({}),
                Some(&token),
            )
            .await;
        assert_eq!(submitted.status, StatusCode::NO_CONTENT, "{code}");
        // A refusal says why.
        let bare = app
            .services
            .demarches
            .decide(staff, id, Decision::Refuse, vec!["  ".into()], &context())
            .await;
        assert!(bare.is_err(), "{code}");
        app.services
            .demarches
            .decide(
                staff,
                id,
                Decision::Refuse,
                vec!["Les pièces ne sont pas lisibles.".into()],
                &context(),
            )
            .await
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        let dossier = state_of(&mut app, &token, id).await;
        assert_eq!(dossier["state"], "refusee", "{code}");
        assert_eq!(dossier["reasons"][0], "Les pièces ne sont pas lisibles.");
        let letter = app
            .get_with_bearer(&format!("/api/v1/dossiers/{id}/decision"), &token)
            .await;
        assert!(letter.bytes.starts_with(b"%PDF"), "{code}");
    }
    // Each move was mailed, never with the procedure's name.
    let email = member
        .email
        .expect("the demo member has an email")
        .as_str()
        .to_owned();
    let mails = app.delivered(&email).await;
    assert!(
        mails
            .iter()
            .any(|(subject, _, body)| subject.contains("Du nouveau") && body.contains("refusée"))
    );
}

#[tokio::test]
async fn malformed_answers_get_one_french_message_per_input_and_nothing_is_saved() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let id = filled(&mut app, &token, "declaration-naissance", &[]).await;
    let path = format!("/api/v1/dossiers/{id}/steps/enfant");
    let refused = put_json(
        &mut app,
        &path,
        json!({ "answers": { "nom": "", "prenoms": "Léa", "date_naissance": "31/02/2026", "sexe": "X" } }),
        &token,
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let body: Value = serde_json::from_str(&refused.body).expect("JSON");
    assert_eq!(body["code"], "invalid_answers");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["nom", "date_naissance", "sexe"]);
    assert_eq!(body["errors"][0]["message"], "Saisissez nom de l'enfant.");
    assert_eq!(
        body["errors"][1]["message"],
        "Saisissez une date valide, par exemple 14/03/2026."
    );
    // The earlier answers are untouched.
    let dossier = state_of(&mut app, &token, id).await;
    assert_eq!(dossier["answers"]["prenoms"], "Martin");
    // Filing a draft with a required answer missing names it.
    let other = app
        .post_json(
            "/api/v1/dossiers",
            json!({ "procedure": "changement-adresse" }),
            Some(&token),
        )
        .await;
    let other: Uuid = serde_json::from_str::<Value>(&other.body).expect("JSON")["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    let incomplete = app
        .post_json(
            &format!("/api/v1/dossiers/{other}/submit"),
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_str(&incomplete.body).expect("JSON");
    assert_eq!(body["code"], "incomplete");
    assert!(!body["errors"].as_array().expect("errors").is_empty());
    // Unknown keys are refused whole.
    let strange = put_json(
        &mut app,
        &path,
        json!({ "answers": {}, "extra": 1 }),
        &token,
    )
    .await;
    assert_eq!(strange.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn accepted_procedures_change_the_member_file() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let staff = advisor(&app).await;
    let member = app.member(MEMBER_NIR).await;
    let db = app.db.db.clone();
    let services = app.services.clone();
    let accept = |id: Uuid| {
        let services = services.clone();
        async move {
            services
                .demarches
                .take(staff, id, &context())
                .await
                .expect("taken");
            services
                .demarches
                .decide(staff, id, Decision::Accept, Vec::new(), &context())
                .await
                .expect("accepted");
        }
    };
    let submit = |app: &mut TestApp, id: Uuid| {
        let path = format!("/api/v1/dossiers/{id}/submit");
        let token = token.clone();
        let mut app = app.another_browser();
        async move {
            let response = app.post_json(&path, json!({}), Some(&token)).await;
            assert_eq!(response.status, StatusCode::NO_CONTENT, "{}", response.body);
        }
    };

    // A birth: the child joins the member's family, and the other parent's.
    let before = caisse_store::members::beneficiaries(&db, member.id)
        .await
        .expect("family")
        .len();
    let sophie = app.member(SOPHIE_NIR).await;
    let sophie_before = caisse_store::members::beneficiaries(&db, sophie.id)
        .await
        .expect("family")
        .len();
    let birth = filled(
        &mut app,
        &token,
        "declaration-naissance",
        &[
            ("prenoms", "Léa"),
            ("nom", "Dupont"),
            ("rattachement", "deux_parents"),
            ("nir_autre_parent", SOPHIE_NIR),
        ],
    )
    .await;
    submit(&mut app, birth).await;
    accept(birth).await;
    let family = caisse_store::members::beneficiaries(&db, member.id)
        .await
        .expect("family");
    assert_eq!(family.len(), before + 1);
    assert!(
        family
            .iter()
            .any(|b| b.first_name == "Léa" && b.last_name == "DUPONT")
    );
    assert_eq!(
        caisse_store::members::beneficiaries(&db, sophie.id)
            .await
            .expect("family")
            .len(),
        sophie_before + 1
    );

    // The médecin traitant is recorded for the person chosen.
    let doctor = filled(
        &mut app,
        &token,
        "medecin-traitant",
        &[("nom_medecin", "Dr Anne Lefort")],
    )
    .await;
    submit(&mut app, doctor).await;
    accept(doctor).await;
    let rights = caisse_store::rights::of_member(&db, member.id)
        .await
        .expect("rights");
    assert!(
        rights
            .doctors
            .iter()
            .any(|d| d.rank == 1 && d.name == "Dr Anne Lefort")
    );

    // C2S without participation for resources of 0 €, rights written for the attestation.
    let c2s = filled(&mut app, &token, "complementaire-sante-solidaire", &[]).await;
    submit(&mut app, c2s).await;
    accept(c2s).await;
    let rights = caisse_store::rights::of_member(&db, member.id)
        .await
        .expect("rights");
    assert!(!rights.c2s.is_empty());
    // The attestation prints the C2S of its day (`FamilyRights::c2s_on`): from the first day
    // of the next month, the rights' first day, not before.
    let family = caisse_core::rights::load(&db, member.id)
        .await
        .expect("rights")
        .expect("the member's family");
    let today = caisse_domain::paris_time::paris_time(time::OffsetDateTime::now_utc()).date();
    let first_day = caisse_domain::demarches::delay::add_months(today, 1)
        .replace_day(1)
        .expect("a first day");
    assert!(family.c2s_on(today).is_none());
    let c2s = family
        .c2s_on(first_day)
        .expect("C2S on the rights' first day");
    assert_eq!(c2s.kind, caisse_domain::rights::C2sKind::SansParticipation);

    // A move to the Bas-Rhin: the address changes and the file goes to that fund, with the
    // member's open dossiers.
    let waiting = filled(&mut app, &token, "accident-tiers", &[]).await;
    submit(&mut app, waiting).await;
    let moved = filled(
        &mut app,
        &token,
        "changement-adresse",
        &[
            ("nouvelle_adresse.ligne1", "2 place Kléber"),
            ("nouvelle_adresse.code_postal", "67000"),
            ("nouvelle_adresse.commune", "Strasbourg"),
        ],
    )
    .await;
    submit(&mut app, moved).await;
    accept(moved).await;
    let after = app.member(MEMBER_NIR).await;
    assert_eq!(after.postal_code, "67000");
    let followed = caisse_store::dossiers::find(&db, waiting)
        .await
        .expect("dossier")
        .expect("the open dossier");
    assert_eq!(followed.caisse, after.caisse_code);
    assert_eq!(followed.team_id, None);
    assert_eq!(
        caisse_domain::Fund::by_code(&after.caisse_code).department(),
        "67"
    );

    // A lost card: opposed at once and a new one ordered, without an advisor.
    let lost = filled(&mut app, &token, "perte-vol-carte-vitale", &[]).await;
    submit(&mut app, lost).await;
    let dossier = state_of(&mut app, &token, lost).await;
    assert_eq!(dossier["state"], "acceptee");
    assert_eq!(dossier["card"], "Commandée");
    assert!(app.member(MEMBER_NIR).await.vitale_serial.is_none());

    // A CEAM: accepted at once with its provisional certificate.
    let ceam = filled(&mut app, &token, "ceam", &[]).await;
    submit(&mut app, ceam).await;
    let certificate = app
        .get_with_bearer(&format!("/api/v1/dossiers/{ceam}/ceam-certificate"), &token)
        .await;
    assert_eq!(certificate.status, StatusCode::OK);
    assert!(certificate.bytes.starts_with(b"%PDF"));
    let none = app
        .get_with_bearer(&format!("/api/v1/dossiers/{lost}/ceam-certificate"), &token)
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_procuration_lets_the_mandataire_file_only_what_the_law_allows_until_revoked() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let sophie = app.member(SOPHIE_NIR).await;
    let overrides = overrides_for("procuration", &sophie);
    let overrides: Vec<(&str, &str)> = overrides.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let id = filled(&mut app, &token, "procuration", &overrides).await;
    let submitted = app
        .post_json(
            &format!("/api/v1/dossiers/{id}/submit"),
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::NO_CONTENT,
        "{}",
        submitted.body
    );
    let given = app.get_with_bearer("/api/v1/procurations", &token).await;
    let given: Value = serde_json::from_str(&given.body).expect("JSON");
    let procuration = given["procurations"][0]["id"]
        .as_str()
        .expect("a procuration")
        .to_owned();

    // Sophie, the mandataire, files an accident du travail for the member…
    let mut sophie_app = app.another_browser();
    let sophie_token = api_token(&mut sophie_app, SOPHIE_NIR).await;
    let opened = sophie_app
        .post_json(
            "/api/v1/dossiers",
            json!({ "procedure": "accident-travail", "procuration_id": procuration }),
            Some(&sophie_token),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    // … but not a change of address, which a procuration does not cover.
    let refused = sophie_app
        .post_json(
            "/api/v1/dossiers",
            json!({ "procedure": "changement-adresse", "procuration_id": procuration }),
            Some(&sophie_token),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Camille, not named, cannot use it.
    let camille_token = api_token(&mut sophie_app, CAMILLE_NIR).await;
    let stranger = sophie_app
        .post_json(
            "/api/v1/dossiers",
            json!({ "procedure": "accident-travail", "procuration_id": procuration }),
            Some(&camille_token),
        )
        .await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN);
    // Revoked, it allows nothing more.
    let revoked = app
        .post_json(
            &format!("/api/v1/procurations/{procuration}/revoke"),
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = sophie_app
        .post_json(
            "/api/v1/dossiers",
            json!({ "procedure": "accident-travail", "procuration_id": procuration }),
            Some(&sophie_token),
        )
        .await;
    assert_eq!(after.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_completion_pauses_the_delay_and_the_member_changes_only_what_was_flagged() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let staff = advisor(&app).await;
    let id = filled(&mut app, &token, "declaration-naissance", &[]).await;
    app.post_json(
        &format!("/api/v1/dossiers/{id}/submit"),
        json!({}),
        Some(&token),
    )
    .await;
    let demarches = app.services.demarches.clone();
    demarches.take(staff, id, &context()).await.expect("taken");
    let flagged = vec![FieldId::parse("acte_naissance").expect("id")];
    let empty_message = demarches
        .ask_completion(staff, id, " ", flagged.clone(), &context())
        .await;
    assert!(empty_message.is_err());
    demarches
        .ask_completion(
            staff,
            id,
            "L'acte joint est illisible : joignez-en une copie nette.",
            flagged,
            &context(),
        )
        .await
        .expect("asked");
    let dossier = state_of(&mut app, &token, id).await;
    assert_eq!(dossier["state"], "a_completer");
    assert_eq!(dossier["completion"]["fields"][0], "acte_naissance");
    // An answer not flagged keeps its value whatever is sent.
    let changed = put_json(
        &mut app,
        &format!("/api/v1/dossiers/{id}/steps/enfant"),
        json!({ "answers": { "nom": "Autre", "prenoms": "Autre", "date_naissance": "2026-11-01", "sexe": "M" } }),
        &token,
    )
    .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        state_of(&mut app, &token, id).await["answers"]["nom"],
        "Martin"
    );
    // The flagged piece is added, and the dossier goes back to instruction.
    let added = upload(
        &mut app,
        &format!("/api/v1/dossiers/{id}/fields/acte_naissance/files"),
        &token,
    )
    .await;
    assert_eq!(added.status, StatusCode::NO_CONTENT, "{}", added.body);
    let completed = app
        .post_json(
            &format!("/api/v1/dossiers/{id}/complete"),
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(
        completed.status,
        StatusCode::NO_CONTENT,
        "{}",
        completed.body
    );
    let dossier = state_of(&mut app, &token, id).await;
    assert_eq!(dossier["state"], "en_instruction");
    assert!(dossier["completion"].is_null());
    // Once instructed, it can no longer be cancelled.
    let cancel = app
        .post_json(
            &format!("/api/v1/dossiers/{id}/cancel"),
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn silence_at_the_due_date_recognises_a_work_accident_and_refuses_an_invalidity_pension() {
    let start = time::OffsetDateTime::now_utc();
    let clock = ManualClock::new(start);
    let mut app = TestApp::with_clock(clock.clone(), no_device_check()).await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let accident = filled(&mut app, &token, "accident-travail", &[]).await;
    let pension = filled(&mut app, &token, "pension-invalidite", &[]).await;
    let draft = filled(&mut app, &token, "accident-tiers", &[]).await;
    for id in [accident, pension] {
        let submitted = app
            .post_json(
                &format!("/api/v1/dossiers/{id}/submit"),
                json!({}),
                Some(&token),
            )
            .await;
        assert_eq!(
            submitted.status,
            StatusCode::NO_CONTENT,
            "{}",
            submitted.body
        );
    }
    // Nothing before the due date.
    let run = app.services.demarches.run_jobs().await.expect("jobs");
    assert_eq!(run.decided_by_silence, 0);
    // 30 jours francs later (and one day), the accident is recognised; the pension still waits.
    clock.advance(time::Duration::days(32));
    // Tokens last 30 days: the member logs in again.
    let token = api_token(&mut app, MEMBER_NIR).await;
    let run = app.services.demarches.run_jobs().await.expect("jobs");
    assert_eq!(run.decided_by_silence, 1);
    assert_eq!(
        state_of(&mut app, &token, accident).await["state"],
        "implicite_acceptee"
    );
    assert_eq!(
        state_of(&mut app, &token, pension).await["state"],
        "deposee"
    );
    // The draft left alone was told it would expire.
    assert_eq!(run.drafts_noticed, 1);
    // Two months: the pension is refused by silence, with the recourse in its letter.
    clock.advance(time::Duration::days(31));
    let token = api_token(&mut app, MEMBER_NIR).await;
    let run = app.services.demarches.run_jobs().await.expect("jobs");
    assert_eq!(run.decided_by_silence, 1);
    let dossier = state_of(&mut app, &token, pension).await;
    assert_eq!(dossier["state"], "implicite_refusee");
    let letter = app
        .get_with_bearer(&format!("/api/v1/dossiers/{pension}/decision"), &token)
        .await;
    assert!(letter.bytes.starts_with(b"%PDF"));
    // The draft expired; it is gone from the member's list.
    assert_eq!(run.drafts_expired, 1);
    let missing = app
        .get_with_bearer(&format!("/api/v1/dossiers/{draft}"), &token)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // Running again changes nothing.
    assert_eq!(
        app.services.demarches.run_jobs().await.expect("jobs"),
        Default::default()
    );
    let _ = DossierState::Draft;
}

#[tokio::test]
async fn identity_documents_are_erased_once_the_dossier_is_decided() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let staff = advisor(&app).await;
    let id = filled(&mut app, &token, "carte-vitale", &[]).await;
    app.post_json(
        &format!("/api/v1/dossiers/{id}/submit"),
        json!({}),
        Some(&token),
    )
    .await;
    let dossier = state_of(&mut app, &token, id).await;
    let identity: Vec<String> = dossier["pieces"]
        .as_array()
        .expect("pieces")
        .iter()
        .filter(|p| {
            dossier["procedure_form"]["steps"]
                .as_array()
                .expect("steps")
                .iter()
                .any(|s| {
                    s["fields"]
                        .as_array()
                        .expect("fields")
                        .iter()
                        .any(|f| f["id"] == p["field"] && f["identity_document"] == true)
                })
        })
        .map(|p| p["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(identity.len(), 1);
    app.services
        .demarches
        .take(staff, id, &context())
        .await
        .expect("taken");
    app.services
        .demarches
        .decide(staff, id, Decision::Accept, Vec::new(), &context())
        .await
        .expect("accepted");
    let run = app.services.demarches.run_jobs().await.expect("jobs");
    assert_eq!(run.identity_erased, 1);
    let dossier = state_of(&mut app, &token, id).await;
    let erased = dossier["pieces"]
        .as_array()
        .expect("pieces")
        .iter()
        .find(|p| p["id"] == identity[0].as_str())
        .expect("the piece");
    assert_eq!(erased["erased"], true);
    let gone = app
        .get_with_bearer(
            &format!("/api/v1/dossiers/{id}/files/{}", identity[0]),
            &token,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(dossier["card"], "Commandée");
}

#[tokio::test]
async fn another_members_dossier_answers_like_a_missing_one_on_every_route() {
    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let id = filled(&mut app, &token, "declaration-naissance", &[]).await;
    let piece = state_of(&mut app, &token, id).await["pieces"][0]["id"]
        .as_str()
        .expect("a piece")
        .to_owned();
    let mut other = app.another_browser();
    let stranger = api_token(&mut other, CAMILLE_NIR).await;
    let missing = Uuid::new_v4();
    for target in [id, missing] {
        let gets = [
            format!("/api/v1/dossiers/{target}"),
            format!("/api/v1/dossiers/{target}/decision"),
            format!("/api/v1/dossiers/{target}/ceam-certificate"),
            format!("/api/v1/dossiers/{target}/files/{piece}"),
        ];
        for path in gets {
            let response = other.get_with_bearer(&path, &stranger).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        }
        for action in ["submit", "complete", "cancel"] {
            let path = format!("/api/v1/dossiers/{target}/{action}");
            let response = other.post_json(&path, json!({}), Some(&stranger)).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        }
        let saved = put_json(
            &mut other,
            &format!("/api/v1/dossiers/{target}/steps/enfant"),
            json!({ "answers": {} }),
            &stranger,
        )
        .await;
        assert_eq!(saved.status, StatusCode::NOT_FOUND);
        let added = upload(
            &mut other,
            &format!("/api/v1/dossiers/{target}/fields/acte_naissance/files"),
            &stranger,
        )
        .await;
        assert_eq!(added.status, StatusCode::NOT_FOUND);
        let removed = delete(
            &mut other,
            &format!("/api/v1/dossiers/{target}/files/{piece}"),
            &stranger,
        )
        .await;
        assert_eq!(removed.status, StatusCode::NOT_FOUND);
    }
    // The owner still has it whole.
    assert_eq!(
        state_of(&mut app, &token, id).await["pieces"]
            .as_array()
            .expect("pieces")
            .len(),
        1
    );
    // Without a token: 401.
    let anonymous = other.get("/api/v1/dossiers").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_demo_dossiers_are_filed_through_the_engine_once() {
    let mut app = TestApp::with_demo_data().await;
    for _ in 0..2 {
        caisse_core::demo::seed_dossiers(
            &app.db.db,
            &app.services.demarches,
            caisse_core::demo::DOSSIERS_MEMBER_NIR,
        )
        .await
        .expect("demo dossiers");
    }
    let token = api_token(&mut app, MEMBER_NIR).await;
    let list = app.get_with_bearer("/api/v1/dossiers", &token).await;
    let list: Value = serde_json::from_str(&list.body).expect("JSON");
    let mut states: Vec<&str> = list["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .map(|d| d["state"].as_str().expect("state"))
        .collect();
    states.sort_unstable();
    assert_eq!(states, ["a_completer", "brouillon", "deposee"]);
}

fn transport_inputs() -> BTreeMap<String, String> {
    [
        ("personne", "1"),
        ("date_soin", "2026-11-02"),
        ("adresse_depart.ligne1", "3 rue des Réservoirs"),
        ("adresse_depart.code_postal", "78000"),
        ("adresse_depart.commune", "Versailles"),
        ("adresse_arrivee.ligne1", "177 rue de Versailles"),
        ("adresse_arrivee.code_postal", "78150"),
        ("adresse_arrivee.commune", "Le Chesnay-Rocquencourt"),
        ("aller_retour", "oui"),
        ("mode", "vehicule"),
        ("kilometres", "12"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

#[tokio::test]
async fn transport_costs_are_filed_without_an_account_only_for_an_identity_of_the_member_file() {
    use caisse_core::demarches::{DossierError, PieceUpload, PublicIdentity};
    let mut app = TestApp::with_demo_data().await;
    let julien = app.member(MEMBER_NIR).await;
    let demarches = app.services.demarches.clone();
    let prescription = || {
        vec![(
            "prescription".to_owned(),
            PieceUpload {
                name: "prescription.pdf".to_owned(),
                bytes: caisse_test_support::files::pdf(),
            },
        )]
    };
    let identity = |last_name: &str| PublicIdentity {
        nir: julien.nir.formatted(),
        last_name: last_name.to_owned(),
        birth_date: julien.birth_date.to_string(),
    };
    // A name that is not the member file's: nothing is written.
    let refused = demarches
        .file_public(
            "frais-transport",
            &identity("Durand"),
            &transport_inputs(),
            prescription(),
        )
        .await;
    assert!(
        matches!(refused, Err(DossierError::IdentityNotFound)),
        "{refused:?}"
    );
    // Only procedures offered without an account.
    let other = demarches
        .file_public(
            "changement-adresse",
            &identity(&julien.last_name),
            &transport_inputs(),
            prescription(),
        )
        .await;
    assert!(matches!(other, Err(DossierError::UnknownProcedure)));
    // The member's own identity, written in lower case: filed, in the member's list.
    let reference = demarches
        .file_public(
            "frais-transport",
            &identity(&julien.last_name.to_lowercase()),
            &transport_inputs(),
            prescription(),
        )
        .await
        .expect("filed");
    assert!(reference.starts_with("D-"));
    let token = api_token(&mut app, MEMBER_NIR).await;
    let list = app.get_with_bearer("/api/v1/dossiers", &token).await;
    let list: Value = serde_json::from_str(&list.body).expect("JSON");
    let filed: Vec<&Value> = list["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .collect();
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0]["state"], "deposee");
    assert_eq!(filed[0]["reference"], reference.as_str());
    // A missing prescription is named; attempts on one NIR are limited.
    let missing = demarches
        .file_public(
            "frais-transport",
            &identity(&julien.last_name),
            &transport_inputs(),
            Vec::new(),
        )
        .await;
    assert!(
        matches!(missing, Err(DossierError::Incomplete(ref e)) if e[0].input == "prescription"),
        "{missing:?}"
    );
    let mut locked = false;
    for _ in 0..20 {
        match demarches
            .file_public(
                "frais-transport",
                &identity("Durand"),
                &transport_inputs(),
                prescription(),
            )
            .await
        {
            Err(DossierError::Locked) => {
                locked = true;
                break;
            }
            Err(DossierError::IdentityNotFound) => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(locked, "attempts on one NIR are limited");
}

#[tokio::test]
async fn a_dossier_keeps_its_version_when_the_fund_adds_one_and_its_history_shows_tampering() {
    use std::sync::Arc;

    use caisse_core::demarches::{Catalogue, Demarches, DemarchesSettings, SHIPPED_FILES};
    use sea_orm::{ConnectionTrait, Statement};

    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let first = filled(&mut app, &token, "declaration-naissance", &[]).await;
    // The fund adds a version 2 with one more question; the server restarts with it.
    let (name, text) = SHIPPED_FILES
        .iter()
        .find(|(name, _)| name.starts_with("declaration-naissance"))
        .expect("the birth file");
    let v2 = text.replace("version = 1", "version = 2").replace(
        "[[steps]]\nid = \"pieces\"",
        "[[steps.fields]]\nid = \"maternite\"\nlabel = \"Maternité\"\ntype = \"text\"\n\n[[steps]]\nid = \"pieces\"",
    );
    let catalogue = Catalogue::shipped_and(vec![(name.replace("v1", "v2"), v2)]).expect("v2 loads");
    let restarted = Demarches::new(
        app.db.db.clone(),
        app.clock.clone(),
        Arc::new(catalogue),
        app.files.clone(),
        DemarchesSettings::default(),
    );
    let member = app.member(MEMBER_NIR).await;
    let kept = restarted
        .dossier(member.id, first)
        .await
        .expect("the old dossier");
    assert_eq!(kept.definition.version, 1);
    assert!(kept.definition.field("maternite").is_none());
    let second = restarted
        .open(member.id, "declaration-naissance")
        .await
        .expect("opened");
    let new = restarted
        .dossier(member.id, second)
        .await
        .expect("the new dossier");
    assert_eq!(new.definition.version, 2);
    assert!(new.definition.field("maternite").is_some());

    // The history's hash chain holds, until one event is changed in the database.
    assert!(kept.chain_holds);
    let db = &app.db.db;
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        match db.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                "UPDATE dossier_events SET note = 'changé' WHERE dossier_id = $1 AND seq = 1"
            }
            _ => "UPDATE dossier_events SET note = 'changé' WHERE dossier_id = ? AND seq = 1",
        },
        [first.into()],
    ))
    .await
    .expect("tampered");
    let tampered = restarted
        .dossier(member.id, first)
        .await
        .expect("the old dossier");
    assert!(!tampered.chain_holds);
}
