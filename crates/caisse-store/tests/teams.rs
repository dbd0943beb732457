//! Teams, routing and canned answers on SQLite by default and on PostgreSQL with
//! `TEST_DATABASE_URL`.

use caisse_domain::CaisseCode;
use caisse_domain::messaging::{Nature, TeamCode, TeamName, ThreadStatus};
use caisse_store::canned_answers::{self, CannedAnswerText};
use caisse_store::members;
use caisse_store::messaging::{self, NewThread, QueueFilters, TeamRouting, ThreadChange};
use caisse_store::now_utc;
use caisse_store::staff::{self, NewStaff};
use caisse_store::teams::{self, NewTeam};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::{new_member, next_nir};
use sea_orm::DatabaseConnection;
use time::macros::date;
use uuid::Uuid;

fn fund(code: &str) -> CaisseCode {
    CaisseCode::parse(code).unwrap()
}

fn team_code(code: &str) -> TeamCode {
    TeamCode::parse(code).unwrap()
}

async fn team(db: &DatabaseConnection, caisse: &str, code: &str) -> Uuid {
    teams::insert(
        db,
        NewTeam {
            caisse_code: fund(caisse),
            code: team_code(code),
            name: TeamName::parse(&format!("Équipe {code}")).unwrap(),
        },
        now_utc().into(),
    )
    .await
    .unwrap()
}

async fn conseiller(db: &DatabaseConnection, login: &str, caisse: &str) -> Uuid {
    staff::insert(
        db,
        NewStaff {
            login: login.to_owned(),
            display_name: login.to_owned(),
            email: None,
            role: caisse_domain::StaffRole::Conseiller,
            caisse_code: caisse_domain::CaisseCode::parse(caisse).unwrap(),
            password_hash: "x".to_owned(),
        },
        now_utc(),
    )
    .await
    .unwrap()
}

async fn thread(db: &DatabaseConnection, caisse: &str, team: Option<&str>) -> Uuid {
    new_thread(
        db,
        caisse,
        "remboursement.question",
        TeamRouting::Fixed(team.map(team_code)),
    )
    .await
}

async fn new_thread(db: &DatabaseConnection, caisse: &str, objet: &str, team: TeamRouting) -> Uuid {
    let member = members::insert(
        db,
        new_member(&next_nir(), caisse, None),
        Vec::new(),
        now_utc(),
    )
    .await
    .unwrap();
    messaging::insert_thread(
        db,
        NewThread {
            reference: format!("T-{}", &Uuid::now_v7().simple().to_string()[16..]),
            member_id: member,
            caisse_code: fund(caisse),
            recipient_code: "caisse".to_owned(),
            objet_code: objet.to_owned(),
            nature: Nature::DemandeRenseignements,
            subject: "Question".to_owned(),
            status: ThreadStatus::EnAttente,
            due_on: date!(2026 - 04 - 10),
            team,
            body: "Bonjour".to_owned(),
        },
        now_utc().into(),
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn an_objet_goes_to_at_most_one_team_of_a_fund() {
    let t = TestDb::new().await;
    let prestations = team(&t.db, "781", "prestations").await;
    let droits = team(&t.db, "781", "droits").await;
    let strasbourg = team(&t.db, "671", "prestations").await;
    teams::route(&t.db, fund("781"), "remboursement.question", prestations)
        .await
        .unwrap();
    assert!(
        teams::route(&t.db, fund("781"), "remboursement.question", droits)
            .await
            .is_err(),
        "a second team for the same objet of the same fund"
    );
    // Another fund routes the same objet its own way.
    teams::route(&t.db, fund("671"), "remboursement.question", strasbourg)
        .await
        .unwrap();
    assert_eq!(
        teams::team_for_objet(&t.db, fund("781"), "remboursement.question")
            .await
            .unwrap(),
        Some(team_code("prestations"))
    );
    assert_eq!(
        teams::team_for_objet(&t.db, fund("781"), "attestation.droits")
            .await
            .unwrap(),
        None
    );
    // Codes are unique within a fund only.
    assert!(
        teams::insert(
            &t.db,
            NewTeam {
                caisse_code: fund("781"),
                code: team_code("droits"),
                name: TeamName::parse("Doublon").unwrap(),
            },
            now_utc().into(),
        )
        .await
        .is_err()
    );
    let names: Vec<String> = teams::of_fund(&t.db, fund("781"))
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.team.code.as_str().to_owned())
        .collect();
    assert_eq!(names, ["droits", "prestations"]);
    assert_eq!(
        teams::routes_of_fund(&t.db, fund("781"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        teams::in_fund(&t.db, fund("671"), prestations)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_new_thread_routed_by_objet_gets_its_funds_team_in_the_insert_itself() {
    let t = TestDb::new().await;
    let prestations = team(&t.db, "781", "prestations").await;
    let strasbourg = team(&t.db, "671", "droits").await;
    teams::route(&t.db, fund("781"), "remboursement.question", prestations)
        .await
        .unwrap();
    teams::route(&t.db, fund("671"), "remboursement.question", strasbourg)
        .await
        .unwrap();
    let team_of = async |caisse: &str, objet: &str| {
        let id = new_thread(&t.db, caisse, objet, TeamRouting::ByObjet).await;
        messaging::fund_thread(&t.db, fund(caisse), id)
            .await
            .unwrap()
            .unwrap()
            .team
    };
    assert_eq!(
        team_of("781", "remboursement.question").await,
        Some(team_code("prestations"))
    );
    assert_eq!(
        team_of("671", "remboursement.question").await,
        Some(team_code("droits")),
        "each fund routes the objet its own way"
    );
    assert_eq!(team_of("781", "attestation.droits").await, None);
}

#[tokio::test]
async fn staff_join_and_leave_teams_once() {
    let t = TestDb::new().await;
    let prestations = team(&t.db, "781", "prestations").await;
    let droits = team(&t.db, "781", "droits").await;
    let marie = conseiller(&t.db, "marie", "781").await;
    assert!(
        teams::add_member(&t.db, prestations, marie, now_utc().into())
            .await
            .unwrap()
    );
    assert!(
        !teams::add_member(&t.db, prestations, marie, now_utc().into())
            .await
            .unwrap(),
        "already in it"
    );
    assert!(
        teams::add_member(&t.db, droits, marie, now_utc().into())
            .await
            .unwrap()
    );
    let codes = |teams: Vec<teams::Team>| {
        teams
            .into_iter()
            .map(|t| t.team.code.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(teams::of_staff(&t.db, marie).await.unwrap()),
        ["droits", "prestations"]
    );
    assert_eq!(
        teams::members_of_fund(&t.db, fund("781"))
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(teams::remove_member(&t.db, droits, marie).await.unwrap());
    assert!(!teams::remove_member(&t.db, droits, marie).await.unwrap());
    assert_eq!(
        codes(teams::of_staff(&t.db, marie).await.unwrap()),
        ["prestations"]
    );
}

#[tokio::test]
async fn the_queue_filters_by_team_and_a_fund_transfer_moves_a_thread_between_queues() {
    let t = TestDb::new().await;
    let routed = thread(&t.db, "781", Some("prestations")).await;
    let unrouted = thread(&t.db, "781", None).await;
    let ids = async |caisse: &str, team: Option<Option<&str>>| {
        let filters = QueueFilters {
            team: team.map(|t| t.map(team_code)),
            ..QueueFilters::default()
        };
        messaging::fund_queue(&t.db, fund(caisse), &filters, 0, 10)
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("781", Some(Some("prestations"))).await, [routed]);
    assert_eq!(ids("781", Some(None)).await, [unrouted]);
    assert_eq!(ids("781", None).await.len(), 2);

    let moved = ThreadChange {
        caisse_code: Some(fund("671")),
        team: Some(None),
        ..ThreadChange::default()
    };
    assert!(
        messaging::update_if_version(&t.db, routed, 1, moved, now_utc().into())
            .await
            .unwrap()
    );
    assert_eq!(ids("781", None).await, [unrouted]);
    assert_eq!(ids("671", Some(None)).await, [routed]);
    let row = messaging::fund_thread(&t.db, fund("671"), routed)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.version, row.due_on), (2, date!(2026 - 04 - 10)));
}

#[tokio::test]
async fn canned_answers_belong_to_their_fund() {
    let t = TestDb::new().await;
    let text = |title: &str| CannedAnswerText {
        team_id: None,
        title: title.to_owned(),
        body: "Bonjour {prenom},".to_owned(),
    };
    let a = canned_answers::insert(&t.db, fund("781"), text("Délai"), now_utc().into())
        .await
        .unwrap();
    let b = canned_answers::insert(&t.db, fund("781"), text("Attestation"), now_utc().into())
        .await
        .unwrap();
    canned_answers::insert(&t.db, fund("671"), text("Ailleurs"), now_utc().into())
        .await
        .unwrap();
    assert!(
        canned_answers::get(&t.db, fund("671"), a)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        !canned_answers::update(&t.db, fund("671"), a, text("Volé"), now_utc().into())
            .await
            .unwrap()
    );
    assert!(
        !canned_answers::set_active(&t.db, fund("671"), a, false, now_utc().into())
            .await
            .unwrap()
    );
    assert!(
        canned_answers::set_active(&t.db, fund("781"), b, false, now_utc().into())
            .await
            .unwrap()
    );
    let titles = |rows: Vec<canned_answers::CannedAnswer>| {
        rows.into_iter().map(|r| r.text.title).collect::<Vec<_>>()
    };
    assert_eq!(
        titles(
            canned_answers::of_fund(&t.db, fund("781"), false)
                .await
                .unwrap()
        ),
        ["Délai", "Attestation"],
        "active first"
    );
    assert_eq!(
        titles(
            canned_answers::of_fund(&t.db, fund("781"), true)
                .await
                .unwrap()
        ),
        ["Délai"]
    );
    assert!(
        canned_answers::update(
            &t.db,
            fund("781"),
            a,
            text("Délai de remboursement"),
            now_utc().into()
        )
        .await
        .unwrap()
    );
    assert_eq!(
        canned_answers::get(&t.db, fund("781"), a)
            .await
            .unwrap()
            .unwrap()
            .text
            .title,
        "Délai de remboursement"
    );
}
