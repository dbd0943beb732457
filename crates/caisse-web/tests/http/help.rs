//! The help through the pages and the API, on both databases: visitors read the FAQ by
//! category and entry; the search finds entries despite typos and keeps the question with its
//! numbers masked; suggestions answer as JSON; « Cette réponse vous a-t-elle aidé ? » is kept
//! for the fund; the assistant answers from the FAQ with its sources, acts on intents with deep
//! links (through the login page for visitors), says when it does not know and prefills a
//! message; its panel is on member pages; a supervisor's publication reaches members on the
//! next request while a draft does not; the API gives the same answers.

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::help::{EntryForm, Reader};
use caisse_store::entities::{help_feedback, help_query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, api_token};

/// A page's text with its escaped apostrophes and quotes read back.
fn text(body: &str) -> String {
    body.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The demo app with the shipped FAQ loaded into the demo fund (as `serve` does at start).
async fn app_with_faq() -> TestApp {
    let app = TestApp::with_demo_data().await;
    let loaded = app.services.help.load_shipped().await.expect("shipped FAQ");
    assert_eq!(loaded, 1, "the demo fund gets the shipped FAQ once");
    assert_eq!(app.services.help.load_shipped().await.expect("again"), 0);
    app
}

async fn logged_in(app: &mut TestApp) {
    let response = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
}

async fn staff_id(app: &TestApp, login: &str) -> Uuid {
    caisse_store::staff::by_login(&app.db.db, login)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The slugs the page links to under `/aide/`, in order.
fn entry_links(body: &str) -> Vec<String> {
    body.match_indices("href=\"/aide/")
        .filter_map(|(at, m)| {
            let rest = &body[at + m.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .filter(|slug| {
            !slug.starts_with("categorie/")
                && !slug.starts_with("questions")
                && !slug.starts_with("recherche")
        })
        .collect()
}

/// The kept question whose normalised text starts with `start` (the clock counts whole
/// seconds: several questions of one test share their time).
async fn kept_question(app: &TestApp, start: &str) -> help_query::Model {
    help_query::Entity::find()
        .filter(help_query::Column::Normalized.starts_with(start))
        .order_by_desc(help_query::Column::AskedAt)
        .all(&app.db.db)
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("a kept question « {start}… »"))
}

#[tokio::test]
async fn visitors_read_the_faq_by_category_and_entry() {
    let mut app = TestApp::with_demo_data().await;
    let index = app.get("/aide").await;
    assert_eq!(index.status, StatusCode::OK);
    let body = text(&index.body);
    for title in [
        "Carte Vitale et carte européenne",
        "Arrêt de travail et indemnités journalières",
    ] {
        assert!(body.contains(title), "{title}");
    }
    let category = app.get("/aide/categorie/carte-vitale").await;
    assert_eq!(category.status, StatusCode::OK);
    let slugs = entry_links(&category.body);
    assert!(slugs.len() >= 5, "{slugs:?}");
    let entry = app.get(&format!("/aide/{}", slugs[0])).await;
    assert_eq!(entry.status, StatusCode::OK);
    assert!(text(&entry.body).contains("Cette réponse vous a-t-elle aidé ?"));
    // The shipped FAQ has no publication date: no « Mis à jour ».
    assert!(!entry.body.contains("Mis à jour"));
    assert_eq!(
        app.get("/aide/nulle-part").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/aide/categorie/meteo").await.status,
        StatusCode::NOT_FOUND
    );
    // No assistant panel for visitors; the help page has none either.
    assert!(!index.body.contains("data-assistant"));
}

#[tokio::test]
async fn the_search_finds_entries_despite_typos_and_keeps_the_question_masked() {
    let mut app = app_with_faq().await;
    logged_in(&mut app).await;
    let found = app
        .get("/aide/recherche?q=jai%20perdu%20ma%20carte%20vitalle")
        .await;
    assert_eq!(found.status, StatusCode::OK);
    let slugs = entry_links(&found.body);
    assert!(!slugs.is_empty(), "{}", found.body);
    let best = app.get(&format!("/aide/{}", slugs[0])).await;
    assert!(
        text(&best.body).to_lowercase().contains("vitale"),
        "{}",
        slugs[0]
    );
    let kept = kept_question(&app, "jai perdu").await;
    assert_eq!(kept.outcome, "answered");
    assert_eq!(kept.channel, "search");
    assert_eq!(kept.caisse_code, "781");

    // A number typed into the box is never kept.
    app.get("/aide/recherche?q=mon%20numero%201%2085%2005%2078%20006%20084%2036")
        .await;
    let kept = kept_question(&app, "mon numero").await;
    assert!(
        !kept.question.chars().any(|c| c.is_ascii_digit()),
        "{}",
        kept.question
    );

    // Nothing answers: the page offers to write, the question prefilled.
    let nothing = app
        .get("/aide/recherche?q=recette%20des%20crepes%20bretonnes")
        .await;
    let body = text(&nothing.body);
    assert!(body.contains("Écrire à ma caisse"), "{body}");
    assert!(body.contains("/messagerie/nouveau?sujet=recette"), "{body}");
    assert_eq!(kept_question(&app, "recette").await.outcome, "unanswered");
    // An empty search goes back to the help page.
    assert_eq!(
        app.get("/aide/recherche?q=").await.location(),
        Some("/aide")
    );
}

#[tokio::test]
async fn suggestions_answer_as_json() {
    let mut app = TestApp::with_demo_data().await;
    let response = app.get("/aide/suggestions?q=carte%20vit").await;
    assert_eq!(response.status, StatusCode::OK);
    let items: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    let items = items.as_array().expect("an array");
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i["href"].as_str().unwrap().starts_with("/aide/"))
    );
    let short: serde_json::Value =
        serde_json::from_str(&app.get("/aide/suggestions?q=c").await.body).unwrap();
    assert_eq!(short, serde_json::json!([]));
}

#[tokio::test]
async fn was_it_helpful_is_kept_for_the_fund() {
    let mut app = app_with_faq().await;
    logged_in(&mut app).await;
    let slug = entry_links(&app.get("/aide/categorie/attestations").await.body)[0].clone();
    let page = format!("/aide/{slug}");
    let response = app
        .submit(&page, &format!("{page}/avis"), &[("aide", "non")])
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response.location(),
        Some(format!("{page}?avis=non#avis").as_str())
    );
    let thanked = app.get(&format!("{page}?avis=non")).await;
    assert!(text(&thanked.body).contains("Merci pour votre avis"));
    let kept = help_feedback::Entity::find().all(&app.db.db).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert!(!kept[0].helped);
    assert_eq!(kept[0].caisse_code, "781");
    let bad = app
        .submit(&page, &format!("{page}/avis"), &[("aide", "peut-etre")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let missing = app
        .submit(&page, "/aide/nulle-part/avis", &[("aide", "oui")])
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_assistant_acts_on_intents_with_deep_links() {
    let mut app = app_with_faq().await;
    logged_in(&mut app).await;
    for (question, href) in [
        ("telecharger mon attestation", "href=\"/attestations\""),
        (
            "je voudrais commander une carte vitale",
            "href=\"/demarches#carte-vitale\"",
        ),
        ("prendre un rdv avec un conseiller", "href=\"/rendez-vous\""),
        ("ecrire a ma caisse", "href=\"/messagerie/nouveau\""),
        ("ou en est mon remboursement", "href=\"/paiements\""),
    ] {
        let page = app
            .get(&format!("/assistant?q={}", question.replace(' ', "%20")))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(href), "{question}: {}", page.body);
    }
    // Julien has no payment yet: the assistant says so rather than inventing one.
    let payment = app
        .get("/assistant?q=ou%20en%20est%20mon%20remboursement")
        .await;
    assert!(text(&payment.body).contains("aucun paiement"));
    assert_eq!(kept_question(&app, "ou en est").await.outcome, "acted");

    // A visitor is sent through the login page.
    let mut visitor = app.another_browser();
    let page = visitor
        .get("/assistant?q=telecharger%20mon%20attestation")
        .await;
    assert!(
        page.body
            .contains("href=\"/connexion?suite=/attestations\""),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn the_assistant_answers_from_the_faq_or_says_it_does_not_know() {
    let mut app = app_with_faq().await;
    logged_in(&mut app).await;
    let answer = app
        .get("/assistant?q=combien%20de%20temps%20pour%20etre%20rembourse")
        .await;
    let body = text(&answer.body);
    assert!(body.contains("D'après l'aide de votre caisse"), "{body}");
    assert!(body.contains("Réponses de l'aide utilisées"));
    assert!(!entry_links(&answer.body).is_empty());

    let unknown = app
        .get("/assistant?q=quel%20temps%20fera%20t%20il%20a%20lyon%20demain")
        .await;
    let body = text(&unknown.body);
    assert!(body.contains("Je ne connais pas la réponse"), "{body}");
    let start = body
        .find("href=\"/messagerie/nouveau?")
        .expect("a prefilled message");
    let href = &body[start + 6..];
    let href = &href[..href.find('"').unwrap()];
    assert!(href.contains("message=quel%20temps"), "{href}");
    let form = app.get(href).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(text(&form.body).contains("quel temps fera t il a lyon demain"));

    // « Ne m'a pas aidé » on the answer.
    let kept = kept_question(&app, "quel temps").await;
    assert_eq!(kept.outcome, "unanswered");
    let id = kept.id.to_string();
    let response = app
        .submit(
            "/assistant",
            "/assistant/avis",
            &[("question", &id), ("aide", "non")],
        )
        .await;
    assert_eq!(response.location(), Some("/assistant?avis=merci"));
    let kept = help_query::Entity::find_by_id(kept.id)
        .one(&app.db.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.helped, Some(false));

    // The panel's fragment is the answer alone.
    let fragment = app
        .get("/assistant?q=carte%20vitale%20perdue&fragment=1")
        .await;
    assert!(!fragment.body.contains("<html"));
    assert!(fragment.body.contains("assistant-reply"));
}

#[tokio::test]
async fn the_assistant_panel_is_on_member_pages() {
    let mut app = TestApp::with_demo_data().await;
    assert!(!app.get("/").await.body.contains("data-assistant"));
    logged_in(&mut app).await;
    for page in ["/", "/paiements", "/messagerie", "/profil"] {
        let body = app.get(page).await.body;
        assert!(
            body.contains("data-assistant") && body.contains("action=\"/assistant\""),
            "{page}"
        );
    }
}

#[tokio::test]
async fn a_publication_reaches_members_at_once_and_a_draft_does_not() {
    let mut app = app_with_faq().await;
    logged_in(&mut app).await;
    let help = app.services.help.clone();
    let supervisor = staff_id(&app, "superviseur").await;
    let context = RequestContext::default();
    let form = EntryForm {
        slug: "horaires-accueil".to_owned(),
        category: "rendez-vous".to_owned(),
        question: "Quels sont les horaires de l'accueil de Versailles ?".to_owned(),
        alternatives: "heures d'ouverture de l'agence\nquand ouvre la caisse".to_owned(),
        answer: "L'accueil de Versailles vous reçoit du lundi au vendredi, sur rendez-vous \
                 l'après-midi."
            .to_owned(),
        link_label: "Prendre rendez-vous".to_owned(),
        link_href: "/rendez-vous".to_owned(),
        review_on: "2027-06-30".to_owned(),
    };
    let id = help
        .admin_create(supervisor, &context, &form)
        .await
        .unwrap();
    assert_eq!(
        app.get("/aide/horaires-accueil").await.status,
        StatusCode::NOT_FOUND
    );
    help.admin_publish(supervisor, &context, id).await.unwrap();
    let published = app.get("/aide/horaires-accueil").await;
    assert_eq!(published.status, StatusCode::OK);
    assert!(text(&published.body).contains("du lundi au vendredi"));
    assert!(published.body.contains("Mis à jour le"));
    let found = app
        .get("/aide/recherche?q=horaires%20ouverture%20agence%20versailles")
        .await;
    assert_eq!(
        entry_links(&found.body).first().map(String::as_str),
        Some("horaires-accueil")
    );

    // A draft beside it changes nothing for members until it is published.
    let draft = EntryForm {
        answer: "L'accueil de Versailles est fermé le jeudi.".to_owned(),
        ..form
    };
    help.admin_save(supervisor, &context, id, &draft)
        .await
        .unwrap();
    let page = app.get("/aide/horaires-accueil").await;
    assert!(text(&page.body).contains("du lundi au vendredi"));
    help.admin_publish(supervisor, &context, id).await.unwrap();
    assert!(text(&app.get("/aide/horaires-accueil").await.body).contains("fermé le jeudi"));

    help.admin_archive(supervisor, &context, id, true)
        .await
        .unwrap();
    assert_eq!(
        app.get("/aide/horaires-accueil").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        help.entry(Reader::Visitor, "horaires-accueil")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_api_searches_reads_and_asks() {
    let mut app = app_with_faq().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let found = app
        .get_with_bearer(
            "/api/v1/help/search?q=carte%20europeenne%20vacances",
            &token,
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let found: serde_json::Value = serde_json::from_str(&found.body).unwrap();
    let slug = found["results"][0]["slug"]
        .as_str()
        .expect("a result")
        .to_owned();
    assert_eq!(found["results"][0]["category"], "carte-vitale");

    let entry = app
        .get_with_bearer(&format!("/api/v1/help/entries/{slug}"), &token)
        .await;
    assert_eq!(entry.status, StatusCode::OK);
    let entry: serde_json::Value = serde_json::from_str(&entry.body).unwrap();
    assert!(entry["answer"].as_str().unwrap().len() > 50);
    let missing = app
        .get_with_bearer("/api/v1/help/entries/nulle-part", &token)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let action = app
        .post_json(
            "/api/v1/help/assistant",
            serde_json::json!({ "question": "prendre rendez-vous" }),
            Some(&token),
        )
        .await;
    let action: serde_json::Value = serde_json::from_str(&action.body).unwrap();
    assert_eq!(action["kind"], "action");
    assert_eq!(action["intent"], "book_appointment");
    assert_eq!(action["link"]["href"], "/rendez-vous");

    let unknown = app
        .post_json(
            "/api/v1/help/assistant",
            serde_json::json!({ "question": "horaires du train pour Lyon" }),
            Some(&token),
        )
        .await;
    let unknown: serde_json::Value = serde_json::from_str(&unknown.body).unwrap();
    assert_eq!(unknown["kind"], "unknown");
    assert!(
        unknown["link"]["href"]
            .as_str()
            .unwrap()
            .starts_with("/messagerie/nouveau?")
    );
    let question_id = unknown["question_id"].as_str().expect("kept").to_owned();
    let feedback = app
        .post_json(
            "/api/v1/help/assistant/feedback",
            serde_json::json!({ "question_id": question_id, "helped": false }),
            Some(&token),
        )
        .await;
    assert_eq!(feedback.status, StatusCode::NO_CONTENT);
    let kept = help_query::Entity::find()
        .filter(help_query::Column::Helped.eq(false))
        .all(&app.db.db)
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);

    let extra = app
        .post_json(
            "/api/v1/help/assistant",
            serde_json::json!({ "question": "x", "autre": 1 }),
            Some(&token),
        )
        .await;
    assert_eq!(extra.status, StatusCode::BAD_REQUEST);
    let empty = app
        .get_with_bearer("/api/v1/help/search?q=%20", &token)
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let anonymous = app.get("/api/v1/help/search?q=carte").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_public_question_answered_becomes_a_draft_entry_of_the_nearest_category() {
    let app = app_with_faq().await;
    let help = app.services.help.clone();
    let supervisor = staff_id(&app, "superviseur").await;
    let advisor = staff_id(&app, "conseiller").await;
    let context = RequestContext::default();
    let (title, text, answer) = (
        "Ma carte Vitale est cassée, que faire ?",
        "Elle s'est pliée dans mon portefeuille et la pharmacie ne peut plus la lire.",
        "Commandez une nouvelle carte depuis « Mes démarches » : vous recevrez une attestation \
         en attendant.",
    );
    let id = help
        .admin_create_from_question(supervisor, &context, title, text, answer)
        .await
        .unwrap();
    let entry = help.admin_entry(supervisor, id).await.unwrap().entry;
    assert_eq!(entry.slug.as_str(), "ma-carte-vitale-est-cassee-que-faire");
    assert_eq!(entry.status(), caisse_domain::help::EntryStatus::Draft);
    let content = &entry.current().unwrap().content;
    assert_eq!(content.category, caisse_domain::help::Category::CarteVitale);
    assert_eq!(content.alternatives(), [text]);
    // The same title again gets a numbered slug; an advisor may not do it.
    let again = help
        .admin_create_from_question(supervisor, &context, title, text, answer)
        .await
        .unwrap();
    let again = help.admin_entry(supervisor, again).await.unwrap().entry;
    assert_eq!(
        again.slug.as_str(),
        "ma-carte-vitale-est-cassee-que-faire-2"
    );
    assert!(matches!(
        help.admin_create_from_question(advisor, &context, title, text, answer)
            .await,
        Err(caisse_core::help::HelpAdminError::NotAllowed)
    ));
}

#[tokio::test]
async fn where_is_my_reimbursement_answers_from_the_members_own_latest_payment() {
    let mut app = app_with_faq().await;
    caisse_core::demo::seed_care(&app.db.db, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    let julien = app.member(MEMBER_NIR).await;
    let latest = app
        .services
        .payments
        .latest(julien.id)
        .await
        .unwrap()
        .expect("the demo's year of care paid Julien");
    logged_in(&mut app).await;
    let page = app
        .get("/assistant?q=ou%20en%20est%20mon%20remboursement")
        .await;
    let body = text(&page.body);
    let amount = caisse_domain::french::amount(latest.amount);
    let day = caisse_domain::french::letter_date(latest.day);
    assert!(
        body.contains(&format!(
            "Votre dernier paiement : {amount} versés le {day}"
        )),
        "{amount} {day}: {body}"
    );
    assert!(
        page.body
            .contains(&format!("href=\"/paiements/{}\"", latest.id))
    );

    // The API gives the same payment, in cents.
    let token = api_token(&mut app, MEMBER_NIR).await;
    let reply = app
        .post_json(
            "/api/v1/help/assistant",
            serde_json::json!({ "question": "ou en est mon remboursement" }),
            Some(&token),
        )
        .await;
    let reply: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(reply["intent"], "latest_payment");
    assert_eq!(reply["latest_payment"]["id"], latest.id.to_string());
    assert_eq!(
        reply["latest_payment"]["amount_cents"],
        latest.amount.cents()
    );
}
