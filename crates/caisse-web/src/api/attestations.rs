//! `/api/v1/attestations`: the member's attestation de droits as a PDF (bearer token), and the
//! public verification of any attestation (JSON). A member only names people of their own
//! family: another member's beneficiary answers 404, like a missing one. The verification is
//! rate-limited like the logins and shows only what the attestation itself shows.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use caisse_core::attestations::{
    AttestationError, AttestationKind, AttestationRequest, VerificationOutcome,
};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::{Iso8601, Rfc3339};
use utoipa::{IntoParams, ToSchema};

use super::ApiError;
use super::extract::Query;
use super::extract::{ApiJson, ApiMember};
use crate::pages::attestations::{parse_beneficiary, pdf_download};
use crate::state::AppState;
use crate::visitor::Client;

/// Whom the attestation covers, and how much it says.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DroitsQuery {
    /// `famille` (the default) or the id of one person: the member's own id (`GET /api/v1/me`)
    /// for the insured person, a beneficiary's otherwise.
    beneficiaire: Option<String>,
    /// `true` to add the complementary mentions (exemptions, régime local, C2S).
    mentions: Option<bool>,
}

fn refusal(error: AttestationError) -> ApiError {
    match error {
        AttestationError::NotFound => ApiError::not_found(),
        AttestationError::NoOpenRights => ApiError::with(
            StatusCode::CONFLICT,
            "no_open_rights",
            "Conflict",
            "Vos droits ne sont pas ouverts à ce jour : aucune attestation ne peut être délivrée. \
             Contactez votre caisse.",
        ),
        AttestationError::Core(error) => ApiError::unexpected(error),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/attestations/droits",
    tag = "attestations",
    security(("bearer" = [])),
    params(DroitsQuery),
    responses(
        (status = 200, description = "The attestation de droits, a tagged PDF to save (`Content-Disposition: attachment`)", content_type = "application/pdf", body = super::schemas::PdfFile),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
        (status = 404, description = "No such person in the member's family", body = super::ApiError, content_type = "application/problem+json"),
        (status = 409, description = "No rights open today", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn droits(
    State(state): State<AppState>,
    member: ApiMember,
    Client(context): Client,
    Query(query): Query<DroitsQuery>,
) -> Result<Response, ApiError> {
    let who = parse_beneficiary(query.beneficiaire.as_deref().unwrap_or_default())
        .ok_or_else(ApiError::not_found)?;
    let request = AttestationRequest {
        kind: AttestationKind::Droits,
        who,
        mentions: query.mentions.unwrap_or(false),
    };
    let issued = state
        .attestations
        .issue(member.id, request, &context)
        .await
        .map_err(refusal)?;
    Ok(pdf_download(issued))
}

/// What to verify: the short code printed on the attestation, or the text of its QR code.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The short code, dashes and case as typed: `7K3M-Q9TX-2BCF`.
    code: Option<String>,
    /// The QR code's text, `CAISSE-ATT1:…`.
    payload: Option<String>,
}

/// One person covered.
#[derive(Serialize, ToSchema)]
pub struct CoveredPersonDto {
    /// 1 for the insured person, 2 to 19 for ayants droit.
    rank: u8,
    /// As printed.
    name: String,
    /// `AAAA-MM-JJ`.
    birth_date: String,
}

/// What an authentic attestation says.
#[derive(Serialize, ToSchema)]
pub struct AttestedDto {
    /// `droits` or `carte_vitale`.
    kind: &'static str,
    #[schema(example = "7K3M-Q9TX-2BCF")]
    code: String,
    /// Fund code and name.
    fund_code: String,
    fund_name: String,
    regime: String,
    code_gestion: String,
    /// The insured person's NIR, 15 characters, and name as printed.
    nir: String,
    insured_name: String,
    people: Vec<CoveredPersonDto>,
    /// First and last day attested (`AAAA-MM-JJ`).
    valid_from: String,
    valid_to: String,
    /// When it was issued (RFC 3339, UTC).
    issued_at: String,
    /// Today falls in the period and the fund's file still covers the family.
    open_today: bool,
}

/// The answer of a verification.
#[derive(Serialize, ToSchema)]
pub struct VerifyResponse {
    authentic: bool,
    /// « Cette attestation est authentique. » or « Cette attestation n'est pas authentique. »
    message: &'static str,
    /// What it attests, when authentic.
    attestation: Option<AttestedDto>,
}

fn iso(date: time::Date) -> String {
    date.format(&Iso8601::DATE).unwrap_or_default()
}

fn answer(outcome: VerificationOutcome) -> VerifyResponse {
    match outcome {
        VerificationOutcome::NotAuthentic => VerifyResponse {
            authentic: false,
            message: "Cette attestation n'est pas authentique.",
            attestation: None,
        },
        VerificationOutcome::Authentic(v) => {
            let s = &v.statement;
            VerifyResponse {
                authentic: true,
                message: "Cette attestation est authentique.",
                attestation: Some(AttestedDto {
                    kind: s.kind.code(),
                    code: s.code.formatted(),
                    fund_code: s.caisse.as_str().to_owned(),
                    fund_name: v.fund_name.clone(),
                    regime: s.regime.as_str().to_owned(),
                    code_gestion: s.code_gestion.as_str().to_owned(),
                    nir: s.nir.as_str().to_owned(),
                    insured_name: s.insured_name.clone(),
                    people: s
                        .people
                        .iter()
                        .map(|p| CoveredPersonDto {
                            rank: p.rank,
                            name: p.name.clone(),
                            birth_date: iso(p.birth_date),
                        })
                        .collect(),
                    valid_from: iso(s.valid_from),
                    valid_to: iso(s.valid_to),
                    issued_at: s.issued_at.format(&Rfc3339).unwrap_or_default(),
                    open_today: v.open_today,
                }),
            }
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/attestations/verify",
    tag = "attestations",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "Authentic or not (a changed text, another key's signature or an unknown code is not authentic)", body = VerifyResponse),
        (status = 422, description = "Neither a code nor a payload, or a code with a typing mistake", body = super::ApiError, content_type = "application/problem+json"),
        (status = 429, description = "Too many verifications from this address", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<VerifyRequest>,
) -> Result<Json<VerifyResponse>, ApiError> {
    let unprocessable = |detail: &'static str| {
        ApiError::with(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_code",
            "Unprocessable Content",
            detail,
        )
    };
    if let Some(payload) = request.payload.filter(|p| !p.trim().is_empty()) {
        let outcome = state.attestations.verify_sealed(&payload).await?;
        return Ok(Json(answer(outcome)));
    }
    let Some(code) = request.code.filter(|c| !c.trim().is_empty()) else {
        return Err(unprocessable(
            "Donnez le code de vérification (code) ou le contenu du code QR (payload).",
        ));
    };
    match state.attestations.verify_code(&code).await {
        Ok(outcome) => Ok(Json(answer(outcome?))),
        Err(mistake) => Err(unprocessable(mistake.message_fr())),
    }
}
