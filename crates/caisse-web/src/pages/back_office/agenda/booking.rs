//! `/agent/agenda/reserver`: an advisor books for a member calling the phone line. The
//! member is found by NIR within the fund (the accounts' audited search), then `GET
//! ?assure=…&motif=…&canal=…&accueil=…` lists the slots and `POST` books one with the number
//! to call; the member gets the confirmation mail. Another fund's member is not found.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::agenda::{AgendaError, BookingChoices, BookingRequest, Channel, StaffAgendaError};
use caisse_core::audit::RequestContext;
use caisse_domain::PhoneNumber;
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SECTION_AGENDA, refusal, when};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::echo;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// The choices, as the address or the form carries them.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct BookingForm {
    #[serde(default)]
    assure: String,
    #[serde(default)]
    motif: String,
    #[serde(default)]
    canal: String,
    #[serde(default)]
    accueil: String,
    #[serde(default)]
    nir: String,
    #[serde(default)]
    creneau: String,
    #[serde(default)]
    telephone: String,
}

impl BookingForm {
    fn channel(&self) -> Option<Channel> {
        Channel::from_code(self.canal.trim())
    }

    fn site(&self) -> Option<Uuid> {
        self.accueil.trim().parse().ok()
    }
}

struct SlotChoice {
    value: String,
    label: String,
    site: String,
}

struct MotifChoice {
    code: String,
    label: String,
    channels: String,
}

#[derive(Template)]
#[template(path = "back_office/agenda/booking.html")]
struct BookingPage {
    layout: Layout,
    /// The member found: (id, name, file's phone).
    member: Option<(Uuid, String, String)>,
    nir: String,
    not_found: bool,
    motifs: Vec<MotifChoice>,
    sites: Vec<(String, String)>,
    channels: Vec<(&'static str, &'static str)>,
    motif: String,
    canal: String,
    accueil: String,
    telephone: String,
    chosen: bool,
    slots: Vec<SlotChoice>,
    refused: Option<&'static str>,
}

const CHANNELS: [(&str, &str); 3] = [
    ("telephone", "Téléphone (le conseiller appelle l'assuré)"),
    ("agence", "À l'accueil"),
    ("visio", "Visio"),
];

fn empty_page(staff: &CurrentStaff, state: &AppState, nir: &str, not_found: bool) -> BookingPage {
    BookingPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Prendre un rendez-vous pour un assuré",
            SECTION_AGENDA,
        ),
        member: None,
        nir: echo(nir, 32),
        not_found,
        motifs: Vec::new(),
        sites: Vec::new(),
        channels: CHANNELS.to_vec(),
        motif: String::new(),
        canal: String::new(),
        accueil: String::new(),
        telephone: String::new(),
        chosen: false,
        slots: Vec::new(),
        refused: None,
    }
}

/// The page for member `member_id` with `form`'s choices, and the slots when a motif and a
/// channel are chosen; `refused` says why the last booking was not made.
async fn member_page(
    state: &AppState,
    staff: &CurrentStaff,
    context: &RequestContext,
    member_id: Uuid,
    form: &BookingForm,
    refused: Option<&'static str>,
) -> Result<Response, AppError> {
    let wanted = match (form.motif.trim(), form.channel()) {
        ("", _) | (_, None) => None,
        (motif, Some(channel)) => Some((motif, channel, form.site())),
    };
    let mut refused = refused;
    let mut searched = wanted.is_some();
    let found = state
        .agenda
        .booking_choices(staff.id, member_id, wanted, context)
        .await;
    let choices: BookingChoices = match found {
        Ok(choices) => choices,
        Err(StaffAgendaError::Agenda(
            error @ (AgendaError::UnknownMotif
            | AgendaError::ChannelNotOffered
            | AgendaError::UnknownSite),
        )) => {
            refused = refused.or(Some(error.message_fr()));
            searched = false;
            state
                .agenda
                .booking_choices(staff.id, member_id, None, context)
                .await
                .map_err(refusal)?
        }
        Err(other) => return Err(refusal(other)),
    };
    let mut page = empty_page(staff, state, "", false);
    page.member = Some((
        choices.member_id,
        choices.member_name.clone(),
        choices.member_phone.clone().unwrap_or_default(),
    ));
    page.motifs = choices
        .motifs
        .iter()
        .map(|m| MotifChoice {
            code: m.code.clone(),
            label: m.label.clone(),
            channels: m
                .channels
                .iter()
                .map(|c| super::channel_label(*c))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    page.sites = choices
        .sites
        .iter()
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();
    // Only the ways some motif is offered (no video without the fund's video service).
    page.channels.retain(|(code, _)| {
        choices
            .motifs
            .iter()
            .any(|m| m.channels.iter().any(|c| c.code() == *code))
    });
    page.motif = echo(&form.motif, 64);
    page.canal = echo(&form.canal, 16);
    page.accueil = echo(&form.accueil, 40);
    page.telephone = echo(&form.telephone, 32);
    page.chosen = searched;
    page.slots = choices
        .slots
        .iter()
        .map(|(local, start, site)| SlotChoice {
            value: start.unix_timestamp().to_string(),
            label: when(*local),
            site: site
                .and_then(|id| choices.sites.iter().find(|s| s.id == id))
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    page.refused = refused;
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}

/// `GET /agent/agenda/reserver`.
pub async fn form(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Query(form): Query<BookingForm>,
) -> Result<Response, AppError> {
    match form.assure.trim() {
        "" => Ok(render(&empty_page(&staff, &state, "", false))?.into_response()),
        id => {
            let member_id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
            member_page(&state, &staff, &context, member_id, &form, None).await
        }
    }
}

/// `POST /agent/agenda/reserver`: with `nir`, finds the member; with `creneau`, books.
pub async fn book(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    CsrfForm(form): CsrfForm<BookingForm>,
) -> Result<Response, AppError> {
    if form.assure.trim().is_empty() {
        if form.nir.trim().is_empty() {
            return Ok(render(&empty_page(&staff, &state, "", false))?.into_response());
        }
        return match state
            .accounts
            .staff_find_member(staff.id, &form.nir, &context)
            .await
            .map_err(AppError::from_account)?
        {
            Some(member_id) => Ok(Redirect::to(&format!(
                "/agent/agenda/reserver?assure={member_id}"
            ))
            .into_response()),
            None => Ok(render(&empty_page(&staff, &state, &form.nir, true))?.into_response()),
        };
    }
    let member_id: Uuid = form.assure.trim().parse().map_err(|_| AppError::NotFound)?;
    let starts_at = form
        .creneau
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok());
    let (Some(channel), Some(starts_at)) = (form.channel(), starts_at) else {
        let why = "Choisissez un créneau dans la liste.";
        return member_page(&state, &staff, &context, member_id, &form, Some(why)).await;
    };
    let phone = match form.telephone.trim() {
        "" => None,
        raw => match PhoneNumber::parse(raw) {
            Ok(phone) => Some(phone),
            Err(_) => {
                let why = "Saisissez un numéro de téléphone français, par exemple 06 12 34 56 78.";
                return member_page(&state, &staff, &context, member_id, &form, Some(why)).await;
            }
        },
    };
    let request = BookingRequest {
        motif: form.motif.trim().to_owned(),
        channel,
        site: form.site(),
        starts_at,
        phone,
        link: None,
    };
    match state
        .agenda
        .book_for(staff.id, member_id, &request, &context)
        .await
    {
        Ok(appointment) => Ok(Redirect::to(&format!(
            "/agent/rendez-vous/{}?fait=reserve",
            appointment.id
        ))
        .into_response()),
        Err(StaffAgendaError::Agenda(AgendaError::Core(error))) => Err(AppError::unexpected(error)),
        Err(error @ (StaffAgendaError::NotFound | StaffAgendaError::NotAllowed)) => {
            Err(refusal(error))
        }
        Err(other) => {
            member_page(
                &state,
                &staff,
                &context,
                member_id,
                &form,
                Some(other.message_fr()),
            )
            .await
        }
    }
}
