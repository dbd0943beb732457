//! `/admin/outbox`: administrators follow the delivery of their fund's mail and SMS and retry
//! failed ones. Bodies show their secrets masked (« [lien masqué] », « [code masqué] »); every
//! reading is audited (see `caisse_core::outbox`).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::outbox::{Channel, Counts, OutboxError, OutboxMessage, Status};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::member_login::EmptyForm;
use crate::pages::{instant_utc, render};
use crate::params::{PageNumber, Path, Query, page_or_first};
use crate::state::AppState;
use crate::visitor::{Client, CurrentAdmin};

const PER_PAGE: u64 = 50;

pub struct MessageRow {
    pub id: String,
    pub channel_label: &'static str,
    pub recipient: String,
    pub subject: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub attempts: u32,
    pub created_at: String,
    pub next_attempt_at: String,
    pub sent_at: Option<String>,
    pub last_error: Option<String>,
    pub body_text: String,
    pub can_retry: bool,
}

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Pending => "En attente d'envoi",
        Status::Sent => "Envoyé",
        Status::Failed => "En échec",
    }
}

fn row(message: OutboxMessage) -> MessageRow {
    let status = message.status;
    MessageRow {
        id: message.id.to_string(),
        channel_label: match message.channel {
            Channel::Sms => "SMS",
            Channel::Email => "E-mail",
        },
        recipient: message.recipient,
        subject: message.subject,
        status: status.code(),
        status_label: status_label(status),
        attempts: message.attempts,
        created_at: instant_utc(message.created_at),
        next_attempt_at: instant_utc(message.next_attempt_at),
        sent_at: message.sent_at.map(instant_utc),
        last_error: message.last_error,
        body_text: message.body_text,
        can_retry: status == Status::Failed,
    }
}

/// The refusals of the outbox use cases as pages.
fn refusal(error: OutboxError) -> AppError {
    match error {
        OutboxError::NotFound => AppError::NotFound,
        OutboxError::Forbidden => AppError::Forbidden,
        OutboxError::Core(core) => AppError::unexpected(core),
    }
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    layout: Layout,
    status_filter: String,
    counts: Counts,
    messages: Vec<MessageRow>,
    page: u32,
    has_previous: bool,
    has_next: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    statut: Option<String>,
    page: Option<PageNumber>,
}

pub async fn list(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Client(context): Client,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let status = query.statut.as_deref().and_then(Status::from_code);
    let page = u32::try_from(page_or_first(query.page)).unwrap_or(1);
    let found = state
        .outbox
        .list(admin.id, status, u64::from(page), PER_PAGE, &context)
        .await
        .map_err(refusal)?;
    let view = OutboxPage {
        layout: Layout::new(
            &admin.visitor,
            &state.config.brand,
            "Boîte d'envoi",
            "admin",
        ),
        status_filter: status.map(|s| s.code().to_owned()).unwrap_or_default(),
        counts: found.counts,
        messages: found.messages.into_iter().map(row).collect(),
        page,
        has_previous: page > 1,
        has_next: found.has_next,
    };
    Ok(render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "admin/outbox_message.html")]
struct MessagePage {
    layout: Layout,
    message: MessageRow,
}

pub async fn show(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Client(context): Client,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let message = state
        .outbox
        .message(admin.id, id, &context)
        .await
        .map_err(refusal)?;
    let view = MessagePage {
        layout: Layout::new(
            &admin.visitor,
            &state.config.brand,
            "Message de la boîte d'envoi",
            "admin",
        ),
        message: row(message),
    };
    Ok(render(&view)?.into_response())
}

pub async fn retry(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    state
        .outbox
        .retry(admin.id, id, &context)
        .await
        .map_err(refusal)?;
    Ok(Redirect::to(&format!("/admin/outbox/{id}")).into_response())
}
