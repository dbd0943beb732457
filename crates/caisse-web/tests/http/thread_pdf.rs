//! A thread as a PDF: the member downloads their own (another member's id is a 404), an
//! conseiller of the fund downloads it too (audited as a view; another fund's thread is a 404),
//! and neither file holds an internal note.

use axum::http::{StatusCode, header};
use caisse_core::audit::RequestContext;
use caisse_core::clock::SystemClock;
use caisse_core::messaging::{Messaging, MessagingSettings};

use crate::support::{
    MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, message_fields, without_csrf,
};

const CAMILLE_NIR: &str = "2 93 12 2A 004 123 17";
const NOTE: &str = "Note interne : assurée rappelée, dossier incomplet";

/// Sends a message through the form and returns the thread's path (`/messagerie/{id}`).
async fn send(app: &mut TestApp, subject: &str) -> String {
    let fields = message_fields(
        subject,
        "Je n'ai pas été remboursé de ma consultation du 3 novembre.",
        "envoyer",
    );
    let sent = app
        .submit("/messagerie/nouveau", "/messagerie/nouveau", &fields)
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    sent.location()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

/// Checks the answer is a PDF download named after the thread's reference, and returns its
/// text.
fn pdf_text(response: &TestResponse) -> String {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = response.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"message-M-20"),
        "{disposition}"
    );
    caisse_test_support::pdf::checked_text(&response.bytes)
}

#[tokio::test]
async fn members_and_conseillers_download_a_thread_without_its_internal_notes() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let thread = send(&mut app, "Feuille de soins du 3 novembre").await;
    let id: uuid::Uuid = thread.trim_start_matches("/messagerie/").parse().unwrap();
    let page = app.get(&thread).await;
    assert!(
        page.body.contains(&format!(
            "<a href=\"{thread}/pdf\" download>Télécharger en PDF</a>"
        )),
        "{}",
        page.body
    );

    // A conseiller of the fund writes an internal note (its page is not part of this suite).
    let conseiller = caisse_store::staff::by_login(&app.db.db, "conseiller")
        .await
        .unwrap()
        .unwrap();
    let service = Messaging::new(
        app.db.db.clone(),
        std::sync::Arc::new(SystemClock),
        MessagingSettings::default(),
        app.files.clone(),
    );
    service
        .staff
        .add_note(conseiller.id, id, NOTE, &RequestContext::default())
        .await
        .unwrap();

    let text = pdf_text(&app.get(&format!("{thread}/pdf")).await);
    for expected in [
        "Feuille de soins du 3 novembre",
        "Suivi d'une feuille de soins",
        "Demande de renseignements",
        "En attente de traitement",
        "Je n'ai pas été remboursé de ma consultation du 3 novembre.",
        "Vous, le ",
    ] {
        assert!(text.contains(expected), "« {expected} » in {text}");
    }
    assert!(!text.contains("Note interne"), "{text}");

    let mut staff = app.another_browser();
    staff.login_staff("conseiller").await;
    let staff_text = pdf_text(&staff.get(&format!("/agent/messagerie/{id}/pdf")).await);
    assert!(staff_text.contains("Feuille de soins du 3 novembre"));
    assert!(!staff_text.contains("Note interne"), "{staff_text}");
    // Audited like opening the thread: the member sees the conseiller's role.
    assert!(app.get(&thread).await.body.contains("Conseiller, le "));

    // A member is sent to the login page on the staff route, and staff to theirs on the
    // member's.
    let as_member = app.get(&format!("/agent/messagerie/{id}/pdf")).await;
    assert_ne!(as_member.status, StatusCode::OK);
    let as_staff = staff.get(&format!("{thread}/pdf")).await;
    assert_ne!(as_staff.status, StatusCode::OK);
}

#[tokio::test]
async fn another_members_or_another_funds_thread_is_not_found() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let thread = send(&mut app, "Ma carte Vitale").await;

    let mut camille = app.another_browser();
    camille.login_member(CAMILLE_NIR, MEMBER_PASSWORD).await;
    let refused = camille.get(&format!("{thread}/pdf")).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let missing = camille
        .get(&format!("/messagerie/{}/pdf", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(without_csrf(&refused.body), without_csrf(&missing.body));

    // Camille's fund (Corse-du-Sud) is not the demo conseillers' (Yvelines).
    let corsica = send(&mut camille, "Mon attestation").await;
    let corsica_id = corsica.trim_start_matches("/messagerie/");
    let mut staff = app.another_browser();
    staff.login_staff("conseiller").await;
    let other_fund = staff
        .get(&format!("/agent/messagerie/{corsica_id}/pdf"))
        .await;
    assert_eq!(other_fund.status, StatusCode::NOT_FOUND);
    let own_fund = staff
        .get(&format!(
            "/agent/messagerie/{}/pdf",
            thread.trim_start_matches("/messagerie/")
        ))
        .await;
    assert_eq!(own_fund.status, StatusCode::OK);
}
