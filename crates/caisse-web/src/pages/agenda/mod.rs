//! « Mes rendez-vous » for members (issue 16): the list of their appointments and waiting
//! list (`/rendez-vous`), booking step by step with plain forms (`/rendez-vous/nouveau`: the
//! motif, the channel and branch, a slot, then the confirmation), each appointment's page
//! with its `.ics`, moving and cancelling it until four hours before, and the waiting list.
//!
//! Every page works without JavaScript: each step is a GET form carrying the earlier choices
//! in its address, the confirmation and every change a POST form with the CSRF token.
//! Another member's appointment answers the same 404 page as a missing one, on every route.

mod appointment;
mod booking;
mod change;
mod choices;
mod confirm;
mod link;
mod list;
mod slots;
mod view;
mod waiting;

use axum::Router;
use axum::routing::{get, post};
use caisse_core::agenda::AgendaError;
use time::OffsetDateTime;

use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::state::AppState;
use crate::visitor::CurrentMember;

pub use view::{NextAppointment, next_appointment};

const SECTION: &str = "rendez-vous";

/// The routes of « Mes rendez-vous ».
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rendez-vous", get(list::show).post(confirm::book))
        .route(
            "/rendez-vous/nouveau",
            get(booking::show).post(confirm::show),
        )
        .route("/rendez-vous/liste-attente", post(waiting::join))
        .route("/rendez-vous/liste-attente/quitter", post(waiting::leave))
        .route("/rendez-vous/{id}", get(appointment::show))
        .route("/rendez-vous/{id}/agenda.ics", get(appointment::ics))
        .route(
            "/rendez-vous/{id}/deplacer",
            get(change::move_form).post(change::move_to),
        )
        .route(
            "/rendez-vous/{id}/annuler",
            get(change::cancel_form).post(change::cancel),
        )
}

fn layout(state: &AppState, member: &CurrentMember, title: impl Into<String>) -> Layout {
    Layout::new(&member.visitor, &state.config.brand, title, SECTION)
}

/// A layout showing `message` as an error notice at the top of the page.
fn layout_with_error(
    state: &AppState,
    member: &CurrentMember,
    title: impl Into<String>,
    message: &str,
) -> Layout {
    let mut layout = layout(state, member, title);
    layout.flash = Some(Flash {
        kind: "erreur",
        message: message.to_owned(),
    });
    layout
}

/// A refusal with no page of its own: an appointment, motif or branch that is not there (or
/// not the member's) is a 404, anything else a 500.
fn refusal(error: AgendaError) -> AppError {
    match error {
        AgendaError::NotFound | AgendaError::UnknownMotif | AgendaError::UnknownSite => {
            AppError::NotFound
        }
        other => AppError::unexpected(other),
    }
}

/// The services' time (the tests' manual clock included).
fn now(state: &AppState) -> OffsetDateTime {
    state.clock.now()
}

fn appointment_href(id: uuid::Uuid) -> String {
    format!("/rendez-vous/{id}")
}
