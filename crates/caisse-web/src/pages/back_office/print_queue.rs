//! Back office, the print queue of postal letters (provisional codes): `/agent/courriers`
//! shows how many letters to members of the staff member's fund wait and that fund's batches
//! of the last week; a supervisor or an administrator makes a batch and downloads it as one
//! PDF for the print shop (audited). Another fund's batch is a 404.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::{instant_utc, pdf_download, render};
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// Letters per batch: a ream of paper, and a PDF a printer takes in one go.
const BATCH_SIZE: u64 = 500;

fn may_print(staff: &CurrentStaff) -> Result<(), AppError> {
    staff.require_supervisor()
}

struct BatchLine {
    id: Uuid,
    at: String,
    letters: i64,
}

#[derive(Template)]
#[template(path = "back_office/print_queue.html")]
struct QueuePage {
    layout: Layout,
    waiting: u64,
    batch_size: u64,
    batches: Vec<BatchLine>,
}

pub async fn overview(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, AppError> {
    may_print(&staff)?;
    let queue = state
        .accounts
        .print_queue(staff.id)
        .await
        .map_err(AppError::from_account)?;
    let page = QueuePage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Courriers à imprimer",
            "agent-courriers",
        ),
        waiting: queue.waiting,
        batch_size: BATCH_SIZE,
        batches: queue
            .batches
            .into_iter()
            .map(|(id, at, letters)| BatchLine {
                id,
                at: instant_utc(at),
                letters,
            })
            .collect(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct EmptyForm {}

pub async fn make_batch(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    may_print(&staff)?;
    match state
        .accounts
        .make_batch(BATCH_SIZE, staff.id, &context)
        .await
        .map_err(AppError::from_account)?
    {
        Some(batch) => Ok(Redirect::to(&format!("/agent/courriers/lots/{batch}")).into_response()),
        None => Ok(Redirect::to("/agent/courriers").into_response()),
    }
}

pub async fn download(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(batch): Path<Uuid>,
) -> Result<Response, AppError> {
    may_print(&staff)?;
    let pdf = state
        .accounts
        .batch_pdf(batch, staff.id, &context)
        .await
        .map_err(AppError::from_account)?
        .ok_or(AppError::NotFound)?;
    Ok(pdf_download(&format!("courriers-{batch}.pdf"), pdf))
}
