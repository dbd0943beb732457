//! `/admin/outbox`: administrators read queued mail (the development transport keeps it here),
//! follow deliveries and retry failed ones.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_store::entities::outbox_message::Model;
use caisse_store::outbox::{self, Channel, Counts, Status};
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
use caisse_core::audit::Actor;

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
        Status::Retained => "Conservé (mode développement)",
        Status::Sent => "Envoyé",
        Status::Failed => "En échec",
    }
}

fn row(model: Model) -> MessageRow {
    let status = Status::from_code(&model.status).unwrap_or(Status::Pending);
    MessageRow {
        id: model.id.to_string(),
        channel_label: match Channel::from_code(&model.channel) {
            Some(Channel::Sms) => "SMS",
            _ => "Courriel",
        },
        recipient: model.recipient,
        subject: model.subject,
        status: status.code(),
        status_label: status_label(status),
        attempts: u32::try_from(model.attempts).unwrap_or(0),
        created_at: instant_utc(model.created_at),
        next_attempt_at: instant_utc(model.next_attempt_at),
        sent_at: model.sent_at.map(instant_utc),
        last_error: model.last_error,
        body_text: model.body_text,
        can_retry: status == Status::Failed,
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
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let status = query.statut.as_deref().and_then(Status::from_code);
    let page = u32::try_from(page_or_first(query.page)).unwrap_or(1);
    let (rows, has_next) = outbox::list(&state.db, status, u64::from(page - 1), PER_PAGE).await?;
    let view = OutboxPage {
        layout: Layout::new(
            &admin.visitor,
            &state.config.brand,
            "Boîte d'envoi",
            "admin",
        ),
        status_filter: status.map(|s| s.code().to_owned()).unwrap_or_default(),
        counts: outbox::counts(&state.db).await?,
        messages: rows.into_iter().map(row).collect(),
        page,
        has_previous: page > 1,
        has_next,
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
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let model = outbox::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = MessagePage {
        layout: Layout::new(
            &admin.visitor,
            &state.config.brand,
            "Message de la boîte d'envoi",
            "admin",
        ),
        message: row(model),
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
    let now = state.clock.now();
    if outbox::retry(&state.db, id, now).await? {
        caisse_core::audit::record(
            &state.db,
            &context,
            Actor::Staff(admin.id),
            "admin.outbox.retried",
            Some(("outbox_message", id)),
            serde_json::json!({}),
            now,
        )
        .await?;
    }
    Ok(Redirect::to(&format!("/admin/outbox/{id}")).into_response())
}
