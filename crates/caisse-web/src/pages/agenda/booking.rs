//! `GET /rendez-vous/nouveau`: booking step by step, each step a plain GET form carrying the
//! earlier choices — the motif (`motif=`), the channel and, at a branch, the branch
//! (`canal=`, `accueil=`), then the slots grouped by local day, the earliest checked. The
//! slot form posts to the confirmation ([`super::confirm`]). When the first slot is more
//! than a week away, or there is none, the waiting list is offered.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caisse_core::agenda::{AgendaError, Motif, Site};
use caisse_domain::agenda::Channel;
use uuid::Uuid;

use super::choices::{Choices, StepLink, stepper};
use super::slots::{SlotDay, by_day, waiting_list_offered};
use super::view::address;
use super::{layout, layout_with_error, now, refusal};
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::CurrentMember;

/// A motif as a radio button.
struct MotifRadio {
    code: String,
    label: String,
    details: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "agenda/motif.html")]
struct MotifStep {
    layout: Layout,
    steps: Vec<StepLink>,
    choices: Choices,
    motifs: Vec<MotifRadio>,
}

/// A channel or a branch as a radio button.
struct ChoiceRadio {
    value: String,
    label: String,
    hint: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "agenda/channel.html")]
struct ChannelStep {
    layout: Layout,
    steps: Vec<StepLink>,
    choices: Choices,
    motif: String,
    channels: Vec<ChoiceRadio>,
    sites: Vec<ChoiceRadio>,
}

#[derive(Template)]
#[template(path = "agenda/slots.html")]
struct SlotStep {
    layout: Layout,
    steps: Vec<StepLink>,
    choices: Choices,
    motif: String,
    channel: &'static str,
    site: Option<String>,
    days: Vec<SlotDay>,
    waiting_list: bool,
}

fn channels_of(motif: &Motif) -> String {
    motif
        .channels
        .iter()
        .map(|c| match c {
            Channel::Telephone => "par téléphone",
            Channel::Agence => "en agence",
            Channel::Visio => "en visio",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(choices): Query<Choices>,
) -> Result<Response, AppError> {
    let choices = choices.checked(&state, member.id).await;
    let motifs = state.agenda.motifs(member.id).await.map_err(refusal)?;
    let Some(motif) = motifs.iter().find(|m| m.code == choices.motif.trim()) else {
        let error = (!choices.motif.trim().is_empty()).then_some(AgendaError::UnknownMotif);
        return motif_step(&state, &member, &choices, &motifs, error.as_ref());
    };
    let Some(channel) = choices.channel() else {
        let error = (!choices.canal.trim().is_empty()).then_some(AgendaError::ChannelNotOffered);
        return channel_step(&state, &member, &choices, motif, error.as_ref()).await;
    };
    let site = choices.site(channel);
    match state
        .agenda
        .slots(member.id, &motif.code, channel, site)
        .await
    {
        Ok(offers) => {
            let step = SlotView {
                motif,
                channel,
                site,
                offers: &offers,
            };
            slot_step(&state, &member, &choices, &step, None, None).await
        }
        Err(error @ (AgendaError::ChannelNotOffered | AgendaError::UnknownSite)) => {
            channel_step(&state, &member, &choices, motif, Some(&error)).await
        }
        Err(error) => Err(refusal(error)),
    }
}

/// Step 1: the motifs; `error` when the one asked for is not offered.
pub(super) fn motif_step(
    state: &AppState,
    member: &CurrentMember,
    choices: &Choices,
    motifs: &[Motif],
    error: Option<&AgendaError>,
) -> Result<Response, AppError> {
    let title = "Prendre rendez-vous : le motif";
    let layout = match error {
        Some(error) => layout_with_error(
            state,
            member,
            format!("Erreur : {title}"),
            error.message_fr(),
        ),
        None => layout(state, member, title),
    };
    let page = MotifStep {
        layout,
        steps: stepper(choices, 1),
        choices: choices.clone(),
        motifs: motifs
            .iter()
            .enumerate()
            .map(|(index, m)| MotifRadio {
                code: m.code.clone(),
                label: m.label.clone(),
                details: format!(
                    "Environ {} minutes, {}.",
                    m.duration_minutes,
                    channels_of(m)
                ),
                checked: if choices.motif.is_empty() {
                    index == 0
                } else {
                    m.code == choices.motif
                },
            })
            .collect(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}

/// Step 2: the channels of `motif` and, for a branch, the branches.
pub(super) async fn channel_step(
    state: &AppState,
    member: &CurrentMember,
    choices: &Choices,
    motif: &Motif,
    error: Option<&AgendaError>,
) -> Result<Response, AppError> {
    let sites: Vec<Site> = if motif.channels.contains(&Channel::Agence) {
        state.agenda.sites(member.id).await.map_err(refusal)?
    } else {
        Vec::new()
    };
    let title = "Prendre rendez-vous : le type de rendez-vous";
    let layout = match error {
        Some(error) => layout_with_error(
            state,
            member,
            format!("Erreur : {title}"),
            error.message_fr(),
        ),
        None => layout(state, member, title),
    };
    let chosen = choices.channel().filter(|c| motif.channels.contains(c));
    let page = ChannelStep {
        layout,
        steps: stepper(choices, 2),
        choices: choices.clone(),
        motif: motif.label.clone(),
        channels: motif
            .channels
            .iter()
            .enumerate()
            .map(|(index, c)| ChoiceRadio {
                value: c.code().to_owned(),
                label: c.label_fr().to_owned(),
                hint: match c {
                    Channel::Telephone => {
                        "Un conseiller vous appelle à l'heure que vous choisissez.".to_owned()
                    }
                    Channel::Agence => "Vous venez à l'accueil que vous choisissez.".to_owned(),
                    Channel::Visio => {
                        "Vous rejoignez le conseiller par un lien, depuis un ordinateur ou un téléphone."
                            .to_owned()
                    }
                },
                checked: chosen.map_or(index == 0, |chosen| chosen == *c),
            })
            .collect(),
        sites: sites
            .iter()
            .enumerate()
            .map(|(index, s)| ChoiceRadio {
                value: s.id.to_string(),
                label: address(s),
                hint: s.opening_hours.clone(),
                checked: if choices.accueil.is_empty() {
                    index == 0
                } else {
                    s.id.to_string() == choices.accueil.trim()
                },
            })
            .collect(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}

/// What the slot step shows.
pub(super) struct SlotView<'a> {
    pub motif: &'a Motif,
    pub channel: Channel,
    pub site: Option<Uuid>,
    pub offers: &'a [caisse_core::agenda::SlotOffer],
}

/// The branch of every slot of `offers`, when they are all at the same one (any branch was
/// asked for, and the fund has one): the slot step then names it.
fn common_site(offers: &[caisse_core::agenda::SlotOffer]) -> Option<Uuid> {
    let first = offers.first()?.site?;
    offers
        .iter()
        .all(|o| o.site == Some(first))
        .then_some(first)
}

/// Step 3: the slots; with `error` (a slot taken meanwhile, none chosen) on top and the
/// status it answers with, `chosen` checked when still offered.
pub(super) async fn slot_step(
    state: &AppState,
    member: &CurrentMember,
    choices: &Choices,
    view: &SlotView<'_>,
    error: Option<(StatusCode, &str)>,
    chosen: Option<&str>,
) -> Result<Response, AppError> {
    let sites = if view.channel == Channel::Agence {
        state.agenda.sites(member.id).await.map_err(refusal)?
    } else {
        Vec::new()
    };
    let title = "Prendre rendez-vous : le créneau";
    let (layout, status) = match error {
        Some((status, message)) => (
            layout_with_error(state, member, format!("Erreur : {title}"), message),
            status,
        ),
        None => (layout(state, member, title), StatusCode::OK),
    };
    let mut choices = choices.clone();
    choices.canal = view.channel.code().to_owned();
    choices.accueil = view.site.map(|s| s.to_string()).unwrap_or_default();
    let page = SlotStep {
        layout,
        steps: stepper(&choices, 3),
        motif: view.motif.label.clone(),
        channel: view.channel.label_fr(),
        site: view
            .site
            .or_else(|| common_site(view.offers))
            .and_then(|id| sites.iter().find(|s| s.id == id))
            .map(address),
        days: by_day(view.offers, view.motif, &sites, chosen),
        waiting_list: waiting_list_offered(view.offers, now(state)),
        choices,
    };
    Ok((status, render(&page)?).into_response())
}
