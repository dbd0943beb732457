//! The payment documents as PDFs: `/paiements/releves/{année}/{mois}` (the monthly statement,
//! linked from each month of « Mes paiements » and from a payment's detail) and
//! `/paiements/documents`, where the member chooses the period of an attestation de paiement
//! des indemnités journalières and the year of a relevé fiscal with plain GET forms. A period
//! that does not read, ends after today or starts after it ends comes back with its error in
//! French; a month with nothing of the member's is a 404, like another member's.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::claims::documents::{DocumentError, PaymentDocument, PeriodProblem, parse_day};
use caisse_core::claims::member_payments::PaymentFilters;
use caisse_domain::french::{month_year, numeric_date};
use serde::Deserialize;

use crate::error::AppError;
use crate::forms::Problems;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::{Path, Query, Ranged};
use crate::state::AppState;
use crate::visitor::CurrentMember;

/// The address of the statement of the month beginning `first_day`.
pub fn statement_href(first_day: time::Date) -> String {
    format!(
        "/paiements/releves/{:04}/{:02}",
        first_day.year(),
        u8::from(first_day.month())
    )
}

fn download(document: PaymentDocument) -> Response {
    super::pdf_download(&document.file_name, document.pdf)
}

/// GET `/paiements/releves/{année}/{mois}`.
pub async fn statement(
    State(state): State<AppState>,
    member: CurrentMember,
    Path((year, month)): Path<(Ranged<2000, 9999>, Ranged<1, 12>)>,
) -> Result<Response, AppError> {
    let year = i32::try_from(year.get()).map_err(|_| AppError::BadAddress)?;
    let month = u8::try_from(month.get()).map_err(|_| AppError::BadAddress)?;
    match state
        .payment_documents
        .monthly_statement(member.id, year, month)
        .await
    {
        Ok(document) => Ok(download(document)),
        Err(DocumentError::Period(_)) => Err(AppError::BadAddress),
        Err(DocumentError::Nothing) => Err(AppError::NotFound),
        Err(DocumentError::Core(error)) => Err(AppError::unexpected(error)),
    }
}

/// What the forms of `/paiements/documents` send; every value as typed.
#[derive(Debug, Default, Deserialize)]
pub struct DocumentsQuery {
    du: Option<String>,
    au: Option<String>,
    annee: Option<String>,
}

struct MonthLink {
    href: String,
    label: String,
}

#[derive(Template)]
#[template(path = "payments/documents.html")]
struct DocumentsPage {
    layout: Layout,
    months: Vec<MonthLink>,
    ij_years: Vec<i32>,
    du: String,
    au: String,
    annee: String,
    problems: Problems,
}

async fn page(
    state: &AppState,
    member: &CurrentMember,
    query: &DocumentsQuery,
    problems: Problems,
) -> Result<Response, AppError> {
    let payments = state
        .payments
        .list(member.id, &PaymentFilters::default(), None)
        .await?;
    let ij_years = state.payment_documents.ij_years(member.id).await?;
    let text = |v: &Option<String>| v.as_deref().unwrap_or_default().trim().to_owned();
    let view = DocumentsPage {
        layout: Layout::new(
            &member.visitor,
            &state.config.brand,
            "Mes documents de paiement",
            "paiements",
        ),
        months: payments
            .months
            .iter()
            .map(|m| MonthLink {
                href: statement_href(m.first_day),
                label: month_year(m.first_day),
            })
            .collect(),
        annee: text(&query.annee),
        du: text(&query.du),
        au: text(&query.au),
        ij_years,
        problems,
    };
    Ok((view.problems.status(), render(&view)?).into_response())
}

/// GET `/paiements/documents`.
pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    page(
        &state,
        &member,
        &DocumentsQuery::default(),
        Problems::none(),
    )
    .await
}

/// The field a period problem is shown beside.
fn period_problem(problem: PeriodProblem) -> Problems {
    let field = match problem {
        PeriodProblem::Future => "au",
        PeriodProblem::NoSuchMonth | PeriodProblem::FromAfterTo | PeriodProblem::TooOld => "du",
    };
    Problems::one(field, problem.message_fr())
}

/// GET `/paiements/documents/attestation-ij?du=…&au=…`.
pub async fn ij_attestation(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(query): Query<DocumentsQuery>,
) -> Result<Response, AppError> {
    let from = query.du.as_deref().and_then(parse_day);
    let to = query.au.as_deref().and_then(parse_day);
    let (from, to) = match (from, to) {
        (Some(from), Some(to)) => (from, to),
        (None, _) => {
            let problems = Problems::one(
                "du",
                "Indiquez la date de début au format JJ/MM/AAAA, par exemple 01/03/2026.",
            );
            return page(&state, &member, &query, problems).await;
        }
        (Some(_), None) => {
            let problems = Problems::one(
                "au",
                "Indiquez la date de fin au format JJ/MM/AAAA, par exemple 31/03/2026.",
            );
            return page(&state, &member, &query, problems).await;
        }
    };
    let problems = match state
        .payment_documents
        .ij_attestation(member.id, from, to)
        .await
    {
        Ok(document) => return Ok(download(document)),
        Err(DocumentError::Period(problem)) => period_problem(problem),
        Err(DocumentError::Nothing) => Problems::one(
            "du",
            format!(
                "Aucune indemnité journalière ne vous a été versée du {} au {}\u{a0}: \
                 choisissez une autre période.",
                numeric_date(from),
                numeric_date(to)
            ),
        ),
        Err(DocumentError::Core(error)) => return Err(AppError::unexpected(error)),
    };
    page(&state, &member, &query, problems).await
}

/// GET `/paiements/documents/releve-fiscal?annee=…`.
pub async fn ij_tax_statement(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(query): Query<DocumentsQuery>,
) -> Result<Response, AppError> {
    let Some(year) = query
        .annee
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
    else {
        let problems = Problems::one("annee", "Choisissez l’année des versements.");
        return page(&state, &member, &query, problems).await;
    };
    let problems = match state
        .payment_documents
        .ij_tax_statement(member.id, year)
        .await
    {
        Ok(document) => return Ok(download(document)),
        Err(DocumentError::Period(problem)) => Problems::one("annee", problem.message_fr()),
        Err(DocumentError::Nothing) => Problems::one(
            "annee",
            format!(
                "Aucune indemnité journalière ne vous a été versée en {year}\u{a0}: il n’y a \
                 pas de relevé fiscal pour cette année."
            ),
        ),
        Err(DocumentError::Core(error)) => return Err(AppError::unexpected(error)),
    };
    page(&state, &member, &query, problems).await
}
