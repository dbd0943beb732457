//! `/profil/connexions` (« Mes connexions »): where the account is open (browser sessions,
//! trusted devices, app tokens), each with a button that closes it. Closing the session in use
//! logs out.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::{AccountError, ConnectionKind};
use serde::Deserialize;

use super::layout;
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::member_login::end_session;
use crate::pages::{paris_fr, render};
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};

const PAGE: &str = "/profil/connexions";

/// One line of a list, dated in Paris time.
pub struct ConnectionRow {
    /// Opaque id to post back (a stored digest, never a token).
    pub id: String,
    pub device: String,
    /// Client address, for browser sessions.
    pub ip: String,
    pub since: String,
    pub last: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "profile/connections.html")]
struct ConnectionsPage {
    layout: Layout,
    sessions: Vec<ConnectionRow>,
    devices: Vec<ConnectionRow>,
    apps: Vec<ConnectionRow>,
    /// FranceConnect is offered (configured by the fund).
    franceconnect: bool,
    /// The account's FranceConnect links.
    franceconnect_links: Vec<ConnectionRow>,
}

fn row(
    id: String,
    device: String,
    since: time::OffsetDateTime,
    last: time::OffsetDateTime,
) -> ConnectionRow {
    ConnectionRow {
        id,
        device,
        ip: String::new(),
        since: paris_fr(since),
        last: paris_fr(last),
        current: false,
    }
}

pub async fn list(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    let current = current_session(&member)?;
    let open = state.accounts.connections(member.id, current).await?;
    let franceconnect_links = match &state.franceconnect {
        Some(franceconnect) => franceconnect
            .links(member.id)
            .await?
            .into_iter()
            .map(|link| {
                row(
                    link.id.to_string(),
                    "FranceConnect".to_owned(),
                    link.linked_at.get(),
                    link.last_login_at.get(),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let page = ConnectionsPage {
        layout: layout(&state, &member, "Mes connexions"),
        sessions: open
            .sessions
            .into_iter()
            .map(|s| ConnectionRow {
                ip: s.ip,
                current: s.current,
                ..row(s.id, s.device, s.created_at, s.last_seen_at)
            })
            .collect(),
        devices: open
            .devices
            .into_iter()
            .map(|d| row(d.id, d.device, d.created_at, d.last_used_at))
            .collect(),
        apps: open
            .api_tokens
            .into_iter()
            .map(|t| row(t.id, t.device, t.created_at, t.last_used_at))
            .collect(),
        franceconnect: state.franceconnect.is_some(),
        franceconnect_links,
    };
    Ok(render(&page)?.into_response())
}

/// The digest of the session making the request.
fn current_session(member: &CurrentMember) -> Result<&str, AppError> {
    member
        .visitor
        .session
        .as_ref()
        .map(|s| s.token_hash.as_str())
        .ok_or_else(|| AppError::unexpected("member without session"))
}

#[derive(Deserialize)]
pub struct RevokeForm {
    /// `session`, `appareil` or `application`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    id: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, AppError> {
    let kind = match form.kind.as_str() {
        "session" => ConnectionKind::Session,
        "appareil" => ConnectionKind::Device,
        "application" => ConnectionKind::ApiToken,
        _ => return Err(AppError::NotFound),
    };
    let is_current = kind == ConnectionKind::Session && form.id == current_session(&member)?;
    match state
        .accounts
        .revoke_connection(member.id, kind, &form.id, &context)
        .await
    {
        Ok(()) if is_current => end_session(&state, &member.visitor, "/connexion").await,
        Ok(()) => Ok(Redirect::to(&format!("{PAGE}?fait=fermeture")).into_response()),
        Err(AccountError::Core(error)) => Err(error.into()),
        // Not this member's, or already closed (a second click): the list shows what is open.
        Err(_) => Ok(Redirect::to(PAGE).into_response()),
    }
}

#[derive(Deserialize)]
pub struct UnlinkForm {
    #[serde(default)]
    id: String,
}

/// « Retirer » on a FranceConnect link.
pub async fn unlink_franceconnect(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<UnlinkForm>,
) -> Result<Response, AppError> {
    let franceconnect = state.franceconnect.as_ref().ok_or(AppError::NotFound)?;
    let Ok(link_id) = form.id.parse::<uuid::Uuid>() else {
        return Ok(Redirect::to(PAGE).into_response());
    };
    if franceconnect.unlink(member.id, link_id, &context).await? {
        Ok(Redirect::to(&format!("{PAGE}?fait=franceconnect")).into_response())
    } else {
        // Not this member's, or already removed (a second click): the list shows what is left.
        Ok(Redirect::to(PAGE).into_response())
    }
}
