//! The advisor's thread page as a workspace (issue 20): the reply box, the action panels and
//! the member's file side by side, the keyboard shortcuts declared on their targets and listed
//! on the page, and « Fil suivant », a plain link to the next open thread of the queue that
//! nobody else has taken. And the account page: the identity facts to check, and only the
//! actions the account's state calls for.

use std::sync::Arc;

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::clock::SystemClock;
use caisse_core::messaging::{Messaging, MessagingSettings, NewMessageForm};
use caisse_domain::{AccountStatus, AlertKind, CaisseCode};
use caisse_store::members;
use caisse_store::messaging::ThreadChange;
use caisse_test_support::fixtures::{new_member, next_nir};
use time::macros::date;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, TestApp};

fn service(app: &TestApp) -> Messaging {
    Messaging::new(
        app.db.db.clone(),
        Arc::new(SystemClock),
        MessagingSettings::default(),
        app.files.clone(),
    )
}

/// A message from Julien MARTIN (Yvelines fund) due on `due_on`, earlier than anything the
/// demo holds, so the test knows the queue's order; returns its id.
async fn sent(app: &TestApp, subject: &str, due_on: time::Date) -> Uuid {
    let julien = app.member(MEMBER_NIR).await.id;
    let form = NewMessageForm {
        recipient: "caisse".to_owned(),
        objet: "autre.demande".to_owned(),
        nature: "signalement".to_owned(),
        subject: subject.to_owned(),
        body: "Bonjour, pouvez-vous m'aider ?".to_owned(),
    };
    let thread = service(app)
        .member
        .send(julien, form, &RequestContext::default())
        .await
        .unwrap();
    let moved = ThreadChange {
        due_on: Some(due_on),
        ..ThreadChange::default()
    };
    assert!(
        caisse_store::messaging::update_if_version(
            &app.db.db,
            thread.id,
            1,
            moved,
            caisse_store::now_utc().into()
        )
        .await
        .unwrap()
    );
    thread.id
}

/// The target of the page's « Fil suivant » link, if any.
fn next_link(body: &str) -> Option<String> {
    let start = body.find("id=\"fil-suivant\" href=\"")? + "id=\"fil-suivant\" href=\"".len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_owned())
}

#[tokio::test]
async fn the_thread_page_is_a_workspace_with_its_shortcuts_declared_and_listed() {
    let mut app = TestApp::with_demo_data().await;
    let thread = sent(&app, "Question", date!(2001 - 01 - 01)).await;
    app.login_staff("conseiller").await;
    let page = app.get(&format!("/agent/messagerie/{thread}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    // The conversation and the reply box in the main column, the member's file beside them.
    let main = body
        .find("class=\"workspace__main\"")
        .expect("the main column");
    let reply = body
        .find("<textarea id=\"reponse\"")
        .expect("the reply box");
    let aside = body
        .find("<aside class=\"workspace__aside\"")
        .expect("the member's file");
    assert!(
        main < reply && reply < aside,
        "the reply box before the file"
    );
    assert!(body.contains("class=\"workspace workspace--thread\""));
    assert!(
        body[aside..].contains("Dossier de l&#39;assuré")
            || body[aside..].contains("Dossier de l'assuré")
    );
    assert!(body[aside..].contains("Date de naissance"));
    assert!(
        body[aside..].contains("href=\"/agent/comptes/"),
        "the account from the file"
    );
    // The actions grouped in panels the script makes tabs of, each named.
    assert!(body.contains("data-onglets=\"Traiter le message\""));
    for (id, name) in [
        ("panneau-reponse", "Répondre"),
        ("panneau-note", "Note interne"),
        ("panneau-prise", "Prise en charge"),
        ("panneau-suivi", "Statut et transfert"),
        ("panneau-cloture", "Clôturer"),
    ] {
        assert!(
            body.contains(&format!("id=\"{id}\""))
                && body.contains(&format!("data-onglet=\"{name}\"")),
            "the panel {id}"
        );
    }
    // Shortcuts on their targets, listed in « Raccourcis clavier », the script loaded.
    assert!(body.contains("aria-keyshortcuts=\"Alt+Shift+R\""));
    assert!(body.contains("aria-keyshortcuts=\"Alt+Shift+N\""));
    assert!(body.contains("id=\"cloturer\" aria-keyshortcuts=\"Alt+Shift+C\""));
    assert!(body.contains("<summary>Raccourcis clavier</summary>"));
    assert!(
        body.contains("/static/js/back-office-keys."),
        "the script on the page"
    );
    let script = app.get("/static/js/back-office-keys.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("aria-keyshortcuts"));
    // The only thread waiting: no « Fil suivant », said in words.
    let alone = next_link(body);
    if alone.is_none() {
        assert!(
            body.contains("Aucun autre message n&#39;attend")
                || body.contains("Aucun autre message n'attend")
        );
    }
}

#[tokio::test]
async fn fil_suivant_follows_the_queue_skips_others_threads_and_starts_over() {
    let mut app = TestApp::with_demo_data().await;
    let first = sent(&app, "Premier", date!(2001 - 01 - 01)).await;
    let second = sent(&app, "Deuxième", date!(2001 - 01 - 02)).await;
    let third = sent(&app, "Troisième", date!(2001 - 01 - 03)).await;
    app.login_staff("conseiller").await;
    let page = app.get(&format!("/agent/messagerie/{first}")).await;
    assert_eq!(
        next_link(&page.body),
        Some(format!("/agent/messagerie/{second}")),
        "a plain link, no script needed"
    );
    assert!(
        page.body
            .contains("rel=\"next\" aria-keyshortcuts=\"Alt+Shift+S\"")
    );
    assert!(
        page.body.contains("<kbd>S</kbd>"),
        "listed among the shortcuts"
    );
    let page = app.get(&format!("/agent/messagerie/{second}")).await;
    assert_eq!(
        next_link(&page.body),
        Some(format!("/agent/messagerie/{third}"))
    );
    // Another advisor's thread is skipped.
    let garnier = caisse_store::staff::by_login(&app.db.db, "superviseur")
        .await
        .unwrap()
        .unwrap()
        .id;
    let taken = ThreadChange {
        assigned_staff_id: Some(Some(garnier)),
        ..ThreadChange::default()
    };
    assert!(
        caisse_store::messaging::update_if_version(
            &app.db.db,
            second,
            2,
            taken,
            caisse_store::now_utc().into()
        )
        .await
        .unwrap()
    );
    let page = app.get(&format!("/agent/messagerie/{first}")).await;
    assert_eq!(
        next_link(&page.body),
        Some(format!("/agent/messagerie/{third}"))
    );
    // A closed thread leaves the way; after the last thread due, the queue starts over at the
    // earliest one that is not this one.
    let page = app.get(&format!("/agent/messagerie/{third}")).await;
    let after_third = next_link(&page.body).expect("the queue starts over");
    assert_ne!(after_third, format!("/agent/messagerie/{third}"));
    assert_ne!(after_third, format!("/agent/messagerie/{second}"));
    let marie = caisse_store::staff::by_login(&app.db.db, "conseiller")
        .await
        .unwrap()
        .unwrap()
        .id;
    let ctx = RequestContext::default();
    service(&app)
        .staff
        .close(marie, third, 2, &ctx)
        .await
        .unwrap();
    let page = app.get(&format!("/agent/messagerie/{first}")).await;
    match next_link(&page.body) {
        Some(after_first) => {
            assert_ne!(after_first, format!("/agent/messagerie/{third}"), "closed");
            assert_ne!(
                after_first,
                format!("/agent/messagerie/{second}"),
                "another's"
            );
        }
        None => assert!(
            page.body.contains("Aucun autre message n&#39;attend")
                || page.body.contains("Aucun autre message n'attend")
        ),
    }
}

/// The HTML of the account page's « Actions » section.
fn actions(body: &str) -> &str {
    let start = body.find("id=\"actions-titre\"").expect("the actions");
    let end = body[start..].find("</section>").unwrap() + start;
    &body[start..end]
}

#[tokio::test]
async fn the_account_page_shows_the_identity_to_check_and_only_the_actions_that_apply() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("conseiller").await;
    let julien = app.member(MEMBER_NIR).await.id;
    let path = format!("/agent/comptes/{julien}");
    // Active, neither locked nor frozen, no alert: only the code by post, for a lost password.
    let page = app.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Identité à vérifier"));
    assert!(
        page.body
            .contains("<dt>Date de naissance</dt><dd>14 mai 1985</dd>")
    );
    assert!(
        page.body
            .contains("12 rue de la Paroisse<br>78000 VERSAILLES")
    );
    assert!(page.body.contains("06 12 34 56 78"));
    let offered = actions(&page.body);
    assert!(!offered.contains("Débloquer le compte"), "{offered}");
    assert!(!offered.contains("Clore les alertes"));
    assert!(!offered.contains("lever-gel"));
    assert!(offered.contains("Envoyer un code provisoire par courrier (mot de passe perdu)"));
    // Suspended and frozen: unlock and lift the freeze.
    let now = app.clock.instant();
    members::set_account_status(&app.db.db, julien, AccountStatus::Suspended, now)
        .await
        .unwrap();
    members::set_bank_frozen(&app.db.db, julien, true, now)
        .await
        .unwrap();
    let page = app.get(&path).await;
    let offered = actions(&page.body);
    assert!(offered.contains("Débloquer le compte"));
    assert!(offered.contains("Permettre de nouveau les changements bancaires"));
    // Active again with only an alert open: « Clore les alertes », the same action.
    members::set_account_status(&app.db.db, julien, AccountStatus::Active, now)
        .await
        .unwrap();
    let yvelines = CaisseCode::parse("781").unwrap();
    caisse_store::security_alerts::raise(&app.db.db, julien, &yvelines, AlertKind::ResetBurst, now)
        .await
        .unwrap();
    let page = app.get(&path).await;
    let offered = actions(&page.body);
    assert!(!offered.contains("Débloquer le compte"));
    assert!(offered.contains("Clore les alertes"));
    let closed = app
        .submit(&path, &format!("{path}/debloquer"), &[("alertes", "oui")])
        .await;
    assert_eq!(
        closed.location(),
        Some(format!("{path}?fait=alertes-closes").as_str())
    );
    let page = app.get(&format!("{path}?fait=alertes-closes")).await;
    assert!(
        page.body
            .contains("Les alertes de l&#39;assuré sont closes.")
            || page.body.contains("Les alertes de l'assuré sont closes.")
    );
    assert!(!actions(&page.body).contains("Clore les alertes"));
    // Closed by the member: a code to reactivate. No account at all: a code to activate.
    members::set_account_status(&app.db.db, julien, AccountStatus::Closed, now)
        .await
        .unwrap();
    let page = app.get(&path).await;
    assert!(actions(&page.body).contains("Envoyer un code de réactivation par courrier"));
    let newcomer = members::insert(
        &app.db.db,
        new_member(&next_nir(), "781", None),
        vec![],
        now,
    )
    .await
    .unwrap();
    let page = app.get(&format!("/agent/comptes/{newcomer}")).await;
    assert!(page.body.contains("Pas de compte en ligne"));
    let offered = actions(&page.body);
    assert!(
        offered.contains("Envoyer un code d&#39;activation par courrier")
            || offered.contains("Envoyer un code d'activation par courrier")
    );
    assert!(!offered.contains("Débloquer"));
}
