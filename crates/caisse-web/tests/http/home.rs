//! The member's home (issue 20): the tasks first, shown or hidden by the member's state; the
//! menu's counts; the header's menus for visitors, members and staff; the fund's phone as a
//! `tel:` link.

use axum::http::StatusCode;
use caisse_store::messaging::set_unread_by_member;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, message_fields};

const OTHER_IBAN: &str = "FR76 1027 8010 0000 0123 4567 891";

/// The part of a page between `<header` and `</header>`.
fn header(body: &str) -> &str {
    let start = body.find("<header").expect("a header");
    let end = body.find("</header>").expect("a header's end");
    &body[start..end]
}

/// The member writes to the fund; returns the thread's page.
async fn write_to_the_fund(app: &mut TestApp, subject: &str) -> String {
    let sent = app
        .submit(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &message_fields(subject, "Bonjour, où en est mon remboursement ?", "envoyer"),
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    sent.location()
        .and_then(|l| l.split('?').next())
        .expect("the thread's page")
        .to_owned()
}

/// Marks the thread at `page` as answered and not yet read, as a staff answer does.
async fn answered(app: &TestApp, page: &str) {
    let member = app.member("185057800608491").await;
    let thread = page
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("a thread id");
    set_unread_by_member(&app.db.db, member.id, thread, true)
        .await
        .expect("marked unread");
}

#[tokio::test]
async fn with_nothing_pending_the_home_says_so_and_keeps_no_service_cards() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("Rien à faire pour le moment."),
        "{}",
        home.body
    );
    assert!(!home.body.contains("Mes services"));
    assert!(!home.body.contains("class=\"menu-badge\""));
    assert!(!home.body.contains("non lu"));
    assert!(!home.body.contains("attend votre action"));
    // What changed and what is next, then the attestation one click away.
    assert!(home.body.contains("Mon dernier paiement"));
    assert!(home.body.contains("Aucun rendez-vous prévu."));
    let attestation = home
        .body
        .find("action=\"/attestations\"")
        .expect("the attestation's form");
    let form = &home.body[attestation..];
    let form = &form[..form.find("</form>").expect("its end")];
    assert!(form.contains("name=\"document\" value=\"droits\""));
    assert!(form.contains("name=\"beneficiaire\" value=\"famille\""));
    assert!(form.contains("Télécharger mon attestation de droits (PDF)"));
    // The identity stays, lower and compact.
    assert!(home.body.contains("Léa MARTIN"));
    assert!(home.body.find("Rien à faire") < home.body.find("Mon compte"));
}

#[tokio::test]
async fn the_one_click_attestation_is_the_pdf_of_the_whole_family() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let pdf = app
        .submit(
            "/",
            "/attestations",
            &[("document", "droits"), ("beneficiaire", "famille")],
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
}

#[tokio::test]
async fn unread_answers_show_on_the_home_and_as_a_badge_until_read() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let first = write_to_the_fund(&mut app, "Feuille de soins de mars").await;
    let second = write_to_the_fund(&mut app, "Feuille de soins d'avril").await;
    // Written by the member: nothing to read yet.
    assert!(
        app.get("/")
            .await
            .body
            .contains("Rien à faire pour le moment.")
    );

    answered(&app, &first).await;
    let home = app.get("/").await;
    assert!(
        home.body.contains("1 message de votre caisse non lu"),
        "{}",
        home.body
    );
    assert!(home.body.contains(&format!("href=\"{first}\"")));
    assert!(!home.body.contains("Rien à faire"));
    let menu = header(&home.body);
    assert!(
        menu.contains(
            "Ma messagerie <span class=\"menu-badge\">1<span class=\"visually-hidden\"> non lu</span></span>"
        ),
        "{menu}"
    );

    answered(&app, &second).await;
    // Any member page carries the count, not only the home.
    let payments = app.get("/paiements").await;
    assert!(
        header(&payments.body).contains("2<span class=\"visually-hidden\"> non lus</span>"),
        "{}",
        payments.body
    );
    let home = app.get("/").await;
    assert!(home.body.contains("2 messages de votre caisse non lus"));
    // The link opens the most recent one; the inbox is one more link.
    assert!(home.body.contains(&format!("href=\"{second}\"")));
    assert!(home.body.contains("Voir toute ma messagerie"));

    app.get(&second).await;
    app.get(&first).await;
    let home = app.get("/").await;
    assert!(home.body.contains("Rien à faire pour le moment."));
    assert!(!header(&home.body).contains("menu-badge"));
}

#[tokio::test]
async fn dossiers_waiting_for_the_member_show_on_the_home_and_on_mes_demarches() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    for _ in 0..2 {
        let started = app
            .submit(
                "/demarches",
                "/demarches/declaration-naissance/commencer",
                &[],
            )
            .await;
        assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    }
    let home = app.get("/").await;
    assert!(
        home.body.contains("2 dossiers attendent votre action"),
        "{}",
        home.body
    );
    assert!(home.body.contains("href=\"/demarches#a-faire\""));
    assert!(
        header(&home.body).contains(
            "Mes démarches <span class=\"menu-badge\">2<span class=\"visually-hidden\"> attendent votre action</span></span>"
        ),
        "{}",
        header(&home.body)
    );
}

#[tokio::test]
async fn a_bank_change_in_its_cool_off_says_when_it_applies_and_how_to_cancel() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let asked = app
        .submit(
            "/profil/coordonnees-bancaires",
            "/profil/coordonnees-bancaires",
            &[("iban", OTHER_IBAN), ("current_password", MEMBER_PASSWORD)],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let pending = app
        .services
        .accounts
        .pending_bank_change(app.member("185057800608491").await.id)
        .await
        .unwrap()
        .expect("a pending change");
    let paris = caisse_domain::paris_time::paris_time(pending.effective_at);
    let when = caisse_domain::french::numeric_date_time(time::PrimitiveDateTime::new(
        paris.date(),
        paris.time(),
    ));
    let home = app.get("/").await;
    assert!(
        home.body
            .contains(&format!("Changement de coordonnées bancaires le {when}")),
        "{}",
        home.body
    );
    assert!(home.body.contains(&pending.iban_masked));
    assert!(home.body.contains("href=\"/profil/coordonnees-bancaires\""));
    assert!(!home.body.contains("Rien à faire"));

    app.submit(
        "/profil/coordonnees-bancaires",
        "/profil/coordonnees-bancaires/annuler",
        &[],
    )
    .await;
    assert!(
        app.get("/")
            .await
            .body
            .contains("Rien à faire pour le moment.")
    );
}

#[tokio::test]
async fn the_funds_phone_is_a_tel_link_without_spaces() {
    let mut app = TestApp::with_demo_data().await;
    let public = app.get("/").await;
    assert!(
        public
            .body
            .contains("<a class=\"site-footer__phone\" href=\"tel:3646\">36 46</a>"),
        "{}",
        public.body
    );
    assert!(
        public
            .body
            .contains("href=\"tel:3646\"><strong>36 46</strong></a>")
    );
    // Wherever a page tells to call, the number is the link, not just the footer's.
    for path in ["/connexion", "/mot-de-passe-oublie", "/mentions-legales"] {
        let page = app.get(path).await;
        assert!(
            page.body
                .contains("<a href=\"tel:3646\">36 46</a></strong>"),
            "{path}: {}",
            page.body
        );
    }
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert!(
        app.get("/paiements")
            .await
            .body
            .contains("href=\"tel:3646\"")
    );
}

#[tokio::test]
async fn visitors_see_the_public_menu_and_may_create_an_account() {
    let mut app = TestApp::with_demo_data().await;
    for page in ["/", "/aide", "/verifier", "/connexion"] {
        let response = app.get(page).await;
        assert_eq!(response.status, StatusCode::OK, "{page}");
        let top = header(&response.body);
        for link in [
            "href=\"/aide\"",
            "href=\"/verifier\"",
            "href=\"/connexion\"",
        ] {
            assert!(top.contains(link), "{page}: {link}");
        }
        assert!(
            top.contains("href=\"/inscription\">Créer mon compte</a>"),
            "{page}"
        );
        for member_only in ["/paiements", "/messagerie", "/profil", "/demarches\""] {
            assert!(!top.contains(member_only), "{page}: {member_only}");
        }
    }
    assert_eq!(app.get("/inscription").await.status, StatusCode::OK);
    // A member has their own menu and no « Créer mon compte ».
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let top = app.get("/aide").await.body;
    let top = header(&top);
    assert!(top.contains("href=\"/messagerie\""));
    assert!(!top.contains("/inscription"));
}

#[tokio::test]
async fn staff_pages_never_show_the_member_menu() {
    let mut app = TestApp::with_demo_data().await;
    for page in ["/agent/connexion"] {
        let response = app.get(page).await;
        assert_eq!(response.status, StatusCode::OK, "{page}");
        let top = header(&response.body);
        assert!(top.contains("Espace agents"), "{top}");
        for member_link in [
            "/paiements",
            "/messagerie",
            "/inscription",
            "/aide\"",
            "Menu",
        ] {
            assert!(!top.contains(member_link), "{page}: {member_link} in {top}");
        }
    }
    app.login_staff("conseiller").await;
    let home = app.get("/agent").await;
    let top = header(&home.body);
    assert!(top.contains("Menu de l'espace agents"));
    assert!(top.contains("href=\"/agent/messagerie\""));
    assert!(!top.contains("href=\"/paiements\""));
    assert!(!top.contains("href=\"/messagerie\""));
}
