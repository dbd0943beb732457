//! `GET /api/v1/me`: the logged-in member's own file.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use time::format_description::well_known::Iso8601;
use utoipa::ToSchema;

use super::ApiError;
use super::extract::ApiMember;
use crate::state::AppState;

/// A person covered through the member (the member is rank 01).
#[derive(Serialize, ToSchema)]
pub struct Beneficiary {
    /// `01` for the member, then `02`…
    #[schema(example = "02")]
    rank: String,
    full_name: String,
    birth_date: String,
}

/// The member's own file.
#[derive(Serialize, ToSchema)]
pub struct Me {
    id: String,
    nir: String,
    first_name: String,
    full_name: String,
    birth_date: String,
    fund_name: String,
    email: Option<String>,
    phone: Option<String>,
    address_lines: Vec<String>,
    beneficiaries: Vec<Beneficiary>,
}

pub(super) fn iso_date(date: time::Date) -> String {
    date.format(&Iso8601::DATE).unwrap_or_default()
}

#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "compte",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The member's file", body = Me),
        (status = 401, description = "No valid token", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn me(State(state): State<AppState>, member: ApiMember) -> Result<Json<Me>, ApiError> {
    let overview = state
        .people
        .member_overview(member.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(Me {
        id: overview.id.to_string(),
        nir: overview.nir.as_str().to_owned(),
        first_name: overview.first_name,
        full_name: overview.full_name,
        birth_date: iso_date(overview.birth_date),
        fund_name: overview.fund_name,
        email: overview.email,
        phone: overview.phone,
        address_lines: overview.address_lines,
        beneficiaries: overview
            .beneficiaries
            .into_iter()
            .map(|b| Beneficiary {
                rank: format!("{:02}", b.rank),
                full_name: b.full_name,
                birth_date: iso_date(b.birth_date),
            })
            .collect(),
    }))
}
