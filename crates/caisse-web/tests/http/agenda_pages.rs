//! « Mes rendez-vous » through the pages, on both databases: booking step by step with plain
//! forms (motif, channel, slot, confirmation) queues the confirmation mail with its `.ics`;
//! the `.ics` download; moving and cancelling; the four-hour cut-off; a slot taken meanwhile
//! offers the next ones; the waiting list; another member's appointment is a 404 on every
//! route, like a missing one.

use axum::http::{StatusCode, header};
use caisse_core::agenda::BookingRequest;
use caisse_core::audit::RequestContext;
use caisse_core::clock::ManualClock;
use caisse_domain::agenda::{Channel, Interval};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, message_fields, no_device_check};

const SOPHIE_NIR: &str = "282126748202355";

async fn logged_in(app: &mut TestApp, nir: &str) {
    let response = app.login_member(nir, MEMBER_PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
}

/// A page's text with its escaped apostrophes read back.
fn text(body: &str) -> String {
    body.replace("&#39;", "'")
}

/// The values of the radio buttons `name` of a page, in order.
fn radio_values(body: &str, name: &str) -> Vec<String> {
    let marker = format!("name=\"{name}\" value=\"");
    body.match_indices(&marker)
        .filter_map(|(at, _)| {
            let rest = &body[at + marker.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}

/// The appointment id of a redirect to its page.
fn appointment_of(location: Option<&str>) -> Uuid {
    location
        .and_then(|l| l.strip_prefix("/rendez-vous/"))
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("an appointment's page: {location:?}"))
}

/// Books the first phone slot of the C2S motif for `nir` through the services.
async fn booked(app: &TestApp, nir: &str) -> (Uuid, Interval) {
    let member = app.member(nir).await;
    let agenda = &app.services.agenda;
    let slot = agenda
        .slots(member.id, "c2s", Channel::Telephone, None)
        .await
        .expect("slots")[0];
    let request = BookingRequest {
        motif: "c2s".to_owned(),
        channel: Channel::Telephone,
        site: None,
        starts_at: slot.span.start,
        phone: None,
        link: None,
    };
    let appointment = agenda
        .book(member.id, &request, &RequestContext::default())
        .await
        .expect("booked");
    (appointment.id, slot.span)
}

#[tokio::test]
async fn booking_through_the_pages_confirms_and_queues_the_mail_with_its_ics() {
    let mut app = TestApp::with_demo_data().await;
    logged_in(&mut app, MEMBER_NIR).await;
    let list = app.get("/rendez-vous").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(text(&list.body).contains("Vous n'avez aucun rendez-vous à venir"));
    assert!(list.body.contains("href=\"/rendez-vous/nouveau\""));
    // Every step is a plain form: no script on any page.
    let motifs = app.get("/rendez-vous/nouveau").await;
    assert_eq!(motifs.status, StatusCode::OK);
    assert!(
        motifs
            .body
            .contains("method=\"get\" action=\"/rendez-vous/nouveau\"")
    );
    assert!(radio_values(&motifs.body, "motif").contains(&"c2s".to_owned()));
    let channels = app.get("/rendez-vous/nouveau?motif=c2s").await;
    assert_eq!(channels.status, StatusCode::OK);
    assert_eq!(
        radio_values(&channels.body, "canal"),
        ["telephone", "agence"],
        "no video without a video service"
    );
    // At a branch, the slot step names the branch's address.
    let branch = app.get("/rendez-vous/nouveau?motif=c2s&canal=agence").await;
    assert_eq!(branch.status, StatusCode::OK);
    assert!(branch.body.contains("12 place de la République"));
    assert!(radio_values(&branch.body, "creneau")[0].contains('.'));
    let slots = app
        .get("/rendez-vous/nouveau?motif=c2s&canal=telephone")
        .await;
    assert_eq!(slots.status, StatusCode::OK);
    assert!(slots.body.contains("le plus tôt possible"));
    let offered = radio_values(&slots.body, "creneau");
    assert_eq!(offered.len(), caisse_core::agenda::SLOTS_OFFERED);
    let token = slots.csrf_token();
    let choice = [
        ("csrf_token", token.as_str()),
        ("motif", "c2s"),
        ("canal", "telephone"),
        ("creneau", offered[0].as_str()),
    ];
    let confirm = app.post_form("/rendez-vous/nouveau", &choice).await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    assert!(confirm.body.contains("Confirmer le rendez-vous"));
    assert!(confirm.body.contains("name=\"telephone\""));
    assert!(
        confirm
            .body
            .contains("Vos ressources des douze derniers mois")
    );
    // Every step is a plain form: the only script is the assistant's panel, every page's.
    for page in [&list, &motifs, &channels, &slots, &confirm] {
        let scripts = page.body.matches("<script").count();
        assert_eq!(
            scripts,
            page.body.matches("<script src=\"/static/js/aide.").count()
        );
    }
    // A bad number: the confirmation again, with what was typed and the slot kept.
    let mut bad = choice.to_vec();
    bad.push(("telephone", "12"));
    let refused = app.post_form("/rendez-vous", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("value=\"12\""));
    assert!(refused.body.contains(&format!("value=\"{}\"", offered[0])));
    assert!(refused.body.contains("aria-invalid=\"true\""));
    assert!(
        app.services
            .agenda
            .appointments(app.member(MEMBER_NIR).await.id)
            .await
            .expect("appointments")
            .is_empty()
    );
    let mut good = choice.to_vec();
    good.push(("telephone", "06 12 34 56 78"));
    let done = app.post_form("/rendez-vous", &good).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let location = done.location().expect("a redirect").to_owned();
    let id = appointment_of(Some(&location));
    let page = app.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Rendez-vous confirmé"));
    assert!(page.body.contains("un e-mail de confirmation"));
    assert!(
        page.body
            .contains("Un conseiller vous appellera au 06\u{a0}12\u{a0}34\u{a0}56\u{a0}78")
    );
    assert!(page.body.contains(&format!("/rendez-vous/{id}/agenda.ics")));
    assert!(page.body.contains(&format!("/rendez-vous/{id}/deplacer")));
    // The confirmation mail carries the .ics.
    let julien = app.member(MEMBER_NIR).await;
    let email = julien
        .email
        .clone()
        .expect("Julien's email")
        .as_str()
        .to_owned();
    app.services.settle_background().await;
    let mails = caisse_store::outbox::for_recipient(&app.db.db, &email)
        .await
        .expect("outbox");
    let mail = mails
        .iter()
        .find(|m| m.subject.starts_with("Votre rendez-vous du"))
        .expect("the confirmation mail");
    let ics = mail.attachment.as_ref().expect("the .ics");
    assert_eq!(ics.name, "rendez-vous.ics");
    assert!(ics.content_type.starts_with("text/calendar"));
    assert!(ics.body.contains("BEGIN:VCALENDAR"));
    // The download.
    let file = app.get(&format!("/rendez-vous/{id}/agenda.ics")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.headers[header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    assert_eq!(
        file.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"rendez-vous.ics\""
    );
    assert!(file.body.starts_with("BEGIN:VCALENDAR"));
    // The list and the home page show it as the next one.
    let list = app.get("/rendez-vous").await;
    assert!(list.body.contains("Mon prochain rendez-vous"));
    assert!(list.body.contains(&format!("href=\"/rendez-vous/{id}\"")));
    let home = app.get("/").await;
    assert!(home.body.contains("Prochain rendez-vous"));
    assert!(home.body.contains(&format!("href=\"/rendez-vous/{id}\"")));
    assert!(home.body.contains("href=\"/rendez-vous\""));
}

/// Sends a message to the fund through the pages; the id of the new thread.
async fn sent_thread(app: &mut TestApp, member_id: Uuid) -> Uuid {
    let fields = message_fields(
        "Ma demande de C2S",
        "Bonjour, où en est ma demande ?",
        "envoyer",
    );
    let sent = app
        .submit_with_files("/messagerie/nouveau", "/messagerie/nouveau", &fields, &[])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    app.services
        .messaging
        .member
        .member_threads(member_id, &Default::default(), 1)
        .await
        .expect("threads")
        .items
        .first()
        .expect("the thread sent")
        .id
}

#[tokio::test]
async fn a_thread_or_dossier_is_carried_only_when_it_is_the_members() {
    let mut app = TestApp::with_demo_data().await;
    logged_in(&mut app, MEMBER_NIR).await;
    // Julien's own thread is carried to the slot step's form.
    let julien = app.member(MEMBER_NIR).await;
    let thread = sent_thread(&mut app, julien.id).await;
    let page = app
        .get(&format!(
            "/rendez-vous/nouveau?motif=c2s&canal=telephone&fil={thread}"
        ))
        .await;
    assert!(page.body.contains(&format!(
        "<input type=\"hidden\" name=\"fil\" value=\"{thread}\">"
    )));
    // Another member's thread is dropped, like an unknown one.
    let mut sophie = app.another_browser();
    logged_in(&mut sophie, SOPHIE_NIR).await;
    let hers = sent_thread(&mut sophie, app.member(SOPHIE_NIR).await.id).await;
    let page = app
        .get(&format!(
            "/rendez-vous/nouveau?motif=c2s&canal=telephone&fil={hers}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&hers.to_string()));
    let foreign = Uuid::new_v4();
    let page = app
        .get(&format!(
            "/rendez-vous/nouveau?motif=c2s&canal=telephone&fil={foreign}&dossier={foreign}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&foreign.to_string()));
    // Garbage in the address is dropped too, not an error.
    let page = app
        .get("/rendez-vous/nouveau?motif=c2s&fil=pas-un-fil")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("pas-un-fil"));
}

#[tokio::test]
async fn a_dossier_of_the_members_is_carried_to_the_booking() {
    let mut app = TestApp::with_demo_data().await;
    logged_in(&mut app, MEMBER_NIR).await;
    let julien = app.member(MEMBER_NIR).await;
    let dossier = app
        .services
        .demarches
        .open(julien.id, "carte-vitale")
        .await
        .expect("a draft");
    let slots = app
        .get(&format!(
            "/rendez-vous/nouveau?motif=c2s&canal=telephone&dossier={dossier}"
        ))
        .await;
    assert!(slots.body.contains(&format!(
        "<input type=\"hidden\" name=\"dossier\" value=\"{dossier}\">"
    )));
    let offered = radio_values(&slots.body, "creneau");
    let token = slots.csrf_token();
    let dossier_field = dossier.to_string();
    let fields = [
        ("csrf_token", token.as_str()),
        ("motif", "c2s"),
        ("canal", "telephone"),
        ("creneau", offered[0].as_str()),
        ("dossier", dossier_field.as_str()),
    ];
    let confirm = app.post_form("/rendez-vous/nouveau", &fields).await;
    assert!(confirm.body.contains(&dossier_field));
    let done = app.post_form("/rendez-vous", &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let id = appointment_of(done.location());
    let view = app
        .services
        .agenda
        .appointment(julien.id, id)
        .await
        .expect("booked");
    assert_eq!(
        view.appointment.link,
        Some(caisse_core::agenda::AppointmentLink::Dossier(dossier))
    );
    // Sophie's dossier id is never carried nor stored for Julien.
    let sophie = app.member(SOPHIE_NIR).await;
    let hers = app
        .services
        .demarches
        .open(sophie.id, "carte-vitale")
        .await
        .expect("her draft");
    let hers_field = hers.to_string();
    let page = app
        .get(&format!(
            "/rendez-vous/nouveau?motif=c2s&canal=telephone&dossier={hers}"
        ))
        .await;
    assert!(!page.body.contains(&hers_field));
    let mut fields = fields;
    fields[3].1 = offered[1].as_str();
    fields[4].1 = hers_field.as_str();
    let done = app.post_form("/rendez-vous", &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let id = appointment_of(done.location());
    let view = app
        .services
        .agenda
        .appointment(julien.id, id)
        .await
        .expect("booked");
    assert_eq!(view.appointment.link, None);
}

#[tokio::test]
async fn a_slot_taken_meanwhile_offers_the_next_ones() {
    let mut app = TestApp::with_demo_data().await;
    logged_in(&mut app, MEMBER_NIR).await;
    let slots = app
        .get("/rendez-vous/nouveau?motif=c2s&canal=telephone")
        .await;
    let offered = radio_values(&slots.body, "creneau");
    let token = slots.csrf_token();
    // The first slot is booked meanwhile (from another tab).
    let (_, taken) = booked(&app, MEMBER_NIR).await;
    assert_eq!(offered[0], taken.start.unix_timestamp().to_string());
    let response = app
        .post_form(
            "/rendez-vous",
            &[
                ("csrf_token", token.as_str()),
                ("motif", "c2s"),
                ("canal", "telephone"),
                ("creneau", offered[0].as_str()),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.body);
    assert!(text(&response.body).contains("vient d'être réservé"));
    let next = radio_values(&response.body, "creneau");
    assert!(!next.is_empty());
    assert!(!next.contains(&offered[0]));
    assert_eq!(next[0], offered[1]);
    // No slot chosen: the slots again with a clear error.
    let none = app
        .post_form(
            "/rendez-vous/nouveau",
            &[
                ("csrf_token", token.as_str()),
                ("motif", "c2s"),
                ("canal", "telephone"),
            ],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&none.body).contains("Choisissez l'un des créneaux de la liste."));
}

#[tokio::test]
async fn a_member_moves_then_cancels_their_appointment() {
    let mut app = TestApp::with_demo_data().await;
    let (id, span) = booked(&app, MEMBER_NIR).await;
    logged_in(&mut app, MEMBER_NIR).await;
    let form = app.get(&format!("/rendez-vous/{id}/deplacer")).await;
    assert_eq!(form.status, StatusCode::OK);
    let offered = radio_values(&form.body, "creneau");
    assert!(!offered.contains(&span.start.unix_timestamp().to_string()));
    let token = form.csrf_token();
    let moved = app
        .post_form(
            &format!("/rendez-vous/{id}/deplacer"),
            &[
                ("csrf_token", token.as_str()),
                ("creneau", offered[1].as_str()),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(
        moved.location(),
        Some(format!("/rendez-vous/{id}?fait=deplace").as_str())
    );
    let page = app.get(&format!("/rendez-vous/{id}?fait=deplace")).await;
    assert!(page.body.contains("Rendez-vous déplacé"));
    let member = app.member(MEMBER_NIR).await;
    let view = app
        .services
        .agenda
        .appointment(member.id, id)
        .await
        .expect("the appointment");
    assert_eq!(
        view.appointment.span.start.unix_timestamp().to_string(),
        offered[1]
    );
    let email = member.email.expect("an email").as_str().to_owned();
    assert!(
        app.delivered(&email)
            .await
            .iter()
            .any(|(subject, _, _)| subject.starts_with("Votre rendez-vous est déplacé"))
    );
    // Cancelling asks first, then cancels.
    let ask = app.get(&format!("/rendez-vous/{id}/annuler")).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.body.contains("Annuler le rendez-vous ?"));
    let token = ask.csrf_token();
    let cancelled = app
        .post_form(
            &format!("/rendez-vous/{id}/annuler"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("/rendez-vous/{id}?fait=annule")).await;
    assert!(page.body.contains("Rendez-vous annulé"));
    assert!(page.body.contains("Annulé par vous"));
    assert!(!page.body.contains(&format!("/rendez-vous/{id}/deplacer")));
    // Cancelling again is refused on the appointment's page.
    let again = app
        .post_form(
            &format!("/rendez-vous/{id}/annuler"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(text(&again.body).contains("n'est plus confirmé"));
    let list = app.get("/rendez-vous").await;
    assert!(list.body.contains("Mes rendez-vous passés ou annulés"));
}

#[tokio::test]
async fn another_members_appointment_is_a_404_on_every_route() {
    let app = TestApp::with_demo_data().await;
    let (id, _) = booked(&app, MEMBER_NIR).await;
    let mut sophie = app.another_browser();
    logged_in(&mut sophie, SOPHIE_NIR).await;
    let token = sophie.get("/rendez-vous").await.csrf_token();
    for target in [id, Uuid::new_v4()] {
        for path in [
            format!("/rendez-vous/{target}"),
            format!("/rendez-vous/{target}/agenda.ics"),
            format!("/rendez-vous/{target}/deplacer"),
            format!("/rendez-vous/{target}/annuler"),
        ] {
            let response = sophie.get(&path).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "GET {path}");
        }
        let moved = sophie
            .post_form(
                &format!("/rendez-vous/{target}/deplacer"),
                &[("csrf_token", token.as_str()), ("creneau", "1796630400")],
            )
            .await;
        assert_eq!(moved.status, StatusCode::NOT_FOUND);
        let cancelled = sophie
            .post_form(
                &format!("/rendez-vous/{target}/annuler"),
                &[("csrf_token", token.as_str())],
            )
            .await;
        assert_eq!(cancelled.status, StatusCode::NOT_FOUND);
    }
    let member = app.member(MEMBER_NIR).await;
    let view = app
        .services
        .agenda
        .appointment(member.id, id)
        .await
        .expect("still there");
    assert_eq!(view.appointment.status.code(), "confirme");
}

#[tokio::test]
async fn within_four_hours_the_member_is_told_to_call_the_fund() {
    let clock = ManualClock::new(OffsetDateTime::now_utc());
    let mut app = TestApp::with_clock(clock.clone(), no_device_check()).await;
    let (id, span) = booked(&app, MEMBER_NIR).await;
    clock.advance(span.start - app.clock.now() - Duration::hours(3));
    logged_in(&mut app, MEMBER_NIR).await;
    let page = app.get(&format!("/rendez-vous/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Moins de 4 heures avant le rendez-vous : appelez votre caisse au")
    );
    assert!(page.body.contains("36 46"));
    assert!(!page.body.contains(&format!("/rendez-vous/{id}/deplacer")));
    let token = page.csrf_token();
    let refused = app
        .post_form(
            &format!("/rendez-vous/{id}/annuler"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .body
            .contains("Moins de quatre heures avant le rendez-vous")
    );
    let form = app.get(&format!("/rendez-vous/{id}/deplacer")).await;
    assert_eq!(form.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_waiting_list_is_offered_past_a_week_and_can_be_left() {
    let mut app = TestApp::with_demo_data().await;
    logged_in(&mut app, MEMBER_NIR).await;
    // With a free slot tomorrow, the waiting list is not offered.
    let slots = app
        .get("/rendez-vous/nouveau?motif=c2s&canal=telephone")
        .await;
    assert!(!text(&slots.body).contains("M'inscrire sur la liste d'attente"));
    // The advisor is away for ten days: the first slot is more than a week away.
    let advisor = caisse_store::staff::by_login(&app.db.db, "conseiller")
        .await
        .expect("staff lookup")
        .expect("the demo advisor");
    let now = OffsetDateTime::now_utc();
    caisse_store::agenda::insert_absence(
        &app.db.db,
        advisor.id,
        Interval {
            start: now,
            end: now + Duration::days(10),
        },
        "congés",
    )
    .await
    .expect("absence");
    let slots = app
        .get("/rendez-vous/nouveau?motif=c2s&canal=telephone")
        .await;
    assert!(text(&slots.body).contains("M'inscrire sur la liste d'attente"));
    assert!(slots.body.contains("action=\"/rendez-vous/liste-attente\""));
    let token = slots.csrf_token();
    let joined = app
        .post_form(
            "/rendez-vous/liste-attente",
            &[
                ("csrf_token", token.as_str()),
                ("motif", "c2s"),
                ("canal", "telephone"),
            ],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    let list = app.get("/rendez-vous?fait=liste-attente").await;
    assert!(text(&list.body).contains("Vous êtes inscrit(e) sur la liste d'attente"));
    assert!(text(&list.body).contains("Ma liste d'attente"));
    assert!(text(&list.body).contains("Quitter la liste d'attente"));
    let left = app
        .post_form(
            "/rendez-vous/liste-attente/quitter",
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    let list = app.get("/rendez-vous?fait=liste-quittee").await;
    assert!(text(&list.body).contains("Vous ne figurez plus sur la liste d'attente"));
    assert!(!text(&list.body).contains("Ma liste d'attente"));
}

#[tokio::test]
async fn the_waiting_list_is_refused_when_a_slot_is_near() {
    let mut app = TestApp::with_demo_data().await;
    logged_in(&mut app, MEMBER_NIR).await;
    let token = app.get("/rendez-vous").await.csrf_token();
    let refused = app
        .post_form(
            "/rendez-vous/liste-attente",
            &[
                ("csrf_token", token.as_str()),
                ("motif", "c2s"),
                ("canal", "telephone"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(text(&refused.body).contains("La liste d'attente est ouverte quand"));
    assert!(!radio_values(&refused.body, "creneau").is_empty());
}
