//! « Vérifier une attestation » (`/verifier`), public: anyone scans the QR code (its URL opens
//! the verdict at once), types the short code, pastes the text of the QR code, or uploads the
//! PDF, and reads in plain French whether the attestation
//! is authentic, for whom, from which fund, for which period, issued when, and whether the
//! rights are still open today; only what the attestation itself shows. Rate-limited like the
//! login forms (the code is a lookup key). The file comes through [`CsrfUpload`] (its field is
//! `files`, like the messaging forms'); it must be a PDF, and only the signed statement of its
//! keywords is verified, which the answer says: the rest of the file may have been changed.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::attestations::{FileVerification, VerificationOutcome, VerifiedAttestation};
use serde::Deserialize;

use crate::csrf::{CsrfForm, CsrfUpload};
use crate::error::AppError;
use crate::forms::{Problems, echo};
use crate::layout::Layout;
use crate::pages::{paris_fr, render};
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::Visitor;
use caisse_domain::french::numeric_date;

const SECTION: &str = "verifier";

#[derive(Template)]
#[template(path = "verify/form.html")]
struct FormPage {
    layout: Layout,
    code: String,
    text: String,
    problems: Problems,
}

/// A verified attestation as the page shows it.
pub struct Shown {
    kind: String,
    code: String,
    fund_name: String,
    organisme_code: String,
    insured_name: String,
    nir: String,
    valid_from: String,
    valid_to: String,
    issued_at: String,
    open_today: bool,
    /// (name, birth date, rank).
    people: Vec<(String, String, String)>,
}

impl Shown {
    fn of(v: &VerifiedAttestation) -> Shown {
        let s = &v.statement;
        Shown {
            kind: capitalised(s.kind.label_fr()),
            code: s.code.formatted(),
            fund_name: v.fund_name.clone(),
            organisme_code: format!("{} {}", s.regime.as_str(), s.caisse.as_str()),
            insured_name: s.insured_name.clone(),
            nir: s.nir.formatted(),
            valid_from: numeric_date(s.valid_from),
            valid_to: numeric_date(s.valid_to),
            issued_at: paris_fr(s.issued_at),
            open_today: v.open_today,
            people: s
                .people
                .iter()
                .map(|p| {
                    (
                        p.name.clone(),
                        numeric_date(p.birth_date),
                        format!("{:02}", p.rank),
                    )
                })
                .collect(),
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "verify/result.html")]
struct ResultPage {
    layout: Layout,
    verified: Option<Shown>,
    /// Verified from an uploaded file: the answer names the signed statement it holds, not
    /// the file.
    from_file: bool,
}

fn layout(state: &AppState, visitor: &Visitor, title: &str) -> Layout {
    Layout::new(visitor, &state.config.brand, title, SECTION)
}

fn form_page(
    state: &AppState,
    visitor: &Visitor,
    code: &str,
    text: &str,
    problems: Problems,
) -> Result<Response, AppError> {
    let status = problems.status();
    let page = FormPage {
        layout: layout(state, visitor, "Vérifier une attestation"),
        code: echo(code, 32),
        text: echo(text, 2000),
        problems,
    };
    Ok((status, render(&page)?).into_response())
}

fn result_page(
    state: &AppState,
    visitor: &Visitor,
    outcome: VerificationOutcome,
    from_file: bool,
) -> Result<Response, AppError> {
    let verified = match &outcome {
        VerificationOutcome::Authentic(v) => Some(Shown::of(v)),
        VerificationOutcome::NotAuthentic => None,
    };
    let page = ResultPage {
        layout: layout(state, visitor, "Résultat de la vérification"),
        verified,
        from_file,
    };
    Ok(render(&page)?.into_response())
}

/// The query of `GET /verifier`: what the QR code of an attestation opens.
#[derive(Deserialize)]
pub struct VerifyQuery {
    /// The sealed statement, `CAISSE-ATT1:…` ([`caisse_core::attestations::verification_url`]).
    #[serde(default)]
    a: String,
}

/// Longest statement read from the address: a family of twenty is about 1,500 characters.
const MAX_QUERY_STATEMENT: usize = 4000;

/// `GET /verifier`: the forms, or at once the verdict on the statement a scanned QR code
/// carries in its `a` parameter. Verifying it is read-only and needs no CSRF token; a forged
/// statement fails its signature before any lookup, so there is nothing to guess here.
pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<VerifyQuery>,
) -> Result<Response, AppError> {
    let statement = query.a.trim();
    if statement.is_empty() {
        return form_page(&state, &visitor, "", "", Problems::none());
    }
    let outcome = if statement.len() > MAX_QUERY_STATEMENT {
        VerificationOutcome::NotAuthentic
    } else {
        state.attestations.verify_sealed(statement).await?
    };
    result_page(&state, &visitor, outcome, false)
}

/// What the code and text forms post.
#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    texte: String,
}

pub async fn check(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<VerifyForm>,
) -> Result<Response, AppError> {
    if !form.texte.trim().is_empty() {
        let outcome = state.attestations.verify_sealed(&form.texte).await?;
        return result_page(&state, &visitor, outcome, false);
    }
    if form.code.trim().is_empty() {
        let problems = Problems::one(
            "code",
            "Saisissez le code de vérification imprimé sur l'attestation.",
        );
        return form_page(&state, &visitor, "", "", problems);
    }
    match state.attestations.verify_code(&form.code).await {
        Ok(outcome) => result_page(&state, &visitor, outcome?, false),
        Err(mistake) => form_page(
            &state,
            &visitor,
            &form.code,
            "",
            Problems::one("code", mistake.message_fr()),
        ),
    }
}

pub async fn check_file(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfUpload(form): CsrfUpload,
) -> Result<Response, AppError> {
    let Some(bytes) = form
        .files
        .first()
        .map(|file| file.bytes.as_slice())
        .filter(|bytes| !bytes.is_empty())
    else {
        let problems = Problems::one("fichier", "Choisissez le fichier PDF de l'attestation.");
        return form_page(&state, &visitor, "", "", problems);
    };
    let refusal = match state.attestations.verify_pdf(bytes).await? {
        FileVerification::Statement(outcome) => {
            return result_page(&state, &visitor, outcome, true);
        }
        FileVerification::NotPdf => {
            "Ce fichier n'est pas un PDF lisible : envoyez le fichier PDF de l'attestation tel \
             qu'il a été téléchargé, ou saisissez le code imprimé sur l'attestation."
        }
        FileVerification::NoStatement => {
            "Ce fichier ne contient pas de code de vérification : envoyez le PDF tel qu'il a \
             été téléchargé, ou saisissez le code imprimé sur l'attestation."
        }
    };
    form_page(&state, &visitor, "", "", Problems::one("fichier", refusal))
}
