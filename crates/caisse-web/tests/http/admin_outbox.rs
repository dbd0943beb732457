use axum::http::StatusCode;
use caisse_store::outbox::{self, Outcome};

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
async fn an_advisor_cannot_read_the_outbox() {
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
    let now = caisse_store::now_utc();
    outbox::claim_due(&app.db.db, now, time::Duration::seconds(30), 100)
        .await
        .unwrap();
    outbox::record_outcome(
        &app.db.db,
        message.id,
        Outcome::Failed {
            error: "550 refusé".into(),
            retry_at: None,
        },
        now,
    )
    .await
    .unwrap();

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
    assert_eq!(after.status, "pending");
    let audit = caisse_store::audit::for_subject(&app.db.db, "outbox_message", message.id, 10)
        .await
        .unwrap();
    assert_eq!(audit[0].action, "admin.outbox.retried");
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
