//! « Mon agenda » for the app: the fund's motifs, the free slots of a motif on a channel,
//! its branches, booking one (a slot taken meanwhile answers 409 with the next ones), the
//! member's appointments, and moving or cancelling one until four hours before. Another
//! member's appointment is a 404, like a missing one.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use caisse_core::agenda::{AgendaError, AppointmentView, BookingRequest, SlotOffer};
use caisse_domain::PhoneNumber;
use caisse_domain::agenda::Channel;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ApiError;
use super::extract::{ApiJson, ApiMember, Path, Query};
use crate::state::AppState;
use crate::visitor::Client;

/// A motif of appointment.
#[derive(Serialize, ToSchema)]
pub struct MotifDto {
    code: String,
    label: String,
    /// `telephone`, `visio`, `agence`.
    channels: Vec<&'static str>,
    duration_minutes: u32,
    /// Documents to have at hand.
    documents: String,
    /// The démarche it relates to.
    demarche: Option<String>,
}

/// The fund's motifs.
#[derive(Serialize, ToSchema)]
pub struct MotifListDto {
    motifs: Vec<MotifDto>,
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// A free slot.
#[derive(Serialize, ToSchema)]
pub struct SlotDto {
    /// RFC 3339, UTC.
    starts_at: String,
    ends_at: String,
    /// The branch, for a slot at a branch.
    site: Option<Uuid>,
}

impl From<&SlotOffer> for SlotDto {
    fn from(slot: &SlotOffer) -> Self {
        SlotDto {
            starts_at: rfc3339(slot.span.start),
            ends_at: rfc3339(slot.span.end),
            site: slot.site,
        }
    }
}

/// A branch of the fund.
#[derive(Serialize, ToSchema)]
pub struct SiteDto {
    id: Uuid,
    name: String,
    address: String,
    postcode: String,
    city: String,
    opening_hours: String,
}

/// The fund's open branches.
#[derive(Serialize, ToSchema)]
pub struct SiteListDto {
    sites: Vec<SiteDto>,
}

/// The next free slots, earliest first.
#[derive(Serialize, ToSchema)]
pub struct SlotListDto {
    slots: Vec<SlotDto>,
}

/// An appointment.
#[derive(Serialize, ToSchema)]
pub struct AppointmentDto {
    id: Uuid,
    /// `telephone`, `visio`, `agence`.
    channel: &'static str,
    starts_at: String,
    ends_at: String,
    /// `confirme`, `annule_membre`, `annule_caisse`, `honore`, `excuse`, `absent`.
    status: &'static str,
    /// The number the advisor calls.
    phone: Option<String>,
    /// The motif's code.
    motif: String,
    /// The branch, at a branch.
    site: Option<Uuid>,
    /// The video room, for a confirmed video appointment.
    video_link: Option<String>,
    /// Whether it can still be moved or cancelled (until four hours before).
    can_change: bool,
}

impl From<&AppointmentView> for AppointmentDto {
    fn from(view: &AppointmentView) -> Self {
        let a = &view.appointment;
        AppointmentDto {
            id: a.id,
            channel: a.channel.code(),
            starts_at: rfc3339(a.span.start),
            ends_at: rfc3339(a.span.end),
            status: a.status.code(),
            phone: a.phone.clone(),
            motif: view.motif.code.clone(),
            site: a.site,
            video_link: view.video_link.clone(),
            can_change: view.can_change,
        }
    }
}

/// The member's appointments, newest first.
#[derive(Serialize, ToSchema)]
pub struct AppointmentListDto {
    appointments: Vec<AppointmentDto>,
}

/// 409: the slot was taken meanwhile; the next ones.
#[derive(Serialize, ToSchema)]
pub struct SlotTaken {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    code: &'static str,
    detail: &'static str,
    next: Vec<SlotDto>,
}

fn refusal(error: AgendaError) -> Response {
    let detail = error.message_fr();
    match error {
        AgendaError::NotFound | AgendaError::UnknownMotif | AgendaError::UnknownSite => {
            ApiError::not_found().into_response()
        }
        AgendaError::Taken { next } => (
            StatusCode::CONFLICT,
            [(header::CONTENT_TYPE, "application/problem+json")],
            serde_json::to_string(&SlotTaken {
                kind: "about:blank",
                title: "Conflict",
                status: 409,
                code: "slot_taken",
                detail,
                next: next.iter().map(SlotDto::from).collect(),
            })
            .unwrap_or_default(),
        )
            .into_response(),
        AgendaError::TooLate | AgendaError::NotConfirmed => {
            ApiError::with(StatusCode::CONFLICT, "not_cancellable", "Conflict", detail)
                .into_response()
        }
        AgendaError::ChannelNotOffered
        | AgendaError::NoPhone
        | AgendaError::NotOffered
        | AgendaError::WaitingListNotOpen
        | AgendaError::Invalid(_) => ApiError::with(
            StatusCode::UNPROCESSABLE_ENTITY,
            "refused",
            "Unprocessable Content",
            detail,
        )
        .into_response(),
        AgendaError::Core(error) => ApiError::unexpected(error).into_response(),
    }
}

fn channel(raw: &str) -> Result<Channel, ApiError> {
    Channel::from_code(raw)
        .ok_or_else(|| ApiError::bad_request("Le canal s'écrit telephone, visio ou agence."))
}

#[utoipa::path(
    get,
    path = "/api/v1/agenda/motifs",
    tag = "agenda",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The motifs of the member's fund", body = MotifListDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn motifs(State(state): State<AppState>, member: ApiMember) -> Response {
    match state.agenda.motifs(member.id).await {
        Ok(motifs) => Json(MotifListDto {
            motifs: motifs
                .into_iter()
                .map(|m| MotifDto {
                    channels: m.channels.iter().map(|c| c.code()).collect(),
                    code: m.code,
                    label: m.label,
                    duration_minutes: m.duration_minutes,
                    documents: m.documents,
                    demarche: m.demarche_code,
                })
                .collect(),
        })
        .into_response(),
        Err(error) => refusal(error),
    }
}

/// Which slots.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotQueryDto {
    /// The motif's code.
    #[param(min_length = 1, max_length = 64)]
    motif: String,
    /// `telephone`, `visio` or `agence`.
    #[param(value_type = super::schemas::Channel)]
    channel: String,
    /// A branch, for `agence` (default: every branch).
    site: Option<Uuid>,
}

#[utoipa::path(
    get,
    path = "/api/v1/agenda/slots",
    tag = "agenda",
    security(("bearer" = [])),
    params(SlotQueryDto),
    responses(
        (status = 200, description = "The next free slots, earliest first", body = SlotListDto),
        (status = 400, description = "An unknown channel or a missing parameter", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such motif or branch in the member's fund", body = super::ApiError, content_type = "application/problem+json"),
        (status = 422, description = "The motif is not offered on that channel", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn slots(
    State(state): State<AppState>,
    member: ApiMember,
    Query(query): Query<SlotQueryDto>,
) -> Response {
    let channel = match channel(&query.channel) {
        Ok(channel) => channel,
        Err(error) => return error.into_response(),
    };
    match state
        .agenda
        .slots(member.id, &query.motif, channel, query.site)
        .await
    {
        Ok(slots) => Json(SlotListDto {
            slots: slots.iter().map(SlotDto::from).collect(),
        })
        .into_response(),
        Err(error) => refusal(error),
    }
}

/// A booking.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingDto {
    /// The motif's code.
    #[schema(min_length = 1, max_length = 64)]
    motif: String,
    /// `telephone`, `visio` or `agence`.
    #[schema(value_type = super::schemas::Channel)]
    channel: String,
    /// A slot's `starts_at` (RFC 3339).
    #[schema(format = DateTime)]
    starts_at: String,
    /// The number to call, for a phone appointment (default: the member file's); a number
    /// that is not a French mobile or landline is refused (422 `invalid_phone`).
    #[schema(max_length = 32)]
    phone: Option<String>,
    /// The slot's branch, for `agence`.
    site: Option<Uuid>,
}

#[utoipa::path(
    post,
    path = "/api/v1/appointments",
    tag = "agenda",
    security(("bearer" = [])),
    request_body = BookingDto,
    responses(
        (status = 201, description = "Booked", body = AppointmentDto),
        (status = 400, description = "Not the JSON expected, an unknown channel or a malformed time", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such motif in the member's fund", body = super::ApiError, content_type = "application/problem+json"),
        (status = 409, description = "The slot was taken meanwhile: the next ones", body = SlotTaken, content_type = "application/problem+json"),
        (status = 422, description = "Not a slot offered, a channel not offered, no phone to call, or a phone number that is not a French one (`invalid_phone`)", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn book(
    State(state): State<AppState>,
    member: ApiMember,
    Client(context): Client,
    ApiJson(body): ApiJson<BookingDto>,
) -> Response {
    let channel = match channel(&body.channel) {
        Ok(channel) => channel,
        Err(error) => return error.into_response(),
    };
    let Some(starts_at) = slot_time(&body.starts_at) else {
        return bad_time().into_response();
    };
    let phone = match body.phone.as_deref().map(PhoneNumber::parse).transpose() {
        Ok(phone) => phone,
        Err(_) => {
            // Well-formed JSON whose number is not a French number: a rule beyond the
            // description, so 422 like every such refusal.
            return ApiError::with(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_phone",
                "Unprocessable Content",
                "Le numéro de téléphone n'est pas valide.",
            )
            .into_response();
        }
    };
    let request = BookingRequest {
        motif: body.motif,
        channel,
        site: body.site,
        starts_at,
        phone,
        link: None,
    };
    let booked = match state.agenda.book(member.id, &request, &context).await {
        Ok(booked) => booked,
        Err(error) => return refusal(error),
    };
    match state.agenda.appointment(member.id, booked.id).await {
        Ok(view) => (StatusCode::CREATED, Json(AppointmentDto::from(&view))).into_response(),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/appointments",
    operation_id = "list_appointments",
    tag = "agenda",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The member's appointments, newest first", body = AppointmentListDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(state): State<AppState>, member: ApiMember) -> Response {
    match state.agenda.appointments(member.id).await {
        Ok(list) => Json(AppointmentListDto {
            appointments: list.iter().map(AppointmentDto::from).collect(),
        })
        .into_response(),
        Err(error) => refusal(error),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/appointments/{id}/cancel",
    operation_id = "cancel_appointment",
    tag = "agenda",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Appointment id")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such appointment for this member", body = super::ApiError, content_type = "application/problem+json"),
        (status = 409, description = "Less than four hours before, or not confirmed any more", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    member: ApiMember,
    Client(context): Client,
    Path(id): Path<Uuid>,
) -> Response {
    match state.agenda.cancel(member.id, id, &context).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => refusal(error),
    }
}

fn slot_time(raw: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(raw, &Rfc3339).ok()
}

fn bad_time() -> ApiError {
    ApiError::bad_request("starts_at s'écrit en RFC 3339, comme les créneaux proposés.")
}

#[utoipa::path(
    get,
    path = "/api/v1/agenda/sites",
    tag = "agenda",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The open branches of the member's fund", body = SiteListDto),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn sites(State(state): State<AppState>, member: ApiMember) -> Response {
    match state.agenda.sites(member.id).await {
        Ok(sites) => Json(SiteListDto {
            sites: sites
                .into_iter()
                .map(|s| SiteDto {
                    id: s.id,
                    name: s.name,
                    address: s.address,
                    postcode: s.postcode,
                    city: s.city,
                    opening_hours: s.opening_hours,
                })
                .collect(),
        })
        .into_response(),
        Err(error) => refusal(error),
    }
}

/// A move to another slot.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveDto {
    /// A slot's `starts_at` (RFC 3339, from `/agenda/slots` with the appointment's motif and
    /// channel).
    #[schema(format = DateTime)]
    starts_at: String,
    /// The slot's branch, for `agence` (default: the appointment's).
    site: Option<Uuid>,
}

#[utoipa::path(
    post,
    path = "/api/v1/appointments/{id}/move",
    tag = "agenda",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Appointment id")),
    request_body = MoveDto,
    responses(
        (status = 200, description = "Moved", body = AppointmentDto),
        (status = 400, description = "Not the JSON expected or a malformed time", body = super::ApiError, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such appointment for this member", body = super::ApiError, content_type = "application/problem+json"),
        (status = 409, description = "Less than four hours before, not confirmed any more, or the slot was taken meanwhile (then with the next ones)", body = SlotTaken, content_type = "application/problem+json"),
        (status = 422, description = "Not a slot offered", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn move_to(
    State(state): State<AppState>,
    member: ApiMember,
    Client(context): Client,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<MoveDto>,
) -> Response {
    let Some(starts_at) = slot_time(&body.starts_at) else {
        return bad_time().into_response();
    };
    if let Err(error) = state
        .agenda
        .move_to(member.id, id, starts_at, body.site, &context)
        .await
    {
        return refusal(error);
    }
    match state.agenda.appointment(member.id, id).await {
        Ok(view) => Json(AppointmentDto::from(&view)).into_response(),
        Err(error) => refusal(error),
    }
}
