//! « Ma messagerie » pages: check then send, the thread with its reference and due date, reply;
//! another member's thread is a 404.

use axum::http::StatusCode;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp};

const FIELDS: [(&str, &str); 5] = [
    ("recipient", "caisse"),
    ("objet", "remboursement.feuille_de_soins"),
    ("nature", "demande_renseignements"),
    ("subject", "Feuille de soins du 3 novembre"),
    (
        "body",
        "Bonjour, mon IBAN est FR76 3000 6000 0112 3456 7890 189 et je n'ai pas été remboursé.",
    ),
];

#[tokio::test]
async fn a_member_checks_sends_reads_and_replies_and_others_see_nothing() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let empty = app.get("/messagerie").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Aucun message"));

    let mut fields = FIELDS.to_vec();
    fields.push(("action", "verifier"));
    let checked = app
        .submit("/messagerie/nouveau", "/messagerie/nouveau", &fields)
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains("Réponse attendue au plus tard le"));
    assert!(checked.body.contains("ne divulguez pas"), "IBAN warning");
    assert!(checked.body.contains("Envoyer le message"));

    let mut fields = FIELDS.to_vec();
    fields.push(("action", "envoyer"));
    let sent = app
        .submit("/messagerie/nouveau", "/messagerie/nouveau", &fields)
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let location = sent.location().unwrap().to_owned();
    let page = app.get(&location).await;
    assert!(page.body.contains("Votre message est envoyé"));
    assert!(page.body.contains("M-20"));
    assert!(page.body.contains("En attente de traitement"));
    assert!(page.body.contains("Personne à votre caisse n"));

    let thread = location.split('?').next().unwrap().to_owned();
    // A conseiller of the fund opens it: the member sees the role and the date, not the name.
    let conseiller = caisse_store::staff::by_login(&app.db.db, "conseiller")
        .await
        .unwrap()
        .unwrap();
    let service = caisse_core::messaging::Messaging::new(
        app.db.db.clone(),
        std::sync::Arc::new(caisse_core::clock::SystemClock),
        caisse_core::messaging::MessagingSettings::default(),
        std::sync::Arc::new(caisse_core::files::ObjectFiles::in_memory()),
    );
    let thread_id: uuid::Uuid = thread.trim_start_matches("/messagerie/").parse().unwrap();
    service
        .staff
        .staff_thread(
            conseiller.id,
            thread_id,
            &caisse_core::audit::RequestContext::default(),
        )
        .await
        .unwrap();
    let seen = app.get(&thread).await;
    assert!(seen.body.contains("Conseiller, le "), "{}", seen.body);
    assert!(!seen.body.contains(&conseiller.display_name));
    let replied = app
        .submit(
            &thread,
            &format!("{thread}/repondre"),
            &[("body", "Je précise : consultation du 3 novembre.")],
        )
        .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER);
    assert!(
        app.get(&thread)
            .await
            .body
            .contains("consultation du 3 novembre.")
    );
    let list = app.get("/messagerie").await;
    assert!(list.body.contains("Feuille de soins du 3 novembre"));

    let mut camille = app.another_browser();
    camille
        .login_member("2 93 12 2A 004 123 17", MEMBER_PASSWORD)
        .await;
    assert_eq!(camille.get(&thread).await.status, StatusCode::NOT_FOUND);
    assert!(
        !camille
            .get("/messagerie")
            .await
            .body
            .contains("Feuille de soins")
    );
}

#[tokio::test]
async fn an_incomplete_message_lists_its_problems() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let refused = app
        .submit(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &[("recipient", "caisse"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["#objet", "#nature", "#subject", "#body"] {
        assert!(refused.body.contains(field), "{field}");
    }
}
