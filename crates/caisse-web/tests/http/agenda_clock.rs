//! « Mon agenda » on a clock the test moves, on both databases: slots keep their local hours
//! across the change to summer time and skip holidays; a motif's notice and horizon bound
//! them; moving and cancelling stop four hours before; the confirmation mail carries the
//! `.ics`; the reminder goes two days before at 9:00, by mail and SMS, once; a freed slot is
//! offered to the member waiting for an earlier one.

use caisse_core::agenda::{AgendaError, BookingRequest, Motif};
use caisse_core::audit::RequestContext;
use caisse_core::clock::ManualClock;
use caisse_domain::agenda::{AppointmentStatus, Channel};
use caisse_domain::{Email, Instant, PhoneNumber};
use caisse_store::agenda as store;
use caisse_store::members::ContactChange;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::support::{MEMBER_NIR, TestApp, no_device_check};

/// Nathalie PETIT, the demo newcomer, in Julien's fund.
const NATHALIE_NIR: &str = "278097864601241";

async fn at(now: OffsetDateTime) -> (TestApp, ManualClock) {
    let clock = ManualClock::new(now);
    let app = TestApp::with_clock(clock.clone(), no_device_check()).await;
    (app, clock)
}

fn phone_call(starts_at: OffsetDateTime) -> BookingRequest {
    BookingRequest {
        motif: "c2s".to_owned(),
        channel: Channel::Telephone,
        site: None,
        starts_at,
        phone: None,
        link: None,
    }
}

fn context() -> RequestContext {
    RequestContext::default()
}

#[tokio::test]
async fn slots_keep_local_hours_across_summer_time_and_skip_holidays() {
    // Thursday 26 March 2026, 8:00 Paris: a day's notice leaves Friday 27 (winter time), then
    // Monday 30 (summer time from Sunday 29), 9:00 Paris both.
    let (app, clock) = at(datetime!(2026-03-26 07:00 UTC)).await;
    let julien = app.member(MEMBER_NIR).await;
    let agenda = app.services.agenda.clone();
    let slots = agenda
        .slots(julien.id, "c2s", Channel::Telephone, None)
        .await
        .expect("slots");
    assert_eq!(slots[0].span.start, datetime!(2026-03-27 08:00 UTC));
    // Six half-hours from 9:00 to 12:00 on Friday, then Monday.
    assert_eq!(slots[5].span.start, datetime!(2026-03-27 10:30 UTC));
    assert_eq!(slots[6].span.start, datetime!(2026-03-30 07:00 UTC));
    // Thursday 30 April, noon: Friday 1 May is a holiday, the next slot is Monday 4 May.
    clock.set(datetime!(2026-04-30 10:00 UTC));
    let slots = agenda
        .slots(julien.id, "c2s", Channel::Telephone, None)
        .await
        .expect("slots");
    assert_eq!(slots[0].span.start, datetime!(2026-05-04 07:00 UTC));
    // A holiday is not bookable either, even with the time of a slot.
    assert!(matches!(
        agenda
            .book(
                julien.id,
                &phone_call(datetime!(2026-05-01 07:00 UTC)),
                &context()
            )
            .await,
        Err(AgendaError::NotOffered)
    ));
}

#[tokio::test]
async fn a_motifs_notice_and_horizon_bound_the_slots() {
    let (app, _clock) = at(datetime!(2026-06-01 06:00 UTC)).await;
    let julien = app.member(MEMBER_NIR).await;
    let db = &app.db.db;
    // A motif booked at least two days ahead and at most a week ahead.
    store::save_motif(
        db,
        &Motif {
            id: Uuid::new_v4(),
            caisse: julien.caisse_code,
            code: "bref".to_owned(),
            label: "Un court échange".to_owned(),
            channels: vec![Channel::Telephone],
            duration_minutes: 60,
            min_notice_hours: 48,
            horizon_days: 7,
            documents: String::new(),
            demarche_code: None,
            active: true,
        },
    )
    .await
    .expect("motif");
    let slots = app
        .services
        .agenda
        .slots(julien.id, "bref", Channel::Telephone, None)
        .await
        .expect("slots");
    let now = datetime!(2026-06-01 06:00 UTC);
    assert_eq!(slots[0].span.start, datetime!(2026-06-03 07:00 UTC));
    assert!(
        slots
            .iter()
            .all(|s| s.span.start >= now + Duration::hours(48))
    );
    assert!(
        slots
            .iter()
            .all(|s| s.span.start <= now + Duration::days(7))
    );
    assert_eq!(
        slots.last().expect("a slot").span.start,
        datetime!(2026-06-05 09:00 UTC)
    );
    // Hour-long slots: 9, 10 and 11 o'clock on 3, 4 and 5 June; Monday 8 June at 9:00 is past
    // the horizon (8:00 Paris that day).
    assert_eq!(slots.len(), 9);
    let beyond = BookingRequest {
        motif: "bref".to_owned(),
        ..phone_call(datetime!(2026-06-09 07:00 UTC))
    };
    assert!(matches!(
        app.services
            .agenda
            .book(julien.id, &beyond, &context())
            .await,
        Err(AgendaError::NotOffered)
    ));
}

#[tokio::test]
async fn moving_and_cancelling_stop_four_hours_before() {
    let (app, clock) = at(datetime!(2026-03-26 07:00 UTC)).await;
    let julien = app.member(MEMBER_NIR).await;
    let agenda = app.services.agenda.clone();
    let booked = agenda
        .book(
            julien.id,
            &phone_call(datetime!(2026-03-27 08:00 UTC)),
            &context(),
        )
        .await
        .expect("booked");
    // Moved to Monday 9:30 Paris (summer time): the new time, the other one freed.
    let moved = agenda
        .move_to(
            julien.id,
            booked.id,
            datetime!(2026-03-30 07:30 UTC),
            None,
            &context(),
        )
        .await
        .expect("moved");
    assert_eq!(moved.span.start, datetime!(2026-03-30 07:30 UTC));
    let slots = agenda
        .slots(julien.id, "c2s", Channel::Telephone, None)
        .await
        .expect("slots");
    assert_eq!(slots[0].span.start, datetime!(2026-03-27 08:00 UTC));
    assert!(slots.iter().all(|s| s.span.start != moved.span.start));
    // Four hours before it (3:30 UTC on Monday), it can still be changed; a second later not.
    clock.set(datetime!(2026-03-30 03:30 UTC));
    assert!(
        agenda
            .appointment(julien.id, booked.id)
            .await
            .expect("mine")
            .can_change
    );
    clock.set(datetime!(2026-03-30 03:30:01 UTC));
    assert!(matches!(
        agenda.cancel(julien.id, booked.id, &context()).await,
        Err(AgendaError::TooLate)
    ));
    assert!(matches!(
        agenda
            .move_to(
                julien.id,
                booked.id,
                datetime!(2026-03-31 07:00 UTC),
                None,
                &context()
            )
            .await,
        Err(AgendaError::TooLate)
    ));
    let view = agenda
        .appointment(julien.id, booked.id)
        .await
        .expect("mine");
    assert_eq!(view.appointment.status, AppointmentStatus::Confirmed);
    assert!(!view.can_change);
}

#[tokio::test]
async fn the_confirmation_carries_the_ics_and_the_reminder_goes_two_days_before_at_nine() {
    let (app, clock) = at(datetime!(2026-03-26 07:00 UTC)).await;
    let julien = app.member(MEMBER_NIR).await;
    let db = &app.db.db;
    caisse_store::members::set_notifications(db, julien.id, true, true, clock_now(&clock))
        .await
        .expect("preferences");
    let agenda = app.services.agenda.clone();
    // Monday 30 March, 9:00 Paris (summer time): the reminder goes Saturday 28 at 9:00 Paris,
    // still winter time then (8:00 UTC).
    let booked = agenda
        .book(
            julien.id,
            &phone_call(datetime!(2026-03-30 07:00 UTC)),
            &context(),
        )
        .await
        .expect("booked");
    assert_eq!(
        booked.reminder_due_at,
        Some(datetime!(2026-03-28 08:00 UTC))
    );
    let email = julien.email.clone().expect("an address");
    let queued = caisse_store::outbox::for_recipient(db, email.as_str())
        .await
        .expect("outbox");
    let confirmation = queued
        .iter()
        .find(|m| {
            m.subject
                .starts_with("Votre rendez-vous du lundi 30 mars 2026")
        })
        .expect("the confirmation");
    assert!(
        confirmation
            .body_text
            .contains("Un conseiller vous appellera au +33")
    );
    assert!(
        !confirmation.body_text.contains("Complémentaire"),
        "no motif in mails"
    );
    let ics = confirmation.attachment.as_ref().expect("the .ics");
    assert_eq!(ics.name, "rendez-vous.ics");
    assert!(ics.content_type.starts_with("text/calendar"));
    assert!(ics.body.contains("BEGIN:VCALENDAR"));
    assert!(ics.body.contains("DTSTART:20260330T070000Z"));
    assert!(ics.body.contains(&format!("UID:{}@caisse", booked.id)));
    // Not a minute before; then once, by mail and SMS.
    clock.set(datetime!(2026-03-28 07:59 UTC));
    assert_eq!(agenda.run_jobs().await.expect("jobs"), 0);
    clock.set(datetime!(2026-03-28 08:00 UTC));
    assert_eq!(agenda.run_jobs().await.expect("jobs"), 1);
    assert_eq!(agenda.run_jobs().await.expect("jobs"), 0);
    let reminders = app
        .delivered(email.as_str())
        .await
        .into_iter()
        .filter(|(subject, _, _)| subject.starts_with("Rappel"))
        .count();
    assert_eq!(reminders, 1);
    let phone = julien.phone.clone().expect("a phone");
    let sms = app.delivered(phone.as_e164()).await;
    assert_eq!(sms.len(), 1);
    assert!(
        sms[0]
            .2
            .contains("rappel de votre rendez-vous le 30/03/2026"),
        "{}",
        sms[0].2
    );
}

#[tokio::test]
async fn a_freed_slot_is_offered_to_the_member_waiting_for_an_earlier_one() {
    let (app, clock) = at(datetime!(2026-03-26 07:00 UTC)).await;
    let julien = app.member(MEMBER_NIR).await;
    let nathalie = app.member(NATHALIE_NIR).await;
    let db = &app.db.db;
    let address = Email::parse("nathalie.petit@exemple.fr").expect("an address");
    caisse_store::members::change_contact(
        db,
        nathalie.id,
        ContactChange::Email(address.clone()),
        clock_now(&clock),
    )
    .await
    .expect("an address for Nathalie");
    let agenda = app.services.agenda.clone();
    let context = context();
    // Julien takes the first fortnight of phone slots, one at a time.
    let mut mine = Vec::new();
    loop {
        let slots = agenda
            .slots(julien.id, "c2s", Channel::Telephone, None)
            .await
            .expect("slots");
        let Some(first) = slots.first() else { break };
        if first.span.start > datetime!(2026-04-10 00:00 UTC) {
            break;
        }
        mine.push(
            agenda
                .book(julien.id, &phone_call(first.span.start), &context)
                .await
                .expect("booked"),
        );
    }
    // Nothing is left within a fortnight: Nathalie waits for an earlier slot.
    agenda
        .join_waiting_list(nathalie.id, "c2s", Channel::Telephone, None, &context)
        .await
        .expect("on the list");
    assert_eq!(agenda.waiting(nathalie.id).await.expect("list").len(), 1);
    // Julien cancels his first: Nathalie is told by mail.
    agenda
        .cancel(julien.id, mine[0].id, &context)
        .await
        .expect("cancelled");
    let offers: Vec<_> = app
        .delivered(address.as_str())
        .await
        .into_iter()
        .filter(|(subject, _, _)| subject == "Un créneau plus proche s'est libéré")
        .collect();
    assert_eq!(offers.len(), 1);
    assert!(
        offers[0].2.contains("vendredi 27 mars 2026"),
        "{}",
        offers[0].2
    );
    // She books it: she leaves the list.
    agenda
        .book(
            nathalie.id,
            &BookingRequest {
                phone: Some(PhoneNumber::parse("06 11 22 33 44").expect("a phone")),
                ..phone_call(mine[0].span.start)
            },
            &context,
        )
        .await
        .expect("booked the freed slot");
    assert!(agenda.waiting(nathalie.id).await.expect("list").is_empty());
    // A slot within a week: the list is not open.
    clock.set(datetime!(2026-04-08 07:00 UTC));
    assert!(matches!(
        agenda
            .join_waiting_list(nathalie.id, "c2s", Channel::Telephone, None, &context)
            .await,
        Err(AgendaError::WaitingListNotOpen)
    ));
}

fn clock_now(clock: &ManualClock) -> Instant {
    use caisse_core::clock::Clock;
    Instant::from(clock.now())
}
