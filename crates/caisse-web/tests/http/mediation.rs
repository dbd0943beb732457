//! The médiateur through pages: a member refers an overdue or negatively answered
//! réclamation of their own, supervisors of the fund work it in their queue and the answer
//! shows in the member's thread; another member, an ineligible thread, a conseiller or staff
//! of another fund get nothing. Also the outcome form's route.

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::clock::ManualClock;
use caisse_core::messaging::{Messaging, MessagingSettings, NewMessageForm};
use caisse_store::ConnectionTrait;
use time::Duration;
use time::macros::datetime;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, no_device_check};

const JULIEN: &str = "185057800608491";
const CAMILLE_NIR: &str = "2 93 12 2A 004 123 17";
const TEXT: &str = "Je conteste ce refus : la consultation était prescrite.";

/// The app's messaging use cases, at the app's clock (the conseillers' pages are not this
/// suite's).
pub fn service(app: &TestApp) -> Messaging {
    Messaging::new(
        app.db.db.clone(),
        app.clock.clone(),
        MessagingSettings::default(),
        app.files.clone(),
    )
}

pub async fn staff_id(app: &TestApp, login: &str) -> Uuid {
    caisse_store::staff::by_login(&app.db.db, login)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A thread of Julien's, sent now through the use case; returns its id.
pub async fn julien_writes(app: &TestApp, nature: &str) -> Uuid {
    let julien =
        caisse_store::members::find_by_nir(&app.db.db, &caisse_domain::Nir::parse(JULIEN).unwrap())
            .await
            .unwrap()
            .unwrap();
    let form = NewMessageForm {
        recipient: "caisse".to_owned(),
        objet: "remboursement.contestation".to_owned(),
        nature: nature.to_owned(),
        subject: "Refus de remboursement".to_owned(),
        body: "Ma consultation du 3 mars n'est pas remboursée.".to_owned(),
    };
    service(app)
        .member
        .send(julien.id, form, &RequestContext::default())
        .await
        .unwrap()
        .id
}

/// Moves the staff user `login` to fund `caisse`: staff of another fund, with a known code.
pub async fn move_staff(app: &TestApp, login: &str, caisse: &str) {
    app.db
        .db
        .execute_unprepared(&format!(
            "UPDATE staff SET caisse_code = '{caisse}' WHERE login = '{login}'"
        ))
        .await
        .unwrap();
}

async fn app_at_monday() -> (TestApp, ManualClock) {
    // Monday 2 March 2026, 10:00 in Paris.
    let clock = ManualClock::new(datetime!(2026-03-02 09:00 UTC));
    (
        TestApp::with_clock(clock.clone(), no_device_check()).await,
        clock,
    )
}

/// A supervisor's action on a referral: (path suffix, fields, notice left on the page).
type Action<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

/// The first `/agent/mediation/{uuid}` link of a page.
fn referral_link(body: &str) -> String {
    let start = body.find("/agent/mediation/").expect("a referral link");
    body[start..start + "/agent/mediation/".len() + 36].to_owned()
}

#[tokio::test]
async fn a_member_refers_an_overdue_reclamation_and_the_mediateurs_answer_shows_in_the_thread() {
    let (mut member, clock) = app_at_monday().await;
    let thread_id = julien_writes(&member, "reclamation").await;
    let thread = format!("/messagerie/{thread_id}");
    let referral_page = format!("{thread}/mediateur");
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert!(
        !member
            .get(&thread)
            .await
            .body
            .contains("Saisir le médiateur")
    );
    assert_eq!(
        member.get(&referral_page).await.status,
        StatusCode::NOT_FOUND
    );

    // 15 working days later, still no answer: the thread offers the médiateur.
    clock.advance(Duration::days(30));
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let page = member.get(&thread).await;
    assert!(
        page.body.contains("pas reçu de réponse à la date annoncée"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("href=\"{referral_page}\"")));
    let form = member.get(&referral_page).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Ce que fait le médiateur"));
    assert!(form.body.contains("suspend le délai de recours"));

    let empty = member
        .submit(&referral_page, &referral_page, &[("body", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("href=\"#body\""));
    // A text over the limit comes back whole, with its count.
    let long = "é".repeat(4_001);
    let too_long = member
        .submit(&referral_page, &referral_page, &[("body", &long)])
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.body.contains(&long));
    assert!(
        too_long
            .body
            .contains("4\u{a0}001 caractères sur 4\u{a0}000")
    );

    // Camille cannot refer or even see Julien's thread.
    let mut camille = member.another_browser();
    camille.login_member(CAMILLE_NIR, MEMBER_PASSWORD).await;
    assert_eq!(
        camille.get(&referral_page).await.status,
        StatusCode::NOT_FOUND
    );
    let token = camille.get("/messagerie").await.csrf_token();
    let refused = camille
        .post_form(
            &referral_page,
            &[("csrf_token", token.as_str()), ("body", TEXT)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    let sent = member
        .submit(&referral_page, &referral_page, &[("body", TEXT)])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let confirmation = member.get(sent.location().unwrap()).await;
    assert!(
        confirmation
            .body
            .contains("Votre demande est transmise au médiateur")
    );
    assert!(confirmation.body.contains("MD-20"));
    // A second submission makes no second referral.
    let again = member
        .submit(&referral_page, &referral_page, &[("body", TEXT)])
        .await;
    assert_eq!(again.location(), Some(referral_page.as_str()));
    let acknowledgements: Vec<String> =
        caisse_store::outbox::for_recipient(&member.db.db, "julien.martin@exemple.fr")
            .await
            .unwrap()
            .into_iter()
            .filter(|m| {
                m.subject
                    .starts_with("Votre demande au médiateur est enregistrée (MD-20")
            })
            .map(|m| m.body_text)
            .collect();
    assert_eq!(acknowledgements.len(), 1);
    assert!(acknowledgements[0].contains(&format!("http://127.0.0.1:8080{thread}")));
    assert!(!acknowledgements[0].contains("consultation"));
    let page = member.get(&thread).await;
    assert!(page.body.contains("Demande au médiateur"));
    assert!(page.body.contains("À traiter"));

    // The supervisor works it in the médiateur's queue.
    let mut supervisor = member.another_browser();
    supervisor.login_staff("superviseur").await;
    let queue = supervisor.get("/agent/mediation").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("Sans réponse dans le délai"));
    let referral = referral_link(&queue.body);
    let opened = supervisor.get(&referral).await;
    assert!(opened.body.contains(TEXT));
    assert!(opened.body.contains("Prendre en charge"));
    // Each action answers with the notice it leaves on the referral's page.
    let cases: [Action<'_>; 4] = [
        ("prendre", &[("version", "1")], "prise"),
        // A stale click is shown the new state, not applied.
        ("prendre", &[("version", "1")], "conflit"),
        (
            "repondre",
            &[
                ("version", "2"),
                (
                    "body",
                    "Après examen, la caisse remboursera la consultation.",
                ),
            ],
            "repondu",
        ),
        ("clore", &[("version", "3")], "close"),
    ];
    for (action, fields, notice) in cases {
        if action == "repondre" {
            let blank = supervisor
                .submit(
                    &referral,
                    &format!("{referral}/repondre"),
                    &[("version", "2"), ("body", "")],
                )
                .await;
            assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let done = supervisor
            .submit(&referral, &format!("{referral}/{action}"), fields)
            .await;
        assert_eq!(
            done.location(),
            Some(format!("{referral}?fait={notice}").as_str()),
            "{action}"
        );
    }

    let page = member.get(&thread).await;
    assert!(page.body.contains("Le médiateur de votre caisse"));
    assert!(page.body.contains("la caisse remboursera la consultation"));
    assert!(page.body.contains("Clos"));
    assert!(
        page.body.contains("Superviseur, le "),
        "the view is audited"
    );
}

#[tokio::test]
async fn conseillers_and_staff_of_another_fund_cannot_reach_the_mediateur_queue() {
    let (mut member, clock) = app_at_monday().await;
    let thread_id = julien_writes(&member, "reclamation").await;
    clock.advance(Duration::days(30));
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let referral_page = format!("/messagerie/{thread_id}/mediateur");
    member
        .submit(&referral_page, &referral_page, &[("body", TEXT)])
        .await;
    let mut supervisor = member.another_browser();
    supervisor.login_staff("superviseur").await;
    let referral = referral_link(&supervisor.get("/agent/mediation").await.body);

    let mut conseiller = member.another_browser();
    conseiller.login_staff("conseiller").await;
    assert_eq!(
        conseiller.get("/agent/mediation").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        conseiller.get(&referral).await.status,
        StatusCode::FORBIDDEN
    );
    let token = conseiller.get("/agent").await.csrf_token();
    let take = conseiller
        .post_form(
            &format!("{referral}/prendre"),
            &[("csrf_token", token.as_str()), ("version", "1")],
        )
        .await;
    assert_eq!(take.status, StatusCode::FORBIDDEN);
    assert!(
        !conseiller
            .get("/agent")
            .await
            .body
            .contains("/agent/mediation")
    );

    // The same supervisor, moved to Bas-Rhin: the referral is not found.
    move_staff(&member, "superviseur", "671").await;
    assert_eq!(
        supervisor.get(&referral).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        supervisor
            .get("/agent/mediation")
            .await
            .body
            .contains("Aucune saisine")
    );
    let token = supervisor.get("/agent").await.csrf_token();
    let take = supervisor
        .post_form(
            &format!("{referral}/prendre"),
            &[("csrf_token", token.as_str()), ("version", "1")],
        )
        .await;
    assert_eq!(take.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_a_reclamation_answered_negatively_or_late_offers_the_mediateur() {
    let (mut member, clock) = app_at_monday().await;
    let question = julien_writes(&member, "demande_renseignements").await;
    let complaint = julien_writes(&member, "reclamation").await;
    let svc = service(&member);
    let conseiller = staff_id(&member, "conseiller").await;
    let context = RequestContext::default();
    svc.staff
        .staff_reply(conseiller, complaint, 1, "Refus maintenu.", &context)
        .await
        .unwrap();

    // The conseiller records the outcome through the form's route.
    let mut staff = member.another_browser();
    staff.login_staff("conseiller").await;
    let issue = format!("/agent/messagerie/{complaint}/issue");
    let missing = staff.submit("/agent", &issue, &[("version", "2")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .body
            .contains("Choisissez l&#39;issue de la réclamation.")
    );
    assert!(missing.body.contains("name=\"outcome\""));
    let favorable = staff
        .submit(
            "/agent",
            &issue,
            &[("version", "2"), ("outcome", "favorable")],
        )
        .await;
    assert_eq!(
        favorable.location(),
        Some(format!("/agent/messagerie/{complaint}").as_str())
    );
    let stale = staff
        .submit(
            "/agent",
            &issue,
            &[("version", "2"), ("outcome", "defavorable")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let on_question = staff
        .submit(
            "/agent",
            &format!("/agent/messagerie/{question}/issue"),
            &[("version", "1"), ("outcome", "defavorable")],
        )
        .await;
    assert_eq!(on_question.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Months later: a question never goes to the médiateur, a favorable answer in time
    // neither.
    clock.advance(Duration::days(90));
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    for thread in [question, complaint] {
        let page = member.get(&format!("/messagerie/{thread}")).await;
        assert!(!page.body.contains("Saisir le médiateur"));
        let referral_page = format!("/messagerie/{thread}/mediateur");
        assert_eq!(
            member.get(&referral_page).await.status,
            StatusCode::NOT_FOUND
        );
        let token = member.get("/messagerie").await.csrf_token();
        let refused = member
            .post_form(
                &referral_page,
                &[("csrf_token", token.as_str()), ("body", TEXT)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
    }

    // Corrected to « Défavorable »: now the member may refer.
    staff.login_staff("conseiller").await;
    let corrected = staff
        .submit(
            "/agent",
            &issue,
            &[("version", "3"), ("outcome", "defavorable")],
        )
        .await;
    assert_eq!(corrected.status, StatusCode::SEE_OTHER);
    let page = member.get(&format!("/messagerie/{complaint}")).await;
    assert!(page.body.contains("réponse défavorable"));
    assert!(page.body.contains("Saisir le médiateur"));

    // Another fund's conseiller, and a member, cannot record outcomes.
    move_staff(&member, "conseiller", "671").await;
    let elsewhere = staff
        .submit(
            "/agent",
            &issue,
            &[("version", "4"), ("outcome", "favorable")],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let token = member.get("/messagerie").await.csrf_token();
    let by_member = member
        .post_form(
            &issue,
            &[
                ("csrf_token", token.as_str()),
                ("version", "4"),
                ("outcome", "favorable"),
            ],
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
}
