//! The back office of the help (`/agent/aide…`), on both databases: a supervisor finds the
//! shipped FAQ in their fund's list, writes an entry (a draft members do not read), publishes
//! it, saves a second version beside the published one, withdraws it and brings it back, each
//! change audited and the history naming who did what, and Julien, a member of the fund, reads
//! only what is published; a refused form keeps what was typed,
//! with the French reason beside its field, and an address already used is refused; another
//! fund's supervisor meets a 404 and an advisor the refusal page; the questions nothing
//! answered are read grouped with their count (audited). Every `/agent/aide…` route is also
//! in `staff_routes.rs`.

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::help::{AdminFilter, EntryForm};
use caisse_core::staff::StaffRole;
use caisse_domain::help::{EntryStatus, QueryOutcome, normalized_question};
use caisse_domain::{CaisseCode, Instant};
use caisse_store::help::queries::{self, NewQuery, QueryChannel};
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp};

const FUND: &str = "781";
const OTHER_FUND: &str = "671";
const OTHER_SECRET: &str = "AIDESUPERVISEURAUTRECAISSEBASRH2";

const QUESTION: &str = "Comment déclarer la perte de mes lunettes remboursées";
const ANSWER: &str = "Signalez la perte dans votre messagerie.\n\n- Joignez la facture\n- Indiquez la date de la perte";

async fn staff_id(app: &TestApp, login: &str) -> Uuid {
    caisse_store::staff::by_login(&app.db.db, login)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn staff_name(app: &TestApp, login: &str) -> String {
    caisse_store::staff::by_login(&app.db.db, login)
        .await
        .unwrap()
        .unwrap()
        .display_name
}

/// A new browser with staff member `login` logged in.
async fn logged_in(app: &TestApp, login: &str) -> TestApp {
    let mut browser = app.another_browser();
    browser.login_staff(login).await;
    browser
}

/// Entry `id` of fund 781 as stored, read by its supervisor.
async fn stored(app: &TestApp, id: Uuid) -> caisse_core::help::AdminEntry {
    let supervisor = staff_id(app, "superviseur").await;
    app.services.help.admin_entry(supervisor, id).await.unwrap()
}

/// `text` as askama escapes it in a page.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn entry_fields<'a>(slug: &'a str, question: &'a str, answer: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("adresse", slug),
        ("rubrique", "remboursements"),
        ("question", question),
        ("formulations", "lunettes perdues\nperte lunette"),
        ("reponse", answer),
        ("lien_libelle", "Écrire à ma caisse"),
        ("lien_adresse", "/messagerie/nouveau"),
        ("relecture", "2030-01-15"),
    ]
}

/// The entry id in a redirect to its page.
fn entry_of(location: Option<&str>) -> Uuid {
    let location = location.expect("a redirect");
    let rest = location
        .strip_prefix("/agent/aide/")
        .unwrap_or_else(|| panic!("{location}"));
    rest[..36].parse().unwrap()
}

/// Presses `action`'s button on entry `id`'s page.
async fn press(browser: &mut TestApp, id: Uuid, action: &str) -> crate::support::TestResponse {
    browser
        .submit(
            &format!("/agent/aide/{id}"),
            &format!("/agent/aide/{id}/{action}"),
            &[],
        )
        .await
}

/// An entry of fund 781 written through core by its supervisor; returns its id.
async fn written(app: &TestApp, slug: &str) -> Uuid {
    written_for_review(app, slug, "2030-01-15").await
}

/// The same, to be read again on `review_on`.
async fn written_for_review(app: &TestApp, slug: &str, review_on: &str) -> Uuid {
    let supervisor = staff_id(app, "superviseur").await;
    app.services
        .help
        .admin_create(
            supervisor,
            &RequestContext::default(),
            &EntryForm {
                slug: slug.to_owned(),
                category: "compte".to_owned(),
                question: format!("Question propre à la caisse ({slug})"),
                answer: "Une réponse que seule cette caisse a écrite.".to_owned(),
                review_on: review_on.to_owned(),
                ..EntryForm::default()
            },
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn a_supervisor_writes_publishes_changes_withdraws_and_brings_back_an_entry() {
    let app = TestApp::with_demo_data().await;
    let mut supervisor = logged_in(&app, "superviseur").await;
    let name = staff_name(&app, "superviseur").await;
    // Julien MARTIN is a member of the fund: he reads its FAQ.
    let mut julien = app.another_browser();
    julien.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;

    // The shipped FAQ is the fund's, listed with its statuses; the menu leads there.
    let home = supervisor.get("/agent").await;
    assert!(home.body.contains("href=\"/agent/aide\""));
    let list = supervisor.get("/agent/aide").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let shipped = caisse_core::help::shipped_entries().unwrap();
    for (_, content) in shipped.iter().take(5) {
        assert!(
            list.body.contains(&escaped(content.question())),
            "{} missing",
            content.question()
        );
    }
    assert!(list.body.contains("Publiée"));
    assert!(list.body.contains("Nouvelle entrée"));
    assert!(list.body.contains("href=\"/agent/aide/questions\""));

    // A new entry is a draft.
    let form = supervisor
        .get("/agent/aide/nouvelle?question=perte+de+lunettes")
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"perte de lunettes\""));
    let created = supervisor
        .submit(
            "/agent/aide/nouvelle",
            "/agent/aide/nouvelle",
            &entry_fields("perte-lunettes", QUESTION, ANSWER),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = entry_of(created.location());
    let page = supervisor.get(created.location().unwrap()).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for shown in [
        "Brouillon enregistré.",
        QUESTION,
        "Signalez la perte dans votre messagerie.",
        "<li>Joignez la facture</li>",
        "href=\"/messagerie/nouveau\"",
        "Brouillon",
        "jamais été publiée",
        ">Publier</button>",
        "15/01/2030",
    ] {
        assert!(
            page.body.contains(&escaped(shown)) || page.body.contains(shown),
            "{shown} missing"
        );
    }
    assert!(!page.body.contains("Voir la page publique"));
    assert_eq!(
        julien.get("/aide/perte-lunettes").await.status,
        StatusCode::NOT_FOUND
    );

    // Published: members read version 1; the history names the publisher.
    let published = press(&mut supervisor, id, "publier").await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let page = supervisor.get(published.location().unwrap()).await;
    assert!(page.body.contains("La réponse est publiée"));
    assert!(page.body.contains("href=\"/aide/perte-lunettes\""));
    assert!(page.body.contains(&format!("par {}", escaped(&name))));
    assert!(!page.body.contains(">Publier</button>"));
    let read = julien.get("/aide/perte-lunettes").await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.contains(QUESTION));

    // A second version is a draft beside the published one.
    let edit = supervisor.get(&format!("/agent/aide/{id}/modifier")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains(&escaped(QUESTION)));
    assert!(edit.body.contains("lunettes perdues\nperte lunette"));
    let saved = supervisor
        .submit(
            &format!("/agent/aide/{id}/modifier"),
            &format!("/agent/aide/{id}/modifier"),
            &entry_fields(
                "ignoree",
                QUESTION,
                "Signalez la perte dans votre messagerie, avec la facture des lunettes.",
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = supervisor.get(saved.location().unwrap()).await;
    assert!(page.body.contains(
        "Un brouillon (version 2) attend d'être publié ; les assurés lisent la version 1"
    ));
    assert!(page.body.contains("Le brouillon change la réponse."));
    let read = julien.get("/aide/perte-lunettes").await;
    assert!(read.body.contains("Indiquez la date de la perte"));
    assert!(!read.body.contains("avec la facture des lunettes"));
    let entry = stored(&app, id).await;
    assert_eq!(entry.entry.draft_version, Some(2));
    assert_eq!(entry.entry.published_version, Some(1));
    assert_eq!(entry.entry.slug.as_str(), "perte-lunettes");
    let list = supervisor.get("/agent/aide?mots=perte+lunettes").await;
    assert!(
        list.body.contains("Publiée · brouillon en cours"),
        "{}",
        list.body
    );
    assert!(list.body.contains("1 entrée correspondant aux filtres"));

    // Withdrawn, then back.
    let withdrawn = press(&mut supervisor, id, "retirer").await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    let page = supervisor.get(withdrawn.location().unwrap()).await;
    assert!(page.body.contains("Retirée"));
    assert!(page.body.contains("Remettre en ligne"));
    let archived = supervisor.get("/agent/aide?statut=archived").await;
    assert!(archived.body.contains(&escaped(QUESTION)));
    assert_eq!(
        julien.get("/aide/perte-lunettes").await.status,
        StatusCode::NOT_FOUND
    );
    let back = press(&mut supervisor, id, "remettre").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    let entry = stored(&app, id).await;
    assert_eq!(entry.entry.status(), EntryStatus::Published);

    // Version 2 published too; each change audited once.
    press(&mut supervisor, id, "publier").await;
    let entry = stored(&app, id).await;
    assert_eq!(entry.entry.published_version, Some(2));
    assert_eq!(entry.entry.draft_version, None);
    let read = julien.get("/aide/perte-lunettes").await;
    assert!(read.body.contains("avec la facture des lunettes"));
    assert_eq!(
        app.staff_events("superviseur", "staff.help.edited")
            .await
            .len(),
        6
    );
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_and_a_used_address_is_refused() {
    let app = TestApp::with_demo_data().await;
    let mut supervisor = logged_in(&app, "superviseur").await;
    let supervisor_id = staff_id(&app, "superviseur").await;
    let before = app
        .services
        .help
        .admin_list(supervisor_id, &AdminFilter::default())
        .await
        .unwrap()
        .len();

    let short = supervisor
        .submit(
            "/agent/aide/nouvelle",
            "/agent/aide/nouvelle",
            &entry_fields("", "Q ?", ANSWER),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short
            .body
            .contains("Saisissez la question, de 5 à 300 caractères.")
    );
    assert!(short.body.contains("id=\"question-erreur-1\""));
    assert!(short.body.contains("lunettes perdues\nperte lunette"));
    assert!(
        short
            .body
            .contains("Signalez la perte dans votre messagerie.")
    );
    assert!(short.body.contains("value=\"Écrire à ma caisse\""));

    let mut bad_date = entry_fields("perte-lunettes", QUESTION, ANSWER);
    bad_date.retain(|(name, _)| *name != "relecture");
    bad_date.push(("relecture", "31/02/2030"));
    let refused = supervisor
        .submit("/agent/aide/nouvelle", "/agent/aide/nouvelle", &bad_date)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"relecture-erreur-1\""));
    assert!(refused.body.contains("value=\"31/02/2030\""));
    assert!(refused.body.contains(&escaped(QUESTION)));

    // A shipped entry's address is taken.
    let (slug, _) = &caisse_core::help::shipped_entries().unwrap()[0];
    let taken = supervisor
        .submit(
            "/agent/aide/nouvelle",
            "/agent/aide/nouvelle",
            &entry_fields(slug.as_str(), QUESTION, ANSWER),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("a déjà cette adresse"));
    assert!(taken.body.contains(&format!("value=\"{}\"", slug.as_str())));
    assert_eq!(
        app.services
            .help
            .admin_list(supervisor_id, &AdminFilter::default())
            .await
            .unwrap()
            .len(),
        before
    );

    // A new version with a bad link: nothing saved, the typed answer kept.
    let id = written(&app, "propre-caisse").await;
    let mut bad_link = entry_fields("", QUESTION, ANSWER);
    bad_link.retain(|(name, _)| *name != "lien_adresse");
    bad_link.push(("lien_adresse", "https://ailleurs.example"));
    let refused = supervisor
        .submit(
            &format!("/agent/aide/{id}/modifier"),
            &format!("/agent/aide/{id}/modifier"),
            &bad_link,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"lien_libelle-erreur-1\""));
    assert!(refused.body.contains("value=\"https://ailleurs.example\""));
    assert!(refused.body.contains("/aide/propre-caisse"));
    let entry = stored(&app, id).await;
    assert_eq!(entry.entry.versions.len(), 1);
}

#[tokio::test]
async fn another_funds_supervisor_meets_404_and_an_advisor_the_refusal() {
    let app = TestApp::with_demo_data().await;
    let id = written(&app, "propre-caisse").await;
    let mut other = app
        .staff_of_fund(
            "superviseur.aide",
            StaffRole::Superviseur,
            OTHER_FUND,
            OTHER_SECRET,
        )
        .await;
    let list = other.get("/agent/aide").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Question propre"));
    for path in [
        format!("/agent/aide/{id}"),
        format!("/agent/aide/{id}/modifier"),
    ] {
        assert_eq!(
            other.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let token = list.csrf_token();
    for action in ["publier", "retirer", "remettre"] {
        let answer = other
            .post_form(
                &format!("/agent/aide/{id}/{action}"),
                &[("csrf_token", token.as_str())],
            )
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{action}");
    }
    let entry = stored(&app, id).await;
    assert_eq!(entry.entry.status(), EntryStatus::Draft);

    let mut advisor = logged_in(&app, "conseiller").await;
    let home = advisor.get("/agent").await;
    assert!(!home.body.contains("href=\"/agent/aide\""));
    for path in [
        "/agent/aide".to_owned(),
        "/agent/aide/nouvelle".to_owned(),
        "/agent/aide/questions".to_owned(),
        format!("/agent/aide/{id}"),
        format!("/agent/aide/{id}/modifier"),
    ] {
        assert_eq!(
            advisor.get(&path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let refused = advisor
        .submit(
            "/agent",
            "/agent/aide/nouvelle",
            &entry_fields("interdite", QUESTION, ANSWER),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = advisor
        .submit("/agent", &format!("/agent/aide/{id}/publier"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let entry = stored(&app, id).await;
    assert_eq!(entry.entry.status(), EntryStatus::Draft);
}

/// Keeps question `text` asked of fund `fund`'s help `days_ago` days ago.
async fn asked(
    app: &TestApp,
    fund: &str,
    text: &str,
    outcome: QueryOutcome,
    top_slug: Option<&str>,
    days_ago: i64,
) -> Uuid {
    let normalized = normalized_question(text);
    queries::record(
        &app.db.db,
        &NewQuery {
            caisse: CaisseCode::parse(fund).unwrap(),
            channel: QueryChannel::Assistant,
            question: text,
            normalized: &normalized,
            outcome,
            top_slug,
            confidence: 10,
        },
        Instant::from(caisse_store::now_utc() - time::Duration::days(days_ago)),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn the_questions_nothing_answered_are_read_grouped_with_their_count() {
    let app = TestApp::with_demo_data().await;
    let mut supervisor = logged_in(&app, "superviseur").await;
    let supervisor_id = staff_id(&app, "superviseur").await;
    // The fund's FAQ, so that the nearest entry is one of its own.
    let rows = app
        .services
        .help
        .admin_list(supervisor_id, &AdminFilter::default())
        .await
        .unwrap();
    let nearest = &rows[0];
    let unanswered = QueryOutcome::Unanswered;
    asked(
        &app,
        FUND,
        "Remboursement des lunettes de mon enfant ?",
        unanswered,
        None,
        1,
    )
    .await;
    asked(
        &app,
        FUND,
        "remboursement des lunettes de mon enfant",
        unanswered,
        Some(nearest.slug.as_str()),
        2,
    )
    .await;
    asked(&app, FUND, "Pension d'invalidité", unanswered, None, 60).await;
    asked(
        &app,
        OTHER_FUND,
        "Question de l'autre caisse",
        unanswered,
        None,
        1,
    )
    .await;
    let useless = asked(
        &app,
        FUND,
        "Délai de la carte européenne",
        QueryOutcome::Answered,
        Some(nearest.slug.as_str()),
        3,
    )
    .await;
    queries::set_helped(&app.db.db, CaisseCode::parse(FUND).unwrap(), useless, false)
        .await
        .unwrap();
    queries::record_feedback(
        &app.db.db,
        CaisseCode::parse(FUND).unwrap(),
        nearest.id,
        false,
        Instant::from(caisse_store::now_utc()),
    )
    .await
    .unwrap();

    let page = supervisor.get("/agent/aide/questions").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let group = normalized_question("Remboursement des lunettes de mon enfant ?");
    assert!(page.body.contains(&escaped(&group)), "{}", page.body);
    assert!(page.body.contains("2 fois"));
    let write = format!(
        "/agent/aide/nouvelle?{}",
        serde_urlencoded::to_string([("question", group.as_str())]).unwrap()
    );
    assert!(page.body.contains(&escaped(&write)));
    assert!(
        page.body
            .contains(&format!("href=\"/agent/aide/{}\"", nearest.id))
    );
    assert!(page.body.contains(&escaped(&normalized_question(
        "Délai de la carte européenne"
    ))));
    assert!(
        page.body
            .contains(&format!("href=\"/agent/aide/{}/modifier\"", nearest.id))
    );
    // Older than 30 days, and the other fund's, are not there.
    assert!(
        !page
            .body
            .contains(&escaped(&normalized_question("Pension d'invalidité")))
    );
    assert!(
        !page
            .body
            .contains(&escaped(&normalized_question("Question de l'autre caisse")))
    );
    let longer = supervisor.get("/agent/aide/questions?jours=90").await;
    assert!(
        longer
            .body
            .contains(&escaped(&normalized_question("Pension d'invalidité")))
    );
    assert!(longer.body.contains("value=\"90\" selected"));

    // « Écrire une réponse » opens the form with the question.
    let form = supervisor.get(&write).await;
    assert!(
        form.body
            .contains(&format!("value=\"{}\"", escaped(&group)))
    );
    assert_eq!(
        app.staff_events("superviseur", "staff.help.questions_read")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn the_list_filters_by_status_category_words_and_review_date() {
    let app = TestApp::with_demo_data().await;
    let overdue = written_for_review(&app, "relire-caisse", "2020-01-15").await;
    let mut supervisor = logged_in(&app, "superviseur").await;
    let link = format!("href=\"/agent/aide/{overdue}\"");

    let due = supervisor.get("/agent/aide?a_relire=oui").await;
    assert_eq!(due.status, StatusCode::OK);
    assert!(due.body.contains(&link));
    assert!(
        due.body
            .contains("15/01/2020 <span class=\"badge badge--attention\">À relire</span>")
    );
    let drafts = supervisor
        .get("/agent/aide?statut=draft&rubrique=compte")
        .await;
    assert!(drafts.body.contains(&link));
    assert!(drafts.body.contains("1 entrée correspondant aux filtres"));
    for elsewhere in [
        "/agent/aide?statut=published",
        "/agent/aide?rubrique=ald",
        "/agent/aide?mots=introuvable",
    ] {
        let page = supervisor.get(elsewhere).await;
        assert_eq!(page.status, StatusCode::OK, "{elsewhere}");
        assert!(!page.body.contains(&link), "{elsewhere}");
    }
    let words = supervisor.get("/agent/aide?mots=PROPRE+a+la+caisse").await;
    assert!(words.body.contains(&link));
    assert!(words.body.contains("value=\"PROPRE a la caisse\""));
}
