//! « Mes attestations » (`/attestations`): the member chooses the document (attestation de
//! droits or de carte Vitale), whom it covers (the family or one person) and whether to add
//! the complementary mentions, and downloads the PDF at once. Another member's beneficiary
//! answers 404, like a missing one.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use caisse_core::attestations::{
    AttestationError, AttestationKind, AttestationRequest, Beneficiary, IssuedAttestation,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::Problems;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};
use caisse_domain::french::letter_date;

/// The value naming the whole family.
pub const FAMILY: &str = "famille";

/// Reads the `beneficiaire` of a form or a query: `famille` (or nothing) for the whole family,
/// a person's id otherwise.
pub fn parse_beneficiary(value: &str) -> Option<Beneficiary> {
    match value.trim() {
        "" | FAMILY => Some(Beneficiary::Family),
        id => Uuid::parse_str(id).ok().map(Beneficiary::Person),
    }
}

/// The PDF as a download: `Content-Disposition: attachment`, never cached.
pub fn pdf_download(issued: IssuedAttestation) -> Response {
    super::pdf_download(&issued.file_name, issued.pdf)
}

struct PersonChoice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "attestations/index.html")]
struct Page {
    layout: Layout,
    people: Vec<PersonChoice>,
    family_names: String,
    open_today: bool,
    problems: Problems,
    form: AttestationForm,
}

/// What the form posts.
#[derive(Clone, Debug, Deserialize)]
pub struct AttestationForm {
    /// `droits` or `carte_vitale`.
    #[serde(default)]
    document: String,
    /// `famille` or a person's id.
    #[serde(default)]
    beneficiaire: String,
    /// `oui` when the box is ticked.
    #[serde(default)]
    mentions: Option<String>,
}

impl Default for AttestationForm {
    fn default() -> Self {
        AttestationForm {
            document: AttestationKind::Droits.code().to_owned(),
            beneficiaire: FAMILY.to_owned(),
            mentions: None,
        }
    }
}

async fn page(
    state: &AppState,
    member: &CurrentMember,
    form: AttestationForm,
    problems: Problems,
) -> Result<Response, AppError> {
    let choices = state
        .attestations
        .choices(member.id)
        .await
        .map_err(refusal)?;
    let status = problems.status();
    let page = Page {
        layout: Layout::new(
            &member.visitor,
            &state.config.brand,
            "Mes attestations",
            "attestations",
        ),
        family_names: choices
            .people
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        people: choices
            .people
            .iter()
            .map(|p| PersonChoice {
                value: p.id.to_string(),
                label: format!(
                    "{} ({}, rang {:02})",
                    p.name,
                    if p.rank == 1 {
                        format!("vous-même, né(e) le {}", letter_date(p.birth_date))
                    } else {
                        format!("né(e) le {}", letter_date(p.birth_date))
                    },
                    p.rank
                ),
            })
            .collect(),
        open_today: choices.open_today,
        problems,
        form,
    };
    Ok((status, render(&page)?).into_response())
}

fn refusal(error: AttestationError) -> AppError {
    match error {
        AttestationError::NotFound => AppError::NotFound,
        other => AppError::unexpected(other),
    }
}

pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    page(
        &state,
        &member,
        AttestationForm::default(),
        Problems::none(),
    )
    .await
}

pub async fn download(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<AttestationForm>,
) -> Result<Response, AppError> {
    let Some(kind) = AttestationKind::from_code(&form.document) else {
        let problems = Problems::one("document", "Choisissez le document à télécharger.");
        return page(&state, &member, form, problems).await;
    };
    // A malformed id names nobody of the family: the same answer as another member's id.
    let who = parse_beneficiary(&form.beneficiaire).ok_or(AppError::NotFound)?;
    let request = AttestationRequest {
        kind,
        who,
        mentions: form.mentions.is_some(),
    };
    match state.attestations.issue(member.id, request, &context).await {
        Ok(issued) => Ok(pdf_download(issued)),
        // The page says why: no form problem, the form is not shown.
        Err(AttestationError::NoOpenRights) => page(&state, &member, form, Problems::none()).await,
        Err(error) => Err(refusal(error)),
    }
}
