//! The administrators' outbox: their fund's messages only, links and codes masked at rest and
//! on the pages, every reading audited.

use axum::http::StatusCode;
use caisse_core::staff::StaffRole;
use caisse_store::outbox;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp};

#[tokio::test]
async fn the_back_office_requires_a_staff_login() {
    let mut app = TestApp::with_demo_data().await;
    let response = app.get("/admin/outbox").await;
    assert_eq!(
        response.location(),
        Some("/agent/connexion?suite=/admin/outbox")
    );
    let refused = app.login_staff("admin-inconnu").await;
    assert!(
        refused.body.contains("ne correspondent pas"),
        "{} {}",
        refused.status,
        refused.body
    );
}

#[tokio::test]
async fn a_conseiller_cannot_read_the_outbox() {
    let mut app = TestApp::with_demo_data().await;
    let response = app.login_staff("conseiller").await;
    assert_eq!(response.location(), Some("/agent"));
    assert_eq!(app.get("/agent").await.status, StatusCode::OK);
    let outbox = app.get("/admin/outbox").await;
    assert_eq!(outbox.status, StatusCode::FORBIDDEN);
    assert!(outbox.body.contains("Accès refusé"));
}

#[tokio::test]
async fn a_member_cannot_read_the_outbox() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(app.get("/admin/outbox").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_administrator_reads_queued_mail_and_retries_a_failed_one() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("admin").await;
    let list = app.get("/admin/outbox").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("julien.martin@exemple.fr"));

    let message = outbox::for_recipient(&app.db.db, "julien.martin@exemple.fr")
        .await
        .unwrap()
        .remove(0);
    app.fail_message(message.id).await;

    let failed = app.get("/admin/outbox?statut=failed").await;
    assert!(failed.body.contains("julien.martin@exemple.fr"));
    let detail_path = format!("/admin/outbox/{}", message.id);
    let detail = app.get(&detail_path).await;
    assert!(detail.body.contains("550 refusé"));
    assert!(detail.body.contains("Votre compte est ouvert"));

    let response = app
        .submit(&detail_path, &format!("{detail_path}/relancer"), &[])
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let after = outbox::get(&app.db.db, message.id).await.unwrap().unwrap();
    assert_eq!(after.status.code(), "pending");
    let audit = caisse_store::audit::for_subject(&app.db.db, "outbox_message", message.id, 10)
        .await
        .unwrap();
    assert_eq!(audit[0].action.code(), "admin.outbox.retried");
}

#[tokio::test]
async fn an_unknown_outbox_message_is_a_404() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("admin").await;
    let response = app
        .get(&format!("/admin/outbox/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/admin/outbox/pas-un-uuid").await.status,
        StatusCode::BAD_REQUEST
    );
}

/// The Bas-Rhin fund's administrator these tests create (Julien MARTIN is of the Yvelines).
const BAS_RHIN_SECRET: &str = "BASRHINADMINISTRATEURDEMOCAISSE2";

async fn ask_reset(app: &mut TestApp) {
    let mut member = app.another_browser();
    let answer = member
        .submit(
            "/mot-de-passe-oublie",
            "/mot-de-passe-oublie",
            &[
                ("nir", MEMBER_NIR),
                ("birth_date", "14/05/1985"),
                ("email", "julien.martin@exemple.fr"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn no_link_nor_code_is_readable_in_the_outbox_at_rest_or_on_its_pages() {
    let mut app = TestApp::with_device_check().await;
    ask_reset(&mut app).await;
    // A new-device login: a code by mail.
    let mut member = app.another_browser();
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let link = app
        .link_in_mail(
            "julien.martin@exemple.fr",
            "Réinitialisation de votre mot de passe",
            "/mot-de-passe-oublie/",
        )
        .await;
    let token = link.trim_start_matches("/mot-de-passe-oublie/").to_owned();
    let not_me = app
        .link_in_mail(
            "julien.martin@exemple.fr",
            "Réinitialisation de votre mot de passe",
            "/ce-n-etait-pas-moi/",
        )
        .await;
    let code = app.last_code("julien.martin@exemple.fr").await;
    let secrets = [token.as_str(), not_me.as_str(), code.as_str()];
    // At rest: no table cell holds them.
    for stored in outbox::for_recipient(&app.db.db, "julien.martin@exemple.fr")
        .await
        .unwrap()
    {
        for secret in secrets {
            assert!(
                !stored.body_text.contains(secret),
                "« {} » keeps a secret in clear",
                stored.subject
            );
            assert!(
                !stored
                    .sealed_body
                    .as_deref()
                    .unwrap_or_default()
                    .contains(secret)
            );
        }
    }
    // On the administrator's pages: masked.
    app.login_staff("admin").await;
    let list = app.get("/admin/outbox").await;
    let mut bodies = Vec::new();
    for subject in [
        "Réinitialisation de votre mot de passe",
        "Votre code de connexion",
    ] {
        let row = list
            .body
            .find(&format!(">{subject}</a>"))
            .unwrap_or_else(|| panic!("« {subject} » listed"));
        let start = list.body[..row].rfind("/admin/outbox/").unwrap();
        let page = app.get(&list.body[start..row - 1]).await;
        assert_eq!(page.status, StatusCode::OK);
        bodies.push(page.body);
    }
    assert!(bodies[0].contains("Pour le choisir, ouvrez ce lien :\n[lien masqué]"));
    assert!(bodies[0].contains("pour le signaler :\n[lien masqué]"));
    assert!(bodies[1].contains("saisissez ce code :\n\n    [code masqué]"));
    for page in bodies.iter().chain([&list.body]) {
        for secret in secrets {
            assert!(!page.contains(secret), "a secret on an outbox page");
        }
    }
}

#[tokio::test]
async fn another_funds_administrator_neither_lists_nor_opens_nor_retries_a_message() {
    let mut app = TestApp::with_demo_data().await;
    ask_reset(&mut app).await;
    let message = outbox::for_recipient(&app.db.db, "julien.martin@exemple.fr")
        .await
        .unwrap()
        .pop()
        .unwrap();
    app.fail_message(message.id).await;
    let mut other = app
        .staff_of_fund(
            "admin.basrhin",
            StaffRole::Administrateur,
            "671",
            BAS_RHIN_SECRET,
        )
        .await;
    let list = other.get("/admin/outbox").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("julien.martin@exemple.fr"));
    assert!(
        list.body.contains("sophie.weber@exemple.fr"),
        "the fund's own mail is listed"
    );
    let failed = other.get("/admin/outbox?statut=failed").await;
    assert!(!failed.body.contains(&message.id.to_string()));
    let path = format!("/admin/outbox/{}", message.id);
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    let retried = other
        .submit("/admin/outbox", &format!("{path}/relancer"), &[])
        .await;
    assert_eq!(retried.status, StatusCode::NOT_FOUND);
    let after = outbox::get(&app.db.db, message.id).await.unwrap().unwrap();
    assert_eq!(
        after.status.code(),
        "failed",
        "not put back by another fund"
    );
    // The home page counts only the fund's messages.
    let home = other.get("/agent").await;
    assert!(!home.body.contains("À relancer"), "{}", home.body);
}

#[tokio::test]
async fn every_reading_of_the_outbox_is_audited() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("admin").await;
    let message = outbox::for_recipient(&app.db.db, "julien.martin@exemple.fr")
        .await
        .unwrap()
        .remove(0);
    app.get("/admin/outbox?statut=pending").await;
    app.get(&format!("/admin/outbox/{}", message.id)).await;
    let listed = app.staff_events("admin", "admin.outbox.listed").await;
    assert!(listed[0].details.contains(&message.id.to_string()));
    let viewed = &app.staff_events("admin", "admin.outbox.viewed").await[0];
    assert_eq!(
        (viewed.subject_kind.as_deref(), viewed.subject_id),
        (Some("outbox_message"), Some(message.id))
    );
}
