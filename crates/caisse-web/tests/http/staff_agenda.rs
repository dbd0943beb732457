//! The back office of « Mon agenda », on both databases: the advisor sees Julien's
//! appointment in their day (audited), opens it beside his file (audited) and marks it
//! honoured once it has started; another fund's staff meets a 404; an advisor books for a
//! member on the phone (the member is mailed, `booked_by` is set) and cancels for the fund;
//! a supervisor configures a motif, a branch and hours whose slots members then see, and an
//! invalid value is refused in French with nothing changed; an advisor is refused the
//! configuration and the supervisors' figures. Every `/agent/agenda…` and
//! `/agent/rendez-vous…` route is also in `staff_routes.rs`.

use axum::http::StatusCode;
use caisse_core::agenda::BookingRequest;
use caisse_core::audit::RequestContext;
use caisse_core::clock::{Clock, ManualClock};
use caisse_core::staff::StaffRole;
use caisse_domain::CaisseCode;
use caisse_domain::agenda::{AppointmentStatus, Channel, LocalZone};
use caisse_store::agenda as store;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, TestApp, no_device_check};

const FUND: &str = "781";
const JULIEN_EMAIL: &str = "julien.martin@exemple.fr";

fn fund() -> CaisseCode {
    CaisseCode::parse(FUND).unwrap()
}

async fn staff_id(app: &TestApp, login: &str) -> Uuid {
    caisse_store::staff::by_login(&app.db.db, login)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Julien books the first phone slot for the C2S himself: the appointment and its start.
async fn julien_books(app: &TestApp) -> (Uuid, time::OffsetDateTime) {
    let julien = app.member(MEMBER_NIR).await;
    let agenda = &app.services.agenda;
    let slot = agenda
        .slots(julien.id, "c2s", Channel::Telephone, None)
        .await
        .unwrap()[0];
    let booked = agenda
        .book(
            julien.id,
            &BookingRequest {
                motif: "c2s".to_owned(),
                channel: Channel::Telephone,
                site: None,
                starts_at: slot.span.start,
                phone: None,
                link: None,
            },
            &RequestContext::default(),
        )
        .await
        .unwrap();
    (booked.id, slot.span.start)
}

async fn status_of(app: &TestApp, id: Uuid) -> store::Appointment {
    store::find(&app.db.db, id).await.unwrap().unwrap()
}

/// The value of the first `name="creneau"` radio button of a page.
fn first_slot(body: &str) -> String {
    let at = body
        .find("name=\"creneau\" value=\"")
        .expect("a slot offered");
    let rest = &body[at + "name=\"creneau\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_advisor_sees_opens_and_marks_julien_s_appointment_once_started() {
    let clock = ManualClock::new(caisse_store::now_utc());
    let app = TestApp::with_clock(clock.clone(), no_device_check()).await;
    let (id, starts_at) = julien_books(&app).await;
    let day = LocalZone::Paris.local(starts_at).date();
    let mut advisor = app.another_browser();
    advisor.login_staff("conseiller").await;

    // The day names Julien, with a link to the appointment; the reading is audited.
    let page = advisor.get(&format!("/agent/agenda?jour={day}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Julien MARTIN"));
    assert!(page.body.contains(&format!("/agent/rendez-vous/{id}")));
    assert!(page.body.contains("Téléphone"));
    assert!(page.body.contains("Confirmé"));
    assert!(
        !app.staff_events("conseiller", "staff.agenda.viewed")
            .await
            .is_empty()
    );
    // The week too, with the previous and next weeks.
    let week = advisor
        .get(&format!("/agent/agenda?jour={day}&vue=semaine"))
        .await;
    assert!(week.body.contains(&format!("/agent/rendez-vous/{id}")));
    assert!(week.body.contains("Semaine suivante"));

    // Beside the member file: NIR, the number to call; only « Excusé » before it starts.
    let page = advisor.get(&format!("/agent/rendez-vous/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for shown in [
        "Julien MARTIN",
        "Numéro à appeler",
        "Excusé",
        "Annuler pour la caisse",
    ] {
        assert!(page.body.contains(shown), "{shown} missing");
    }
    assert!(page.body.contains(">Honoré</button>"));
    assert!(!page.body.contains(">Absent</button>"));
    assert!(
        !app.staff_events("conseiller", "staff.appointment.viewed")
            .await
            .is_empty()
    );
    let early = advisor
        .submit(
            &format!("/agent/rendez-vous/{id}"),
            &format!("/agent/rendez-vous/{id}/statut"),
            &[("statut", "absent")],
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(early.body.contains("pas encore commencé"));
    assert_eq!(
        status_of(&app, id).await.status,
        AppointmentStatus::Confirmed
    );

    // Once it has started, « Absent » is offered too; « Honoré » is recorded, once.
    clock.advance(starts_at - clock.now() + time::Duration::minutes(5));
    let mut advisor = app.another_browser();
    advisor.login_staff("conseiller").await;
    let page = advisor.get(&format!("/agent/rendez-vous/{id}")).await;
    assert!(page.body.contains(">Absent</button>"), "{}", page.body);
    let done = advisor
        .submit(
            &format!("/agent/rendez-vous/{id}"),
            &format!("/agent/rendez-vous/{id}/statut"),
            &[("statut", "honore")],
        )
        .await;
    assert_eq!(
        done.location(),
        Some(&*format!("/agent/rendez-vous/{id}?fait=honore"))
    );
    let stored = status_of(&app, id).await;
    assert_eq!(stored.status, AppointmentStatus::Honoured);
    assert_eq!(stored.outcome_by, Some(staff_id(&app, "conseiller").await));
    assert!(
        !app.staff_events("conseiller", "staff.appointment.outcome")
            .await
            .is_empty()
    );
    let again = advisor
        .submit(
            &format!("/agent/rendez-vous/{id}"),
            &format!("/agent/rendez-vous/{id}/statut"),
            &[("statut", "absent")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        status_of(&app, id).await.status,
        AppointmentStatus::Honoured
    );
}

#[tokio::test]
async fn another_funds_staff_cannot_read_mark_or_cancel_an_appointment() {
    let app = TestApp::with_demo_data().await;
    let (id, _) = julien_books(&app).await;
    let mut other = app
        .staff_of_fund(
            "conseiller.basrhin",
            StaffRole::Superviseur,
            "671",
            "AGENDAAUTRECAISSEBASRHINSTRASBOU",
        )
        .await;
    assert_eq!(
        other.get(&format!("/agent/rendez-vous/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let token = other.get("/agent/agenda").await.csrf_token();
    for (action, fields) in [("statut", vec![("statut", "excuse")]), ("annuler", vec![])] {
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend(fields);
        let answer = other
            .post_form(&format!("/agent/rendez-vous/{id}/{action}"), &all)
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(
        status_of(&app, id).await.status,
        AppointmentStatus::Confirmed
    );
    // Nor does fund A's member exist for booking.
    let julien = app.member(MEMBER_NIR).await;
    let page = other
        .get(&format!("/agent/agenda/reserver?assure={}", julien.id))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_advisor_books_for_a_member_on_the_phone_then_cancels_for_the_fund() {
    let app = TestApp::with_demo_data().await;
    let julien = app.member(MEMBER_NIR).await;
    let mut advisor = app.another_browser();
    advisor.login_staff("conseiller").await;

    // Found by NIR within the fund.
    let found = advisor
        .submit(
            "/agent/agenda/reserver",
            "/agent/agenda/reserver",
            &[("nir", MEMBER_NIR)],
        )
        .await;
    let form = format!("/agent/agenda/reserver?assure={}", julien.id);
    assert_eq!(found.location(), Some(form.as_str()));
    // Without a video service, no video appointment is offered.
    let choices = advisor.get(&form).await;
    assert!(
        choices.body.contains("value=\"telephone\""),
        "{}",
        choices.body
    );
    assert!(!choices.body.contains("value=\"visio\""));
    // Another fund's member is not found.
    let camille_body = "293122A004123";
    let key = caisse_domain::nir::compute_key(camille_body).unwrap();
    let camille_nir = format!("{camille_body}{key:02}");
    let camille = app.member(&camille_nir).await;
    assert_ne!(camille.caisse_code, fund());
    let missing = advisor
        .submit(
            "/agent/agenda/reserver",
            "/agent/agenda/reserver",
            &[("nir", &camille_nir)],
        )
        .await;
    assert_eq!(missing.status, StatusCode::OK);
    assert!(missing.body.contains("Aucun assuré de votre caisse"));
    assert_eq!(
        advisor
            .get(&format!("/agent/agenda/reserver?assure={}", camille.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The slots of the motif and channel, then the booking with the number given.
    let choices = format!("{form}&motif=c2s&canal=telephone&accueil=");
    let page = advisor.get(&choices).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Julien MARTIN"));
    let slot = first_slot(&page.body);
    let julien_id = julien.id.to_string();
    let booked = advisor
        .submit(
            &choices,
            "/agent/agenda/reserver",
            &[
                ("assure", &julien_id),
                ("motif", "c2s"),
                ("canal", "telephone"),
                ("accueil", ""),
                ("creneau", &slot),
                ("telephone", "06 98 76 54 32"),
            ],
        )
        .await;
    let location = booked.location().expect("to the appointment").to_owned();
    let id: Uuid = location
        .trim_start_matches("/agent/rendez-vous/")
        .trim_end_matches("?fait=reserve")
        .parse()
        .unwrap();
    let stored = status_of(&app, id).await;
    assert_eq!(stored.booked_by, Some(staff_id(&app, "conseiller").await));
    assert_eq!(stored.phone.as_deref(), Some("+33698765432"));
    assert_eq!(stored.member_id, julien.id);
    let mails = app.delivered(JULIEN_EMAIL).await;
    assert!(
        mails
            .iter()
            .any(|(subject, _, _)| subject.ends_with("est confirmé")),
        "{mails:?}"
    );
    assert!(
        !app.staff_events("conseiller", "staff.appointment.booked")
            .await
            .is_empty()
    );
    // The same slot again is taken: the form again with the reason.
    let taken = advisor
        .submit(
            &choices,
            "/agent/agenda/reserver",
            &[
                ("assure", &julien_id),
                ("motif", "c2s"),
                ("canal", "telephone"),
                ("accueil", ""),
                ("creneau", &slot),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Cancelled for the fund: the member is mailed.
    let page = advisor.get(&location).await;
    assert!(page.body.contains("Le rendez-vous est réservé"));
    assert!(page.body.contains("06 98 76 54 32"));
    let cancelled = advisor
        .submit(
            &format!("/agent/rendez-vous/{id}"),
            &format!("/agent/rendez-vous/{id}/annuler"),
            &[],
        )
        .await;
    assert_eq!(
        cancelled.location(),
        Some(&*format!("/agent/rendez-vous/{id}?fait=annule"))
    );
    assert_eq!(
        status_of(&app, id).await.status,
        AppointmentStatus::CancelledByFund
    );
    let mails = app.delivered(JULIEN_EMAIL).await;
    assert!(
        mails
            .iter()
            .any(|(subject, _, _)| subject.ends_with("est annulé"))
    );
    assert!(
        !app.staff_events("conseiller", "staff.appointment.cancelled")
            .await
            .is_empty()
    );
}

async fn configure(
    browser: &mut TestApp,
    action: &str,
    fields: &[(&str, &str)],
) -> crate::support::TestResponse {
    browser
        .submit("/agent/agenda/configuration", action, fields)
        .await
}

#[tokio::test]
async fn a_supervisor_configures_a_motif_a_branch_and_hours_and_members_see_the_slots() {
    let app = TestApp::with_demo_data().await;
    let db = &app.db.db;
    let julien = app.member(MEMBER_NIR).await;
    let mut supervisor = app.another_browser();
    supervisor.login_staff("superviseur").await;
    let page = supervisor.get("/agent/agenda/configuration").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Accueil du centre-ville"));

    let site = configure(
        &mut supervisor,
        "/agent/agenda/configuration/accueils",
        &[
            ("nom", "Accueil de Saint-Germain"),
            ("adresse", "3 rue de Pontoise"),
            ("code_postal", "78100"),
            ("ville", "Saint-Germain-en-Laye"),
            ("horaires", "Le mercredi matin"),
            ("actif", "oui"),
        ],
    )
    .await;
    assert_eq!(
        site.location(),
        Some("/agent/agenda/configuration?fait=accueil")
    );
    let site = store::sites(db, fund(), false)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Accueil de Saint-Germain")
        .unwrap()
        .id;
    let motif = configure(
        &mut supervisor,
        "/agent/agenda/configuration/motifs",
        &[
            ("code", "carte-vitale"),
            ("libelle", "Votre carte Vitale"),
            ("canal", "agence"),
            ("duree", "20"),
            ("prevenance", "0"),
            ("horizon", "30"),
            ("documents", "Une pièce d'identité."),
            ("demarche", ""),
            ("actif", "oui"),
        ],
    )
    .await;
    assert_eq!(
        motif.location(),
        Some("/agent/agenda/configuration?fait=motif")
    );
    let supervisor_id = staff_id(&app, "superviseur").await;
    let site_id = site.to_string();
    let hours = configure(
        &mut supervisor,
        &format!("/agent/agenda/configuration/conseillers/{supervisor_id}/horaires"),
        &[
            ("canal", "agence"),
            ("accueil", &site_id),
            ("jour", "3"),
            ("debut", "09:00"),
            ("fin", "12:00"),
        ],
    )
    .await;
    assert_eq!(
        hours.location(),
        Some("/agent/agenda/configuration?fait=horaires")
    );

    // Members see the motif and its slots at the new branch.
    let agenda = &app.services.agenda;
    assert!(
        agenda
            .motifs(julien.id)
            .await
            .unwrap()
            .iter()
            .any(|m| m.code == "carte-vitale")
    );
    let slots = agenda
        .slots(julien.id, "carte-vitale", Channel::Agence, Some(site))
        .await
        .unwrap();
    assert!(!slots.is_empty());
    for slot in &slots {
        assert_eq!(slot.site, Some(site));
        let local = LocalZone::Paris.local(slot.span.start);
        assert_eq!(local.weekday(), time::Weekday::Wednesday);
        assert_eq!(slot.span.end - slot.span.start, time::Duration::minutes(20));
    }
    assert!(
        !app.staff_events("superviseur", "staff.agenda.configured")
            .await
            .is_empty()
    );

    // Julien books there: the branch's day lists him (audited).
    let booked = agenda
        .book(
            julien.id,
            &BookingRequest {
                motif: "carte-vitale".to_owned(),
                channel: Channel::Agence,
                site: Some(site),
                starts_at: slots[0].span.start,
                phone: None,
                link: None,
            },
            &RequestContext::default(),
        )
        .await
        .unwrap();
    let day = LocalZone::Paris.local(slots[0].span.start).date();
    let branch = supervisor
        .get(&format!("/agent/agenda/accueil/{site}?jour={day}"))
        .await;
    assert_eq!(branch.status, StatusCode::OK);
    assert!(branch.body.contains("Accueil : Accueil de Saint-Germain"));
    assert!(branch.body.contains("Julien MARTIN"));
    assert!(
        branch
            .body
            .contains(&format!("/agent/rendez-vous/{}", booked.id))
    );

    // Withdrawn, the motif is no longer offered to members.
    let motif_id = store::motifs(db, fund(), false)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.code == "carte-vitale")
        .unwrap()
        .id;
    let withdrawn = configure(
        &mut supervisor,
        &format!("/agent/agenda/configuration/motifs/{motif_id}"),
        &[
            ("code", "carte-vitale"),
            ("libelle", "Votre carte Vitale"),
            ("canal", "agence"),
            ("duree", "20"),
            ("prevenance", "0"),
            ("horizon", "30"),
        ],
    )
    .await;
    assert_eq!(
        withdrawn.location(),
        Some("/agent/agenda/configuration?fait=motif")
    );
    assert!(
        !agenda
            .motifs(julien.id)
            .await
            .unwrap()
            .iter()
            .any(|m| m.code == "carte-vitale")
    );

    // Invalid values: the French reason, nothing changed.
    let motifs_before = store::motifs(db, fund(), false).await.unwrap();
    let hours_before = store::hours_of_staff(db, supervisor_id).await.unwrap();
    let refused = configure(
        &mut supervisor,
        "/agent/agenda/configuration/motifs",
        &[
            ("code", "trop-long"),
            ("libelle", "Trop long"),
            ("canal", "telephone"),
            ("duree", "500"),
            ("prevenance", "0"),
            ("horizon", "30"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("La durée d&#39;un rendez-vous est comprise entre 5 et 240 minutes.")
    );
    let hours_path = format!("/agent/agenda/configuration/conseillers/{supervisor_id}/horaires");
    for (fields, why) in [
        (
            [
                ("canal", "agence"),
                ("accueil", ""),
                ("debut", "09:00"),
                ("fin", "10:00"),
            ],
            "Choisissez l&#39;accueil des horaires en agence.",
        ),
        (
            [
                ("canal", "telephone"),
                ("accueil", site_id.as_str()),
                ("debut", "09:00"),
                ("fin", "10:00"),
            ],
            "Un accueil ne se choisit que pour des horaires en agence.",
        ),
        (
            [
                ("canal", "telephone"),
                ("accueil", ""),
                ("debut", "11:00"),
                ("fin", "10:00"),
            ],
            "L&#39;heure de fin doit être après l&#39;heure de début.",
        ),
        (
            [
                ("canal", "telephone"),
                ("accueil", ""),
                ("debut", "09:07"),
                ("fin", "10:00"),
            ],
            "par pas de 5 minutes",
        ),
    ] {
        let mut all = vec![("jour", "2")];
        all.extend(fields);
        let answer = configure(&mut supervisor, &hours_path, &all).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{why}");
        assert!(answer.body.contains(why), "{why}");
    }
    // Wednesday's branch morning holds 9:00–12:00: phone hours from 11:00 overlap it.
    let overlapping = configure(
        &mut supervisor,
        &hours_path,
        &[
            ("jour", "3"),
            ("canal", "telephone"),
            ("accueil", ""),
            ("debut", "11:00"),
            ("fin", "12:30"),
        ],
    )
    .await;
    assert_eq!(overlapping.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        overlapping
            .body
            .contains("Ces horaires chevauchent d&#39;autres horaires de ce conseiller")
    );
    let absence_path = format!("/agent/agenda/configuration/conseillers/{supervisor_id}/absences");
    let backwards = configure(
        &mut supervisor,
        &absence_path,
        &[
            ("debut", "2030-01-08T10:00"),
            ("fin", "2030-01-08T09:00"),
            ("motif", "Formation"),
        ],
    )
    .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body.contains("La fin doit être après le début."));
    assert_eq!(
        store::motifs(db, fund(), false).await.unwrap(),
        motifs_before
    );
    assert_eq!(
        store::hours_of_staff(db, supervisor_id).await.unwrap(),
        hours_before
    );

    // An absence and a closure, added then removed.
    let added = configure(
        &mut supervisor,
        &absence_path,
        &[
            ("debut", "2030-01-08T08:00"),
            ("fin", "2030-01-08T18:00"),
            ("motif", "Formation"),
        ],
    )
    .await;
    assert_eq!(
        added.location(),
        Some("/agent/agenda/configuration?fait=absence")
    );
    let far = caisse_store::now_utc() + time::Duration::days(3_650);
    let absences = store::absences(
        db,
        fund(),
        Some(supervisor_id),
        caisse_store::now_utc(),
        far,
    )
    .await
    .unwrap();
    assert_eq!(absences.len(), 1);
    let removed = configure(
        &mut supervisor,
        &format!("{absence_path}/{}/supprimer", absences[0].id),
        &[],
    )
    .await;
    assert_eq!(
        removed.location(),
        Some("/agent/agenda/configuration?fait=absence-supprimee")
    );
    let closed = configure(
        &mut supervisor,
        &format!("/agent/agenda/configuration/accueils/{site}/fermetures"),
        &[
            ("debut", "2030-01-08T08:00"),
            ("fin", "2030-01-09T18:00"),
            ("motif", "Travaux"),
        ],
    )
    .await;
    assert_eq!(
        closed.location(),
        Some("/agent/agenda/configuration?fait=fermeture")
    );
    let closures = store::closures(db, fund(), caisse_store::now_utc())
        .await
        .unwrap();
    assert_eq!(closures.len(), 1);
    let page = supervisor.get("/agent/agenda/configuration").await;
    assert!(page.body.contains("Travaux"));
    let reopened = configure(
        &mut supervisor,
        &format!(
            "/agent/agenda/configuration/fermetures/{}/supprimer",
            closures[0].id
        ),
        &[],
    )
    .await;
    assert_eq!(
        reopened.location(),
        Some("/agent/agenda/configuration?fait=fermeture-supprimee")
    );
    assert!(
        store::closures(db, fund(), caisse_store::now_utc())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_advisor_is_refused_the_configuration_the_figures_and_a_colleagues_agenda() {
    let app = TestApp::with_demo_data().await;
    julien_books(&app).await;
    let mut advisor = app.another_browser();
    advisor.login_staff("conseiller").await;
    for path in ["/agent/agenda/configuration", "/agent/agenda/pilotage"] {
        assert_eq!(
            advisor.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let before = store::motifs(&app.db.db, fund(), false)
        .await
        .unwrap()
        .len();
    let refused = advisor
        .submit(
            "/agent/agenda",
            "/agent/agenda/configuration/motifs",
            &[
                ("code", "interdit"),
                ("libelle", "Interdit"),
                ("canal", "telephone"),
                ("duree", "30"),
                ("prevenance", "0"),
                ("horizon", "30"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        store::motifs(&app.db.db, fund(), false)
            .await
            .unwrap()
            .len(),
        before
    );
    let supervisor_id = staff_id(&app, "superviseur").await;
    assert_eq!(
        advisor
            .get(&format!("/agent/agenda?conseiller={supervisor_id}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // A supervisor reads the figures and an advisor's agenda.
    let mut supervisor = app.another_browser();
    supervisor.login_staff("superviseur").await;
    let figures = supervisor.get("/agent/agenda/pilotage").await;
    assert_eq!(figures.status, StatusCode::OK, "{}", figures.body);
    assert!(figures.body.contains("Marie Lefebvre"));
    assert!(figures.body.contains("Taux d'absence"));
    let advisor_id = staff_id(&app, "conseiller").await;
    let agenda = supervisor
        .get(&format!(
            "/agent/agenda?conseiller={advisor_id}&vue=semaine"
        ))
        .await;
    assert_eq!(agenda.status, StatusCode::OK);
    assert!(agenda.body.contains("Agenda de Marie Lefebvre"));
}
