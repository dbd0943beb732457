//! « Ma messagerie », the list: the objet filter (grouped by category) narrows it, combines with
//! the status filter, and pages keep it.

use std::sync::Arc;

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::clock::SystemClock;
use caisse_core::messaging::{Messaging, MessagingQuotas, MessagingSettings, NewMessageForm};

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp};

fn message(objet: &str, subject: String) -> NewMessageForm {
    NewMessageForm {
        recipient: "caisse".to_owned(),
        objet: objet.to_owned(),
        nature: "demande_renseignements".to_owned(),
        subject,
        body: "Bonjour, pouvez-vous m'aider ?".to_owned(),
    }
}

#[tokio::test]
async fn the_objet_filter_narrows_the_list_and_pages_keep_it() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let nir = caisse_domain::Nir::parse(MEMBER_NIR).unwrap();
    let member = caisse_store::members::find_by_nir(&app.db.db, &nir)
        .await
        .unwrap()
        .unwrap();
    let service = Messaging::new(
        app.db.db.clone(),
        Arc::new(SystemClock),
        MessagingSettings {
            quotas: MessagingQuotas {
                sends_per_day: 100,
                ..MessagingQuotas::default()
            },
            ..MessagingSettings::default()
        },
        app.files.clone(),
    );
    // One page is 20 threads: 21 about the carte Vitale make two pages.
    for n in 1..=21 {
        service
            .member
            .send(
                member.id,
                message("carte_vitale.commande", format!("Carte Vitale n° {n}")),
                &RequestContext::default(),
            )
            .await
            .unwrap();
    }
    service
        .member
        .send(
            member.id,
            message(
                "remboursement.feuille_de_soins",
                "Feuille de soins du 3 novembre".to_owned(),
            ),
            &RequestContext::default(),
        )
        .await
        .unwrap();

    let all = app.get("/messagerie").await;
    assert!(
        all.body.contains("22 messages, page 1 sur 2"),
        "{}",
        all.body
    );
    assert!(
        all.body.contains("<optgroup label=\"Ma carte Vitale\">"),
        "{}",
        all.body
    );
    assert!(
        all.body
            .contains("<option value=\"\">Tous les thèmes</option>")
    );

    let one = app
        .get("/messagerie?objet=remboursement.feuille_de_soins")
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.body.contains("1 message, page 1 sur 1"), "{}", one.body);
    assert!(one.body.contains("Feuille de soins du 3 novembre"));
    assert!(!one.body.contains("Carte Vitale n°"));
    assert!(
        one.body
            .contains("<option value=\"remboursement.feuille_de_soins\" selected>")
    );

    let first = app.get("/messagerie?objet=carte_vitale.commande").await;
    assert!(
        first.body.contains("21 messages, page 1 sur 2"),
        "{}",
        first.body
    );
    assert!(!first.body.contains("Feuille de soins du 3 novembre"));
    let next = "/messagerie?page=2&#38;statut=&#38;objet=carte_vitale.commande&#38;q=";
    assert!(first.body.contains(next), "{}", first.body);
    let second = app.get(&next.replace("&#38;", "&")).await;
    assert!(
        second.body.contains("21 messages, page 2 sur 2"),
        "{}",
        second.body
    );
    assert!(
        second
            .body
            .contains("objet=carte_vitale.commande&#38;q=\">Page précédente")
    );
    assert_eq!(second.body.matches("Carte Vitale n°").count(), 1);

    // With the status filter: nothing is « Traité » yet.
    let closed = app
        .get("/messagerie?statut=traite&objet=carte_vitale.commande")
        .await;
    assert!(
        closed
            .body
            .contains("Aucun message ne correspond à ces critères")
    );
    // An objet the catalogue does not know filters nothing.
    let unknown = app.get("/messagerie?objet=inconnu").await;
    assert!(unknown.body.contains("22 messages,"), "{}", unknown.body);
    assert!(!unknown.body.contains("inconnu"));
}
