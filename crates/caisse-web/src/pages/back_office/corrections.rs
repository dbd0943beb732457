//! Back office, corrections of paid lines: the form of a payment's page posts to
//! `/agent/comptes/{id}/paiements/{payment}/corriger` (applied at once, or waiting for a
//! supervisor above the configured amount); supervisors list the fund's waiting corrections at
//! `/agent/corrections` and approve or refuse each (never their own). A refused correction
//! comes back to its page with why, in French.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::claims::corrections::{CorrectionOutcome, CorrectionRequest};
use caisse_core::claims::staff_payments::StaffPaymentError;
use caisse_domain::AmountCents;
use serde::Deserialize;
use uuid::Uuid;

use super::payments::{CorrectionRow, NoticeQuery, app_error, refusal_message};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentStaff};

/// The refusal code of the address, for an error the page explains; other errors are the
/// route's answer.
fn refusal_code(error: StaffPaymentError) -> Result<&'static str, AppError> {
    Ok(match error {
        StaffPaymentError::Reason => "motif",
        StaffPaymentError::NothingToCorrect => "identique",
        StaffPaymentError::AboveCharged { .. } => "au-dessus",
        StaffPaymentError::AlreadyWaiting => "en-attente",
        StaffPaymentError::Stale { .. } => "modifiee",
        StaffPaymentError::AlreadyDecided => "deja-decidee",
        StaffPaymentError::FourEyes => "quatre-yeux",
        other => return Err(app_error(other)),
    })
}

#[derive(Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    feuille: String,
    #[serde(default)]
    ligne: String,
    /// What the page showed the line reimbursed, in cents.
    #[serde(default)]
    affiche: String,
    #[serde(default)]
    montant: String,
    #[serde(default)]
    motif: String,
}

/// `POST /agent/comptes/{id}/paiements/{payment}/corriger`.
pub async fn correct(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path((member_id, payment_id)): Path<(Uuid, Uuid)>,
    CsrfForm(form): CsrfForm<CorrectionForm>,
) -> Result<Response, AppError> {
    let page = format!("/agent/comptes/{member_id}/paiements/{payment_id}");
    // A line that does not read is a line that is not there.
    let (Ok(sheet_id), Ok(line_no), Ok(shown)) = (
        form.feuille.trim().parse::<Uuid>(),
        form.ligne.trim().parse::<usize>(),
        form.affiche.trim().parse::<i64>(),
    ) else {
        return Err(AppError::NotFound);
    };
    let Ok(corrected) = AmountCents::parse_euros(&form.montant) else {
        // Read first, so another fund's payment is a 404 whatever the amount.
        state
            .staff_payments
            .detail(staff.id, member_id, payment_id, &context)
            .await
            .map_err(app_error)?;
        return Ok(Redirect::to(&format!("{page}?refus=montant")).into_response());
    };
    let request = CorrectionRequest {
        member_id,
        payment_id,
        sheet_id,
        line_no,
        shown: AmountCents::new(shown),
        corrected,
        reason: form.motif,
    };
    let target = match state
        .staff_payments
        .correct(staff.id, &request, &context)
        .await
    {
        Ok(CorrectionOutcome::Applied(_)) => format!("{page}?fait=corrigee"),
        Ok(CorrectionOutcome::Waiting(_)) => format!("{page}?fait=a-valider"),
        Err(error) => format!("{page}?refus={}", refusal_code(error)?),
    };
    Ok(Redirect::to(&target).into_response())
}

struct WaitingRow {
    id: Uuid,
    member_id: Uuid,
    payment_id: Uuid,
    member_name: String,
    line: String,
    row: CorrectionRow,
    mine: bool,
}

#[derive(Template)]
#[template(path = "back_office/corrections_waiting.html")]
struct WaitingPage {
    layout: Layout,
    rows: Vec<WaitingRow>,
    done: Option<&'static str>,
    refused: Option<&'static str>,
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "validee" => Some("La correction est validée : elle est appliquée."),
        "refusee" => Some("La correction est refusée : rien ne change."),
        _ => None,
    }
}

/// `GET /agent/corrections`: the fund's corrections waiting for a supervisor.
pub async fn waiting(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let waiting = state
        .staff_payments
        .waiting(staff.id, &context)
        .await
        .map_err(app_error)?;
    let page = WaitingPage {
        layout: Layout::new(
            &staff.visitor,
            &state.config.brand,
            "Corrections à valider",
            "agent-corrections",
        ),
        rows: waiting
            .iter()
            .map(|w| {
                let s = &w.correction.stored;
                WaitingRow {
                    id: s.id,
                    member_id: s.member_id,
                    payment_id: s.payment_id,
                    member_name: w.member_name.clone(),
                    line: format!("ligne {} de la feuille {}", s.line_no, s.sheet_id),
                    row: CorrectionRow::of(&w.correction),
                    mine: s.requested_by == staff.id,
                }
            })
            .collect(),
        done: done_message(query.fait.as_deref()),
        refused: refusal_message(query.refus.as_deref()),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct EmptyForm {}

async fn decide(
    state: &AppState,
    staff: &CurrentStaff,
    context: &caisse_core::audit::RequestContext,
    id: Uuid,
    approve: bool,
) -> Result<Response, AppError> {
    let payments = &state.staff_payments;
    let result = if approve {
        payments.approve(staff.id, id, context).await
    } else {
        payments.refuse(staff.id, id, context).await
    };
    let target = match result {
        Ok(()) if approve => "/agent/corrections?fait=validee".to_owned(),
        Ok(()) => "/agent/corrections?fait=refusee".to_owned(),
        Err(error) => format!("/agent/corrections?refus={}", refusal_code(error)?),
    };
    Ok(Redirect::to(&target).into_response())
}

/// `POST /agent/corrections/{id}/valider`.
pub async fn approve(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    decide(&state, &staff, &context, id, true).await
}

/// `POST /agent/corrections/{id}/refuser`.
pub async fn refuse(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    decide(&state, &staff, &context, id, false).await
}
