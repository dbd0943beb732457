//! The waiting list: `POST /rendez-vous/liste-attente` joins it for a motif and channel whose
//! first slot is more than a week away (a mail then offers any earlier slot freed);
//! `POST /rendez-vous/liste-attente/quitter` leaves it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::agenda::AgendaError;

use super::booking::{SlotView, channel_step, motif_step, slot_step};
use super::change::ButtonForm;
use super::choices::Choices;
use super::refusal;
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};

pub async fn join(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(choices): CsrfForm<Choices>,
) -> Result<Response, AppError> {
    let choices = choices.checked(&state, member.id).await;
    let motifs = state.agenda.motifs(member.id).await.map_err(refusal)?;
    let Some(motif) = motifs.iter().find(|m| m.code == choices.motif.trim()) else {
        return motif_step(
            &state,
            &member,
            &choices,
            &motifs,
            Some(&AgendaError::UnknownMotif),
        );
    };
    let Some(channel) = choices.channel().filter(|c| motif.channels.contains(c)) else {
        let error = AgendaError::ChannelNotOffered;
        return channel_step(&state, &member, &choices, motif, Some(&error)).await;
    };
    let site = choices.site(channel);
    match state
        .agenda
        .join_waiting_list(member.id, &motif.code, channel, site, &context)
        .await
    {
        Ok(()) => Ok(Redirect::to("/rendez-vous?fait=liste-attente").into_response()),
        Err(error @ AgendaError::WaitingListNotOpen) => {
            let offers = state
                .agenda
                .slots(member.id, &motif.code, channel, site)
                .await
                .map_err(refusal)?;
            let view = SlotView {
                motif,
                channel,
                site,
                offers: &offers,
            };
            let error = (StatusCode::CONFLICT, error.message_fr());
            slot_step(&state, &member, &choices, &view, Some(error), None).await
        }
        Err(error @ (AgendaError::ChannelNotOffered | AgendaError::UnknownSite)) => {
            channel_step(&state, &member, &choices, motif, Some(&error)).await
        }
        Err(error) => Err(refusal(error)),
    }
}

pub async fn leave(
    State(state): State<AppState>,
    member: CurrentMember,
    CsrfForm(_): CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    state
        .agenda
        .leave_waiting_list(member.id)
        .await
        .map_err(refusal)?;
    Ok(Redirect::to("/rendez-vous?fait=liste-quittee").into_response())
}
