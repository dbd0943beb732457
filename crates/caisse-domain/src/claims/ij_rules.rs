//! The dated figures of an IJ schedule besides `ij.csv`: maternité (`ij_maternite.csv`),
//! AT/MP (`ij_at_mp.csv`), and the social charges, taxable shares and payment period
//! (`ij_charges.csv`). Rules in `docs/claims-rules.md`.

use super::BasisPoints;
use crate::AmountCents;
use crate::rights::Period;

/// The figures of the IJ maternité (also paternité and adoption) for arrêts starting within
/// `validity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IjMaterniteParameters {
    /// The plafond mensuel de la sécurité sociale: each month's salary counts up to it.
    pub pmss: AmountCents,
    /// Divisor of the three months' salaries, in hundredths (9125 = 91.25 days).
    pub divisor_hundredths: u32,
    /// The flat deduction from the salaire journalier de base (2100 = 21 %).
    pub flat_deduction: BasisPoints,
    /// The least IJ per day.
    pub min_daily: AmountCents,
    /// The most IJ per day.
    pub max_daily: AmountCents,
    /// Arrêts starting within these dates.
    pub validity: Period,
}

/// The figures of the IJ accident du travail and maladie professionnelle for arrêts
/// starting within `validity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IjAtMpParameters {
    /// The plafond annuel de la sécurité sociale.
    pub pass: AmountCents,
    /// The cap of the salaire journalier de base, in hundred-thousandths of the PASS (834 =
    /// 0.834 %).
    pub sjb_cap_pass_100000ths: u32,
    /// Divisor of the last month's pay, in hundredths (3042 = 30.42 days).
    pub divisor_hundredths: u32,
    /// Share of the SJB paid from the first day (6000 = 60 %).
    pub rate: BasisPoints,
    /// Share of the SJB paid from `increased_from_day` (8000 = 80 %).
    pub increased_rate: BasisPoints,
    /// The day of the arrêt (the first is 1) the increased rate applies from (29).
    pub increased_from_day: u32,
    /// Arrêts starting within these dates.
    pub validity: Period,
}

/// What is withheld from the IJ, what is taxable, and how often they are paid. The rates are
/// those in force on the first day of each payment; the period, that of the first paid day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IjChargesParameters {
    /// CSG withheld (620 = 6.2 %).
    pub csg: BasisPoints,
    /// The part of the CSG deductible from taxable income (380 = 3.8 %).
    pub csg_deductible: BasisPoints,
    /// CRDS withheld (50 = 0.5 %).
    pub crds: BasisPoints,
    /// The most paid days in one payment (14).
    pub payment_period_days: u32,
    /// Taxable share of the IJ maladie (10000 = 100 %).
    pub taxable_maladie: BasisPoints,
    /// Taxable share of the IJ maternité.
    pub taxable_maternite: BasisPoints,
    /// Taxable share of the IJ AT/MP (5000 = 50 %).
    pub taxable_at_mp: BasisPoints,
    /// Taxable share of IJ linked to an exonerating ALD (0).
    pub taxable_ald: BasisPoints,
    /// Payments starting within these dates.
    pub validity: Period,
}
