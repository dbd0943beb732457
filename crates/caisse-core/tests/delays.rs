//! Answer delays on a real database (SQLite by default, PostgreSQL with
//! `TEST_DATABASE_URL`): the facts of a first answer, a réclamation's outcome, and the
//! supervisor dashboard over known threads with a test clock.

mod messaging_world;

use caisse_core::messaging::{Backlog, DashboardError, Figures, Period, QueueFilters, StaffError};
use caisse_domain::CaisseCode;
use caisse_domain::messaging::Outcome;
use caisse_domain::messaging::TeamCode;
use caisse_store::messaging as store;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use messaging_world::{World, ctx, question, reclamation};

async fn thread_row(w: &World, member: Uuid, thread: Uuid) -> store::Thread {
    store::member_thread(&w.db, member, thread)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_first_answer_is_recorded_once_with_its_delay_and_whether_it_was_in_time() {
    // Monday 2 March 2026, 10:00 in Paris: a question due Wednesday 4 March.
    let w = World::at(datetime!(2026-03-02 09:00 UTC)).await;
    let m = w.member("08501", "781").await;
    let conseiller = w.staff("conseiller", "conseiller", "781").await;
    let sent = w
        .svc
        .member
        .send(m, question("Carte"), &ctx())
        .await
        .unwrap();
    assert_eq!(sent.due_on, date!(2026 - 03 - 04));

    // A note is not an answer.
    w.svc
        .staff
        .add_note(conseiller, sent.id, "À rappeler", &ctx())
        .await
        .unwrap();
    let row = thread_row(&w, m, sent.id).await;
    assert_eq!(row.first_answered_at, None);

    // Wednesday 23:59:59 in Paris is still the due date.
    w.set_clock(datetime!(2026-03-04 22:59:59 UTC));
    w.svc
        .staff
        .staff_reply(conseiller, sent.id, 1, "Voici", &ctx())
        .await
        .unwrap();
    w.clock.advance(Duration::days(3));
    w.svc
        .staff
        .staff_reply(conseiller, sent.id, 2, "Et encore", &ctx())
        .await
        .unwrap();
    let row = thread_row(&w, m, sent.id).await;
    assert_eq!(
        row.first_answered_at.map(|at| at.get()),
        Some(datetime!(2026-03-04 22:59:59 UTC))
    );
    assert_eq!(
        row.first_answer_seconds,
        Some(2 * 86_400 + 13 * 3_600 + 59 * 60 + 59)
    );
    assert_eq!(row.answered_within_delay, Some(true));

    // An answer at midnight in Paris after the due date is late.
    let late = w
        .svc
        .member
        .send(m, question("Autre"), &ctx())
        .await
        .unwrap();
    w.set_clock(datetime!(2026-03-09 09:00 UTC));
    let due = thread_row(&w, m, late.id).await.due_on;
    // Sent Saturday 7 March: received Monday 9, due Wednesday 11.
    assert_eq!(due, date!(2026 - 03 - 11));
    w.set_clock(datetime!(2026-03-11 23:00 UTC));
    w.svc
        .staff
        .staff_reply(conseiller, late.id, 1, "Voici", &ctx())
        .await
        .unwrap();
    let row = thread_row(&w, m, late.id).await;
    assert_eq!(row.answered_within_delay, Some(false));
}

#[tokio::test]
async fn a_conseiller_records_the_outcome_of_an_answered_reclamation_at_its_version() {
    let w = World::at(datetime!(2026-03-02 09:00 UTC)).await;
    let m = w.member("08502", "781").await;
    let conseiller = w.staff("conseiller", "conseiller", "781").await;
    let elsewhere = w.staff("conseiller671", "conseiller", "671").await;
    let complaint = w
        .svc
        .member
        .send(m, reclamation("Refus de remboursement"), &ctx())
        .await
        .unwrap();
    let asked = w
        .svc
        .member
        .send(m, question("Carte"), &ctx())
        .await
        .unwrap();

    // Not answered yet, or not a réclamation: refused on the form's field.
    w.svc
        .staff
        .staff_reply(conseiller, asked.id, 1, "Voici", &ctx())
        .await
        .unwrap();
    for (thread, version) in [(complaint.id, 1), (asked.id, 2)] {
        let Err(StaffError::Invalid(problems)) = w
            .svc
            .staff
            .record_outcome(conseiller, thread, version, Outcome::Defavorable, &ctx())
            .await
        else {
            panic!("an outcome needs an answered réclamation");
        };
        assert_eq!(problems[0].field, "outcome");
    }

    w.svc
        .staff
        .staff_reply(conseiller, complaint.id, 1, "Refus maintenu", &ctx())
        .await
        .unwrap();
    assert!(matches!(
        w.svc
            .staff
            .record_outcome(elsewhere, complaint.id, 2, Outcome::Defavorable, &ctx())
            .await,
        Err(StaffError::NotFound)
    ));
    assert!(matches!(
        w.svc
            .staff
            .record_outcome(conseiller, complaint.id, 1, Outcome::Defavorable, &ctx())
            .await,
        Err(StaffError::Conflict { current_version: 2 })
    ));
    let version = w
        .svc
        .staff
        .record_outcome(conseiller, complaint.id, 2, Outcome::Defavorable, &ctx())
        .await
        .unwrap();
    assert_eq!(version, 3);
    let detail = w.svc.member.member_thread(m, complaint.id).await.unwrap();
    assert_eq!(detail.thread.outcome, Some(Outcome::Defavorable));
    let events = caisse_store::audit::for_subject(&w.db, "message_thread", complaint.id, 50)
        .await
        .unwrap();
    let recorded = events
        .iter()
        .find(|e| e.action.code() == "staff.thread.outcome")
        .expect("the outcome is audited");
    assert_eq!(recorded.actor_id, Some(conseiller));
    assert!(recorded.details.contains("defavorable"));
}

/// A team's figures: (team, incoming, answered, in time, median).
type TeamRow<'a> = (Option<&'a str>, u64, u64, u64, Option<Duration>);

fn figures<'a>(team: Option<&'a str>, f: &Figures) -> TeamRow<'a> {
    (
        team,
        f.incoming,
        f.answered,
        f.within_delay,
        f.median_first_answer,
    )
}

/// Creates a question at `at` by `member`, routed to `team`; returns its id.
async fn thread_at(w: &World, member: Uuid, at: OffsetDateTime, team: Option<&str>) -> Uuid {
    w.set_clock(at);
    let sent = w
        .svc
        .member
        .send(member, question("Carte"), &ctx())
        .await
        .unwrap();
    if let Some(team) = team {
        w.set_team(&sent.reference, team).await;
    }
    sent.id
}

/// Answers the thread at `at` (version 1), and closes it if `close`.
async fn answer_at(w: &World, conseiller: Uuid, thread: Uuid, at: OffsetDateTime, close: bool) {
    w.set_clock(at);
    w.svc
        .staff
        .staff_reply(conseiller, thread, 1, "Voici", &ctx())
        .await
        .unwrap();
    if close {
        w.svc
            .staff
            .close(conseiller, thread, 2, &ctx())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_dashboard_counts_known_threads_and_their_median_and_share_in_time() {
    let w = World::at(datetime!(2026-02-01 09:00 UTC)).await;
    let m = w.member("08503", "781").await;
    let other_fund_member = w.member("08504", "671").await;
    let conseiller = w.staff("conseiller", "conseiller", "781").await;
    let strasbourg = w.staff("conseiller671", "conseiller", "671").await;
    let supervisor = w.staff("superviseur", "superviseur", "781").await;

    // Chronologically. Questions take 2 working days; teams: none, « prestations »,
    // « cartes ».
    let a = thread_at(&w, m, datetime!(2026-02-01 09:00 UTC), None).await; // due 4 Feb
    answer_at(&w, conseiller, a, datetime!(2026-02-10 09:00 UTC), true).await; // 9 days, late
    let g = thread_at(&w, m, datetime!(2026-02-20 09:00 UTC), Some("cartes")).await; // due 24 Feb
    let h = thread_at(&w, m, datetime!(2026-02-25 09:00 UTC), None).await;
    answer_at(&w, conseiller, h, datetime!(2026-02-25 10:00 UTC), true).await; // 1 h
    let b = thread_at(&w, m, datetime!(2026-03-02 09:00 UTC), Some("prestations")).await;
    answer_at(&w, conseiller, b, datetime!(2026-03-02 11:00 UTC), true).await; // 2 h
    let c = thread_at(&w, m, datetime!(2026-03-03 09:00 UTC), Some("prestations")).await;
    answer_at(&w, conseiller, c, datetime!(2026-03-03 13:00 UTC), true).await; // 4 h
    let _d = thread_at(&w, m, datetime!(2026-03-09 09:00 UTC), None).await; // due 11 Mar
    // Today, Tuesday 10 March 2026 in Paris.
    let e = thread_at(&w, m, datetime!(2026-03-10 08:00 UTC), None).await;
    answer_at(&w, conseiller, e, datetime!(2026-03-10 09:00 UTC), false).await; // 1 h, open
    let _f = thread_at(&w, m, datetime!(2026-03-10 10:00 UTC), Some("cartes")).await;
    // Another fund's thread counts nowhere here.
    let other = thread_at(&w, other_fund_member, datetime!(2026-03-10 10:30 UTC), None).await;
    answer_at(
        &w,
        strasbourg,
        other,
        datetime!(2026-03-10 10:31 UTC),
        false,
    )
    .await;
    let _ = g;
    w.set_clock(datetime!(2026-03-10 15:00 UTC));

    let board = w.svc.dashboard.dashboard(supervisor).await.unwrap();
    assert_eq!(board.caisse_code, CaisseCode::parse("781").unwrap());
    assert_eq!(board.today, date!(2026 - 03 - 10));
    // Open now: D, E (answered, not closed), F and G (due 24 February: overdue).
    assert_eq!(
        board.backlog,
        Backlog {
            team: None,
            open: 4,
            overdue: 1
        }
    );
    let by_team: Vec<(Option<&str>, u64, u64)> = board
        .backlog_by_team
        .iter()
        .map(|b| (b.team.as_ref().map(TeamCode::as_str), b.open, b.overdue))
        .collect();
    assert_eq!(by_team, [(None, 2, 0), (Some("cartes"), 2, 1)]);

    let [today, month] = &board.periods[..] else {
        panic!("two periods");
    };
    assert_eq!(today.period, Period::Today);
    // Midnight in Paris (winter time).
    assert_eq!(today.since, datetime!(2026-03-09 23:00 UTC));
    assert_eq!(
        figures(None, &today.fund),
        (None, 2, 1, 1, Some(Duration::hours(1)))
    );
    assert_eq!(today.fund.within_delay_percent(), Some(100.0));

    assert_eq!(month.period, Period::Last30Days);
    assert_eq!(month.since, datetime!(2026-02-08 23:00 UTC));
    // B, C, D, E, F, G, H created; A, B, C, E, H first answered (A late). Delays 1 h, 1 h,
    // 2 h, 4 h, 9 days: the median is the middle one.
    assert_eq!(
        figures(None, &month.fund),
        (None, 7, 5, 4, Some(Duration::hours(2)))
    );
    assert_eq!(month.fund.within_delay_percent(), Some(80.0));
    let teams: Vec<TeamRow<'_>> = month
        .teams
        .iter()
        .map(|t| figures(t.team.as_ref().map(TeamCode::as_str), &t.figures))
        .collect();
    assert_eq!(
        teams,
        [
            (None, 3, 3, 2, Some(Duration::hours(1))),
            (Some("cartes"), 2, 0, 0, None),
            // 2 h and 4 h: their mean.
            (Some("prestations"), 2, 2, 2, Some(Duration::hours(3))),
        ]
    );
}

#[tokio::test]
async fn the_dashboard_is_only_for_active_staff_and_an_empty_fund_reads_zero() {
    let w = World::at(datetime!(2026-03-10 09:00 UTC)).await;
    let supervisor = w.staff("superviseur", "superviseur", "781").await;
    assert!(matches!(
        w.svc.dashboard.dashboard(Uuid::now_v7()).await,
        Err(DashboardError::NotFound)
    ));
    let board = w.svc.dashboard.dashboard(supervisor).await.unwrap();
    assert_eq!(board.backlog, Backlog::default());
    for period in &board.periods {
        assert_eq!(period.fund.incoming, 0);
        assert_eq!(period.fund.median_first_answer, None);
        assert_eq!(period.fund.within_delay_percent(), None);
        assert!(period.teams.is_empty());
    }
}

#[tokio::test]
async fn an_acknowledgement_does_not_stop_the_clock_and_the_next_answer_does() {
    // Monday 2 March 2026, 10:00 in Paris: a question due Wednesday 4 March.
    let w = World::at(datetime!(2026-03-02 09:00 UTC)).await;
    let m = w.member("08531", "781").await;
    let conseiller = w.staff("conseiller", "conseiller", "781").await;
    let sent = w
        .svc
        .member
        .send(m, question("Carte"), &ctx())
        .await
        .unwrap();
    w.set_clock(datetime!(2026-03-02 09:05 UTC));
    w.svc
        .staff
        .staff_reply(
            conseiller,
            sent.id,
            1,
            "Bonjour, nous avons bien reçu votre message. Cordialement, Julie",
            &ctx(),
        )
        .await
        .unwrap();
    let row = thread_row(&w, m, sent.id).await;
    assert_eq!(
        row.first_answered_at, None,
        "« bien reçu » is not an answer"
    );
    // The dashboard counts no first answer yet.
    let board = w.svc.dashboard.dashboard(conseiller).await.unwrap();
    assert_eq!(board.periods[0].fund.answered, 0);

    // Thursday: the real answer, after the due date, is the first one.
    w.set_clock(datetime!(2026-03-05 09:00 UTC));
    w.svc
        .staff
        .staff_reply(
            conseiller,
            sent.id,
            2,
            "Votre carte part demain par courrier.",
            &ctx(),
        )
        .await
        .unwrap();
    let row = thread_row(&w, m, sent.id).await;
    assert_eq!(
        row.first_answered_at.map(|at| at.get()),
        Some(datetime!(2026-03-05 09:00 UTC))
    );
    assert_eq!(row.first_answer_seconds, Some(3 * 86_400));
    assert_eq!(row.answered_within_delay, Some(false));
}

#[tokio::test]
async fn the_home_counts_the_funds_open_threads_and_the_queue_takes_the_dashboards_filters() {
    let w = World::at(datetime!(2026-03-02 09:00 UTC)).await;
    let m = w.member("08532", "781").await;
    let elsewhere_member = w.member("08533", "671").await;
    let conseiller = w.staff("conseiller", "conseiller", "781").await;
    let early = thread_at(&w, m, datetime!(2026-03-02 09:00 UTC), None).await;
    let taken = thread_at(&w, m, datetime!(2026-03-03 09:00 UTC), None).await;
    let _elsewhere = thread_at(&w, elsewhere_member, datetime!(2026-03-03 09:00 UTC), None).await;
    // Answered in time (due 4 March).
    answer_at(
        &w,
        conseiller,
        taken,
        datetime!(2026-03-03 10:00 UTC),
        false,
    )
    .await;

    let counts = w.svc.dashboard.home_counts(conseiller).await.unwrap();
    assert_eq!(
        (
            counts.threads_open,
            counts.threads_late,
            counts.threads_unassigned,
            counts.threads_mine
        ),
        (2, 0, 1, 1),
        "the other fund's thread is not counted"
    );
    // On 6 March both are past their due date (4 and 5 March).
    w.set_clock(datetime!(2026-03-06 09:00 UTC));
    let counts = w.svc.dashboard.home_counts(conseiller).await.unwrap();
    assert_eq!(counts.threads_late, 2);

    let ids = async |filters: QueueFilters| {
        w.svc
            .staff
            .queue(conseiller, &filters, 1)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|t| t.id)
            .collect::<Vec<_>>()
    };
    let since_3 = QueueFilters {
        received_since: Some(date!(2026 - 03 - 03)),
        ..QueueFilters::default()
    };
    assert_eq!(ids(since_3).await, vec![taken]);
    let since_2 = QueueFilters {
        received_since: Some(date!(2026 - 03 - 02)),
        ..QueueFilters::default()
    };
    assert_eq!(ids(since_2).await, vec![early, taken]);
    let answered = QueueFilters {
        answered_since: Some(date!(2026 - 03 - 02)),
        ..QueueFilters::default()
    };
    assert_eq!(ids(answered).await, vec![taken]);
    let late_answers = QueueFilters {
        answered_since: Some(date!(2026 - 03 - 02)),
        answered_in_time: Some(false),
        ..QueueFilters::default()
    };
    assert!(ids(late_answers).await.is_empty());
}
