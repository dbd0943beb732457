//! The last step: `POST /rendez-vous/nouveau` shows the slot chosen, how it takes place, the
//! documents to prepare and, for a phone call-back, the number to call (the member file's,
//! editable); `POST /rendez-vous` books it. A slot taken meanwhile shows the slots again with
//! the next ones; a bad number shows the confirmation again with what was typed.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::agenda::{AgendaError, BookingRequest, Motif};
use caisse_domain::PhoneNumber;
use caisse_domain::agenda::Channel;
use serde::Deserialize;

use super::booking::{SlotView, channel_step, motif_step, slot_step};
use super::choices::{Choices, StepLink, stepper};
use super::slots::SlotChoice;
use super::view::{address, national, when};
use super::{appointment_href, layout, layout_with_error, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::CurrentMember;

/// The slot form and the confirmation form. No `Debug`: it holds a phone number.
#[derive(Default, Deserialize)]
pub struct SlotForm {
    #[serde(default)]
    motif: String,
    #[serde(default)]
    canal: String,
    #[serde(default)]
    accueil: String,
    #[serde(default)]
    fil: String,
    #[serde(default)]
    dossier: String,
    #[serde(default)]
    creneau: String,
    /// Absent from the slot form: the member file's number is then offered.
    telephone: Option<String>,
}

impl SlotForm {
    fn choices(&self) -> Choices {
        Choices {
            motif: self.motif.clone(),
            canal: self.canal.clone(),
            accueil: self.accueil.clone(),
            fil: self.fil.clone(),
            dossier: self.dossier.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "agenda/confirm.html")]
struct ConfirmStep {
    layout: Layout,
    steps: Vec<StepLink>,
    choices: Choices,
    creneau: String,
    motif: String,
    when: String,
    channel: &'static str,
    site: Option<String>,
    documents: String,
    /// For a phone call-back: the number shown in the field.
    phone: Option<String>,
    phone_error: Option<&'static str>,
}

/// The form's motif, channel and slot once checked.
struct Chosen {
    choices: Choices,
    motif: Motif,
    channel: Channel,
    slot: SlotChoice,
}

/// A checked form, or the step to show instead.
enum Checked {
    Ready(Box<Chosen>),
    Step(Response),
}

async fn check(
    state: &AppState,
    member: &CurrentMember,
    form: &SlotForm,
) -> Result<Checked, AppError> {
    let choices = form.choices().checked(state, member.id).await;
    let motifs = state.agenda.motifs(member.id).await.map_err(refusal)?;
    let Some(motif) = motifs.iter().find(|m| m.code == choices.motif.trim()) else {
        let step = motif_step(
            state,
            member,
            &choices,
            &motifs,
            Some(&AgendaError::UnknownMotif),
        )?;
        return Ok(Checked::Step(step));
    };
    let Some(channel) = choices.channel().filter(|c| motif.channels.contains(c)) else {
        let error = AgendaError::ChannelNotOffered;
        let step = channel_step(state, member, &choices, motif, Some(&error)).await?;
        return Ok(Checked::Step(step));
    };
    let Some(slot) = SlotChoice::parse(&form.creneau) else {
        let step = slots_again(
            state,
            member,
            &choices,
            motif,
            channel,
            None,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Choisissez l'un des créneaux de la liste.",
            ),
        )
        .await?;
        return Ok(Checked::Step(step));
    };
    Ok(Checked::Ready(Box::new(Chosen {
        motif: motif.clone(),
        choices,
        channel,
        slot,
    })))
}

/// The slot step again, with the slots offered now and `error` on top.
async fn slots_again(
    state: &AppState,
    member: &CurrentMember,
    choices: &Choices,
    motif: &Motif,
    channel: Channel,
    offers: Option<Vec<caisse_core::agenda::SlotOffer>>,
    error: (StatusCode, &str),
) -> Result<Response, AppError> {
    let site = choices.site(channel);
    let offers = match offers {
        Some(offers) => offers,
        None => state
            .agenda
            .slots(member.id, &motif.code, channel, site)
            .await
            .map_err(refusal)?,
    };
    let view = SlotView {
        motif,
        channel,
        site,
        offers: &offers,
    };
    slot_step(state, member, choices, &view, Some(error), None).await
}

/// The confirmation of `chosen`; `phone` is what was typed (the member file's number when
/// `None`), `phone_error` why it was refused.
async fn confirm_page(
    state: &AppState,
    member: &CurrentMember,
    chosen: &Chosen,
    phone: Option<String>,
    phone_error: Option<&'static str>,
) -> Result<Response, AppError> {
    let Chosen {
        choices,
        motif,
        channel,
        slot,
    } = chosen;
    let (channel, slot) = (*channel, *slot);
    let sites = if channel == Channel::Agence {
        state.agenda.sites(member.id).await.map_err(refusal)?
    } else {
        Vec::new()
    };
    let title = "Prendre rendez-vous : la confirmation";
    let layout = match phone_error {
        Some(message) => layout_with_error(state, member, format!("Erreur : {title}"), message),
        None => layout(state, member, title),
    };
    let phone = match (channel, phone) {
        (Channel::Telephone, Some(typed)) => Some(typed),
        (Channel::Telephone, None) => Some(
            state
                .people
                .member_overview(member.id)
                .await?
                .and_then(|m| m.phone)
                .map(|p| national(&p))
                .unwrap_or_default(),
        ),
        _ => None,
    };
    let page = ConfirmStep {
        layout,
        steps: stepper(choices, 4),
        creneau: slot.value(),
        motif: motif.label.clone(),
        when: when(motif, slot.starts_at),
        channel: channel.label_fr(),
        site: slot
            .site
            .and_then(|id| sites.iter().find(|s| s.id == id))
            .map(address),
        documents: motif.documents.clone(),
        phone,
        phone_error,
        choices: choices.clone(),
    };
    let status = if phone_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}

/// `POST /rendez-vous/nouveau`: the confirmation of the slot chosen (nothing is booked yet).
pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
    CsrfForm(form): CsrfForm<SlotForm>,
) -> Result<Response, AppError> {
    match check(&state, &member, &form).await? {
        Checked::Step(step) => Ok(step),
        Checked::Ready(chosen) => confirm_page(&state, &member, &chosen, None, None).await,
    }
}

/// `POST /rendez-vous`: books, then the appointment's page.
pub async fn book(
    State(state): State<AppState>,
    member: CurrentMember,
    crate::visitor::Client(context): crate::visitor::Client,
    CsrfForm(form): CsrfForm<SlotForm>,
) -> Result<Response, AppError> {
    let chosen = match check(&state, &member, &form).await? {
        Checked::Step(step) => return Ok(step),
        Checked::Ready(chosen) => chosen,
    };
    let Chosen {
        choices,
        motif,
        channel,
        slot,
    } = chosen.as_ref();
    let (channel, slot) = (*channel, *slot);
    let typed = form.telephone.as_deref().map(str::trim).unwrap_or_default();
    let phone = if channel != Channel::Telephone || typed.is_empty() {
        None
    } else {
        match PhoneNumber::parse(typed) {
            Ok(phone) => Some(phone),
            Err(error) => {
                let typed = crate::forms::echo(typed, 30);
                return confirm_page(
                    &state,
                    &member,
                    &chosen,
                    Some(typed),
                    Some(error.message_fr()),
                )
                .await;
            }
        }
    };
    let request = BookingRequest {
        motif: motif.code.clone(),
        channel,
        site: if channel == Channel::Agence {
            slot.site.or(choices.site(channel))
        } else {
            None
        },
        starts_at: slot.starts_at,
        phone,
        link: choices.link().owned(&state, member.id).await,
    };
    match state.agenda.book(member.id, &request, &context).await {
        Ok(appointment) => Ok(Redirect::to(&format!(
            "{}?fait=confirme",
            appointment_href(appointment.id)
        ))
        .into_response()),
        Err(AgendaError::Taken { next }) => {
            let message = AgendaError::Taken { next: Vec::new() }.message_fr();
            slots_again(
                &state,
                &member,
                choices,
                motif,
                channel,
                Some(next),
                (StatusCode::CONFLICT, message),
            )
            .await
        }
        Err(error @ AgendaError::NotOffered) => {
            slots_again(
                &state,
                &member,
                choices,
                motif,
                channel,
                None,
                (StatusCode::UNPROCESSABLE_ENTITY, error.message_fr()),
            )
            .await
        }
        Err(error @ AgendaError::NoPhone) => {
            confirm_page(
                &state,
                &member,
                &chosen,
                Some(String::new()),
                Some(error.message_fr()),
            )
            .await
        }
        Err(error @ (AgendaError::ChannelNotOffered | AgendaError::UnknownSite)) => {
            channel_step(&state, &member, choices, motif, Some(&error)).await
        }
        Err(error) => Err(refusal(error)),
    }
}
