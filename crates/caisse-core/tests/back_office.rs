//! The conseillers' back office on a real database (SQLite, or PostgreSQL with
//! `TEST_DATABASE_URL`): teams and routing, assignment, transfers, canned answers and their
//! variables, notes at a version, the member's file.

use std::sync::Arc;

use caisse_core::audit::RequestContext;
use caisse_core::clock::ManualClock;
use caisse_core::messaging::teams::{self, TeamAdminError, TeamDraft};
use caisse_core::messaging::{
    CannedAnswerForm, Destination, Messaging, MessagingSettings, NewMessageForm, QueueFilters,
    QueueTeam, StaffError, staff_targets,
};
use caisse_domain::CaisseCode;
use caisse_domain::messaging::{Catalogue, TeamCode, ThreadStatus};
use caisse_store::members::{self, NewMember};
use caisse_store::staff::{self, NewStaff};
use caisse_store::{Db, now_utc};
use caisse_test_support::TestDb;
use time::macros::{date, datetime};
use uuid::Uuid;

struct World {
    _t: TestDb,
    db: Db,
    svc: Messaging,
}

fn ctx() -> RequestContext {
    RequestContext {
        ip: "192.0.2.9".to_owned(),
        user_agent: "test".to_owned(),
    }
}

async fn world() -> World {
    let t = TestDb::new().await;
    let db = t.db.clone();
    let svc = Messaging::new(
        db.clone(),
        Arc::new(ManualClock::new(datetime!(2026-03-10 09:00 UTC))),
        MessagingSettings::default(),
        Arc::new(caisse_core::files::ObjectFiles::in_memory()),
    );
    World { _t: t, db, svc }
}

async fn insured(db: &Db, tag: &str, caisse: &str) -> Uuid {
    members::insert(
        db,
        NewMember {
            nir: {
                let body = format!("2821267482{tag}");
                let key = caisse_domain::compute_key(&body).unwrap();
                caisse_domain::Nir::parse(&format!("{body}{key:02}")).unwrap()
            },
            last_name: "WEBER".to_owned(),
            usage_name: Some("MULLER".to_owned()),
            first_name: "Sophie".to_owned(),
            birth_date: date!(1982 - 12 - 21),
            sex: caisse_domain::Sex::Female,
            caisse_code: caisse_domain::CaisseCode::parse(caisse).unwrap(),
            vitale_serial: None,
            address_line1: "8 quai des Bateliers".to_owned(),
            address_line2: None,
            postal_code: "67000".to_owned(),
            city: "STRASBOURG".to_owned(),
            email: Some(caisse_domain::Email::parse(&format!("sophie{tag}@exemple.fr")).unwrap()),
            phone: None,
            iban: None,
        },
        Vec::new(),
        now_utc(),
    )
    .await
    .unwrap()
}

async fn agent(db: &Db, login: &str, role: &str, caisse: &str) -> Uuid {
    staff::insert(
        db,
        NewStaff {
            login: login.to_owned(),
            display_name: format!("Agent {login}"),
            email: None,
            role: caisse_domain::StaffRole::from_code(role).unwrap(),
            caisse_code: caisse_domain::CaisseCode::parse(caisse).unwrap(),
            password_hash: "x".to_owned(),
        },
        now_utc(),
    )
    .await
    .unwrap()
}

async fn team(
    w: &World,
    caisse: &str,
    code: &str,
    objets: &[&str],
) -> Result<Uuid, TeamAdminError> {
    teams::create(
        &w.db,
        &Catalogue::default_fr(),
        TeamDraft {
            caisse: CaisseCode::parse(caisse).unwrap(),
            code: code.to_owned(),
            name: format!("Équipe {code}"),
            objets: objets.iter().map(|o| (*o).to_owned()).collect(),
        },
        &ctx(),
        now_utc(),
    )
    .await
}

async fn send(w: &World, member: Uuid, objet: &str) -> Uuid {
    w.svc
        .member
        .send(
            member,
            NewMessageForm {
                recipient: "caisse".to_owned(),
                objet: objet.to_owned(),
                nature: "demande_renseignements".to_owned(),
                subject: "Ma question".to_owned(),
                body: "Bonjour, où en est mon dossier ?".to_owned(),
            },
            &ctx(),
        )
        .await
        .unwrap()
        .id
}

async fn status_of(w: &World, staff: Uuid, thread: Uuid) -> (ThreadStatus, Option<Uuid>, i32) {
    let t = w
        .svc
        .staff
        .staff_thread(staff, thread, &ctx())
        .await
        .unwrap()
        .thread;
    (t.status, t.assigned_staff_id, t.version)
}

#[tokio::test]
async fn a_message_is_routed_to_the_team_of_its_objet_in_the_members_fund() {
    let w = world().await;
    let prestations = team(&w, "781", "prestations", &["remboursement.question"])
        .await
        .unwrap();
    team(&w, "671", "remboursements", &["remboursement.question"])
        .await
        .unwrap();
    let yvelines = insured(&w.db, "001", "781").await;
    let strasbourg = insured(&w.db, "002", "671").await;
    let conseiller = agent(&w.db, "marie", "conseiller", "781").await;
    let routed = send(&w, yvelines, "remboursement.question").await;
    let unrouted = send(&w, yvelines, "autre.demande").await;
    let elsewhere = send(&w, strasbourg, "remboursement.question").await;

    let queue = |team: Option<QueueTeam>| {
        let filters = QueueFilters {
            team,
            ..QueueFilters::default()
        };
        let svc = w.svc.clone();
        async move {
            svc.staff
                .queue(conseiller, &filters, 1)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|t| (t.id, t.team.map(|code| code.as_str().to_owned())))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        queue(Some(QueueTeam::Code("prestations".to_owned()))).await,
        [(routed, Some("prestations".to_owned()))]
    );
    assert_eq!(queue(Some(QueueTeam::Unrouted)).await, [(unrouted, None)]);
    assert_eq!(queue(None).await.len(), 2);
    let strasbourg_staff = agent(&w.db, "paul", "conseiller", "671").await;
    let there = w
        .svc
        .staff
        .staff_thread(strasbourg_staff, elsewhere, &ctx())
        .await
        .unwrap();
    assert_eq!(
        there.thread.team.as_ref().map(TeamCode::as_str),
        Some("remboursements")
    );
    // The member does not see the fund's teams.
    let mine = w.svc.member.member_thread(yvelines, routed).await.unwrap();
    assert_eq!(mine.thread.team, None);
    assert_ne!(prestations, Uuid::nil());
}

#[tokio::test]
async fn teams_are_checked_and_staff_join_and_leave_them() {
    let w = world().await;
    team(&w, "781", "prestations", &["remboursement.question"])
        .await
        .unwrap();
    assert!(matches!(
        team(&w, "781", "Prestations", &[]).await,
        Err(TeamAdminError::Invalid(_))
    ));
    assert!(matches!(
        team(&w, "781", "prestations", &[]).await,
        Err(TeamAdminError::CodeTaken)
    ));
    assert!(matches!(
        team(&w, "781", "autre", &["pas.un_objet"]).await,
        Err(TeamAdminError::UnknownObjet(o)) if o == "pas.un_objet"
    ));
    assert!(matches!(
        team(&w, "781", "autre", &["attestation.droits", "remboursement.question"]).await,
        Err(TeamAdminError::ObjetTaken { objet, team }) if objet == "remboursement.question" && team == "prestations"
    ));
    // The refused team was not created, even partly.
    assert_eq!(
        teams::list(&w.db, Some(fund("781"))).await.unwrap().len(),
        1
    );

    agent(&w.db, "marie", "conseiller", "781").await;
    agent(&w.db, "paul", "conseiller", "671").await;
    assert!(
        teams::add_staff(&w.db, "marie", "prestations", &ctx(), now_utc())
            .await
            .unwrap()
    );
    assert!(
        !teams::add_staff(&w.db, "marie", "prestations", &ctx(), now_utc())
            .await
            .unwrap()
    );
    assert!(matches!(
        teams::add_staff(&w.db, "paul", "prestations", &ctx(), now_utc()).await,
        Err(TeamAdminError::UnknownTeam)
    ));
    assert!(matches!(
        teams::add_staff(&w.db, "personne", "prestations", &ctx(), now_utc()).await,
        Err(TeamAdminError::UnknownStaff)
    ));
    let listed = teams::list(&w.db, None).await.unwrap();
    assert_eq!(listed[0].staff, ["marie"]);
    assert_eq!(listed[0].objets, ["remboursement.question"]);
    assert!(
        teams::remove_staff(&w.db, "marie", "prestations", &ctx(), now_utc())
            .await
            .unwrap()
    );
    assert!(teams::list(&w.db, None).await.unwrap()[0].staff.is_empty());
}

#[tokio::test]
async fn a_conseiller_takes_threads_and_a_superviseur_assigns_them() {
    let w = world().await;
    let member = insured(&w.db, "003", "781").await;
    let marie = agent(&w.db, "marie", "conseiller", "781").await;
    let luc = agent(&w.db, "luc", "conseiller", "781").await;
    let thomas = agent(&w.db, "thomas", "superviseur", "781").await;
    let paul = agent(&w.db, "paul", "superviseur", "671").await;
    let thread = send(&w, member, "autre.demande").await;

    assert!(matches!(
        w.svc.staff.assign(marie, thread, 1, luc, &ctx()).await,
        Err(StaffError::NotAllowed)
    ));
    assert!(matches!(
        w.svc.staff.assign(paul, thread, 1, paul, &ctx()).await,
        Err(StaffError::NotFound)
    ));
    assert!(matches!(
        w.svc.staff.assign(thomas, thread, 1, paul, &ctx()).await,
        Err(StaffError::Invalid(_))
    ));
    assert_eq!(
        w.svc
            .staff
            .assign(marie, thread, 1, marie, &ctx())
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        status_of(&w, thomas, thread).await,
        (ThreadStatus::EnCours, Some(marie), 2)
    );
    // A superviseur hands it to another conseiller: still in progress.
    assert_eq!(
        w.svc
            .staff
            .assign(thomas, thread, 2, luc, &ctx())
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        status_of(&w, thomas, thread).await,
        (ThreadStatus::EnCours, Some(luc), 3)
    );
    assert_eq!(
        staff_targets(ThreadStatus::EnCours),
        [ThreadStatus::EnAttente, ThreadStatus::Traite]
    );
    assert_eq!(
        w.svc
            .staff
            .change_status(luc, thread, 3, ThreadStatus::EnAttente, &ctx())
            .await
            .unwrap(),
        4
    );
    assert_eq!(
        status_of(&w, thomas, thread).await,
        (ThreadStatus::EnAttente, None, 4)
    );
    w.svc
        .staff
        .change_status(luc, thread, 4, ThreadStatus::Traite, &ctx())
        .await
        .unwrap();
    assert!(staff_targets(ThreadStatus::Traite).is_empty());
    assert!(matches!(
        w.svc.staff.assign(thomas, thread, 5, luc, &ctx()).await,
        Err(StaffError::Refused(_))
    ));
}

#[tokio::test]
async fn a_transfer_keeps_the_due_date_and_puts_the_thread_back_in_a_queue() {
    let w = world().await;
    team(&w, "781", "prestations", &["remboursement.question"])
        .await
        .unwrap();
    team(&w, "781", "droits", &[]).await.unwrap();
    team(&w, "671", "remboursements", &["remboursement.question"])
        .await
        .unwrap();
    let member = insured(&w.db, "004", "781").await;
    let marie = agent(&w.db, "marie", "conseiller", "781").await;
    let paul = agent(&w.db, "paul", "conseiller", "671").await;
    let thread = send(&w, member, "remboursement.question").await;
    let due = w
        .svc
        .staff
        .staff_thread(marie, thread, &ctx())
        .await
        .unwrap()
        .thread
        .due_on;
    w.svc.staff.claim(marie, thread, 1, &ctx()).await.unwrap();

    for (destination, field) in [
        (Destination::Team(Some("inconnue".to_owned())), "team"),
        (Destination::Team(Some("prestations".to_owned())), "team"),
        (
            Destination::Fund(CaisseCode::parse("781").unwrap()),
            "caisse",
        ),
    ] {
        let Err(StaffError::Invalid(problems)) = w
            .svc
            .staff
            .transfer(marie, thread, 2, destination, &ctx())
            .await
        else {
            panic!("refused");
        };
        assert_eq!(problems[0].field, field);
    }
    let to_team = Destination::Team(Some("droits".to_owned()));
    assert_eq!(
        w.svc
            .staff
            .transfer(marie, thread, 2, to_team, &ctx())
            .await
            .unwrap(),
        3
    );
    let moved = w
        .svc
        .staff
        .staff_thread(marie, thread, &ctx())
        .await
        .unwrap()
        .thread;
    assert_eq!(moved.team.as_ref().map(TeamCode::as_str), Some("droits"));
    assert_eq!(
        (moved.status, moved.assigned_staff_id),
        (ThreadStatus::EnAttente, None)
    );
    assert_eq!(moved.due_on, due);

    let to_fund = Destination::Fund(CaisseCode::parse("671").unwrap());
    assert_eq!(
        w.svc
            .staff
            .transfer(marie, thread, 3, to_fund, &ctx())
            .await
            .unwrap(),
        4
    );
    assert!(matches!(
        w.svc.staff.staff_thread(marie, thread, &ctx()).await,
        Err(StaffError::NotFound)
    ));
    assert_eq!(
        w.svc
            .staff
            .queue(marie, &QueueFilters::default(), 1)
            .await
            .unwrap()
            .total,
        0
    );
    let arrived = w
        .svc
        .staff
        .queue(paul, &QueueFilters::default(), 1)
        .await
        .unwrap();
    assert_eq!(arrived.items[0].id, thread);
    assert_eq!(
        arrived.items[0].team.as_ref().map(TeamCode::as_str),
        Some("remboursements"),
        "routed there"
    );
    assert_eq!(
        arrived.items[0].due_on, due,
        "the member does not wait longer"
    );
    // The receiving fund reads the member's file through the thread.
    let file = w
        .svc
        .staff
        .staff_member_file(paul, thread, &ctx())
        .await
        .unwrap();
    assert_eq!(file.member_id, member);
    let events = caisse_store::audit::for_subject(&w.db, "message_thread", thread, 20)
        .await
        .unwrap();
    let transfers: Vec<_> = events
        .iter()
        .filter(|e| e.action.code() == "staff.thread.transferred")
        .collect();
    assert_eq!(transfers.len(), 2);
    assert!(
        transfers
            .iter()
            .any(|e| e.details.contains("\"to_caisse\":\"671\""))
    );
}

#[tokio::test]
async fn canned_answers_are_checked_on_save_and_rendered_for_the_thread() {
    let w = world().await;
    let droits = team(&w, "781", "droits", &["attestation.droits"])
        .await
        .unwrap();
    team(&w, "781", "prestations", &[]).await.unwrap();
    let member = insured(&w.db, "005", "781").await;
    let marie = agent(&w.db, "marie", "conseiller", "781").await;
    let thomas = agent(&w.db, "thomas", "superviseur", "781").await;
    let paul = agent(&w.db, "paul", "superviseur", "671").await;
    let thread = send(&w, member, "attestation.droits").await;
    let form = |title: &str, body: &str, team: String| CannedAnswerForm {
        title: title.to_owned(),
        body: body.to_owned(),
        team,
    };

    let general = form(
        "Accusé",
        "Bonjour {prenom} {nom}, réf. {reference} avant le {date_echeance}. {conseiller}, {caisse}",
        String::new(),
    );
    assert!(matches!(
        w.svc
            .staff
            .create_canned_answer(marie, &general, &ctx())
            .await,
        Err(StaffError::NotAllowed)
    ));
    let Err(StaffError::Invalid(problems)) = w
        .svc
        .staff
        .create_canned_answer(
            thomas,
            &form("", "Bonjour {prénom}", "x".to_owned()),
            &ctx(),
        )
        .await
    else {
        panic!("refused");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
    assert_eq!(fields, ["title", "body", "team"]);
    assert!(
        problems[1]
            .message
            .contains("La variable {prénom} n'existe pas")
    );

    let general = w
        .svc
        .staff
        .create_canned_answer(thomas, &general, &ctx())
        .await
        .unwrap();
    let for_droits = w
        .svc
        .staff
        .create_canned_answer(
            thomas,
            &form(
                "Attestation",
                "Voir « Mes attestations ».",
                droits.to_string(),
            ),
            &ctx(),
        )
        .await
        .unwrap();
    let prestations = teams::of_fund(&w.db, fund("781")).await.unwrap();
    let prestations = prestations
        .iter()
        .find(|t| t.code.as_str() == "prestations")
        .unwrap();
    w.svc
        .staff
        .create_canned_answer(
            thomas,
            &form("Délai", "Sous 7 jours.", prestations.id.to_string()),
            &ctx(),
        )
        .await
        .unwrap();
    assert!(matches!(
        w.svc.staff.canned_answer(paul, general).await,
        Err(StaffError::NotFound)
    ));

    let offered = w
        .svc
        .staff
        .canned_answers_for_thread(marie, thread)
        .await
        .unwrap();
    let titles: Vec<&str> = offered.iter().map(|(c, _)| c.title.as_str()).collect();
    assert_eq!(titles, ["Accusé", "Attestation"], "not the other team's");
    assert_eq!(
        offered[0].1,
        format!(
            "Bonjour Sophie MULLER, réf. {} avant le 13/03/2026. Agent marie, CPAM des Yvelines",
            w.svc
                .staff
                .staff_thread(marie, thread, &ctx())
                .await
                .unwrap()
                .thread
                .reference
        )
    );
    let inserted = w
        .svc
        .staff
        .insert_canned_answer(marie, thread, for_droits, "Ce que j'avais écrit.  ")
        .await
        .unwrap();
    assert_eq!(
        inserted,
        "Ce que j'avais écrit.\n\nVoir « Mes attestations »."
    );

    w.svc
        .staff
        .set_canned_answer_active(thomas, for_droits, false, &ctx())
        .await
        .unwrap();
    assert_eq!(
        w.svc
            .staff
            .canned_answers_for_thread(marie, thread)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        w.svc
            .staff
            .insert_canned_answer(marie, thread, for_droits, "")
            .await,
        Err(StaffError::NotFound)
    ));
    assert_eq!(
        w.svc
            .staff
            .canned_answers(marie, false)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(matches!(
        w.svc
            .staff
            .set_canned_answer_active(paul, general, false, &ctx())
            .await,
        Err(StaffError::NotFound)
    ));
}

#[tokio::test]
async fn a_reply_with_an_unknown_variable_is_not_sent_and_known_ones_are_filled_in() {
    let w = world().await;
    let member = insured(&w.db, "006", "781").await;
    let marie = agent(&w.db, "marie", "conseiller", "781").await;
    let thread = send(&w, member, "autre.demande").await;
    let Err(StaffError::Invalid(problems)) = w
        .svc
        .staff
        .staff_reply_draft(marie, thread, 1, "Bonjour {prénom},", &ctx())
        .await
    else {
        panic!("refused");
    };
    assert_eq!(problems[0].field, "body");
    assert_eq!(
        w.svc
            .member
            .member_thread(member, thread)
            .await
            .unwrap()
            .messages
            .len(),
        1
    );

    w.svc
        .staff
        .staff_reply_draft(
            marie,
            thread,
            1,
            "Bonjour {prenom} {nom},\n{conseiller}",
            &ctx(),
        )
        .await
        .unwrap();
    let seen = w.svc.member.member_thread(member, thread).await.unwrap();
    assert_eq!(seen.messages[1].body, "Bonjour Sophie MULLER,\nAgent marie");
}

#[tokio::test]
async fn a_note_on_a_stale_version_is_refused_and_a_note_moves_no_version() {
    let w = world().await;
    let member = insured(&w.db, "007", "781").await;
    let marie = agent(&w.db, "marie", "conseiller", "781").await;
    let thomas = agent(&w.db, "thomas", "superviseur", "781").await;
    let thread = send(&w, member, "autre.demande").await;
    w.svc
        .staff
        .add_note_at(marie, thread, 1, "Rappeler l'assurée", &ctx())
        .await
        .unwrap();
    w.svc.staff.claim(thomas, thread, 1, &ctx()).await.unwrap();
    assert!(matches!(
        w.svc
            .staff
            .add_note_at(marie, thread, 1, "Deuxième note", &ctx())
            .await,
        Err(StaffError::Conflict { current_version: 2 })
    ));
    w.svc
        .staff
        .add_note_at(marie, thread, 2, "Deuxième note", &ctx())
        .await
        .unwrap();
    let (_, _, version) = status_of(&w, marie, thread).await;
    assert_eq!(version, 2);
}

#[tokio::test]
async fn the_members_file_is_read_through_a_thread_of_the_fund_and_audited() {
    let w = world().await;
    let member = insured(&w.db, "008", "781").await;
    members::create_account(
        &w.db,
        member,
        "x".to_owned(),
        caisse_domain::AccountStatus::Active,
        now_utc(),
    )
    .await
    .unwrap();
    let marie = agent(&w.db, "marie", "conseiller", "781").await;
    let paul = agent(&w.db, "paul", "conseiller", "671").await;
    let first = send(&w, member, "autre.demande").await;
    let second = send(&w, member, "attestation.droits").await;

    assert!(matches!(
        w.svc.staff.staff_member_file(paul, first, &ctx()).await,
        Err(StaffError::NotFound)
    ));
    let file = w
        .svc
        .staff
        .staff_member_file(marie, first, &ctx())
        .await
        .unwrap();
    assert_eq!(
        (file.first_name.as_str(), file.last_name.as_str()),
        ("Sophie", "MULLER")
    );
    assert!(file.nir.starts_with("2 82 12 67 482"));
    assert_eq!(
        file.address_lines,
        ["8 quai des Bateliers", "67000 STRASBOURG"]
    );
    assert_eq!(file.notifications, Some((true, false)));
    assert_eq!(
        file.other_threads.iter().map(|t| t.id).collect::<Vec<_>>(),
        [second]
    );
    let views = caisse_store::audit::for_subject(&w.db, "member", member, 10)
        .await
        .unwrap();
    assert_eq!(
        views
            .iter()
            .filter(|e| e.action.code() == "staff.member.viewed" && e.actor_id == Some(marie))
            .count(),
        1,
        "one reading, and none for the refused one"
    );
}

fn fund(code: &str) -> CaisseCode {
    CaisseCode::parse(code).unwrap()
}
