//! The conseillers' back office for secure messaging: the queue and its filters, a thread with the
//! member's file and every action, canned answers, conflicts between two conseillers, transfers,
//! and another fund's conseillers meeting only 404s.

use std::sync::Arc;

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::clock::SystemClock;
use caisse_core::messaging::{Messaging, MessagingSettings, NewMessageForm};
use caisse_core::staff::StaffRole;
use caisse_store::messaging::ThreadChange;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, message_fields};

/// The TOTP secret of the conseiller of the Bas-Rhin fund these tests create.
const STRASBOURG_SECRET: &str = "STRASBOURGCONSEILLERDEMOCAISSE26";
const STRASBOURG_LOGIN: &str = "agent.strasbourg";

fn service(app: &TestApp) -> Messaging {
    Messaging::new(
        app.db.db.clone(),
        Arc::new(SystemClock),
        MessagingSettings::default(),
        app.files.clone(),
    )
}

async fn julien(app: &TestApp) -> Uuid {
    caisse_store::members::find_by_nir(
        &app.db.db,
        &caisse_domain::Nir::parse("185057800608491").unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .id
}

async fn staff_id(app: &TestApp, login: &str) -> Uuid {
    caisse_store::staff::by_login(&app.db.db, login)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A message from Julien MARTIN (Yvelines fund); returns its id and reference.
async fn sent(app: &TestApp, objet: &str, nature: &str, subject: &str) -> (Uuid, String) {
    let form = NewMessageForm {
        recipient: "caisse".to_owned(),
        objet: objet.to_owned(),
        nature: nature.to_owned(),
        subject: subject.to_owned(),
        body: "Bonjour, pouvez-vous m'aider ?".to_owned(),
    };
    let thread = service(app)
        .member
        .send(julien(app).await, form, &RequestContext::default())
        .await
        .unwrap();
    (thread.id, thread.reference)
}

/// A supervisor of the Bas-Rhin fund (671), logged in.
async fn strasbourg_conseiller(app: &TestApp) -> TestApp {
    app.staff_of_fund(
        STRASBOURG_LOGIN,
        StaffRole::Superviseur,
        "671",
        STRASBOURG_SECRET,
    )
    .await
}

async fn staff_browser(app: &TestApp, login: &str) -> TestApp {
    let mut browser = app.another_browser();
    browser.login_staff(login).await;
    browser
}

/// The value of the first hidden field `name` of a page.
fn hidden(page: &TestResponse, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.body.find(&marker).expect("the field") + marker.len();
    let end = page.body[start..].find('"').unwrap() + start;
    page.body[start..end].to_owned()
}

/// The text of textarea `id`, unescaped.
fn textarea(page: &TestResponse, id: &str) -> String {
    let marker = format!("<textarea id=\"{id}\"");
    let start = page.body.find(&marker).expect("the textarea");
    let start = page.body[start..].find('>').unwrap() + start + 1;
    let end = page.body[start..].find("</textarea>").unwrap() + start;
    unescape(&page.body[start..end])
}

/// HTML text with askama's escapes undone.
fn unescape(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
}

/// The value of the `<option>` labelled `label`.
fn option_value(page: &TestResponse, label: &str) -> String {
    let end = page
        .body
        .find(&format!(">{label}</option>"))
        .expect("the option");
    let start = page.body[..end].rfind("<option value=\"").unwrap() + "<option value=\"".len();
    let close = page.body[start..].find('"').unwrap() + start;
    page.body[start..close].to_owned()
}

/// Posts an action form of the thread page `page` (its CSRF token, version and count of
/// messages) with `fields`.
async fn act(
    browser: &mut TestApp,
    page: &TestResponse,
    thread: Uuid,
    action: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let token = page.csrf_token();
    let version = hidden(page, "version");
    let seen = hidden(page, "vus");
    let mut all = vec![
        ("csrf_token", token.as_str()),
        ("version", version.as_str()),
        ("vus", seen.as_str()),
    ];
    all.extend_from_slice(fields);
    browser
        .post_form(&format!("/agent/messagerie/{thread}/{action}"), &all)
        .await
}

#[tokio::test]
async fn the_queue_filters_by_team_objet_nature_status_lateness_and_assignment() {
    let app = TestApp::with_demo_data().await;
    let (refund, refund_ref) = sent(
        &app,
        "remboursement.question",
        "demande_renseignements",
        "Remboursement",
    )
    .await;
    let (claimed, claimed_ref) =
        sent(&app, "attestation.droits", "reclamation", "Attestation").await;
    let (closed, closed_ref) = sent(&app, "autre.demande", "signalement", "Autre").await;
    let marie = staff_id(&app, "conseiller").await;
    let svc = service(&app);
    let ctx = RequestContext::default();
    svc.staff.claim(marie, claimed, 1, &ctx).await.unwrap();
    svc.staff.close(marie, closed, 1, &ctx).await.unwrap();
    // The refund question is late: its due date is moved to the past.
    let past = time::macros::date!(2020 - 01 - 06);
    let late = ThreadChange {
        due_on: Some(past),
        ..ThreadChange::default()
    };
    assert!(
        caisse_store::messaging::update_if_version(
            &app.db.db,
            refund,
            1,
            late,
            caisse_store::now_utc().into()
        )
        .await
        .unwrap()
    );

    let mut browser = staff_browser(&app, "conseiller").await;
    let named = [
        ("refund", refund_ref),
        ("claimed", claimed_ref),
        ("closed", closed_ref),
    ];
    let listed = async |browser: &mut TestApp, query: &str| {
        let page = browser.get(&format!("/agent/messagerie{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        named
            .iter()
            .filter(|(_, reference)| page.body.contains(reference.as_str()))
            .map(|(name, _)| *name)
            .collect::<Vec<&str>>()
    };
    for (query, expected) in [
        ("", &["refund", "claimed"][..]),
        ("?statut=tous", &["refund", "claimed", "closed"]),
        ("?statut=traite", &["closed"]),
        ("?statut=en_cours", &["claimed"]),
        ("?equipe=prestations", &["refund"]),
        ("?equipe=accueil&statut=tous", &["closed"]),
        ("?objet=attestation.droits", &["claimed"]),
        ("?nature=signalement&statut=tous", &["closed"]),
        ("?attribution=moi", &["claimed"]),
        ("?attribution=aucun", &["refund"]),
        ("?retard=oui", &["refund"]),
    ] {
        assert_eq!(listed(&mut browser, query).await, expected, "{query:?}");
    }
    let page = browser.get("/agent/messagerie").await;
    assert!(page.body.contains("En retard"), "late said in words");
    assert!(page.body.contains("<caption"));
    assert!(page.body.contains("<th scope=\"col\">Attribué à</th>"));
    assert!(
        page.body.contains("Marie Lefebvre"),
        "the assignee is named"
    );
    assert!(
        page.body
            .contains("<label class=\"field__label\" for=\"equipe\">Équipe</label>")
    );
    // The home page leads to the queue.
    assert!(
        browser
            .get("/agent")
            .await
            .body
            .contains("href=\"/agent/messagerie\"")
    );
}

#[tokio::test]
async fn another_funds_conseiller_meets_404_on_the_page_and_every_action() {
    let app = TestApp::with_demo_data().await;
    let (thread, reference) = sent(&app, "autre.demande", "signalement", "Question").await;
    let mut paul = strasbourg_conseiller(&app).await;
    let queue = paul.get("/agent/messagerie?statut=tous").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(!queue.body.contains(&reference));
    assert_eq!(
        paul.get(&format!("/agent/messagerie/{thread}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let token = queue.csrf_token();
    let paul_id = staff_id(&app, STRASBOURG_LOGIN).await.to_string();
    for (action, field, value) in [
        ("prendre", "x", ""),
        ("attribuer", "conseiller", paul_id.as_str()),
        ("repondre", "reponse", "Bonjour"),
        ("repondre", "action", "inserer"),
        ("note", "note", "Une note"),
        ("statut", "statut", "traite"),
        ("transferer-equipe", "equipe", "accueil"),
        ("transferer-caisse", "caisse", "671"),
        ("cloturer", "x", ""),
    ] {
        let answer = paul
            .post_form(
                &format!("/agent/messagerie/{thread}/{action}"),
                &[
                    ("csrf_token", token.as_str()),
                    ("version", "1"),
                    ("vus", "1"),
                    (field, value),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{action} {field}");
    }
    // Nothing moved, nothing was written.
    let marie = staff_id(&app, "conseiller").await;
    let detail = service(&app)
        .staff
        .staff_thread(marie, thread, &RequestContext::default())
        .await
        .unwrap();
    assert_eq!((detail.thread.version, detail.messages.len()), (1, 1));
    // Nor does the other fund reach this fund's canned answers.
    let mut thomas = staff_browser(&app, "superviseur").await;
    let list = thomas.get("/agent/reponses-types").await;
    let canned = option_value_in_links(&list, "Délai de remboursement");
    assert_eq!(
        paul.get(&format!("/agent/reponses-types/{canned}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// The id in the « Modifier » link of the canned answer titled `title` on the list page.
fn option_value_in_links(page: &TestResponse, title: &str) -> String {
    let row = page
        .body
        .find(&format!("<th scope=\"row\">{title}</th>"))
        .expect("the row");
    let marker = "href=\"/agent/reponses-types/";
    let start = page.body[row..].find(marker).unwrap() + row + marker.len();
    page.body[start..start + 36].to_owned()
}

#[tokio::test]
async fn a_conseiller_cannot_assign_a_thread_to_someone_else_and_a_superviseur_can() {
    let app = TestApp::with_demo_data().await;
    let (thread, _) = sent(&app, "autre.demande", "signalement", "Question").await;
    let marie = staff_id(&app, "conseiller").await.to_string();
    let thomas_id = staff_id(&app, "superviseur").await.to_string();
    let mut conseiller = staff_browser(&app, "conseiller").await;
    let page = conseiller.get(&format!("/agent/messagerie/{thread}")).await;
    assert!(
        !page.body.contains("id=\"conseiller\""),
        "no assignment list"
    );
    assert!(page.body.contains("Prendre en charge"));
    let refused = act(
        &mut conseiller,
        &page,
        thread,
        "attribuer",
        &[("conseiller", &thomas_id)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut thomas = staff_browser(&app, "superviseur").await;
    let page = thomas.get(&format!("/agent/messagerie/{thread}")).await;
    assert!(
        page.body
            .contains("<label class=\"field__label\" for=\"conseiller\">Attribuer à</label>")
    );
    let assigned = act(
        &mut thomas,
        &page,
        thread,
        "attribuer",
        &[("conseiller", &marie)],
    )
    .await;
    assert_eq!(
        assigned.location(),
        Some(format!("/agent/messagerie/{thread}?fait=attribue").as_str())
    );
    let page = conseiller
        .get(&format!("/agent/messagerie/{thread}?fait=attribue"))
        .await;
    assert!(page.body.contains("Le message est attribué."));
    assert!(page.body.contains("role=\"status\""));
    assert!(
        page.body
            .contains("<dt>Attribué à</dt><dd>Marie Lefebvre</dd>")
    );
    assert!(unescape(&page.body).contains("En cours d'instruction"));
}

#[tokio::test]
async fn claim_note_canned_reply_and_close_and_the_member_reads_the_reply_never_the_note() {
    let mut member = TestApp::with_demo_data().await;
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let fields = message_fields(
        "Feuille de soins du 3 mars",
        "Je n'ai pas été remboursé de ma consultation.",
        "envoyer",
    );
    let sent = member
        .submit("/messagerie/nouveau", "/messagerie/nouveau", &fields)
        .await;
    let location = sent.location().unwrap().to_owned();
    let member_path = location.split('?').next().unwrap().to_owned();
    let thread: Uuid = member_path
        .trim_start_matches("/messagerie/")
        .parse()
        .unwrap();
    let path = format!("/agent/messagerie/{thread}");

    let mut marie = staff_browser(&member, "conseiller").await;
    let queue = marie.get("/agent/messagerie?equipe=prestations").await;
    assert!(
        queue.body.contains("Feuille de soins du 3 mars"),
        "routed to the team"
    );
    let page = marie.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "Julien MARTIN",
        "1 85 05 78 006 084 91",
        "14 mai 1985",
        "12 rue de la Paroisse",
        "julien.martin@exemple.fr",
        "Service prestations",
        "Dossier de l'assuré",
    ] {
        assert!(unescape(&page.body).contains(shown), "{shown}");
    }
    let views =
        caisse_store::audit::for_subject(&member.db.db, "member", julien(&member).await, 20)
            .await
            .unwrap();
    assert!(
        views
            .iter()
            .any(|e| e.action.code() == "staff.member.viewed"),
        "the file reading is audited"
    );

    assert!(
        page.body.contains(&format!("href=\"{path}/pdf\"")),
        "the thread's PDF"
    );
    let claimed = act(&mut marie, &page, thread, "prendre", &[]).await;
    assert_eq!(
        claimed.location(),
        Some(format!("{path}?fait=pris").as_str())
    );
    let page = marie.get(&format!("{path}?fait=pris")).await;
    assert!(page.body.contains("Vous avez pris ce message en charge."));

    let noted = act(
        &mut marie,
        &page,
        thread,
        "note",
        &[("note", "Vérifier le paiement du 5 mars.")],
    )
    .await;
    assert_eq!(noted.status, StatusCode::SEE_OTHER);
    let page = marie.get(&path).await;
    assert!(
        page.body
            .contains("Note interne — jamais visible par l'assuré")
    );
    assert!(page.body.contains("Vérifier le paiement du 5 mars."));

    // « Insérer » without JavaScript: the page again, the draft first, the answer completed.
    let canned = option_value(&page, "Délai de remboursement");
    let inserted = act(
        &mut marie,
        &page,
        thread,
        "repondre",
        &[
            ("reponse", "Merci pour votre patience."),
            ("reponse_type", &canned),
            ("action", "inserer"),
        ],
    )
    .await;
    assert_eq!(inserted.status, StatusCode::OK, "{}", inserted.body);
    let draft = textarea(&inserted, "reponse");
    assert!(
        draft.starts_with("Merci pour votre patience.\n\nBonjour Julien MARTIN,"),
        "{draft}"
    );
    assert!(draft.contains("Marie Lefebvre\nCPAM"), "signed");
    assert!(!draft.contains('{'), "no variable left: {draft}");
    assert!(inserted.body.contains("src=\"/static/js/reponses-types."));

    let replied = act(
        &mut marie,
        &inserted,
        thread,
        "repondre",
        &[("reponse", &draft), ("action", "envoyer")],
    )
    .await;
    assert_eq!(
        replied.location(),
        Some(format!("{path}?fait=repondu").as_str())
    );
    assert_eq!(
        member
            .mail_bodies("julien.martin@exemple.fr", "Vous avez un nouveau message")
            .await
            .len(),
        1
    );
    let read = member.get(&member_path).await;
    assert!(read.body.contains("Bonjour Julien MARTIN,"));
    assert!(read.body.contains("Merci pour votre patience."));
    assert!(
        !read.body.contains("Vérifier le paiement"),
        "the note stays internal"
    );
    assert!(!read.body.contains("Note interne"));

    let page = marie.get(&path).await;
    let closed = act(&mut marie, &page, thread, "cloturer", &[]).await;
    assert_eq!(
        closed.location(),
        Some(format!("{path}?fait=cloture").as_str())
    );
    let page = marie.get(&format!("{path}?fait=cloture")).await;
    assert!(page.body.contains("Le message est clôturé"));
    assert!(
        !page.body.contains("Prise en charge"),
        "no action on a closed thread but reply and note"
    );
    assert!(member.get(&member_path).await.body.contains("Traité"));
}

#[tokio::test]
async fn a_reply_naming_an_unknown_variable_is_refused_with_the_draft_kept() {
    let app = TestApp::with_demo_data().await;
    let (thread, _) = sent(&app, "autre.demande", "signalement", "Question").await;
    let mut marie = staff_browser(&app, "conseiller").await;
    let page = marie.get(&format!("/agent/messagerie/{thread}")).await;
    let refused = act(
        &mut marie,
        &page,
        thread,
        "repondre",
        &[("reponse", "Bonjour {prénom},"), ("action", "envoyer")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(&refused.body).contains("La variable {prénom} n'existe pas."));
    assert!(
        refused.body.contains("href=\"#reponse\""),
        "the error summary links to the field"
    );
    assert_eq!(textarea(&refused, "reponse"), "Bonjour {prénom},");
    let detail = service(&app)
        .member
        .member_thread(julien(&app).await, thread)
        .await
        .unwrap();
    assert_eq!(detail.messages.len(), 1, "nothing sent");
}

/// Two conseillers open the same thread; the superviseur acts first with `first`, then the
/// conseiller sends `fields` to `action` from the page they had: the conflict screen.
async fn conflict(
    first: &str,
    first_fields: &[(&str, &str)],
    action: &str,
    fields: &[(&str, &str)],
) -> (TestApp, TestApp, Uuid, TestResponse) {
    let app = TestApp::with_demo_data().await;
    let (thread, _) = sent(&app, "autre.demande", "signalement", "Question").await;
    let path = format!("/agent/messagerie/{thread}");
    let mut marie = staff_browser(&app, "conseiller").await;
    let mut thomas = staff_browser(&app, "superviseur").await;
    let marie_page = marie.get(&path).await;
    let thomas_page = thomas.get(&path).await;
    let done = act(&mut thomas, &thomas_page, thread, first, first_fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let screen = act(&mut marie, &marie_page, thread, action, fields).await;
    assert_eq!(screen.status, StatusCode::CONFLICT);
    assert!(
        screen
            .body
            .contains("Ce message a changé pendant que vous le consultiez")
    );
    assert_eq!(
        hidden(&screen, "version"),
        "2",
        "the forms carry the version now"
    );
    (app, marie, thread, screen)
}

#[tokio::test]
async fn the_conflict_screen_shows_the_other_reply_and_keeps_the_reply_draft() {
    let other = "Réponse du superviseur.";
    let mine = "Ma réponse, écrite en même temps.";
    let (app, mut marie, thread, screen) = conflict(
        "repondre",
        &[("reponse", other), ("action", "envoyer")],
        "repondre",
        &[("reponse", mine), ("action", "envoyer")],
    )
    .await;
    assert!(screen.body.contains(other), "what the other conseiller did");
    assert!(screen.body.contains("Nouveau"));
    assert_eq!(textarea(&screen, "reponse"), mine);
    // One click sends it again.
    let resent = act(
        &mut marie,
        &screen,
        thread,
        "repondre",
        &[
            ("reponse", &textarea(&screen, "reponse")),
            ("action", "envoyer"),
        ],
    )
    .await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    let detail = service(&app)
        .member
        .member_thread(julien(&app).await, thread)
        .await
        .unwrap();
    let bodies: Vec<&str> = detail.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies[1..], [other, mine]);
}

#[tokio::test]
async fn the_conflict_screen_keeps_the_note_draft() {
    let mine = "Note écrite pendant que le superviseur prenait le message.";
    let (app, mut marie, thread, screen) =
        conflict("prendre", &[], "note", &[("note", mine)]).await;
    assert!(screen.body.contains("Thomas Garnier"), "the new assignee");
    assert_eq!(textarea(&screen, "note"), mine);
    assert_eq!(textarea(&screen, "reponse"), "");
    let resent = act(&mut marie, &screen, thread, "note", &[("note", mine)]).await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    let marie_id = staff_id(&app, "conseiller").await;
    let detail = service(&app)
        .staff
        .staff_thread(marie_id, thread, &RequestContext::default())
        .await
        .unwrap();
    assert!(detail.messages.iter().any(|m| m.internal && m.body == mine));
}

#[tokio::test]
async fn a_transfer_to_another_fund_moves_the_thread_from_one_queue_to_the_other() {
    let app = TestApp::with_demo_data().await;
    let (thread, reference) = sent(
        &app,
        "remboursement.question",
        "demande_renseignements",
        "Question",
    )
    .await;
    let path = format!("/agent/messagerie/{thread}");
    let mut marie = staff_browser(&app, "conseiller").await;
    let page = marie.get(&path).await;
    let to_team = act(
        &mut marie,
        &page,
        thread,
        "transferer-equipe",
        &[("equipe", "droits")],
    )
    .await;
    assert_eq!(
        to_team.location(),
        Some(format!("{path}?fait=equipe").as_str())
    );
    let page = marie.get(&path).await;
    assert!(
        page.body
            .contains("<dt>Équipe</dt><dd>Droits et affiliation</dd>")
    );
    let due = {
        let start = page.body.find("<dt>Réponse attendue le</dt><dd>").unwrap();
        page.body[start..start + 60].to_owned()
    };

    let moved = act(
        &mut marie,
        &page,
        thread,
        "transferer-caisse",
        &[("caisse", "671")],
    )
    .await;
    assert_eq!(
        moved.location(),
        Some("/agent/messagerie?fait=transfere-caisse")
    );
    let queue = marie.get("/agent/messagerie?fait=transfere-caisse").await;
    assert!(queue.body.contains("il a quitté la file de votre caisse"));
    assert!(!queue.body.contains(&reference));
    assert_eq!(marie.get(&path).await.status, StatusCode::NOT_FOUND);

    let mut paul = strasbourg_conseiller(&app).await;
    let there = paul.get("/agent/messagerie").await;
    assert!(there.body.contains(&reference), "in the other fund's queue");
    let page = paul.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&due), "the due date is kept");
    assert!(
        page.body.contains("Accueil (non routé)"),
        "no team of that fund handles it"
    );
}

#[tokio::test]
async fn superviseurs_manage_canned_answers_and_conseillers_read_them() {
    let app = TestApp::with_demo_data().await;
    let mut thomas = staff_browser(&app, "superviseur").await;
    let list = thomas.get("/agent/reponses-types").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Délai de remboursement"));
    assert!(list.body.contains("Nouvelle réponse type"));
    let refused = thomas
        .submit(
            "/agent/reponses-types",
            "/agent/reponses-types",
            &[
                ("titre", "Relance"),
                ("equipe", ""),
                ("texte", "Bonjour {prénom},"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(&refused.body).contains("La variable {prénom} n'existe pas."));
    assert!(refused.body.contains("class=\"error-summary\""));
    assert_eq!(textarea(&refused, "texte"), "Bonjour {prénom},");

    let created = thomas
        .submit(
            "/agent/reponses-types",
            "/agent/reponses-types",
            &[
                ("titre", "Relance"),
                ("equipe", ""),
                ("texte", "Bonjour {prenom}, nous attendons votre document."),
            ],
        )
        .await;
    assert_eq!(created.location(), Some("/agent/reponses-types?fait=creee"));
    let list = thomas.get("/agent/reponses-types?fait=creee").await;
    assert!(list.body.contains("La réponse type est créée"));
    let id = option_value_in_links(&list, "Relance");
    let edit_path = format!("/agent/reponses-types/{id}");
    assert_eq!(thomas.get(&edit_path).await.status, StatusCode::OK);
    let saved = thomas
        .submit(
            &edit_path,
            &edit_path,
            &[
                ("titre", "Relance document"),
                ("equipe", ""),
                ("texte", "Bonjour {prenom}."),
            ],
        )
        .await;
    assert_eq!(
        saved.location(),
        Some("/agent/reponses-types?fait=modifiee")
    );
    let off = thomas
        .submit(
            "/agent/reponses-types",
            &format!("{edit_path}/desactiver"),
            &[],
        )
        .await;
    assert_eq!(
        off.location(),
        Some("/agent/reponses-types?fait=desactivee")
    );
    assert!(
        thomas
            .get("/agent/reponses-types")
            .await
            .body
            .contains("Désactivée")
    );
    let (thread, _) = sent(&app, "autre.demande", "signalement", "Question").await;
    let page = thomas.get(&format!("/agent/messagerie/{thread}")).await;
    assert!(page.body.contains("Pièce manquante"));
    assert!(
        !page.body.contains("Relance document"),
        "a deactivated answer is not offered"
    );

    let mut marie = staff_browser(&app, "conseiller").await;
    let list = marie.get("/agent/reponses-types").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Relance document"));
    assert!(!list.body.contains("Nouvelle réponse type"));
    assert_eq!(marie.get(&edit_path).await.status, StatusCode::FORBIDDEN);
    let token = list.csrf_token();
    for (path, fields) in [
        (
            "/agent/reponses-types".to_owned(),
            vec![("titre", "X"), ("texte", "Y")],
        ),
        (edit_path.clone(), vec![("titre", "X"), ("texte", "Y")]),
        (format!("{edit_path}/activer"), vec![]),
    ] {
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend(fields);
        assert_eq!(
            marie.post_form(&path, &all).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
}
