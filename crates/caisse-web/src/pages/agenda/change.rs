//! Moving (`/rendez-vous/{id}/deplacer`: the slots of the same motif, channel and branch) and
//! cancelling (`/rendez-vous/{id}/annuler`: a page asking to confirm) an appointment, until
//! four hours before. Refusals because of its state come back on its page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::agenda::{AgendaError, AppointmentView, SlotOffer};
use caisse_domain::agenda::Channel;
use serde::Deserialize;
use uuid::Uuid;

use super::appointment::page_with_notice;
use super::slots::{SlotChoice, SlotDay, by_day};
use super::view::{AppointmentCard, address};
use super::{appointment_href, layout, layout_with_error, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::CurrentMember;

#[derive(Template)]
#[template(path = "agenda/move.html")]
struct MovePage {
    layout: Layout,
    id: Uuid,
    card: AppointmentCard,
    site: Option<String>,
    days: Vec<SlotDay>,
}

#[derive(Template)]
#[template(path = "agenda/cancel.html")]
struct CancelPage {
    layout: Layout,
    id: Uuid,
    card: AppointmentCard,
}

/// The member's appointment `id`, when they may still change it; else the page to show.
async fn changeable(
    state: &AppState,
    member: &CurrentMember,
    id: Uuid,
) -> Result<Result<AppointmentView, Response>, AppError> {
    let view = state
        .agenda
        .appointment(member.id, id)
        .await
        .map_err(refusal)?;
    if view.can_change {
        return Ok(Ok(view));
    }
    let error = if view.appointment.status == caisse_domain::agenda::AppointmentStatus::Confirmed {
        AgendaError::TooLate
    } else {
        AgendaError::NotConfirmed
    };
    Ok(Err(
        page_with_notice(state, member, id, error.message_fr()).await?
    ))
}

/// The branch slots are searched at (the appointment's, for a branch).
fn site_of(view: &AppointmentView) -> Option<Uuid> {
    (view.appointment.channel == Channel::Agence)
        .then_some(view.appointment.site)
        .flatten()
}

async fn move_page(
    state: &AppState,
    member: &CurrentMember,
    view: &AppointmentView,
    offers: Option<Vec<SlotOffer>>,
    error: Option<(StatusCode, &str)>,
) -> Result<Response, AppError> {
    let site = site_of(view);
    let offers = match offers {
        Some(offers) => offers,
        None => state
            .agenda
            .slots(member.id, &view.motif.code, view.appointment.channel, site)
            .await
            .map_err(refusal)?,
    };
    let sites = if site.is_some() {
        state.agenda.sites(member.id).await.map_err(refusal)?
    } else {
        Vec::new()
    };
    let title = "Déplacer le rendez-vous";
    let (layout, status) = match error {
        Some((status, message)) => (
            layout_with_error(state, member, format!("Erreur : {title}"), message),
            status,
        ),
        None => (layout(state, member, title), StatusCode::OK),
    };
    let page = MovePage {
        layout,
        id: view.appointment.id,
        card: AppointmentCard::of(view),
        site: site
            .and_then(|id| sites.iter().find(|s| s.id == id))
            .map(address),
        days: by_day(&offers, &view.motif, &sites, None),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn move_form(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    match changeable(&state, &member, id).await? {
        Ok(view) => move_page(&state, &member, &view, None, None).await,
        Err(page) => Ok(page),
    }
}

/// The slot chosen to move to.
#[derive(Debug, Default, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    creneau: String,
}

pub async fn move_to(
    State(state): State<AppState>,
    member: CurrentMember,
    crate::visitor::Client(context): crate::visitor::Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Result<Response, AppError> {
    let view = match changeable(&state, &member, id).await? {
        Ok(view) => view,
        Err(page) => return Ok(page),
    };
    let Some(slot) = SlotChoice::parse(&form.creneau) else {
        let error = (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choisissez l'un des créneaux de la liste.",
        );
        return move_page(&state, &member, &view, None, Some(error)).await;
    };
    match state
        .agenda
        .move_to(member.id, id, slot.starts_at, slot.site, &context)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("{}?fait=deplace", appointment_href(id))).into_response())
        }
        Err(AgendaError::Taken { next }) => {
            let message = AgendaError::Taken { next: Vec::new() }.message_fr();
            move_page(
                &state,
                &member,
                &view,
                Some(next),
                Some((StatusCode::CONFLICT, message)),
            )
            .await
        }
        Err(error @ (AgendaError::NotOffered | AgendaError::UnknownSite)) => {
            let error = (StatusCode::UNPROCESSABLE_ENTITY, error.message_fr());
            move_page(&state, &member, &view, None, Some(error)).await
        }
        Err(error @ (AgendaError::TooLate | AgendaError::NotConfirmed)) => {
            page_with_notice(&state, &member, id, error.message_fr()).await
        }
        Err(error) => Err(refusal(error)),
    }
}

pub async fn cancel_form(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    match changeable(&state, &member, id).await? {
        Ok(view) => {
            let page = CancelPage {
                layout: layout(&state, &member, "Annuler le rendez-vous"),
                id,
                card: AppointmentCard::of(&view),
            };
            Ok(render(&page)?.into_response())
        }
        Err(page) => Ok(page),
    }
}

/// A form with no field but the CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct ButtonForm {}

pub async fn cancel(
    State(state): State<AppState>,
    member: CurrentMember,
    crate::visitor::Client(context): crate::visitor::Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    match state.agenda.cancel(member.id, id, &context).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}?fait=annule", appointment_href(id))).into_response())
        }
        Err(error @ (AgendaError::TooLate | AgendaError::NotConfirmed)) => {
            page_with_notice(&state, &member, id, error.message_fr()).await
        }
        Err(error) => Err(refusal(error)),
    }
}
