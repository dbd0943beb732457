//! « Mes démarches » through the pages: a birth declaration from the catalogue to filing
//! (refused answers, a file, the summary, the dossier's page), a field shown by a condition,
//! filing with answers missing, cancelling a draft, the catalogue's search with and without
//! accents; another member's dossier is a 404 on every route, like a missing one.

use axum::http::{StatusCode, header};
use caisse_core::audit::RequestContext;
use caisse_core::demarches::Decision;
use caisse_domain::demarches::FieldId;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp};

const CAMILLE_NIR: &str = "2 93 12 2A 004 123 17";

async fn logged_in(nir: &str) -> TestApp {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(nir, MEMBER_PASSWORD).await;
    app
}

/// Starts procedure `code` from the catalogue: the new dossier's id and its first step.
async fn start(app: &mut TestApp, code: &str) -> (Uuid, String) {
    let response = app
        .submit("/demarches", &format!("/demarches/{code}/commencer"), &[])
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let step = response.location().expect("a redirect").to_owned();
    let id = step
        .strip_prefix("/demarches/dossiers/")
        .and_then(|rest| rest.split('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a dossier's step: {step}"));
    (id, step)
}

fn step(id: Uuid, step: &str) -> String {
    format!("/demarches/dossiers/{id}/etapes/{step}")
}

/// A date `days` ago as a date control sends it.
fn days_ago(days: i64) -> String {
    let day = (OffsetDateTime::now_utc() - Duration::days(days)).date();
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// The ids of the files a step page lists with « Retirer ».
fn piece_ids(body: &str, id: Uuid) -> Vec<Uuid> {
    let prefix = format!("/demarches/dossiers/{id}/pieces/");
    body.match_indices(&prefix)
        .filter_map(|(at, _)| {
            let rest = &body[at + prefix.len()..];
            let end = rest.find('/')?;
            rest[end..]
                .starts_with("/retirer")
                .then(|| rest[..end].parse().ok())?
        })
        .collect()
}

/// Fills the birth declaration's first two steps with valid answers.
async fn fill_child_and_attachment(app: &mut TestApp, id: Uuid) {
    let date = days_ago(10);
    let child = app
        .submit(
            &step(id, "enfant"),
            &step(id, "enfant"),
            &[
                ("nom", "MARTIN"),
                ("prenoms", "Jules Pierre"),
                ("date_naissance", &date),
                ("sexe", "M"),
            ],
        )
        .await;
    assert_eq!(child.status, StatusCode::SEE_OTHER, "{}", child.body);
    assert_eq!(child.location(), Some(step(id, "rattachement").as_str()));
    let attachment = app
        .submit(
            &step(id, "rattachement"),
            &step(id, "rattachement"),
            &[("rattachement", "moi")],
        )
        .await;
    assert_eq!(attachment.status, StatusCode::SEE_OTHER);
    assert_eq!(attachment.location(), Some(step(id, "pieces").as_str()));
}

#[tokio::test]
async fn a_member_declares_a_birth_step_by_step_and_files_it() {
    let mut app = logged_in(MEMBER_NIR).await;
    let (id, first) = start(&mut app, "declaration-naissance").await;
    assert_eq!(first, step(id, "enfant"));

    let page = app.get(&first).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Étape 1 sur 3"));
    assert!(page.body.contains("type=\"date\""));

    // A malformed date and an empty required field: one message each, nothing saved.
    let refused = app
        .submit(
            &first,
            &first,
            &[
                ("nom", ""),
                ("prenoms", "Jules"),
                ("date_naissance", "31/02/2026"),
                ("sexe", "M"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Le formulaire contient 2 erreurs"));
    assert!(refused.body.contains("href=\"#nom\""));
    assert!(refused.body.contains("href=\"#date_naissance\""));
    assert!(refused.body.contains("Saisissez nom de l"));
    assert!(refused.body.contains("Saisissez une date valide"));
    assert_eq!(refused.body.matches("class=\"field__error\"").count(), 2);
    // What was typed is given back to correct.
    assert!(refused.body.contains("value=\"Jules\""));
    let again = app.get(&first).await;
    assert!(!again.body.contains("value=\"Jules\""), "nothing was saved");

    fill_child_and_attachment(&mut app, id).await;

    // The file, then the summary.
    let pieces = step(id, "pieces");
    let page = app.get(&pieces).await;
    assert!(page.body.contains("Étape 3 sur 3"));
    assert!(page.body.contains("Aucun fichier joint."));
    let pdf = caisse_test_support::files::pdf();
    let uploaded = app
        .submit_with_files(
            &pieces,
            &format!("/demarches/dossiers/{id}/pieces/acte_naissance"),
            &[],
            &[("files", "acte-naissance.pdf", &pdf)],
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let page = app.get(&pieces).await;
    assert!(page.body.contains("acte-naissance.pdf"));
    let piece = piece_ids(&page.body, id)[0];
    let download = app
        .get(&format!("/demarches/dossiers/{id}/pieces/{piece}"))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(
        download.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );
    assert!(
        download
            .headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"acte-naissance.pdf\"")
    );

    let next = app.submit(&pieces, &pieces, &[]).await;
    assert_eq!(next.status, StatusCode::SEE_OTHER);
    let summary = format!("/demarches/dossiers/{id}/recapitulatif");
    assert_eq!(next.location(), Some(summary.as_str()));
    let page = app.get(&summary).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Jules Pierre"));
    assert!(page.body.contains("Masculin"));
    assert!(page.body.contains("À moi seulement"));
    assert!(page.body.contains("acte-naissance.pdf"));
    assert!(page.body.contains("Déposer le dossier"));

    let filed = app
        .submit(&summary, &format!("/demarches/dossiers/{id}/deposer"), &[])
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let dossier = app.get(filed.location().unwrap()).await;
    assert_eq!(dossier.status, StatusCode::OK);
    assert!(dossier.body.contains("Votre dossier est déposé"));
    assert!(dossier.body.contains("En attente de traitement"));
    assert!(dossier.body.contains("Décision attendue"));
    assert!(dossier.body.contains("Au plus tard le"));
    assert!(dossier.body.contains("Dossier déposé"));
    // Filed: the steps no longer take answers.
    let closed = app.get(&first).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);

    let list = app.get("/demarches").await;
    assert!(list.body.contains("Décision attendue au plus tard le"));
}

#[tokio::test]
async fn filing_with_answers_missing_lists_them_with_links_to_their_steps() {
    let mut app = logged_in(MEMBER_NIR).await;
    let (id, _) = start(&mut app, "declaration-naissance").await;
    let summary = format!("/demarches/dossiers/{id}/recapitulatif");
    let refused = app
        .submit(&summary, &format!("/demarches/dossiers/{id}/deposer"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains(&format!("{}#nom", step(id, "enfant")))
    );
    assert!(
        refused
            .body
            .contains(&format!("{}#acte_naissance", step(id, "pieces")))
    );
    let list = app.get("/demarches").await;
    assert!(list.body.contains("1 dossier attend votre action"));
    assert!(list.body.contains("Brouillon"));

    // « Continuer ma démarche » leads to the first step with something missing.
    fill_child_and_attachment(&mut app, id).await;
    let dossier = app.get(&format!("/demarches/dossiers/{id}")).await;
    assert!(dossier.body.contains(&format!(
        "href=\"{}\">Continuer ma démarche",
        step(id, "pieces")
    )));
}

#[tokio::test]
async fn the_other_parents_number_is_asked_only_for_both_parents() {
    let mut app = logged_in(MEMBER_NIR).await;
    let (id, _) = start(&mut app, "declaration-naissance").await;
    let page = step(id, "rattachement");
    let field = "name=\"nir_autre_parent\"";

    assert!(!app.get(&page).await.body.contains(field));
    // Choosing both parents shows the number, asked for at once.
    let both = app
        .submit(&page, &page, &[("rattachement", "deux_parents")])
        .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(both.body.contains(field));
    assert!(both.body.contains("href=\"#nir_autre_parent\""));

    let me_only = app.submit(&page, &page, &[("rattachement", "moi")]).await;
    assert_eq!(me_only.status, StatusCode::SEE_OTHER);
    assert!(!app.get(&page).await.body.contains(field));

    let with_number = app
        .submit(
            &page,
            &page,
            &[
                ("rattachement", "deux_parents"),
                ("nir_autre_parent", CAMILLE_NIR),
            ],
        )
        .await;
    assert_eq!(
        with_number.status,
        StatusCode::SEE_OTHER,
        "{}",
        with_number.body
    );
    assert!(app.get(&page).await.body.contains(field));
}

#[tokio::test]
async fn another_members_dossier_is_not_found_on_every_route() {
    let mut app = logged_in(MEMBER_NIR).await;
    let (id, _) = start(&mut app, "declaration-naissance").await;
    fill_child_and_attachment(&mut app, id).await;
    let pdf = caisse_test_support::files::pdf();
    let pieces = step(id, "pieces");
    app.submit_with_files(
        &pieces,
        &format!("/demarches/dossiers/{id}/pieces/acte_naissance"),
        &[],
        &[("files", "acte.pdf", &pdf)],
    )
    .await;
    let piece = piece_ids(&app.get(&pieces).await.body, id)[0];

    let mut camille = app.another_browser();
    camille.login_member(CAMILLE_NIR, MEMBER_PASSWORD).await;
    let token = camille.get("/demarches").await.csrf_token();
    for dossier in [id, Uuid::new_v4()] {
        let base = format!("/demarches/dossiers/{dossier}");
        for path in [
            base.clone(),
            format!("{base}/etapes/enfant"),
            format!("{base}/recapitulatif"),
            format!("{base}/pieces/{piece}"),
            format!("{base}/decision.pdf"),
            format!("{base}/certificat-ceam.pdf"),
        ] {
            let response = camille.get(&path).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "GET {path}");
            assert!(response.body.contains("Page introuvable"), "GET {path}");
        }
        for (path, fields) in [
            (
                format!("{base}/etapes/enfant"),
                vec![("nom", "INTRUS"), ("prenoms", "Paul")],
            ),
            (format!("{base}/deposer"), vec![]),
            (format!("{base}/completer"), vec![]),
            (format!("{base}/annuler"), vec![]),
            (format!("{base}/pieces/{piece}/retirer"), vec![]),
        ] {
            let mut all = vec![("csrf_token", token.as_str())];
            all.extend(fields);
            let response = camille.post_form(&path, &all).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "POST {path}");
            assert!(response.body.contains("Page introuvable"), "POST {path}");
        }
        let upload = camille
            .post_multipart(
                &format!("{base}/pieces/acte_naissance"),
                &[("csrf_token", token.as_str())],
                &[("files", "intrus.pdf", &pdf)],
                None,
            )
            .await;
        assert_eq!(upload.status, StatusCode::NOT_FOUND, "upload to {base}");
    }
    assert!(
        !camille
            .get("/demarches")
            .await
            .body
            .contains(&id.to_string())
    );

    // The member's dossier is untouched.
    let page = app.get(&pieces).await;
    assert_eq!(piece_ids(&page.body, id), vec![piece]);
    assert!(!page.body.contains("intrus.pdf"));
    let child = app.get(&step(id, "enfant")).await;
    assert!(child.body.contains("value=\"MARTIN\""));
    let dossier = app.get(&format!("/demarches/dossiers/{id}")).await;
    assert!(dossier.body.contains("Brouillon"));
}

#[tokio::test]
async fn a_member_cancels_a_draft() {
    let mut app = logged_in(MEMBER_NIR).await;
    let (id, _) = start(&mut app, "declaration-naissance").await;
    let page = format!("/demarches/dossiers/{id}");
    assert!(app.get(&page).await.body.contains("Annuler ce dossier"));
    let cancelled = app.submit(&page, &format!("{page}/annuler"), &[]).await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let after = app.get(cancelled.location().unwrap()).await;
    assert!(after.body.contains("Votre dossier est annulé."));
    assert!(after.body.contains("Annulée"));
    assert!(!after.body.contains("Annuler ce dossier"));
    // A cancelled dossier takes no answers and cannot be cancelled again.
    assert_eq!(
        app.get(&step(id, "enfant")).await.status,
        StatusCode::SEE_OTHER
    );
    let token = app.get("/demarches").await.csrf_token();
    let again = app
        .post_form(&format!("{page}/annuler"), &[("csrf_token", &token)])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let list = app.get("/demarches").await;
    assert!(list.body.contains("Terminés"));
    assert!(!list.body.contains("attend votre action"));
}

#[tokio::test]
async fn the_catalogue_finds_a_birth_with_or_without_accents() {
    let mut app = logged_in(MEMBER_NIR).await;
    let all = app.get("/demarches").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("Déclarer la naissance"));
    assert!(all.body.contains("Famille"));
    for q in ["bebe", "b%C3%A9b%C3%A9", "naissance", "NAISSANCE"] {
        let found = app.get(&format!("/demarches?q={q}")).await;
        assert_eq!(found.status, StatusCode::OK, "{q}");
        assert!(found.body.contains("Déclarer la naissance"), "{q}");
        assert!(
            found
                .body
                .contains("/demarches/declaration-naissance/commencer")
        );
        assert!(
            !found.body.contains("/demarches/procuration/commencer"),
            "{q} finds the birth only"
        );
    }
    let none = app.get("/demarches?q=zzzzqq").await;
    assert!(none.body.contains("Aucune démarche ne correspond"));
    assert!(!none.body.contains("/commencer"));
}

/// A birth declared and filed through the pages, with its act of birth.
async fn filed_birth(app: &mut TestApp) -> Uuid {
    let (id, _) = start(app, "declaration-naissance").await;
    fill_child_and_attachment(app, id).await;
    let pieces = step(id, "pieces");
    let pdf = caisse_test_support::files::pdf();
    app.submit_with_files(
        &pieces,
        &format!("/demarches/dossiers/{id}/pieces/acte_naissance"),
        &[],
        &[("files", "acte.pdf", &pdf)],
    )
    .await;
    let summary = format!("/demarches/dossiers/{id}/recapitulatif");
    let filed = app
        .submit(&summary, &format!("/demarches/dossiers/{id}/deposer"), &[])
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    id
}

async fn advisor(app: &TestApp) -> Uuid {
    caisse_store::staff::by_login(&app.db.db, "conseiller")
        .await
        .unwrap()
        .expect("the demo advisor")
        .id
}

#[tokio::test]
async fn a_member_completes_what_the_advisor_asked_then_reads_the_decision() {
    let mut app = logged_in(MEMBER_NIR).await;
    let id = filed_birth(&mut app).await;
    let staff = advisor(&app).await;
    let context = RequestContext::default();
    let demarches = &app.services.demarches;
    demarches.take(staff, id, &context).await.unwrap();
    demarches
        .ask_completion(
            staff,
            id,
            "Les prénoms ne correspondent pas à l'acte de naissance.",
            vec![FieldId::parse("prenoms").unwrap()],
            &context,
        )
        .await
        .unwrap();

    let home = app.get("/").await;
    assert!(home.body.contains("1 dossier attend votre action"));
    let list = app.get("/demarches").await;
    assert!(list.body.contains("1 dossier attend votre action"));
    assert!(list.body.contains("À compléter"));
    assert!(list.body.contains("Les prénoms ne correspondent pas"));
    assert!(list.body.contains("Délai de traitement suspendu"));
    let page = format!("/demarches/dossiers/{id}");
    let dossier = app.get(&page).await;
    assert!(
        dossier
            .body
            .contains(&format!("{}#prenoms", step(id, "enfant")))
    );

    // Only the flagged field is an input; the others are read.
    let child = app.get(&step(id, "enfant")).await;
    assert_eq!(child.status, StatusCode::OK);
    assert!(child.body.contains("name=\"prenoms\""));
    assert!(!child.body.contains("name=\"nom\""));
    assert!(child.body.contains("(non modifiable)"));
    let saved = app
        .submit(
            &step(id, "enfant"),
            &step(id, "enfant"),
            &[("prenoms", "Jules Paul")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let summary = format!("/demarches/dossiers/{id}/recapitulatif");
    assert_eq!(saved.location(), Some(summary.as_str()));
    let recap = app.get(&summary).await;
    assert!(recap.body.contains("Jules Paul"));
    assert!(recap.body.contains("Envoyer les compléments"));
    let sent = app
        .submit(
            &summary,
            &format!("/demarches/dossiers/{id}/completer"),
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let dossier = app.get(sent.location().unwrap()).await;
    assert!(dossier.body.contains("Vos compléments sont envoyés"));
    assert!(dossier.body.contains("En cours d&#39;instruction"));
    assert!(!app.get("/").await.body.contains("attend votre action"));
    assert_eq!(
        app.get(&format!("{page}/decision.pdf")).await.status,
        StatusCode::NOT_FOUND
    );

    app.services
        .demarches
        .decide(staff, id, Decision::Accept, Vec::new(), &context)
        .await
        .unwrap();
    let dossier = app.get(&page).await;
    assert!(dossier.body.contains("Acceptée"));
    assert!(dossier.body.contains("decision.pdf"));
    assert!(!dossier.body.contains("Annuler ce dossier"));
    let letter = app.get(&format!("{page}/decision.pdf")).await;
    assert_eq!(letter.status, StatusCode::OK);
    assert_eq!(
        letter.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );
    assert!(letter.bytes.starts_with(b"%PDF"));
}

#[tokio::test]
async fn every_step_of_every_procedure_renders_and_answers_an_empty_form() {
    let mut app = logged_in(MEMBER_NIR).await;
    let catalogue = app.services.demarches.catalogue();
    assert!(catalogue.len() >= 14);
    for definition in catalogue {
        let (id, _) = start(&mut app, definition.code.as_str()).await;
        for s in &definition.steps {
            let path = step(id, s.id.as_str());
            let page = app.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(
                page.body.contains(&s.title.replace('\'', "&#39;")),
                "{path}"
            );
            let sent = app.submit(&path, &path, &[]).await;
            // Saved (nothing required) or refused with the summary of what is missing.
            match sent.status {
                StatusCode::SEE_OTHER => {}
                StatusCode::UNPROCESSABLE_ENTITY => {
                    assert!(sent.body.contains("Le formulaire contient"), "{path}");
                }
                other => panic!("{path}: {other}"),
            }
        }
    }
}

#[tokio::test]
async fn a_mandataire_files_for_the_member_who_gave_a_procuration() {
    let mut app = logged_in(MEMBER_NIR).await;
    let (id, first) = start(&mut app, "procuration").await;
    let named = app
        .submit(
            &first,
            &first,
            &[
                ("civilite", "madame"),
                ("nom", "ROSSI"),
                ("prenom", "Camille"),
                ("date_naissance", "1993-12-02"),
            ],
        )
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
    let summary = format!("/demarches/dossiers/{id}/recapitulatif");
    let filed = app
        .submit(&summary, &format!("/demarches/dossiers/{id}/deposer"), &[])
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);

    let mut camille = app.another_browser();
    camille.login_member(CAMILLE_NIR, MEMBER_PASSWORD).await;
    let list = camille.get("/demarches").await;
    assert!(list.body.contains("Démarches pour le compte d'un proche"));
    assert!(list.body.contains("Pour Julien MARTIN"));
    let marker = "name=\"procuration\" value=\"";
    let start_at = list.body.find(marker).expect("a procuration field") + marker.len();
    let procuration = list.body[start_at..start_at + 36].to_owned();
    // Only the procedures a procuration allows are offered under it.
    assert_eq!(list.body.matches(marker).count(), 2);

    let token = list.csrf_token();
    let refused = camille
        .post_form(
            "/demarches/declaration-naissance/commencer",
            &[("csrf_token", &token), ("procuration", &procuration)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let opened = camille
        .post_form(
            "/demarches/complementaire-sante-solidaire/commencer",
            &[("csrf_token", &token), ("procuration", &procuration)],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let step = opened.location().unwrap().to_owned();
    assert_eq!(camille.get(&step).await.status, StatusCode::OK);
    let dossier_path: String = step.split("/etapes/").next().unwrap().to_owned();
    let dossier = camille.get(&dossier_path).await;
    assert!(dossier.body.contains("Julien MARTIN"));
    assert!(dossier.body.contains("démarche faite par un mandataire"));
    // The member concerned sees it too.
    assert_eq!(app.get(&dossier_path).await.status, StatusCode::OK);
}

#[tokio::test]
async fn transport_costs_are_filed_from_one_page_without_an_account() {
    let mut app = TestApp::with_demo_data().await;
    let julien = app.member(crate::support::MEMBER_NIR).await;
    let page = app.get("/demarches/sans-compte/frais-transport").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Vous n'avez pas besoin de compte"));
    // Only the procedures offered without an account.
    assert_eq!(
        app.get("/demarches/sans-compte/changement-adresse")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let pdf = caisse_test_support::files::pdf();
    let nir = julien.nir.formatted();
    let birth = julien.birth_date.to_string();
    let fields = |last_name: &'static str| {
        vec![
            ("identite.nir", nir.clone()),
            ("identite.nom", last_name.to_owned()),
            ("identite.date_naissance", birth.clone()),
            ("personne", "1".to_owned()),
            ("date_soin", "2026-11-02".to_owned()),
            ("adresse_depart.ligne1", "3 rue des Réservoirs".to_owned()),
            ("adresse_depart.code_postal", "78000".to_owned()),
            ("adresse_depart.commune", "Versailles".to_owned()),
            ("adresse_arrivee.ligne1", "177 rue de Versailles".to_owned()),
            ("adresse_arrivee.code_postal", "78150".to_owned()),
            ("adresse_arrivee.commune", "Le Chesnay".to_owned()),
            ("aller_retour", "oui".to_owned()),
            ("mode", "vehicule".to_owned()),
            ("kilometres", "12".to_owned()),
        ]
    };
    let send = |app: &mut TestApp, last_name: &'static str| {
        let fields = fields(last_name);
        let pdf = pdf.clone();
        let mut app = app.another_browser();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit_with_files(
                "/demarches/sans-compte/frais-transport",
                "/demarches/sans-compte/frais-transport",
                &fields,
                &[("piece.prescription", "prescription.pdf", &pdf)],
            )
            .await
        }
    };
    let refused = send(&mut app, "Durand").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Nous ne retrouvons pas d&#39;assuré")
            || refused.body.contains("Nous ne retrouvons pas d'assuré"),
        "{}",
        refused.body
    );
    let filed = send(&mut app, "martin").await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    assert!(
        filed.body.contains("Votre demande est envoyée"),
        "{}",
        filed.body
    );
    let dossiers = app
        .services
        .demarches
        .dossiers(julien.id)
        .await
        .expect("dossiers");
    assert!(
        dossiers
            .iter()
            .any(|d| d.procedure.as_str() == "frais-transport"
                && d.state == caisse_domain::demarches::DossierState::Submitted)
    );
}
