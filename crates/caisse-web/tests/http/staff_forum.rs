//! The back office of the public questions, on both databases: the advisor finds Julien's
//! question in « À modérer », opens it beside his name (audited), publishes and answers it
//! (audited; Julien is mailed the link); a held question cannot be published; a refusal needs
//! a reason, which Julien reads and is mailed; answering a pending question publishes it;
//! another fund's staff meets a 404; the FAQ material of an answered question. Every
//! `/agent/questions…` route is also in `staff_routes.rs`.

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::forum::{ForumError, QuestionDraft, QuestionStatus};
use caisse_core::staff::StaffRole;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp};

const JULIEN_EMAIL: &str = "julien.martin@exemple.fr";
const TITLE: &str = "Délai de remboursement d'une consultation";
const TEXT: &str =
    "J'ai consulté mon médecin il y a dix jours : sous quel délai suis-je remboursé ?";

async fn julien_asks(app: &TestApp, text: &str) -> Uuid {
    let julien = app.member(MEMBER_NIR).await;
    app.services
        .forum
        .ask(
            julien.id,
            &QuestionDraft {
                pseudonym: "Julien78".to_owned(),
                title: TITLE.to_owned(),
                text: text.to_owned(),
            },
        )
        .await
        .unwrap()
        .id
}

async fn status_of(app: &TestApp, id: Uuid) -> QuestionStatus {
    caisse_store::forum::find(&app.db.db, id)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn advisor(app: &TestApp) -> TestApp {
    let mut advisor = app.another_browser();
    advisor.login_staff("conseiller").await;
    advisor
}

#[tokio::test]
async fn the_advisor_publishes_and_answers_julien_s_question_and_julien_is_mailed() {
    let app = TestApp::with_demo_data().await;
    let id = julien_asks(&app, TEXT).await;
    let mut advisor = advisor(&app).await;

    let queue = advisor.get("/agent/questions").await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert!(queue.body.contains("Questions publiques"));
    assert!(queue.body.contains("À modérer (1)"));
    assert!(queue.body.contains(&format!("/agent/questions/{id}")));
    assert!(
        !app.staff_events("conseiller", "staff.forum_question.viewed")
            .await
            .is_empty(),
        "the queue of unpublished questions is audited"
    );

    let page = advisor.get(&format!("/agent/questions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Julien MARTIN"));
    assert!(page.body.contains("/agent/comptes/"));
    assert!(page.body.contains("Publier la question"));
    assert!(!page.body.contains("Faire une entrée de FAQ"));
    let viewed = app
        .staff_events("conseiller", "staff.forum_question.viewed")
        .await;
    assert!(viewed.iter().any(|e| e.subject_id == Some(id)));

    let path = format!("/agent/questions/{id}");
    let published = advisor.submit(&path, &format!("{path}/publier"), &[]).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert_eq!(status_of(&app, id).await, QuestionStatus::Published);
    assert_eq!(
        app.staff_events("conseiller", "staff.forum_question.published")
            .await
            .len(),
        1
    );
    // Published twice: refused, in French.
    let again = advisor.submit(&path, &format!("{path}/publier"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("Cette question est déjà publiée."));
    let unanswered = advisor.get("/agent/questions?onglet=sans-reponse").await;
    assert!(unanswered.body.contains(&path));

    let answered = advisor
        .submit(
            &path,
            &format!("{path}/repondre"),
            &[(
                "reponse",
                "Une feuille de soins électronique est remboursée sous sept jours.",
            )],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    assert_eq!(
        app.staff_events("conseiller", "staff.forum_question.answered")
            .await
            .len(),
        1
    );
    let mails = app
        .mail_bodies(JULIEN_EMAIL, "Votre question a reçu une réponse")
        .await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains(&format!("/aide/questions/{id}")));
    assert!(mails[0].contains(TITLE));
    // Entries of the FAQ are the supervisors': the conseiller is not offered the action.
    let done = advisor.get(&format!("{path}?fait=repondue")).await;
    assert!(!done.body.contains("Faire une entrée de FAQ"));
    let tab = advisor.get("/agent/questions?onglet=repondues").await;
    assert!(tab.body.contains(&path));
    assert!(tab.body.contains("Répondues (1)"));

    // What the lead's FAQ handler reads: audited like a reading.
    let staff = caisse_store::staff::by_login(&app.db.db, "conseiller")
        .await
        .unwrap()
        .unwrap()
        .id;
    let material = app
        .services
        .forum
        .faq_material(staff, id, &RequestContext::default())
        .await
        .unwrap();
    assert_eq!(material.title, TITLE);
    assert_eq!(material.text, TEXT);
    assert_eq!(
        material.answer,
        "Une feuille de soins électronique est remboursée sous sept jours."
    );

    // « Faire une entrée de FAQ », one action of a supervisor: a draft of the fund's FAQ,
    // opened for reading before publication.
    let mut supervisor = app.another_browser();
    supervisor.login_staff("superviseur").await;
    let page = supervisor.get(&path).await;
    assert!(page.body.contains("Faire une entrée de FAQ"));
    let made = supervisor.submit(&path, &format!("{path}/faq"), &[]).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let entry = made.location().expect("the entry's page").to_owned();
    assert!(
        entry.starts_with("/agent/aide/") && entry.ends_with("?fait=depuis-question"),
        "{entry}"
    );
    let shown = supervisor.get(&entry).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown
            .body
            .contains("Brouillon créé à partir de la question publique")
    );
    assert!(shown.body.contains("sous sept jours"));
    assert_eq!(
        app.staff_events("superviseur", "staff.help.edited")
            .await
            .len(),
        1
    );
    // A conseiller posting it anyway is refused.
    let refused = advisor.submit(&path, &format!("{path}/faq"), &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_held_question_cannot_be_published_nor_made_a_faq_entry() {
    let app = TestApp::with_demo_data().await;
    let id = julien_asks(&app, &format!("{TEXT} Ma carte 4111 1111 1111 1111.")).await;
    assert_eq!(status_of(&app, id).await, QuestionStatus::Held);
    let mut advisor = advisor(&app).await;
    let held = advisor.get("/agent/questions?onglet=retenues").await;
    assert!(held.body.contains("Retenues (1)"));
    let path = format!("/agent/questions/{id}");
    let page = advisor.get(&path).await;
    assert!(page.body.contains("un numéro de carte bancaire"));
    assert!(!page.body.contains("Publier la question"));
    let refused = advisor.submit(&path, &format!("{path}/publier"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .body
            .contains("elle ne peut pas être publiée telle quelle")
    );
    let answered = advisor
        .submit(
            &path,
            &format!("{path}/repondre"),
            &[("reponse", "Une réponse qui ne doit pas passer.")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::CONFLICT);
    assert_eq!(status_of(&app, id).await, QuestionStatus::Held);
    let staff = caisse_store::staff::by_login(&app.db.db, "conseiller")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(matches!(
        app.services
            .forum
            .faq_material(staff, id, &RequestContext::default())
            .await,
        Err(ForumError::NotFound)
    ));
}

#[tokio::test]
async fn a_refusal_needs_a_reason_that_julien_reads_and_is_mailed() {
    let app = TestApp::with_demo_data().await;
    let id = julien_asks(&app, TEXT).await;
    let mut advisor = advisor(&app).await;
    let path = format!("/agent/questions/{id}");
    let empty = advisor
        .submit(&path, &format!("{path}/refuser"), &[("motif", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::CONFLICT);
    assert!(
        empty
            .body
            .contains("Le motif du refus doit compter au moins")
    );
    assert_eq!(status_of(&app, id).await, QuestionStatus::Pending);
    let reason = "Votre question concerne votre dossier : écrivez-nous depuis votre messagerie.";
    let refused = advisor
        .submit(&path, &format!("{path}/refuser"), &[("motif", reason)])
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
    assert_eq!(status_of(&app, id).await, QuestionStatus::Rejected);
    assert_eq!(
        app.staff_events("conseiller", "staff.forum_question.rejected")
            .await
            .len(),
        1
    );
    let mails = app
        .mail_bodies(JULIEN_EMAIL, "Votre question n'a pas été publiée")
        .await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains(reason));
    let mut julien = app.another_browser();
    julien.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let mine = julien.get("/aide/mes-questions").await;
    assert!(mine.body.contains("Refusée"));
    assert!(mine.body.contains("écrivez-nous depuis votre messagerie"));
    let tab = advisor.get("/agent/questions?onglet=refusees").await;
    assert!(tab.body.contains(&path));
}

#[tokio::test]
async fn answering_a_pending_question_publishes_it_and_another_fund_meets_404() {
    let app = TestApp::with_demo_data().await;
    let id = julien_asks(&app, TEXT).await;
    let path = format!("/agent/questions/{id}");
    let mut other = app
        .staff_of_fund(
            "conseiller.forum.basrhin",
            StaffRole::Conseiller,
            "671",
            "FORUMCONSEILLERBASRHINABCDEFGH23",
        )
        .await;
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    let queue = other.get("/agent/questions").await;
    assert!(queue.body.contains("À modérer (0)"));
    assert!(!queue.body.contains(TITLE));
    let token = queue.csrf_token();
    let answered = other
        .post_form(
            &format!("{path}/repondre"),
            &[
                ("csrf_token", &token),
                ("reponse", "Réponse d'une autre caisse."),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&app, id).await, QuestionStatus::Pending);

    let mut advisor = advisor(&app).await;
    let answered = advisor
        .submit(
            &path,
            &format!("{path}/repondre"),
            &[(
                "reponse",
                "Sous sept jours pour une feuille de soins électronique.",
            )],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    assert_eq!(status_of(&app, id).await, QuestionStatus::Published);
    let mut visitor = app.another_browser();
    let page = visitor.get(&format!("/aide/questions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sous sept jours"));
}
