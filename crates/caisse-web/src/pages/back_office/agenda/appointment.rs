//! `GET /agent/rendez-vous/{id}`: an appointment beside the member file (reading audited by
//! core): identity, NIR, contact, the number to call or the video link, the thread or dossier
//! it was booked from, the member's other appointments; and its forms: `POST …/statut`
//! (`statut` = `honore`, `excuse` or `absent`) and `POST …/annuler` (for the fund, the
//! member is told). Each redirects to the appointment with a fixed confirmation, or shows it
//! again with why it was refused.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::agenda::{AppointmentLink, Outcome, StaffAgendaError, StaffAppointment};
use caisse_core::audit::RequestContext;
use caisse_domain::french::letter_date;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    LineRow, SECTION_AGENDA, channel_label, day_code, refusal, status_class, status_label, when,
};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

#[derive(Template)]
#[template(path = "back_office/agenda/appointment.html")]
struct AppointmentPage {
    layout: Layout,
    id: Uuid,
    when: String,
    until: String,
    day: String,
    channel: &'static str,
    motif: String,
    documents: String,
    status: &'static str,
    status_class: &'static str,
    site: Option<(Uuid, String, String)>,
    advisor: String,
    booked_by: Option<String>,
    /// The number to call: (as read, as dialled).
    call_number: Option<(String, String)>,
    video_link: Option<String>,
    /// The thread or dossier it was booked from: (address, label).
    linked: Option<(String, &'static str)>,
    member_id: Uuid,
    member_name: String,
    member_nir: String,
    member_birth_date: String,
    member_address: Vec<String>,
    member_email: Option<String>,
    member_phone: Option<String>,
    others: Vec<LineRow>,
    may_mark_absent: bool,
    confirmed: bool,
    refused: Option<&'static str>,
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "honore" => Some("Le rendez-vous est enregistré comme honoré."),
        "excuse" => Some("Le rendez-vous est enregistré comme excusé."),
        "absent" => Some("Le rendez-vous est enregistré : l'assuré était absent."),
        "annule" => Some("Le rendez-vous est annulé ; l'assuré est prévenu."),
        "reserve" => Some("Le rendez-vous est réservé ; l'assuré reçoit la confirmation."),
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: Option<String>,
}

/// `GET /agent/rendez-vous/{id}`.
pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let done = done_message(query.fait.as_deref());
    render_appointment(&state, &staff, &context, id, done, None).await
}

async fn render_appointment(
    state: &AppState,
    staff: &CurrentStaff,
    context: &RequestContext,
    id: Uuid,
    done: Option<&'static str>,
    refused: Option<&'static str>,
) -> Result<Response, AppError> {
    let found: StaffAppointment = state
        .agenda
        .staff_appointment(staff.id, id, context)
        .await
        .map_err(refusal)?;
    let view = &found.view;
    let appointment = &view.appointment;
    let mut layout = Layout::new(
        &staff.visitor,
        &state.config.brand,
        format!("Rendez-vous de {}", found.member_name),
        SECTION_AGENDA,
    );
    if let Some(message) = done {
        layout.flash = Some(Flash {
            kind: "succes",
            message: message.to_owned(),
        });
    }
    let linked = appointment.link.map(|link| match link {
        AppointmentLink::Thread(thread) => (
            format!("/agent/messagerie/{thread}"),
            "Le message de l'assuré",
        ),
        AppointmentLink::Dossier(dossier) => (
            format!("/agent/dossiers/{dossier}"),
            "Le dossier de la démarche",
        ),
    });
    let page = AppointmentPage {
        layout,
        id,
        when: when(found.starts),
        until: caisse_domain::french::time_of_day(found.ends.time()),
        day: day_code(found.starts.date()),
        channel: channel_label(appointment.channel),
        motif: view.motif.label.clone(),
        documents: view.motif.documents.clone(),
        status: status_label(appointment.status),
        status_class: status_class(appointment.status),
        site: view.site.as_ref().map(|s| {
            (
                s.id,
                s.name.clone(),
                format!("{}, {} {}", s.address, s.postcode, s.city),
            )
        }),
        advisor: found.advisor.clone(),
        booked_by: found.booked_by.clone(),
        call_number: found.call_number.clone().map(|shown| {
            let dialled = appointment.phone.clone().unwrap_or_default();
            (shown, dialled)
        }),
        video_link: view.video_link.clone(),
        linked,
        member_id: appointment.member_id,
        member_name: found.member_name.clone(),
        member_nir: found.member_nir.clone(),
        member_birth_date: letter_date(found.member_birth_date),
        member_address: found.member_address.clone(),
        member_email: found.member_email.clone(),
        member_phone: found.member_phone.clone(),
        others: found.others.iter().map(LineRow::of).collect(),
        may_mark_absent: found.may_mark_absent,
        confirmed: found.confirmed,
        refused,
    };
    let status = if refused.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}

/// An action's outcome: back to the appointment with `done`'s confirmation, or the
/// appointment again with why it was refused.
async fn outcome(
    state: &AppState,
    staff: &CurrentStaff,
    context: &RequestContext,
    id: Uuid,
    result: Result<(), StaffAgendaError>,
    done: &'static str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/agent/rendez-vous/{id}?fait={done}")).into_response()),
        Err(error @ (StaffAgendaError::NotFound | StaffAgendaError::NotAllowed)) => {
            Err(refusal(error))
        }
        Err(StaffAgendaError::Agenda(caisse_core::agenda::AgendaError::Core(error))) => {
            Err(AppError::unexpected(error))
        }
        Err(other) => {
            render_appointment(state, staff, context, id, None, Some(other.message_fr())).await
        }
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    statut: String,
}

/// `POST /agent/rendez-vous/{id}/statut`: `honore`, `excuse` or `absent`.
pub async fn record(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Result<Response, AppError> {
    let code = form.statut.trim();
    let Some(outcome_asked) = Outcome::from_code(code) else {
        return Err(AppError::BadAddress);
    };
    let result = state
        .agenda
        .record_outcome(staff.id, id, outcome_asked, &context)
        .await;
    let done = match outcome_asked {
        Outcome::Honoured => "honore",
        Outcome::Excused => "excuse",
        Outcome::NoShow => "absent",
    };
    outcome(&state, &staff, &context, id, result, done).await
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// `POST /agent/rendez-vous/{id}/annuler`: cancelled for the fund; the member is told.
pub async fn cancel(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let result = state.agenda.cancel_for_fund(staff.id, id, &context).await;
    outcome(&state, &staff, &context, id, result, "annule").await
}
