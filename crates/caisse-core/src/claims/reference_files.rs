//! The eight reference files (`reference/*.csv`, format in `docs/claims-rules.md`) parsed
//! into [`ReferenceTables`]. Pure: the caller reads the files.

use caisse_domain::claims::{
    ActCategory, ActCode, AnnualCapGroup, CategoryRule, DailyCap, DailyCapScope, DeductionKind,
    DeductionRule, IjAtMpParameters, IjChargesParameters, IjMaterniteParameters, IjParameters,
    ReferenceTables, RegimeLocalRule, Table, Tariff, TariffBase,
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
    /// `ij_maternite.csv`.
    pub ij_maternite: &'a str,
    /// `ij_at_mp.csv`.
    pub ij_at_mp: &'a str,
    /// `ij_charges.csv`.
    pub ij_charges: &'a str,
}

impl<'a> ReferenceFiles<'a> {
    /// Each file's text, in the order of [`Table::ALL`].
    pub fn texts(&self) -> [&'a str; 8] {
        [
            self.tariffs,
            self.rates,
            self.regime_local,
            self.deductions,
            self.ij,
            self.ij_maternite,
            self.ij_at_mp,
            self.ij_charges,
        ]
    }

    /// The files from their texts in the order of [`Table::ALL`].
    pub fn from_texts(texts: [&'a str; 8]) -> ReferenceFiles<'a> {
        let [
            tariffs,
            rates,
            regime_local,
            deductions,
            ij,
            ij_maternite,
            ij_at_mp,
            ij_charges,
        ] = texts;
        ReferenceFiles {
            tariffs,
            rates,
            regime_local,
            deductions,
            ij,
            ij_maternite,
            ij_at_mp,
            ij_charges,
        }
    }
}

/// Parses every file and builds the tables (refused when two rows overlap).
pub fn parse_reference_files(
    files: &ReferenceFiles<'_>,
) -> Result<ReferenceTables, ReferenceFileError> {
    let maternite = read_rows(
        Table::IjMaternite.file_name(),
        files.ij_maternite,
        &[
            "pmss_cents",
            "divisor_hundredths",
            "flat_deduction_bp",
            "min_daily_cents",
            "max_daily_cents",
            "valid_from",
            "valid_to",
        ],
        ij_maternite,
    )?;
    let at_mp = read_rows(
        Table::IjAtMp.file_name(),
        files.ij_at_mp,
        &[
            "pass_cents",
            "sjb_cap_pass_100000ths",
            "divisor_hundredths",
            "rate_bp",
            "increased_rate_bp",
            "increased_from_day",
            "valid_from",
            "valid_to",
        ],
        ij_at_mp,
    )?;
    let charges = read_rows(
        Table::IjCharges.file_name(),
        files.ij_charges,
        &[
            "csg_bp",
            "csg_deductible_bp",
            "crds_bp",
            "payment_period_days",
            "taxable_maladie_bp",
            "taxable_maternite_bp",
            "taxable_at_mp_bp",
            "taxable_ald_bp",
            "valid_from",
            "valid_to",
        ],
        ij_charges,
    )?;
    Ok(ReferenceTables::new(
        read_rows(
            Table::Tariffs.file_name(),
            files.tariffs,
            &[
                "code",
                "category",
                "base_cents",
                "price_limit_cents",
                "valid_from",
                "valid_to",
            ],
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
    )?
    .with_ij_schedule_rows(maternite, at_mp, charges)?)
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
        price_limit: row.optional("price_limit_cents", cents)?,
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

fn ij_maternite(row: &Row<'_>) -> Result<IjMaterniteParameters, ReferenceFileError> {
    let min_daily = row.parse("min_daily_cents", cents)?;
    let max_daily = row.parse("max_daily_cents", cents)?;
    if max_daily < min_daily {
        return Err(row.error(
            "max_daily_cents",
            "le maximum par jour est inférieur au minimum",
        ));
    }
    Ok(IjMaterniteParameters {
        pmss: row.parse("pmss_cents", cents)?,
        divisor_hundredths: row.parse("divisor_hundredths", |s| whole(s, 1, 100_000))?,
        flat_deduction: row.parse("flat_deduction_bp", basis_points)?,
        min_daily,
        max_daily,
        validity: row.validity()?,
    })
}

fn ij_at_mp(row: &Row<'_>) -> Result<IjAtMpParameters, ReferenceFileError> {
    Ok(IjAtMpParameters {
        pass: row.parse("pass_cents", cents)?,
        sjb_cap_pass_100000ths: row.parse("sjb_cap_pass_100000ths", |s| whole(s, 1, 100_000))?,
        divisor_hundredths: row.parse("divisor_hundredths", |s| whole(s, 1, 100_000))?,
        rate: row.parse("rate_bp", basis_points)?,
        increased_rate: row.parse("increased_rate_bp", basis_points)?,
        increased_from_day: row.parse("increased_from_day", |s| whole(s, 1, 366))?,
        validity: row.validity()?,
    })
}

fn ij_charges(row: &Row<'_>) -> Result<IjChargesParameters, ReferenceFileError> {
    let csg = row.parse("csg_bp", basis_points)?;
    let csg_deductible = row.parse("csg_deductible_bp", basis_points)?;
    let crds = row.parse("crds_bp", basis_points)?;
    if csg_deductible > csg {
        return Err(row.error(
            "csg_deductible_bp",
            "la part déductible de la CSG dépasse la CSG",
        ));
    }
    if u32::from(csg.get()) + u32::from(crds.get()) > 10_000 {
        return Err(row.error("crds_bp", "la CSG et la CRDS ensemble dépassent 100 %"));
    }
    Ok(IjChargesParameters {
        csg,
        csg_deductible,
        crds,
        payment_period_days: row.parse("payment_period_days", |s| whole(s, 1, 366))?,
        taxable_maladie: row.parse("taxable_maladie_bp", basis_points)?,
        taxable_maternite: row.parse("taxable_maternite_bp", basis_points)?,
        taxable_at_mp: row.parse("taxable_at_mp_bp", basis_points)?,
        taxable_ald: row.parse("taxable_ald_bp", basis_points)?,
        validity: row.validity()?,
    })
}
