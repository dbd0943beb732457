//! The public questions for members and visitors, on both databases: Julien asks a question
//! (pending, « Mes questions » says so, nobody else reads it), a question holding a NIR, an
//! IBAN or a card number is held until he edits it, invalid input is refused in French, five
//! questions a day at most (also when fired at once), visitors read the published questions
//! and the fund's answers and search them, and the API does the same.

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::forum::QuestionStatus;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, api_token};

const TITLE: &str = "Remboursement des lunettes de mon fils";
const TEXT: &str = "Mon fils a 12 ans : comment sont remboursées ses lunettes, et faut-il une ordonnance récente ?";
const HELD: &str = "nous ne la publierons pas telle quelle";

async fn julien(app: &TestApp) -> TestApp {
    let mut browser = app.another_browser();
    let login = browser.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    browser
}

/// Another tab of the same browser (the same session).
fn tab_of(browser: &TestApp) -> TestApp {
    let mut tab = browser.another_browser();
    tab.cookie = browser.cookie.clone();
    tab
}

async fn ask(browser: &mut TestApp, title: &str, text: &str) -> crate::support::TestResponse {
    browser
        .submit(
            "/aide/questions/poser",
            "/aide/questions/poser",
            &[("pseudonyme", "Papa78"), ("titre", title), ("texte", text)],
        )
        .await
}

async fn questions_of(app: &TestApp) -> Vec<caisse_store::forum::Question> {
    let julien = app.member(MEMBER_NIR).await;
    caisse_store::forum::of_account(&app.db.db, julien.id)
        .await
        .unwrap()
}

async fn staff_id(app: &TestApp, login: &str) -> Uuid {
    caisse_store::staff::by_login(&app.db.db, login)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn julien_asks_a_question_that_only_he_reads_until_it_is_published() {
    let app = TestApp::with_demo_data().await;
    let mut visitor = app.another_browser();
    // Asking needs an account: the form sends visitors to the login page.
    let form = visitor.get("/aide/questions/poser").await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    assert!(form.location().unwrap().starts_with("/connexion?suite="));
    let list = visitor.get("/aide/questions").await;
    assert!(
        list.body
            .contains("/connexion?suite=%2Faide%2Fquestions%2Fposer")
    );

    let mut browser = julien(&app).await;
    let form = browser.get("/aide/questions/poser").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body
            .contains("N'écrivez jamais votre numéro de sécurité sociale")
    );
    let asked = ask(&mut browser, TITLE, TEXT).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(asked.location(), Some("/aide/mes-questions?fait=envoyee"));
    let mine = browser.get("/aide/mes-questions?fait=envoyee").await;
    assert!(
        mine.body
            .contains("Votre question sera publiée après vérification par un conseiller")
    );
    assert!(mine.body.contains(TITLE));
    assert!(mine.body.contains("En attente de vérification"));
    let question = questions_of(&app).await.remove(0);
    assert_eq!(question.status, QuestionStatus::Pending);

    // Nobody else reads it yet, nor finds it in the list; its author sees its status.
    let path = format!("/aide/questions/{}", question.id);
    assert_eq!(visitor.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(!visitor.get("/aide/questions").await.body.contains(TITLE));
    let own = browser.get(&path).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("En attente de vérification"));
    // The form offers the pseudonym used last.
    let again = browser.get("/aide/questions/poser").await;
    assert!(again.body.contains("value=\"Papa78\""));
}

#[tokio::test]
async fn a_question_with_a_nir_an_iban_or_a_card_number_is_held_until_edited() {
    let app = TestApp::with_demo_data().await;
    let mut browser = julien(&app).await;
    for (sensitive, named) in [
        (
            "Mon numéro est le 1 85 05 78 006 084 91, merci.",
            "un numéro de sécurité sociale",
        ),
        (
            "Versez sur FR76 3000 6000 0112 3456 7890 189 svp.",
            "des coordonnées bancaires (IBAN)",
        ),
        (
            "Ma carte 4111 1111 1111 1111 a été débitée.",
            "un numéro de carte bancaire",
        ),
    ] {
        let text = format!("{TEXT} {sensitive}");
        let held = ask(&mut browser, TITLE, &text).await;
        assert_eq!(
            held.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            held.body
        );
        assert!(held.body.contains(HELD), "{}", held.body);
        assert!(held.body.contains(named), "{named}");
        assert!(held.body.contains("/modifier"));
    }
    let questions = questions_of(&app).await;
    assert_eq!(questions.len(), 3);
    assert!(questions.iter().all(|q| q.status == QuestionStatus::Held));
    let held = &questions[0];
    // « Mes questions » links to the edit; still sensitive, it stays held.
    let mine = browser.get("/aide/mes-questions").await;
    let edit = format!("/aide/questions/{}/modifier", held.id);
    assert!(mine.body.contains(&edit));
    assert!(mine.body.contains(HELD));
    let still = browser
        .submit(
            &edit,
            &edit,
            &[
                ("pseudonyme", "Papa78"),
                ("titre", TITLE),
                ("texte", &format!("{TEXT} 4111 1111 1111 1111")),
            ],
        )
        .await;
    assert_eq!(still.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Edited without it, it waits for moderation.
    let edited = browser
        .submit(
            &edit,
            &edit,
            &[("pseudonyme", "Papa78"), ("titre", TITLE), ("texte", TEXT)],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    let stored = caisse_store::forum::find(&app.db.db, held.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, QuestionStatus::Pending);
    assert_eq!(stored.body, TEXT);
    assert!(stored.warnings.is_empty());
    // A pending question is not edited any more.
    let closed = browser.get(&edit).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    // A visitor is sent to log in.
    let mut visitor = app.another_browser();
    assert_eq!(visitor.get(&edit).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn invalid_input_is_refused_in_french() {
    let app = TestApp::with_demo_data().await;
    let mut browser = julien(&app).await;
    let short = ask(&mut browser, "Lunettes", TEXT).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short
            .body
            .contains("Le titre doit compter au moins 10 caractères.")
    );
    let pseudonym = browser
        .submit(
            "/aide/questions/poser",
            "/aide/questions/poser",
            &[("pseudonyme", "a@b"), ("titre", TITLE), ("texte", TEXT)],
        )
        .await;
    assert_eq!(pseudonym.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        pseudonym
            .body
            .contains("Votre pseudonyme ne peut contenir que")
    );
    assert!(pseudonym.body.contains(TEXT), "what he typed is kept");
    assert!(questions_of(&app).await.is_empty());
}

#[tokio::test]
async fn five_questions_a_day_at_most_even_fired_at_once() {
    let app = TestApp::with_demo_data().await;
    let browser = julien(&app).await;
    let token = tab_of(&browser)
        .get("/aide/questions/poser")
        .await
        .csrf_token();
    let mut set = JoinSet::new();
    for n in 0..8 {
        let mut tab = tab_of(&browser);
        let token = token.clone();
        set.spawn(async move {
            tab.post_form(
                "/aide/questions/poser",
                &[
                    ("csrf_token", token.as_str()),
                    ("pseudonyme", "Papa78"),
                    ("titre", &format!("{TITLE} n° {n}")),
                    ("texte", TEXT),
                ],
            )
            .await
        });
    }
    let answers = set.join_all().await;
    let landed = answers
        .iter()
        .filter(|a| a.status == StatusCode::SEE_OTHER)
        .count();
    let refused: Vec<_> = answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert_eq!(
        landed,
        5,
        "{:?}",
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    assert_eq!(refused.len(), 3, "the others are refused, none fails");
    assert!(
        refused[0]
            .body
            .contains("Vous avez déjà posé 5 questions en 24 heures")
    );
    assert_eq!(questions_of(&app).await.len(), 5);
}

#[tokio::test]
async fn visitors_read_and_search_published_questions_with_the_fund_s_answers() {
    let app = TestApp::with_demo_data().await;
    let mut browser = julien(&app).await;
    ask(&mut browser, "Sécurité des données de santé", TEXT).await;
    ask(
        &mut browser,
        TITLE,
        "Une question qui restera en attente de modération.",
    )
    .await;
    let questions = questions_of(&app).await;
    let pending = questions[0].id;
    let published = questions[1].id;
    let advisor = staff_id(&app, "conseiller").await;
    let context = RequestContext::default();
    app.services
        .forum
        .answer(
            advisor,
            published,
            "Vos données de santé ne sont jamais publiées.",
            &context,
        )
        .await
        .unwrap();

    let mut visitor = app.another_browser();
    let list = visitor.get("/aide/questions").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Sécurité des données de santé"));
    assert!(list.body.contains("Répondue"));
    assert!(list.body.contains("Papa78"));
    assert!(list.body.contains("CPAM des Yvelines"));
    assert!(!list.body.contains(&pending.to_string()));
    // Case and accents aside.
    let found = visitor.get("/aide/questions?q=SECURITE").await;
    assert!(found.body.contains("Sécurité des données de santé"));
    let none = visitor.get("/aide/questions?q=ordonnance%25").await;
    assert!(!none.body.contains("Sécurité des données de santé"));
    assert!(none.body.contains("Aucune question publiée"));
    let page = visitor.get(&format!("/aide/questions/{published}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Réponse de la caisse"));
    assert!(
        page.body
            .contains("Vos données de santé ne sont jamais publiées.")
    );
    assert_eq!(
        visitor
            .get(&format!("/aide/questions/{}", Uuid::now_v7()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_api_lists_reads_asks_and_lists_the_member_s_questions() {
    let app = TestApp::with_demo_data().await;
    let mut client = app.another_browser();
    let token = api_token(&mut client, MEMBER_NIR).await;
    let asked = client
        .post_json(
            "/api/v1/help/questions",
            json!({ "pseudonym": "Papa78", "title": TITLE, "text": TEXT }),
            Some(&token),
        )
        .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    let asked: Value = serde_json::from_str(&asked.body).unwrap();
    assert_eq!(asked["status"], "a_moderer");
    let id = asked["id"].as_str().unwrap().to_owned();
    let held = client
        .post_json(
            "/api/v1/help/questions",
            json!({ "pseudonym": "Papa78", "title": TITLE, "text": format!("{TEXT} FR76 3000 6000 0112 3456 7890 189") }),
            Some(&token),
        )
        .await;
    assert_eq!(held.status, StatusCode::CREATED);
    let held: Value = serde_json::from_str(&held.body).unwrap();
    assert_eq!(held["status"], "retenue");
    assert_eq!(held["warnings"], json!(["iban"]));
    assert!(held["held_message"].as_str().unwrap().contains(HELD));
    let invalid = client
        .post_json(
            "/api/v1/help/questions",
            json!({ "pseudonym": "Papa78", "title": "Court", "text": TEXT }),
            Some(&token),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.headers["content-type"], "application/problem+json");
    let invalid: Value = serde_json::from_str(&invalid.body).unwrap();
    assert_eq!(invalid["field"], "title");
    assert_eq!(invalid["code"], "invalid");
    let anonymous = client
        .post_json(
            "/api/v1/help/questions",
            json!({ "pseudonym": "Papa78", "title": TITLE, "text": TEXT }),
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let mine = client
        .get_with_bearer("/api/v1/help/my-questions", &token)
        .await;
    let mine: Value = serde_json::from_str(&mine.body).unwrap();
    assert_eq!(mine["questions"].as_array().unwrap().len(), 2);
    // Unpublished: a 404 for the public API.
    let path = format!("/api/v1/help/questions/{id}");
    assert_eq!(client.get(&path).await.status, StatusCode::NOT_FOUND);
    let advisor = staff_id(&app, "conseiller").await;
    app.services
        .forum
        .answer(
            advisor,
            id.parse().unwrap(),
            "Les lunettes d'un enfant sont remboursées sur ordonnance.",
            &RequestContext::default(),
        )
        .await
        .unwrap();
    let one: Value = serde_json::from_str(&client.get(&path).await.body).unwrap();
    assert_eq!(one["question"]["status"], "publiee");
    assert_eq!(one["question"]["answered"], true);
    assert_eq!(one["answers"][0]["fund"], "CPAM des Yvelines");
    let list: Value =
        serde_json::from_str(&client.get("/api/v1/help/questions?q=lunettes").await.body).unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["questions"][0]["id"], id.as_str());
}
