//! The five reference files (`reference/*.csv`, format in `docs/claims-rules.md`) parsed
//! into [`ReferenceTables`]. Pure: the caller reads the files.

use caisse_domain::claims::{
    ActCategory, ActCode, AnnualCapGroup, CategoryRule, DailyCap, DailyCapScope, DeductionKind,
    DeductionRule, IjParameters, ReferenceTables, RegimeLocalRule, Table, Tariff, TariffBase,
};

use super::csv_rows::{ReferenceFileError, Row, basis_points, cents, read_rows, whole};

/// The text of each reference file.
#[derive(Clone, Copy, Debug)]
pub struct ReferenceFiles<'a> {
    /// `tariffs.csv`.
    pub tariffs: &'a str,
    /// `rates.csv`.
    pub rates: &'a str,
    /// `regime_local.csv`.
    pub regime_local: &'a str,
    /// `deductions.csv`.
    pub deductions: &'a str,
    /// `ij.csv`.
    pub ij: &'a str,
}

/// Parses every file and builds the tables (refused when two rows overlap).
pub fn parse_reference_files(
    files: &ReferenceFiles<'_>,
) -> Result<ReferenceTables, ReferenceFileError> {
    Ok(ReferenceTables::new(
        read_rows(
            Table::Tariffs.file_name(),
            files.tariffs,
            &["code", "category", "base_cents", "valid_from", "valid_to"],
            tariff,
        )?,
        read_rows(
            Table::Rates.file_name(),
            files.rates,
            &[
                "category",
                "rate_bp",
                "hors_parcours_rate_bp",
                "deduction",
                "valid_from",
                "valid_to",
            ],
            category_rule,
        )?,
        read_rows(
            Table::RegimeLocal.file_name(),
            files.regime_local,
            &["category", "rate_bp", "valid_from", "valid_to"],
            regime_local_rule,
        )?,
        read_rows(
            Table::Deductions.file_name(),
            files.deductions,
            &[
                "kind",
                "unit_cents",
                "daily_cap_cents",
                "daily_scope",
                "annual_group",
                "annual_cap_cents",
                "valid_from",
                "valid_to",
            ],
            deduction_rule,
        )?,
        read_rows(
            Table::Ij.file_name(),
            files.ij,
            &[
                "smic_mensuel_cents",
                "ceiling_smic_hundredths",
                "rate_bp",
                "divisor_hundredths",
                "waiting_days",
                "valid_from",
                "valid_to",
            ],
            ij_parameters,
        )?,
    )?)
}

fn category(s: &str) -> Result<ActCategory, String> {
    ActCategory::parse(s).map_err(|e| format!("{} Trouvé « {s} »", e.message_fr()))
}

fn tariff(row: &Row<'_>) -> Result<Tariff, ReferenceFileError> {
    Ok(Tariff {
        code: row.parse("code", |s| {
            ActCode::parse(s).map_err(|e| e.message_fr().to_owned())
        })?,
        category: row.parse("category", category)?,
        base: row
            .optional("base_cents", cents)?
            .map_or(TariffBase::AsCharged, TariffBase::Fixed),
        validity: row.validity()?,
    })
}

fn category_rule(row: &Row<'_>) -> Result<CategoryRule, ReferenceFileError> {
    Ok(CategoryRule {
        category: row.parse("category", category)?,
        rate: row.parse("rate_bp", basis_points)?,
        hors_parcours_rate: row.optional("hors_parcours_rate_bp", basis_points)?,
        deduction: row.optional("deduction", |s| {
            DeductionKind::parse(s).map_err(|e| e.message_fr().to_owned())
        })?,
        validity: row.validity()?,
    })
}

fn regime_local_rule(row: &Row<'_>) -> Result<RegimeLocalRule, ReferenceFileError> {
    Ok(RegimeLocalRule {
        category: row.parse("category", category)?,
        rate: row.parse("rate_bp", basis_points)?,
        validity: row.validity()?,
    })
}

fn deduction_rule(row: &Row<'_>) -> Result<DeductionRule, ReferenceFileError> {
    let cap = row.optional("daily_cap_cents", cents)?;
    let scope = row.optional("daily_scope", |s| {
        DailyCapScope::parse(s).map_err(|e| e.message_fr().to_owned())
    })?;
    let daily_cap = match (cap, scope) {
        (Some(amount), Some(scope)) => Some(DailyCap { amount, scope }),
        (None, None) => None,
        _ => {
            return Err(row.error(
                "daily_scope",
                "un plafond journalier et sa portée vont ensemble : remplir les deux colonnes ou aucune",
            ));
        }
    };
    Ok(DeductionRule {
        kind: row.parse("kind", |s| {
            DeductionKind::parse(s).map_err(|e| e.message_fr().to_owned())
        })?,
        unit: row.parse("unit_cents", cents)?,
        daily_cap,
        annual_group: row.parse("annual_group", |s| {
            AnnualCapGroup::parse(s).map_err(|e| e.message_fr().to_owned())
        })?,
        annual_cap: row.parse("annual_cap_cents", cents)?,
        validity: row.validity()?,
    })
}

fn ij_parameters(row: &Row<'_>) -> Result<IjParameters, ReferenceFileError> {
    Ok(IjParameters {
        smic_mensuel: row.parse("smic_mensuel_cents", cents)?,
        ceiling_smic_hundredths: row.parse("ceiling_smic_hundredths", |s| whole(s, 1, 1000))?,
        rate: row.parse("rate_bp", basis_points)?,
        divisor_hundredths: row.parse("divisor_hundredths", |s| whole(s, 1, 100_000))?,
        waiting_days: row.parse("waiting_days", |s| whole(s, 0, 30))?,
        validity: row.validity()?,
    })
}
