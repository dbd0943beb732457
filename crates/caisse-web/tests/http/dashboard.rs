//! The supervisors' dashboard through pages: who may open it, and known threads read back as
//! French figures. The figures' correctness in detail is the core suite's.

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::clock::ManualClock;
use caisse_store::ConnectionTrait;
use time::Duration;
use time::macros::datetime;

use crate::mediation::{julien_writes, move_staff, service, staff_id};
use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, no_device_check};

const PAGE: &str = "/agent/tableau-de-bord";

#[tokio::test]
async fn supervisors_and_administrators_open_the_dashboard_and_conseillers_are_refused() {
    let mut app = TestApp::with_demo_data().await;
    assert_eq!(
        app.get(PAGE).await.location(),
        Some("/agent/connexion?suite=/agent/tableau-de-bord")
    );
    for login in ["superviseur", "admin"] {
        let mut staff = app.another_browser();
        staff.login_staff(login).await;
        let home = staff.get("/agent").await;
        assert!(home.body.contains(&format!("href=\"{PAGE}\"")), "{login}");
        let page = staff.get(PAGE).await;
        assert_eq!(page.status, StatusCode::OK, "{login}");
        assert!(page.body.contains("<caption>"));
        assert!(page.body.contains("<th scope=\"row\">Toute la caisse</th>"));
    }
    let mut conseiller = app.another_browser();
    conseiller.login_staff("conseiller").await;
    assert!(!conseiller.get("/agent").await.body.contains(PAGE));
    assert_eq!(conseiller.get(PAGE).await.status, StatusCode::FORBIDDEN);
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(app.get(PAGE).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_dashboard_reads_known_threads_in_french_and_only_the_funds_own() {
    // Monday 2 March 2026, 10:00 in Paris.
    let clock = ManualClock::new(datetime!(2026-03-02 09:00 UTC));
    let app = TestApp::with_clock(clock.clone(), no_device_check()).await;
    let svc = service(&app);
    let conseiller = staff_id(&app, "conseiller").await;
    let context = RequestContext::default();
    // Three questions about a reimbursement today, due in 7 working days (11 March): answered after 1 h (then closed), after 3 h,
    // and not yet. The first two are routed to « prestations » (the demo team of their objet);
    // the last one is put back at the fund's reception.
    let quick = julien_writes(&app, "demande_renseignements").await;
    let slow = julien_writes(&app, "demande_renseignements").await;
    let waiting = julien_writes(&app, "demande_renseignements").await;
    for (thread, team) in [
        (quick, "'prestations'"),
        (slow, "'prestations'"),
        (waiting, "NULL"),
    ] {
        let reference = caisse_store::messaging::fund_thread(
            &app.db.db,
            caisse_domain::CaisseCode::parse("781").unwrap(),
            thread,
        )
        .await
        .unwrap()
        .unwrap()
        .reference;
        app.db
            .db
            .execute_unprepared(&format!(
                "UPDATE message_threads SET team = {team} WHERE reference = '{reference}'"
            ))
            .await
            .unwrap();
    }
    clock.advance(Duration::hours(1));
    svc.staff
        .staff_reply(conseiller, quick, 1, "Voici.", &context)
        .await
        .unwrap();
    svc.staff
        .close(conseiller, quick, 2, &context)
        .await
        .unwrap();
    clock.advance(Duration::hours(2));
    svc.staff
        .staff_reply(conseiller, slow, 1, "Voici.", &context)
        .await
        .unwrap();

    let mut supervisor = app.another_browser();
    supervisor.login_staff("superviseur").await;
    let page = supervisor.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    // Median of 1 h and 3 h; every answer in time.
    assert!(page.body.contains("2,0\u{a0}h"), "{}", page.body);
    assert!(page.body.contains("100,0\u{a0}%"));
    assert!(
        page.body
            .contains("<th scope=\"row\">Accueil (non routé)</th>")
    );
    assert!(
        page.body
            .contains("<th scope=\"row\">Service prestations</th>")
    );
    assert!(page.body.contains("le 2 mars 2026"));

    // On 12 March, the two open ones are past their due date.
    clock.advance(Duration::days(10));
    supervisor.login_staff("superviseur").await;
    let page = supervisor.get(PAGE).await;
    let open_row = "<tr><th scope=\"row\">Toute la caisse</th><td class=\"num tabular\"><a href=\"/agent/messagerie?statut=\">2</a></td><td class=\"num tabular\"><a href=\"/agent/messagerie?retard=oui\">2</a></td></tr>";
    assert!(page.body.contains(open_row), "{}", page.body);

    // The same supervisor moved to another fund sees none of it.
    move_staff(&app, "superviseur", "671").await;
    let page = supervisor.get(PAGE).await;
    let empty_row = "<tr><th scope=\"row\">Toute la caisse</th><td class=\"num tabular\"><a href=\"/agent/messagerie?statut=\">0</a></td><td class=\"num tabular\"><a href=\"/agent/messagerie?retard=oui\">0</a></td></tr>";
    assert!(page.body.contains(empty_row), "{}", page.body);
    assert!(!page.body.contains("Accueil (non routé)"));
}
