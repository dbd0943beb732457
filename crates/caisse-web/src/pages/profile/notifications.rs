//! `/profil/notifications`: how the member wants to be told of replies to their messages.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Done, Problems, details, done, layout};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};

#[derive(Template)]
#[template(path = "profile/notifications.html")]
struct NotificationsPage {
    layout: Layout,
    by_email: bool,
    by_sms: bool,
    has_phone: bool,
    /// Always empty: two boxes cannot be wrong; the form macros want it.
    problems: Problems,
}

pub async fn form(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    let on_file = details(&state, &member).await?;
    let page = NotificationsPage {
        layout: layout(&state, &member, "Mes notifications"),
        by_email: on_file.notify_email,
        by_sms: on_file.notify_sms,
        has_phone: on_file.phone.is_some(),
        problems: Problems::none(),
    };
    Ok(render(&page)?.into_response())
}

/// A box that is not ticked is not sent at all.
#[derive(Deserialize)]
pub struct NotificationsForm {
    #[serde(default)]
    by_email: Option<String>,
    #[serde(default)]
    by_sms: Option<String>,
}

pub async fn save(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<NotificationsForm>,
) -> Result<Response, AppError> {
    state
        .accounts
        .set_notifications(
            member.id,
            form.by_email.is_some(),
            form.by_sms.is_some(),
            &context,
        )
        .await
        .map_err(|error| match error {
            caisse_core::accounts::AccountError::Core(error) => error.into(),
            _ => AppError::unexpected("unexpected refusal of notification preferences"),
        })?;
    Ok(done(Done::Notifications))
}
