//! `GET /rendez-vous/{id}`: an appointment's page — status, date and time, how it takes place,
//! the documents to prepare, the video link, the `.ics` download, and « Déplacer » and
//! « Annuler » until four hours before (then: call the fund). `GET …/agenda.ics`: the file.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use caisse_core::agenda::AppointmentView;
use caisse_domain::agenda::AppointmentStatus;
use serde::Deserialize;
use uuid::Uuid;

use super::view::{AppointmentCard, how};
use super::{layout, layout_with_error, refusal};
use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::CurrentMember;

#[derive(Template)]
#[template(path = "agenda/show.html")]
struct AppointmentPage {
    layout: Layout,
    id: Uuid,
    card: AppointmentCard,
    documents: String,
    confirmed: bool,
    can_change: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    fait: Option<String>,
}

/// The notice a redirect asks for with `?fait=`: only these fixed messages exist.
fn done_notice(code: &str) -> Option<Flash> {
    let message = match code {
        "confirme" => {
            "Rendez-vous confirmé. Vous allez recevoir un e-mail de confirmation avec le rendez-vous à ajouter à votre agenda."
        }
        "deplace" => {
            "Rendez-vous déplacé. Vous allez recevoir un e-mail de confirmation avec le nouvel horaire."
        }
        "annule" => "Rendez-vous annulé. Un e-mail vous le confirme.",
        _ => return None,
    };
    Some(Flash {
        kind: "succes",
        message: message.to_owned(),
    })
}

fn page(layout: Layout, view: &AppointmentView) -> AppointmentPage {
    let confirmed = view.appointment.status == AppointmentStatus::Confirmed;
    AppointmentPage {
        layout,
        id: view.appointment.id,
        card: AppointmentCard {
            how: how(view),
            ..AppointmentCard::of(view)
        },
        documents: view.motif.documents.clone(),
        confirmed,
        can_change: view.can_change,
    }
}

fn title(view: &AppointmentView) -> String {
    format!("Rendez-vous : {}", view.motif.label)
}

pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let view = state
        .agenda
        .appointment(member.id, id)
        .await
        .map_err(refusal)?;
    let mut layout = layout(&state, &member, title(&view));
    if let Some(flash) = query.fait.as_deref().and_then(done_notice) {
        layout.flash = Some(flash);
    }
    Ok(render(&page(layout, &view))?.into_response())
}

/// The appointment's page with `message` on top, for a change its state no longer allows.
pub(super) async fn page_with_notice(
    state: &AppState,
    member: &CurrentMember,
    id: Uuid,
    message: &str,
) -> Result<Response, AppError> {
    let view = state
        .agenda
        .appointment(member.id, id)
        .await
        .map_err(refusal)?;
    let layout = layout_with_error(state, member, title(&view), message);
    Ok((StatusCode::CONFLICT, render(&page(layout, &view))?).into_response())
}

/// `GET /rendez-vous/{id}/agenda.ics`: the appointment for a calendar application.
pub async fn ics(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let body = state.agenda.ics(member.id, id).await.map_err(refusal)?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"rendez-vous.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}
