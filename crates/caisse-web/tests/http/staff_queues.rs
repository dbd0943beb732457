//! The back office's home counts, the messages' queue (its columns and the dashboard's
//! filters) and the delay dashboard's links, through pages: every count is the number of rows
//! of the queue it links to, and only the staff member's fund is counted.

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::clock::ManualClock;
use caisse_store::ConnectionTrait;
use time::Duration;
use time::macros::datetime;

use crate::mediation::{julien_writes, service, staff_id};
use crate::support::{TestApp, no_device_check};

/// The count the home shows for the queue at `href` (as written in the page).
fn home_count(body: &str, href: &str) -> u64 {
    let anchor = format!("href=\"{href}\"><span class=\"bo-counts__n tabular\">");
    let start = body
        .find(&anchor)
        .unwrap_or_else(|| panic!("a count linking {href} in {body}"))
        + anchor.len();
    let end = start + body[start..].find('<').expect("the count's end");
    body[start..end].parse().expect("a count")
}

/// The number of threads the queue's caption announces (0 when the page says none).
fn queue_total(body: &str) -> u64 {
    let Some(start) = body.find("<caption id=\"file-titre\">") else {
        assert!(body.contains("Aucun message"), "{body}");
        return 0;
    };
    let rest = &body[start + "<caption id=\"file-titre\">".len()..];
    rest[..rest.find(' ').expect("a count")]
        .parse()
        .expect("a count")
}

/// The link after `before` in `body`, with `&` unescaped.
fn link_after(body: &str, before: &str) -> String {
    let start = body
        .find(before)
        .unwrap_or_else(|| panic!("{before} in {body}"));
    let rest = &body[start..];
    let href = rest.find("href=\"").expect("a link") + "href=\"".len();
    let end = href + rest[href..].find('"').expect("the link's end");
    rest[href..end].replace("&#38;", "&").replace("&amp;", "&")
}

async fn monday() -> (TestApp, ManualClock) {
    // Monday 2 March 2026, 10:00 in Paris.
    let clock = ManualClock::new(datetime!(2026-03-02 09:00 UTC));
    (
        TestApp::with_clock(clock.clone(), no_device_check()).await,
        clock,
    )
}

/// Moves thread `id` of fund 781 to fund `caisse`, as a transfer would.
async fn move_thread(app: &TestApp, id: uuid::Uuid, caisse: &str) {
    // By reference: ids are not text in every engine.
    let reference = caisse_store::messaging::fund_thread(
        &app.db.db,
        caisse_domain::CaisseCode::parse("781").unwrap(),
        id,
    )
    .await
    .unwrap()
    .unwrap()
    .reference;
    app.db
        .db
        .execute_unprepared(&format!(
            "UPDATE message_threads SET caisse_code = '{caisse}' WHERE reference = '{reference}'"
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_home_counts_the_funds_work_and_each_count_is_the_queue_it_links() {
    let (app, clock) = monday().await;
    let mut conseiller = app.another_browser();
    conseiller.login_staff("conseiller").await;
    let before = conseiller.get("/agent").await.body;
    let open = home_count(&before, "/agent/messagerie");
    let unassigned = home_count(&before, "/agent/messagerie?attribution=aucun");
    let mine = home_count(&before, "/agent/messagerie?attribution=moi");

    let svc = service(&app);
    let me = staff_id(&app, "conseiller").await;
    let taken = julien_writes(&app, "demande_renseignements").await;
    let _waiting = julien_writes(&app, "demande_renseignements").await;
    let elsewhere = julien_writes(&app, "demande_renseignements").await;
    move_thread(&app, elsewhere, "671").await;
    svc.staff
        .claim(me, taken, 1, &RequestContext::default())
        .await
        .unwrap();

    let home = conseiller.get("/agent").await;
    assert_eq!(home.status, StatusCode::OK);
    let body = &home.body;
    // Another fund's thread is not counted.
    assert_eq!(home_count(body, "/agent/messagerie"), open + 2);
    assert_eq!(
        home_count(body, "/agent/messagerie?attribution=aucun"),
        unassigned + 1
    );
    assert_eq!(
        home_count(body, "/agent/messagerie?attribution=moi"),
        mine + 1
    );
    for href in ["/agent/alertes", "/agent/dossiers", "/agent/agenda"] {
        home_count(body, href);
    }
    // Each count of threads is the number of rows its queue lists, late ones included once
    // the new threads are past their due date.
    clock.advance(Duration::days(20));
    conseiller.login_staff("conseiller").await;
    let home = conseiller.get("/agent").await.body;
    for href in [
        "/agent/messagerie",
        "/agent/messagerie?retard=oui",
        "/agent/messagerie?attribution=aucun",
        "/agent/messagerie?attribution=moi",
    ] {
        let queue = conseiller.get(href).await;
        assert_eq!(queue.status, StatusCode::OK, "{href}");
        assert_eq!(queue_total(&queue.body), home_count(&home, href), "{href}");
    }
    assert!(home_count(&home, "/agent/messagerie?retard=oui") >= 2);
}

#[tokio::test]
async fn the_queue_names_the_member_and_the_date_received_and_the_listing_is_audited() {
    let (app, _clock) = monday().await;
    let thread = julien_writes(&app, "demande_renseignements").await;
    let mut conseiller = app.another_browser();
    conseiller.login_staff("conseiller").await;
    let page = conseiller
        .get("/agent/messagerie?recu_depuis=2026-03-02")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    for header in [
        "<th scope=\"col\">Assuré</th>",
        "<th scope=\"col\">Reçu le</th>",
    ] {
        assert!(body.contains(header), "{header}");
    }
    assert!(body.contains(&format!("/agent/messagerie/{thread}")));
    assert!(body.contains("<td data-label=\"Assuré\" class=\"cell-wrap\">Julien MARTIN</td>"));
    assert!(
        body.contains("<td data-label=\"Reçu le\" class=\"tabular\">02/03/2026 à 10 h 00</td>"),
        "{body}"
    );
    // The address's dashboard filter is said in words and kept by the form.
    assert!(body.contains("Reçus depuis le 2 mars 2026"));
    assert!(body.contains("<input type=\"hidden\" name=\"recu_depuis\" value=\"2026-03-02\">"));
    let listed = conseiller
        .staff_events("conseiller", "staff.threads.listed")
        .await;
    assert_eq!(listed.len(), 1);
    let julien = caisse_store::members::find_by_nir(
        &app.db.db,
        &caisse_domain::Nir::parse("185057800608491").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(
        listed[0].details.contains(&julien.id.to_string()),
        "the members listed are recorded"
    );
    // A page naming nobody records nothing.
    conseiller
        .get("/agent/messagerie?recu_depuis=2030-01-01")
        .await;
    assert_eq!(
        conseiller
            .staff_events("conseiller", "staff.threads.listed")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn the_queue_takes_the_dashboards_filters_of_days_and_delays() {
    let (app, clock) = monday().await;
    let svc = service(&app);
    let me = staff_id(&app, "conseiller").await;
    let context = RequestContext::default();
    let monday_thread = julien_writes(&app, "demande_renseignements").await;
    clock.advance(Duration::days(1));
    let tuesday_thread = julien_writes(&app, "demande_renseignements").await;
    svc.staff
        .staff_reply(me, tuesday_thread, 1, "Votre carte part demain.", &context)
        .await
        .unwrap();
    let mut conseiller = app.another_browser();
    conseiller.login_staff("conseiller").await;
    let listed = async |conseiller: &mut TestApp, query: &str| {
        let body = conseiller
            .get(&format!("/agent/messagerie?statut=tous&{query}"))
            .await
            .body;
        (
            body.contains(&format!("/agent/messagerie/{monday_thread}\"")),
            body.contains(&format!("/agent/messagerie/{tuesday_thread}\"")),
        )
    };
    assert_eq!(
        listed(&mut conseiller, "recu_depuis=2026-03-02").await,
        (true, true)
    );
    assert_eq!(
        listed(&mut conseiller, "recu_depuis=2026-03-03").await,
        (false, true)
    );
    assert_eq!(
        listed(&mut conseiller, "repondu_depuis=2026-03-02").await,
        (false, true)
    );
    assert_eq!(
        listed(
            &mut conseiller,
            "repondu_depuis=2026-03-02&dans_le_delai=oui"
        )
        .await,
        (false, true)
    );
    assert_eq!(
        listed(
            &mut conseiller,
            "repondu_depuis=2026-03-02&dans_le_delai=non"
        )
        .await,
        (false, false)
    );
    // A value the queue does not know filters nothing rather than failing.
    assert_eq!(
        conseiller
            .get("/agent/messagerie?recu_depuis=hier&dans_le_delai=peut-etre")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_dashboard_figure_links_its_queue_and_short_delays_read_in_minutes() {
    let (app, clock) = monday().await;
    let svc = service(&app);
    let me = staff_id(&app, "conseiller").await;
    let context = RequestContext::default();
    let thread = julien_writes(&app, "demande_renseignements").await;
    // An acknowledgement first: it does not count; the answer 45 minutes after the message does.
    clock.advance(Duration::minutes(5));
    svc.staff
        .staff_reply(me, thread, 1, "Bien reçu, cordialement.", &context)
        .await
        .unwrap();
    clock.advance(Duration::minutes(40));
    svc.staff
        .staff_reply(me, thread, 2, "Votre carte part demain.", &context)
        .await
        .unwrap();

    let mut supervisor = app.another_browser();
    supervisor.login_staff("superviseur").await;
    let page = supervisor.get("/agent/tableau-de-bord").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains(">45\u{a0}min</a>"), "{body}");
    // Scrolling tables are focusable regions with a name.
    assert_eq!(
        body.matches("class=\"table-wrapper\" role=\"region\"")
            .count(),
        body.matches("class=\"table-wrapper\"").count()
    );
    assert!(body.contains("tabindex=\"0\""));
    // Today's row of the whole fund: its figures open the matching queues.
    let today = &body[body
        .find("id=\"periode-aujourdhui\"")
        .expect("today's table")..];
    let incoming = link_after(today, "<th scope=\"row\">Toute la caisse</th>");
    assert_eq!(
        incoming,
        "/agent/messagerie?statut=tous&recu_depuis=2026-03-02"
    );
    let answered = supervisor
        .get("/agent/messagerie?statut=tous&repondu_depuis=2026-03-02")
        .await;
    assert!(
        answered
            .body
            .contains(&format!("/agent/messagerie/{thread}\""))
    );
    assert!(today.contains(
        "href=\"/agent/messagerie?statut=tous&#38;repondu_depuis=2026-03-02&#38;dans_le_delai=oui\""
    ) || today.contains(
        "href=\"/agent/messagerie?statut=tous&amp;repondu_depuis=2026-03-02&amp;dans_le_delai=oui\""
    ));
    for href in [
        "/agent/messagerie?retard=oui",
        "/agent/dossiers?retard=oui",
        "/agent/dossiers?etat=deposee",
    ] {
        let escaped = href.replace('&', "&#38;");
        assert!(
            body.contains(&format!("href=\"{href}\"")) || body.contains(&escaped),
            "{href}"
        );
        assert_eq!(supervisor.get(href).await.status, StatusCode::OK, "{href}");
    }
}
