//! Back office: `/agent/messagerie/{id}/pdf`, a thread of the staff member's fund as the PDF the
//! member would download (to print or post to them): no internal note, authors by role. It is
//! audited like opening the thread, and another fund's thread is a 404 like a missing one.

use axum::extract::State;
use axum::response::Response;
use caisse_core::messaging::StaffError;
use uuid::Uuid;

use crate::error::AppError;
use crate::pages::thread_pdf_download;
use crate::params::Path;
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// `GET /agent/messagerie/{id}/pdf`.
pub async fn download(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    match state
        .messaging
        .staff
        .staff_thread_pdf(staff.id, id, &context)
        .await
    {
        Ok(pdf) => Ok(thread_pdf_download(pdf)),
        Err(StaffError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(AppError::unexpected(other)),
    }
}
