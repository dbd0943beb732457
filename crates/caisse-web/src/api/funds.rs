//! `GET /api/v1/caisses`: the directory of funds (public reference data).

use axum::Json;
use caisse_domain::{CaisseCode, FUNDS, Fund};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiError;
use super::extract::Path;

/// A fund as the API shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = Fund)]
pub struct FundDto {
    /// Three characters: department and index (`781`, `2A1`, `974`).
    #[schema(example = "781")]
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    department: &'static str,
    department_name: &'static str,
}

impl From<&'static Fund> for FundDto {
    fn from(fund: &'static Fund) -> FundDto {
        FundDto {
            code: fund.code().as_str(),
            name: fund.name(),
            kind: fund.kind().label_fr(),
            department: fund.department(),
            department_name: fund.department_name(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/caisses",
    tag = "caisses",
    responses((status = 200, description = "Every fund (CPAM, CGSS, CSS, CCSS)", body = [FundDto]))
)]
pub async fn list_funds() -> Json<Vec<FundDto>> {
    Json(FUNDS.iter().map(FundDto::from).collect())
}

#[utoipa::path(
    get,
    path = "/api/v1/caisses/{code}",
    tag = "caisses",
    params(("code" = String, Path, description = "Fund code", example = "781")),
    responses(
        (status = 200, description = "The fund", body = FundDto),
        (status = 404, description = "No such fund", body = super::ApiError, content_type = "application/problem+json"),
    )
)]
pub async fn get_fund(Path(code): Path<String>) -> Result<Json<FundDto>, ApiError> {
    let code = CaisseCode::parse(&code).map_err(|_| ApiError::not_found())?;
    Ok(Json(FundDto::from(Fund::by_code(&code))))
}
