//! The back office's instruction of démarches: a birth declaration filed through core by the
//! demo member is listed in the fund's queue, read beside the member file (audited), taken,
//! sent back for a piece, completed by the member, refused without reason (refused, in
//! French), then accepted: the child becomes a beneficiary. Another dossier is sent to
//! another team; the supervisors' dashboard counts the open ones; another fund's staff meets
//! a 404 on every `/agent/dossiers…` route (also in `staff_routes.rs`).

use axum::http::StatusCode;
use caisse_core::clock::ManualClock;
use caisse_core::demarches::PieceUpload;
use caisse_core::staff::StaffRole;
use caisse_domain::CaisseCode;
use caisse_domain::demarches::{DossierState, RawInput};
use caisse_test_support::files::pdf;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, TestApp, TestResponse, no_device_check};

/// The demo staff's fund (Yvelines).
const FUND: &str = "781";

/// A birth declaration of child `first_name` filed by member `member_id`, with its birth
/// certificate: the dossier's id.
pub async fn filed_birth(app: &TestApp, member_id: Uuid, first_name: &str) -> Uuid {
    let demarches = &app.services.demarches;
    let id = demarches
        .open(member_id, "declaration-naissance")
        .await
        .unwrap();
    let child: RawInput = [
        ("nom", "Martin"),
        ("prenoms", first_name),
        ("date_naissance", "2026-01-05"),
        ("sexe", "F"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    demarches
        .save_step(member_id, id, "enfant", &child)
        .await
        .unwrap();
    let attachment: RawInput = [("rattachement".to_owned(), "moi".to_owned())]
        .into_iter()
        .collect();
    demarches
        .save_step(member_id, id, "rattachement", &attachment)
        .await
        .unwrap();
    add_certificate(app, member_id, id, "acte.pdf").await;
    demarches.submit(member_id, id).await.unwrap();
    id
}

async fn add_certificate(app: &TestApp, member_id: Uuid, id: Uuid, name: &str) {
    app.services
        .demarches
        .add_pieces(
            member_id,
            id,
            "acte_naissance",
            vec![PieceUpload {
                name: name.to_owned(),
                bytes: pdf(),
            }],
        )
        .await
        .unwrap();
}

async fn state_of(app: &TestApp, member_id: Uuid, id: Uuid) -> DossierState {
    app.services
        .demarches
        .dossier(member_id, id)
        .await
        .unwrap()
        .state
}

/// Posts `fields` with the CSRF token of the dossier's page to `/agent/dossiers/{id}/{action}`.
async fn act(
    browser: &mut TestApp,
    id: Uuid,
    action: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let page = format!("/agent/dossiers/{id}");
    browser
        .submit(&page, &format!("{page}/{action}"), fields)
        .await
}

/// The path of the first link to a piece on the dossier's page.
fn piece_link(body: &str, id: Uuid) -> String {
    let prefix = format!("/agent/dossiers/{id}/pieces/");
    let start = body.find(&prefix).expect("a link to a piece");
    let rest = &body[start..];
    rest[..rest.find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn a_birth_is_taken_completed_refused_without_reason_then_accepted() {
    let app = TestApp::with_demo_data().await;
    let member = app.member(MEMBER_NIR).await;
    let before = caisse_store::members::beneficiaries(&app.db.db, member.id)
        .await
        .unwrap()
        .len();
    let id = filed_birth(&app, member.id, "Léa").await;
    let mut staff = app.another_browser();
    staff.login_staff("conseiller").await;

    // The queue lists it, due date first, with its state.
    let queue = staff.get("/agent/dossiers").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(&format!("/agent/dossiers/{id}")));
    assert!(queue.body.contains("Déclarer la naissance d&#39;un enfant"));
    assert!(queue.body.contains("En attente de traitement"));
    assert!(queue.body.contains("Droits et affiliation"));

    // The dossier beside the member file; reading it is audited.
    let page = staff.get(&format!("/agent/dossiers/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for shown in [
        "Julien MARTIN",
        "Léa",
        "Féminin",
        "À moi seulement",
        "acte.pdf",
        "Dossier déposé",
        "Prendre en charge",
        &format!("/agent/comptes/{}", member.id),
    ] {
        assert!(page.body.contains(shown), "{shown} missing");
    }
    assert!(
        !app.staff_events("conseiller", "staff.dossier.viewed")
            .await
            .is_empty()
    );
    let file = staff.get(&piece_link(&page.body, id)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.bytes.starts_with(b"%PDF"));
    assert!(
        !app.staff_events("conseiller", "staff.dossier.piece_downloaded")
            .await
            .is_empty()
    );

    // Taken.
    let taken = act(&mut staff, id, "prendre", &[]).await;
    assert_eq!(
        taken.location(),
        Some(&*format!("/agent/dossiers/{id}?fait=pris"))
    );
    let page = staff.get(taken.location().unwrap()).await;
    assert!(page.body.contains("Vous instruisez ce dossier."));
    assert!(page.body.contains("En cours d&#39;instruction"));
    assert_eq!(
        state_of(&app, member.id, id).await,
        DossierState::InInstruction
    );
    // « Mes dossiers »: the advisor's, not a colleague's.
    let mine = staff.get("/agent/dossiers?mes=oui").await;
    assert!(mine.body.contains(&format!("/agent/dossiers/{id}")));
    let mut colleague = app.another_browser();
    colleague.login_staff("superviseur").await;
    let theirs = colleague.get("/agent/dossiers?mes=oui").await;
    assert!(!theirs.body.contains(&format!("/agent/dossiers/{id}")));

    // A completion without message is refused beside the message.
    let empty = act(
        &mut staff,
        id,
        "completer",
        &[("message", " "), ("champ", "acte_naissance")],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("Écrivez ce que l&#39;assuré doit compléter.")
    );

    // Asked to complete the birth certificate: « À compléter » in the queue.
    let asked = act(
        &mut staff,
        id,
        "completer",
        &[
            (
                "message",
                "L'acte joint est illisible : joignez-le de nouveau.",
            ),
            ("champ", "acte_naissance"),
        ],
    )
    .await;
    assert_eq!(
        asked.location(),
        Some(&*format!("/agent/dossiers/{id}?fait=complements"))
    );
    assert_eq!(
        state_of(&app, member.id, id).await,
        DossierState::AwaitingCompletion
    );
    let queue = staff.get("/agent/dossiers").await;
    assert!(queue.body.contains("À compléter"));

    // The member adds the piece and sends the dossier back.
    add_certificate(&app, member.id, id, "acte-lisible.pdf").await;
    app.services
        .demarches
        .complete(member.id, id)
        .await
        .unwrap();
    assert_eq!(
        state_of(&app, member.id, id).await,
        DossierState::InInstruction
    );
    let page = staff.get(&format!("/agent/dossiers/{id}")).await;
    assert!(page.body.contains("acte-lisible.pdf"));
    assert!(page.body.contains("Compléments envoyés"));

    // A refusal needs a reason.
    let refused = act(&mut staff, id, "decider", &[("decision", "refuser")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Un refus doit être motivé : choisissez ou écrivez au moins un motif.")
    );
    assert_eq!(
        state_of(&app, member.id, id).await,
        DossierState::InInstruction
    );

    // Accepted: the child is a beneficiary of the member.
    let accepted = act(&mut staff, id, "decider", &[("decision", "accepter")]).await;
    assert_eq!(
        accepted.location(),
        Some(&*format!("/agent/dossiers/{id}?fait=accepte"))
    );
    assert_eq!(state_of(&app, member.id, id).await, DossierState::Accepted);
    let beneficiaries = caisse_store::members::beneficiaries(&app.db.db, member.id)
        .await
        .unwrap();
    assert_eq!(beneficiaries.len(), before + 1);
    assert!(
        beneficiaries
            .iter()
            .any(|b| b.first_name == "Léa" && b.last_name == "MARTIN")
    );
    let page = staff.get(accepted.location().unwrap()).await;
    assert!(page.body.contains("Le dossier est accepté"));
    assert!(page.body.contains("Acceptée"));
    assert!(
        !page.body.contains("/decider\""),
        "no decision once decided"
    );
    // A second decision is refused, in French.
    let again = act(&mut staff, id, "decider", &[("decision", "accepter")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("actualisez la page"));
    assert!(
        !app.staff_events("conseiller", "staff.dossier.decided")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_dossier_is_refused_with_reasons_sent_to_another_team_and_counted_on_the_dashboard() {
    let app = TestApp::with_demo_data().await;
    let member = app.member(MEMBER_NIR).await;
    let sent = filed_birth(&app, member.id, "Hugo").await;
    let refused = filed_birth(&app, member.id, "Emma").await;
    let mut staff = app.another_browser();
    staff.login_staff("superviseur").await;

    // Sent to the « Service prestations » team: no advisor, in that team's queue.
    let teams = caisse_store::teams::of_fund(&app.db.db, CaisseCode::parse(FUND).unwrap())
        .await
        .unwrap();
    let prestations = teams
        .iter()
        .find(|t| t.team.name.as_str() == "Service prestations")
        .expect("the demo's team");
    let team = prestations.id.to_string();
    let moved = act(&mut staff, sent, "transmettre", &[("equipe", &team)]).await;
    assert_eq!(
        moved.location(),
        Some(&*format!("/agent/dossiers/{sent}?fait=transmis"))
    );
    let page = staff.get(moved.location().unwrap()).await;
    assert!(page.body.contains("Dossier transmis au service compétent"));
    let filtered = staff.get(&format!("/agent/dossiers?equipe={team}")).await;
    assert!(filtered.body.contains(&format!("/agent/dossiers/{sent}")));
    assert!(
        !filtered
            .body
            .contains(&format!("/agent/dossiers/{refused}"))
    );
    let bad = act(&mut staff, sent, "transmettre", &[("equipe", "rien")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Choisissez une équipe de votre caisse."));

    // Refused with a reason of the definition and one written.
    let reason = "L'enfant est déjà rattaché à un autre assuré.";
    let decided = act(
        &mut staff,
        refused,
        "decider",
        &[
            ("decision", "refuser"),
            ("motif", reason),
            ("motif_libre", "Rattaché à sa mère le 6 janvier."),
        ],
    )
    .await;
    assert_eq!(
        decided.location(),
        Some(&*format!("/agent/dossiers/{refused}?fait=refuse"))
    );
    assert_eq!(
        state_of(&app, member.id, refused).await,
        DossierState::Refused
    );
    let page = staff.get(decided.location().unwrap()).await;
    assert!(
        page.body
            .contains("L&#39;enfant est déjà rattaché à un autre assuré.")
    );
    assert!(page.body.contains("Rattaché à sa mère le 6 janvier."));

    // The dashboard counts the open one.
    let board = staff.get("/agent/tableau-de-bord").await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    assert!(board.body.contains("Démarches"));
    assert!(board.body.contains("En attente de traitement"));
    // The open decision of fund A: one dossier waiting.
    assert!(
        board.body.contains(
            "<th scope=\"row\">Tous les dossiers en cours</th><td class=\"num tabular\">\
             <a href=\"/agent/dossiers\">1</a></td>"
        ),
        "{}",
        board.body
    );
    // The transferred one is closed without follow-up, with a written reason.
    let closed = act(
        &mut staff,
        sent,
        "decider",
        &[
            ("decision", "classer"),
            ("motif_libre", "Déclaration en double."),
        ],
    )
    .await;
    assert_eq!(
        closed.location(),
        Some(&*format!("/agent/dossiers/{sent}?fait=classe"))
    );
    assert_eq!(
        state_of(&app, member.id, sent).await,
        DossierState::ClosedWithoutFollowUp
    );
    // The queue's state filter finds the refused one.
    let list = staff.get("/agent/dossiers?etat=refusee").await;
    assert!(list.body.contains(&format!("/agent/dossiers/{refused}")));
    assert!(!list.body.contains(&format!("/agent/dossiers/{sent}")));
}

#[tokio::test]
async fn anonymous_visitors_go_to_the_staff_login_and_another_fund_meets_404_everywhere() {
    let app = TestApp::with_demo_data().await;
    let member = app.member(MEMBER_NIR).await;
    let id = filed_birth(&app, member.id, "Léon").await;
    let mut anonymous = app.another_browser();
    let answer = anonymous.get(&format!("/agent/dossiers/{id}")).await;
    assert!(
        answer
            .location()
            .is_some_and(|l| l.starts_with("/agent/connexion")),
        "{:?}",
        answer.location()
    );

    // The piece's id, as fund A's staff sees it.
    let mut owner = app.another_browser();
    owner.login_staff("conseiller").await;
    let page = owner.get(&format!("/agent/dossiers/{id}")).await;
    let piece = piece_link(&page.body, id);

    let mut other = app
        .staff_of_fund(
            "admin.dossiers",
            StaffRole::Administrateur,
            "671",
            "DOSSIERSADMINISTRATEURBASRHIN266",
        )
        .await;
    let token = other.get("/agent").await.csrf_token();
    for path in [format!("/agent/dossiers/{id}"), piece.clone()] {
        assert_eq!(
            other.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let teams = caisse_store::teams::of_fund(&app.db.db, CaisseCode::parse("671").unwrap())
        .await
        .unwrap();
    let their_team = teams.first().map(|t| t.id.to_string()).unwrap_or_default();
    for (action, fields) in [
        ("prendre", vec![]),
        (
            "completer",
            vec![("message", "Détourné"), ("champ", "acte_naissance")],
        ),
        ("decider", vec![("decision", "accepter")]),
        (
            "decider",
            vec![("decision", "refuser"), ("motif", "Détourné")],
        ),
        ("decider", vec![("decision", "classer")]),
        ("decider", vec![("decision", "inconnue")]),
        ("transmettre", vec![("equipe", their_team.as_str())]),
        ("transmettre", vec![("equipe", "rien")]),
    ] {
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend(fields);
        let answer = other
            .post_form(&format!("/agent/dossiers/{id}/{action}"), &all)
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{action}");
    }
    let queue = other.get("/agent/dossiers").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(!queue.body.contains(&id.to_string()));
    assert_eq!(
        state_of(&app, member.id, id).await,
        DossierState::Submitted,
        "fund B changed nothing"
    );
}

/// The queue's row of dossier `id`.
fn row_of(body: &str, id: Uuid) -> &str {
    let link = body
        .find(&format!("/agent/dossiers/{id}\""))
        .expect("the dossier in the queue");
    let start = body[..link].rfind("<tr").expect("its row");
    let end = link + body[link..].find("</tr>").expect("its row's end");
    &body[start..end]
}

#[tokio::test]
async fn a_dossier_past_its_due_date_is_late_but_one_waiting_for_the_member_is_not() {
    let clock = ManualClock::new(caisse_store::now_utc());
    let app = TestApp::with_clock(clock.clone(), no_device_check()).await;
    let member = app.member(MEMBER_NIR).await;
    let late = filed_birth(&app, member.id, "Jade").await;
    // A week later: due a week later.
    clock.advance(time::Duration::days(7));
    let waiting = filed_birth(&app, member.id, "Louis").await;
    let mut staff = app.another_browser();
    staff.login_staff("superviseur").await;
    let asked = act(
        &mut staff,
        waiting,
        "completer",
        &[("message", "Joignez l'acte."), ("champ", "acte_naissance")],
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);

    // Ten working days are at most three weeks: both due dates are past.
    clock.advance(time::Duration::days(30));
    let mut staff = app.another_browser();
    staff.login_staff("superviseur").await;
    let queue = staff.get("/agent/dossiers").await;
    let row = row_of(&queue.body, late);
    assert!(
        row.contains("row--late") && row.contains("En retard"),
        "{row}"
    );
    let row = row_of(&queue.body, waiting);
    assert!(!row.contains("En retard"), "{row}");
    assert!(row.contains("À compléter"), "{row}");
    // Due date first: the one filed first comes first.
    assert!(
        queue.body.find(&late.to_string()) < queue.body.find(&waiting.to_string()),
        "due date first"
    );
    let page = staff.get(&format!("/agent/dossiers/{late}")).await;
    assert!(page.body.contains("badge--en-retard"));

    let board = staff.get("/agent/tableau-de-bord").await;
    assert!(
        board.body.contains(
            "<th scope=\"row\">Tous les dossiers en cours</th><td class=\"num tabular\">\
             <a href=\"/agent/dossiers\">2</a></td><td class=\"num tabular\">\
             <a href=\"/agent/dossiers?retard=oui\">1</a></td>"
        ),
        "{}",
        board.body
    );
}

/// Every answer of `pairs`, as a form sends them.
fn raw(pairs: &[(&str, &str)]) -> RawInput {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_c2s_above_the_ceiling_is_shown_so_and_its_acceptance_refused_with_the_reason() {
    let app = TestApp::with_demo_data().await;
    let member = app.member(MEMBER_NIR).await;
    let demarches = &app.services.demarches;
    let id = demarches
        .open(member.id, "complementaire-sante-solidaire")
        .await
        .unwrap();
    demarches
        .save_step(member.id, id, "foyer", &RawInput::new())
        .await
        .unwrap();
    let mut resources = vec![("salaires", "60000")];
    for zero in [
        "pensions",
        "chomage",
        "indemnites_journalieres",
        "prestations_familiales",
        "bourses",
        "pensions_alimentaires",
        "chiffre_affaires",
        "autres_ressources",
    ] {
        resources.push((zero, "0"));
    }
    demarches
        .save_step(member.id, id, "ressources", &raw(&resources))
        .await
        .unwrap();
    demarches
        .save_step(
            member.id,
            id,
            "gestion",
            &raw(&[("gestionnaire", "caisse")]),
        )
        .await
        .unwrap();
    demarches.submit(member.id, id).await.unwrap();

    let mut staff = app.another_browser();
    staff.login_staff("conseiller").await;
    let page = staff.get(&format!("/agent/dossiers/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("ce que donnent les réponses"));
    let accepted = act(&mut staff, id, "decider", &[("decision", "accepter")]).await;
    assert_eq!(accepted.status, StatusCode::CONFLICT, "{}", accepted.body);
    assert!(accepted.body.contains(
        "Les ressources du foyer dépassent le plafond : refusez le dossier avec ce motif."
    ));
    assert_eq!(state_of(&app, member.id, id).await, DossierState::Submitted);
}

#[tokio::test]
async fn an_identity_document_erased_after_the_decision_is_shown_so_and_no_longer_served() {
    let app = TestApp::with_demo_data().await;
    let member = app.member(MEMBER_NIR).await;
    let demarches = &app.services.demarches;
    let id = demarches.open(member.id, "carte-vitale").await.unwrap();
    demarches
        .save_step(
            member.id,
            id,
            "demande",
            &raw(&[("personne", "1"), ("motif", "abimee")]),
        )
        .await
        .unwrap();
    demarches
        .save_step(member.id, id, "adresse", &raw(&[("adresse_a_jour", "oui")]))
        .await
        .unwrap();
    for (field, name) in [("photo", "photo.png"), ("piece_identite", "cni.pdf")] {
        let bytes = if field == "photo" {
            caisse_test_support::files::png()
        } else {
            pdf()
        };
        demarches
            .add_pieces(
                member.id,
                id,
                field,
                vec![PieceUpload {
                    name: name.to_owned(),
                    bytes,
                }],
            )
            .await
            .unwrap();
    }
    demarches.submit(member.id, id).await.unwrap();
    let identity = demarches
        .dossier(member.id, id)
        .await
        .unwrap()
        .pieces
        .iter()
        .find(|p| p.field.as_str() == "piece_identite")
        .map(|p| p.id)
        .expect("the identity document");

    let mut staff = app.another_browser();
    staff.login_staff("conseiller").await;
    let link = format!("/agent/dossiers/{id}/pieces/{identity}");
    assert_eq!(staff.get(&link).await.status, StatusCode::OK);
    let accepted = act(&mut staff, id, "decider", &[("decision", "accepter")]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let run = demarches.run_jobs().await.unwrap();
    assert_eq!(run.identity_erased, 1);

    let page = staff.get(&format!("/agent/dossiers/{id}")).await;
    assert!(page.body.contains("Effacé après décision"));
    assert!(page.body.contains("Pièce d&#39;identité effacée"));
    assert!(!page.body.contains(&link), "no link to an erased file");
    assert!(page.body.contains("photo.png"));
    assert_eq!(staff.get(&link).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_investigation_moves_a_work_accident_to_ninety_days_and_a_card_follows_its_production() {
    use caisse_domain::demarches::RawInput;
    let app = TestApp::with_demo_data().await;
    let julien = app.member(crate::support::MEMBER_NIR).await;
    let demarches = app.services.demarches.clone();
    let inputs = |pairs: &[(&str, &str)]| -> RawInput {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    // A lost carte Vitale, filed and accepted at once, with its new card ordered.
    let lost = demarches
        .open(julien.id, "perte-vol-carte-vitale")
        .await
        .expect("opened");
    let definition = demarches
        .procedure("perte-vol-carte-vitale")
        .expect("procedure");
    for step in &definition.steps {
        let mut answers = Vec::new();
        for field in &step.fields {
            match field.id.as_str() {
                "motif" => answers.push(("motif", "perte")),
                id if field.kind.code() == "date" => answers.push((id, "2026-11-02")),
                id if field.kind.code() == "yes_no" => answers.push((id, "non")),
                _ => {}
            }
        }
        demarches
            .save_step(julien.id, lost, step.id.as_str(), &inputs(&answers))
            .await
            .expect("saved");
        for field in step.fields.iter().filter(|f| f.kind.is_files()) {
            let photo = caisse_core::demarches::PieceUpload {
                name: "photo.png".to_owned(),
                bytes: caisse_test_support::files::png(),
            };
            demarches
                .add_pieces(julien.id, lost, field.id.as_str(), vec![photo])
                .await
                .expect("piece");
        }
    }
    demarches.submit(julien.id, lost).await.expect("filed");
    let mut staff = app.another_browser();
    staff.login_staff("conseiller").await;
    let page = staff.get(&format!("/agent/dossiers/{lost}")).await;
    assert!(
        page.body.contains("Carte : En fabrication"),
        "{}",
        page.body
    );
    let done = act(&mut staff, lost, "carte", &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = staff.get(&format!("/agent/dossiers/{lost}")).await;
    assert!(page.body.contains("Carte : Envoyée"));
    let view = demarches.dossier(julien.id, lost).await.expect("dossier");
    assert_eq!(view.card.as_deref(), Some("En fabrication"));
    assert!(
        view.timeline
            .iter()
            .any(|t| t.note.as_deref() == Some("Votre carte est en fabrication."))
    );

    // A work accident: 30 jours francs, or 90 once an investigation is opened.
    let accident = demarches
        .open(julien.id, "accident-travail")
        .await
        .expect("opened");
    let definition = demarches.procedure("accident-travail").expect("procedure");
    for step in &definition.steps {
        let mut answers = Vec::new();
        for field in &step.fields {
            let id = field.id.as_str();
            match field.kind.code() {
                "text" => answers.push((id, "Entrepôt")),
                "long_text" => answers.push((id, "Chute d'un escabeau.")),
                "date" => answers.push((id, "2026-11-02")),
                "yes_no" => answers.push((id, "non")),
                "choice" => {
                    if let caisse_domain::demarches::FieldKind::Choice { options } = &field.kind {
                        answers.push((id, options[0].value.as_str()));
                    }
                }
                _ => {}
            }
        }
        demarches
            .save_step(julien.id, accident, step.id.as_str(), &inputs(&answers))
            .await
            .expect("saved");
        for field in step.fields.iter().filter(|f| f.kind.is_files()) {
            demarches
                .add_pieces(
                    julien.id,
                    accident,
                    field.id.as_str(),
                    vec![caisse_core::demarches::PieceUpload {
                        name: "certificat.pdf".to_owned(),
                        bytes: caisse_test_support::files::pdf(),
                    }],
                )
                .await
                .expect("piece");
        }
    }
    demarches.submit(julien.id, accident).await.expect("filed");
    let filed = demarches
        .dossier(julien.id, accident)
        .await
        .expect("dossier");
    let thirty = filed.due_on.expect("due");
    let page = staff.get(&format!("/agent/dossiers/{accident}")).await;
    assert!(page.body.contains("Ouvrir une enquête"));
    let done = act(&mut staff, accident, "enquete", &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let investigated = demarches
        .dossier(julien.id, accident)
        .await
        .expect("dossier");
    assert_eq!(investigated.due_on, Some(thirty + time::Duration::days(60)));
    let page = staff.get(&format!("/agent/dossiers/{accident}")).await;
    assert!(!page.body.contains("Ouvrir une enquête"));
    // Twice is refused with a notice.
    let again = staff
        .post_form(
            &format!("/agent/dossiers/{accident}/enquete"),
            &[("csrf_token", page.csrf_token().as_str())],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_member_account_page_leads_to_the_members_dossiers_only() {
    let app = TestApp::with_demo_data().await;
    let julien = app.member(MEMBER_NIR).await;
    let id = filed_birth(&app, julien.id, "Léa").await;
    let mut staff = app.another_browser();
    staff.login_staff("conseiller").await;
    let account = staff.get(&format!("/agent/comptes/{}", julien.id)).await;
    let link = format!("/agent/dossiers?assure={}", julien.id);
    assert!(account.body.contains(&link), "{}", account.body);
    let his = staff.get(&link).await;
    assert_eq!(his.status, StatusCode::OK);
    // The queue names members: each listing is audited.
    assert!(
        !app.staff_events("conseiller", "staff.dossiers.listed")
            .await
            .is_empty()
    );
    assert!(his.body.contains(&id.to_string()));
    let other = staff
        .get(&format!("/agent/dossiers?assure={}", Uuid::new_v4()))
        .await;
    assert!(!other.body.contains(&id.to_string()));
}
