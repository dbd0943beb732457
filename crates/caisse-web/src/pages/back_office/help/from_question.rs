//! `POST /agent/questions/{id}/faq`: « Faire une entrée de FAQ » on a public question the fund
//! answered. One action makes a draft entry of the fund's FAQ from the question and the
//! fund's latest answer (the nearest entry's category, a slug from the title), then opens it
//! for the supervisor to read before publishing. An answer too short for an entry opens the
//! new entry's form with the question instead.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::forum::ForumError;
use caisse_core::help::HelpAdminError;
use serde::Deserialize;
use uuid::Uuid;

use super::{entry_path, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff, urlencode};

/// A form with only its button.
#[derive(Debug, Default, Deserialize)]
pub struct ButtonForm {}

pub async fn create(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    let material = state
        .forum
        .faq_material(staff.id, id, &context)
        .await
        .map_err(|e| match e {
            ForumError::NotFound => AppError::NotFound,
            other => AppError::unexpected(other),
        })?;
    match state
        .help
        .admin_create_from_question(
            staff.id,
            &context,
            &material.title,
            &material.text,
            &material.answer,
        )
        .await
    {
        Ok(entry) => Ok(
            Redirect::to(&format!("{}?fait=depuis-question", entry_path(entry))).into_response(),
        ),
        Err(HelpAdminError::Invalid(_)) => Ok(Redirect::to(&format!(
            "/agent/aide/nouvelle?question={}",
            urlencode(&material.title)
        ))
        .into_response()),
        Err(other) => Err(refusal(other)),
    }
}
