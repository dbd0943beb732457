//! `GET /api/v1/caisses`: the directory of funds (public reference data).

use axum::Json;
use axum::extract::Path;
use caisse_domain::{CaisseCode, FUNDS, Fund};
use serde::Serialize;

use super::ApiError;

/// A fund as the API shows it.
#[derive(Serialize)]
pub struct FundDto {
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

pub async fn list_funds() -> Json<Vec<FundDto>> {
    Json(FUNDS.iter().map(FundDto::from).collect())
}

pub async fn get_fund(Path(code): Path<String>) -> Result<Json<FundDto>, ApiError> {
    let code = CaisseCode::parse(&code).map_err(|_| ApiError::not_found())?;
    Ok(Json(FundDto::from(Fund::by_code(&code))))
}
