//! « Mon agenda », first part, on both databases: a fund's motif and an advisor's weekly
//! hours give free slots on working days within the motif's notice and horizon; a hundred
//! bookings of one slot at once leave exactly one booked and offer the others the next slots;
//! a member cancels until four hours before, and never another member's appointment.

use caisse_core::agenda::AgendaError;
use caisse_core::agenda::BookingRequest;
use caisse_core::audit::RequestContext;
use caisse_domain::PhoneNumber;
use caisse_domain::agenda::{AppointmentStatus, Channel, LocalZone};
use caisse_domain::{HolidayZone, is_working_day};
use time::{Duration, macros::time};
use uuid::Uuid;

use crate::support::{MEMBER_NIR, TestApp};

const SOPHIE_NIR: &str = "282126748202355";

fn request(starts_at: time::OffsetDateTime, phone: Option<PhoneNumber>) -> BookingRequest {
    BookingRequest {
        motif: "c2s".to_owned(),
        channel: Channel::Telephone,
        site: None,
        starts_at,
        phone,
        link: None,
    }
}

#[tokio::test]
async fn slots_respect_hours_holidays_notice_and_horizon() {
    let app = TestApp::with_demo_data().await;
    let julien = app.member(MEMBER_NIR).await;
    let agenda = app.services.agenda.clone();
    let slots = agenda
        .slots(julien.id, "c2s", Channel::Telephone, None)
        .await
        .expect("slots");
    assert_eq!(slots.len(), caisse_core::agenda::SLOTS_OFFERED);
    let now = time::OffsetDateTime::now_utc();
    for slot in &slots {
        let local = LocalZone::Paris.local(slot.span.start);
        assert!(
            is_working_day(HolidayZone::Metropole, local.date()),
            "{local}"
        );
        assert!(
            local.time() >= time!(9:00) && local.time() <= time!(11:30),
            "{local}"
        );
        assert!(slot.span.start >= now + Duration::hours(24));
        assert_eq!(slot.span.end - slot.span.start, Duration::minutes(30));
    }
    assert!(slots.windows(2).all(|w| w[0].span.start < w[1].span.start));
    // Not offered on a channel the advisor has no hours for, nor for an unknown motif.
    assert!(
        agenda
            .slots(julien.id, "c2s", Channel::Agence, None)
            .await
            .expect("slots at the branch")
            .iter()
            .all(|slot| slot.site.is_some())
    );
    // Without a video service, no video appointment is offered.
    assert!(matches!(
        agenda.slots(julien.id, "c2s", Channel::Visio, None).await,
        Err(AgendaError::ChannelNotOffered)
    ));
    assert!(matches!(
        agenda
            .slots(julien.id, "arret-travail", Channel::Agence, None)
            .await,
        Err(AgendaError::ChannelNotOffered)
    ));
    assert!(matches!(
        agenda
            .slots(julien.id, "inconnu", Channel::Telephone, None)
            .await,
        Err(AgendaError::UnknownMotif)
    ));
}

#[tokio::test]
async fn a_hundred_bookings_of_one_slot_leave_exactly_one_and_offer_the_next_slots() {
    let app = TestApp::with_demo_data().await;
    let julien = app.member(MEMBER_NIR).await;
    let agenda = app.services.agenda.clone();
    let first = agenda
        .slots(julien.id, "c2s", Channel::Telephone, None)
        .await
        .expect("slots")[0];
    let phone = PhoneNumber::parse("06 12 34 56 78").expect("a phone");
    let attempts = (0..100).map(|_| {
        let agenda = agenda.clone();
        let phone = phone.clone();
        tokio::spawn(async move {
            agenda
                .book(
                    julien.id,
                    &request(first.span.start, Some(phone)),
                    &RequestContext::default(),
                )
                .await
        })
    });
    let mut booked = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        match attempt.await.expect("joined") {
            Ok(appointment) => {
                booked += 1;
                assert_eq!(appointment.span, first.span);
            }
            Err(AgendaError::Taken { next }) => {
                assert!(!next.is_empty());
                assert!(next.iter().all(|slot| slot.span.start != first.span.start));
            }
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(booked, 1, "exactly one booking of the slot");
    let mine = agenda.appointments(julien.id).await.expect("appointments");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].appointment.phone.as_deref(), Some("+33612345678"));
}

#[tokio::test]
async fn a_member_cancels_their_own_appointment_only() {
    let app = TestApp::with_demo_data().await;
    let julien = app.member(MEMBER_NIR).await;
    let agenda = app.services.agenda.clone();
    let slot = agenda
        .slots(julien.id, "c2s", Channel::Telephone, None)
        .await
        .expect("slots")[0];
    let context = RequestContext::default();
    let appointment = agenda
        .book(julien.id, &request(slot.span.start, None), &context)
        .await
        .expect("booked with the member file's phone");
    // A time that is no slot is refused.
    let odd = slot.span.start + Duration::minutes(7);
    assert!(matches!(
        agenda.book(julien.id, &request(odd, None), &context).await,
        Err(AgendaError::NotOffered)
    ));
    let sophie = app.member(SOPHIE_NIR).await;
    assert!(matches!(
        agenda.cancel(sophie.id, appointment.id, &context).await,
        Err(AgendaError::NotFound)
    ));
    agenda
        .cancel(julien.id, appointment.id, &context)
        .await
        .expect("cancelled");
    let mine = agenda.appointments(julien.id).await.expect("appointments");
    assert_eq!(
        mine[0].appointment.status,
        AppointmentStatus::CancelledByMember
    );
    // The slot is free again.
    let again = agenda
        .slots(julien.id, "c2s", Channel::Telephone, None)
        .await
        .expect("slots");
    assert_eq!(again[0].span.start, slot.span.start);
    assert!(matches!(
        agenda.cancel(julien.id, appointment.id, &context).await,
        Err(AgendaError::NotConfirmed)
    ));
}

#[tokio::test]
async fn the_app_books_and_cancels_through_the_api_and_never_reaches_another_members() {
    use axum::http::StatusCode;
    use serde_json::{Value, json};

    use crate::support::api_token;

    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let motifs = app.get_with_bearer("/api/v1/agenda/motifs", &token).await;
    let motifs: Value = serde_json::from_str(&motifs.body).expect("JSON");
    assert!(
        motifs["motifs"]
            .as_array()
            .expect("motifs")
            .iter()
            .any(|m| m["code"] == "c2s")
    );
    let slots = app
        .get_with_bearer("/api/v1/agenda/slots?motif=c2s&channel=telephone", &token)
        .await;
    assert_eq!(slots.status, StatusCode::OK, "{}", slots.body);
    let slots: Value = serde_json::from_str(&slots.body).expect("JSON");
    let first = slots["slots"][0]["starts_at"]
        .as_str()
        .expect("a slot")
        .to_owned();
    let booking = json!({ "motif": "c2s", "channel": "telephone", "starts_at": first });
    let booked = app
        .post_json("/api/v1/appointments", booking.clone(), Some(&token))
        .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let id = serde_json::from_str::<Value>(&booked.body).expect("JSON")["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    // Taken: 409 with the next slots.
    let again = app
        .post_json("/api/v1/appointments", booking, Some(&token))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let again: Value = serde_json::from_str(&again.body).expect("JSON");
    assert_eq!(again["code"], "slot_taken");
    assert_ne!(again["next"][0]["starts_at"], first.as_str());
    // Another member cannot cancel it: 404, like a missing one.
    let mut other = app.another_browser();
    let sophie = api_token(&mut other, SOPHIE_NIR).await;
    for target in [id.clone(), Uuid::new_v4().to_string()] {
        let response = other
            .post_json(
                &format!("/api/v1/appointments/{target}/cancel"),
                json!({}),
                Some(&sophie),
            )
            .await;
        assert_eq!(response.status, StatusCode::NOT_FOUND);
    }
    let cancelled = app
        .post_json(
            &format!("/api/v1/appointments/{id}/cancel"),
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::NO_CONTENT);
    let list = app.get_with_bearer("/api/v1/appointments", &token).await;
    let list: Value = serde_json::from_str(&list.body).expect("JSON");
    assert_eq!(list["appointments"][0]["status"], "annule_membre");
    // A bad channel is a 400.
    let bad = app
        .get_with_bearer("/api/v1/agenda/slots?motif=c2s&channel=pigeon", &token)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_app_lists_branches_books_one_and_moves_it() {
    use axum::http::StatusCode;
    use serde_json::{Value, json};

    use crate::support::api_token;

    let mut app = TestApp::with_demo_data().await;
    let token = api_token(&mut app, MEMBER_NIR).await;
    let sites = app.get_with_bearer("/api/v1/agenda/sites", &token).await;
    assert_eq!(sites.status, StatusCode::OK, "{}", sites.body);
    let sites: Value = serde_json::from_str(&sites.body).expect("JSON");
    let site = sites["sites"][0]["id"]
        .as_str()
        .expect("a branch")
        .to_owned();
    let slots = app
        .get_with_bearer(
            &format!("/api/v1/agenda/slots?motif=c2s&channel=agence&site={site}"),
            &token,
        )
        .await;
    let slots: Value = serde_json::from_str(&slots.body).expect("JSON");
    let slot = |i: usize| {
        slots["slots"][i]["starts_at"]
            .as_str()
            .expect("a slot")
            .to_owned()
    };
    assert_eq!(slots["slots"][0]["site"], site.as_str());
    let booked = app
        .post_json(
            "/api/v1/appointments",
            json!({ "motif": "c2s", "channel": "agence", "site": site, "starts_at": slot(0) }),
            Some(&token),
        )
        .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let booked: Value = serde_json::from_str(&booked.body).expect("JSON");
    assert_eq!(booked["site"], site.as_str());
    assert_eq!(booked["can_change"], true);
    let id = booked["id"].as_str().expect("an id");
    let moved = app
        .post_json(
            &format!("/api/v1/appointments/{id}/move"),
            json!({ "starts_at": slot(1) }),
            Some(&token),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let moved: Value = serde_json::from_str(&moved.body).expect("JSON");
    assert_eq!(moved["starts_at"], slot(1).as_str());
    // A time that is no slot: 422; a malformed one: 400; someone else's: 404.
    let odd = app
        .post_json(
            &format!("/api/v1/appointments/{id}/move"),
            json!({ "starts_at": "2026-01-01T00:00:00Z" }),
            Some(&token),
        )
        .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", odd.body);
    let malformed = app
        .post_json(
            &format!("/api/v1/appointments/{id}/move"),
            json!({ "starts_at": "demain" }),
            Some(&token),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let mut other = app.another_browser();
    let sophie = api_token(&mut other, SOPHIE_NIR).await;
    let foreign = other
        .post_json(
            &format!("/api/v1/appointments/{id}/move"),
            json!({ "starts_at": slot(2) }),
            Some(&sophie),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}
