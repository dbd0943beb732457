//! `GET /rendez-vous`: « Mes rendez-vous » — the next appointment first with how it takes
//! place, the other upcoming ones, the past ones with their status, the waiting list, and
//! « Prendre rendez-vous ».

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::view::{AppointmentCard, is_upcoming, when};
use super::{layout, now, refusal};
use crate::error::AppError;
use crate::layout::{Flash, Layout};
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::CurrentMember;

/// A place on the waiting list.
struct WaitingLine {
    motif: String,
    channel: &'static str,
    /// « lundi 14 décembre 2026 à 9 h 30 »: the first slot offered when joining.
    earliest: String,
}

#[derive(Template)]
#[template(path = "agenda/list.html")]
struct ListPage {
    layout: Layout,
    next: Option<AppointmentCard>,
    upcoming: Vec<AppointmentCard>,
    past: Vec<AppointmentCard>,
    waiting: Vec<WaitingLine>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    fait: Option<String>,
}

/// The notice a redirect asks for with `?fait=`: only these fixed messages exist.
fn done_notice(code: &str) -> Option<Flash> {
    let message = match code {
        "liste-attente" => {
            "Vous êtes inscrit(e) sur la liste d'attente : un e-mail vous préviendra si un créneau plus proche se libère."
        }
        "liste-quittee" => "Vous ne figurez plus sur la liste d'attente.",
        _ => return None,
    };
    Some(Flash {
        kind: "succes",
        message: message.to_owned(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let now = now(&state);
    let views = state
        .agenda
        .appointments(member.id)
        .await
        .map_err(refusal)?;
    let (mut upcoming, past): (Vec<_>, Vec<_>) = views.iter().partition(|v| is_upcoming(v, now));
    // The list comes newest first; what is ahead reads soonest first.
    upcoming.sort_by_key(|v| v.appointment.span.start);
    let mut upcoming = upcoming.into_iter().map(AppointmentCard::of);
    let waiting = state
        .agenda
        .waiting(member.id)
        .await
        .map_err(refusal)?
        .into_iter()
        .map(|(w, motif)| WaitingLine {
            earliest: when(&motif, w.earliest_offered),
            motif: motif.label,
            channel: w.channel.label_fr(),
        })
        .collect();
    let mut layout = layout(&state, &member, "Mes rendez-vous");
    if let Some(flash) = query.fait.as_deref().and_then(done_notice) {
        layout.flash = Some(flash);
    }
    let page = ListPage {
        layout,
        next: upcoming.next(),
        upcoming: upcoming.collect(),
        // A room's link is for the time of the appointment, not after it.
        past: past
            .into_iter()
            .map(|v| AppointmentCard {
                video_link: None,
                ..AppointmentCard::of(v)
            })
            .collect(),
        waiting,
    };
    Ok(render(&page)?.into_response())
}
