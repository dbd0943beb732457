//! The liquidation of a care sheet: pure and deterministic, so it can be replayed and
//! explained. The steps and their order are in `docs/claims-rules.md`.

use time::Date;

use super::rate::round_half_up;
use super::{
    ActCategory, BasisPoints, CareLine, CareSheet, CategoryRule, Counters, DailyCapScope, DailyKey,
    Deduction, DeductionExemption, DeductionLimit, LineLiquidation, Liquidation, LookupError,
    Parcours, Payee, RateRule, ReferenceTables, RegimeLocalPart, Situation, TariffBase,
};
use crate::AmountCents;

/// From this age, a médecin seen outside the parcours is reimbursed at the reduced rate.
const PARCOURS_MIN_AGE: i32 = 16;
/// Under this age, no participation nor franchise is due.
const MAJORITY: i32 = 18;

/// Why a sheet could not be liquidated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiquidationError {
    /// The sheet has no line.
    #[error("the care sheet has no line")]
    NoLines,
    /// A line's charged amount is negative.
    #[error("line {line_no}: the charged amount is negative")]
    NegativeCharge {
        /// The line, from 1.
        line_no: usize,
    },
    /// The beneficiary's birth date comes after the day of care.
    #[error("the beneficiary is born after the day of care")]
    BornAfterCare,
    /// A table has no row for the line's act, category or deduction that day.
    #[error("line {line_no}: {source}")]
    Reference {
        /// The line, from 1.
        line_no: usize,
        /// The missing row.
        source: LookupError,
    },
}

impl LiquidationError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> String {
        match self {
            LiquidationError::NoLines => "La feuille de soins ne compte aucun acte.".to_owned(),
            LiquidationError::NegativeCharge { line_no } => {
                format!("Ligne {line_no} : le montant facturé est négatif.")
            }
            LiquidationError::BornAfterCare => {
                "La date de naissance du bénéficiaire est postérieure à la date des soins."
                    .to_owned()
            }
            LiquidationError::Reference { line_no, source } => {
                format!("Ligne {line_no} : {}", source.message_fr())
            }
        }
    }
}

/// Liquidates `sheet` for a beneficiary in `situation`, with the deductions already taken
/// in `counters`. Every amount is whole cents; the only rounding is base × rate, half up to
/// the cent. Lines are taken in their order on the sheet, so caps reached mid-sheet spare
/// the later lines.
pub fn liquidate(
    sheet: &CareSheet,
    situation: &Situation,
    tables: &ReferenceTables,
    counters: &Counters,
) -> Result<Liquidation, LiquidationError> {
    if sheet.lines.is_empty() {
        return Err(LiquidationError::NoLines);
    }
    let day = sheet.date_of_care;
    if situation.birth_date > day {
        return Err(LiquidationError::BornAfterCare);
    }
    let mut counters = counters.clone();
    let mut lines = Vec::with_capacity(sheet.lines.len());
    for (i, line) in sheet.lines.iter().enumerate() {
        let line_no = i + 1;
        let reference = |source| LiquidationError::Reference { line_no, source };
        if line.charged.cents() < 0 {
            return Err(LiquidationError::NegativeCharge { line_no });
        }
        let tariff = tables.tariff(&line.code, day).map_err(reference)?;
        let rule = tables.rate(tariff.category, day).map_err(reference)?;
        let tariff_amount = tariff_amount(tariff.base, line);
        let base = tariff_amount.min(line.charged.cents());
        let (rate, rate_rule) = choose_rate(sheet, line, situation, tariff.category, rule);
        let amo = rate.apply(base);
        let regime_local = if situation.regime_local {
            let rl = tables
                .regime_local(tariff.category, day)
                .map_err(reference)?;
            let amount = rl.rate.apply(base).saturating_sub(amo).max(0);
            (amount > 0).then_some(RegimeLocalPart {
                rate: rl.rate,
                amount: AmountCents::new(amount),
            })
        } else {
            None
        };
        let c2s = if rate_rule == RateRule::C2s {
            base.saturating_sub(amo)
        } else {
            0
        };
        let deduction = match rule.deduction {
            Some(kind) => Some(
                deduct(sheet, line, situation, tables, &mut counters, kind).map_err(reference)?,
            ),
            None => None,
        };
        lines.push(LineLiquidation {
            line_no,
            code: line.code.clone(),
            category: tariff.category,
            charged: line.charged,
            tariff_amount: AmountCents::new(tariff_amount),
            base: AmountCents::new(base),
            rate,
            rate_rule,
            amo: AmountCents::new(amo),
            regime_local,
            c2s: AmountCents::new(c2s),
            excess: AmountCents::new(line.charged.cents().saturating_sub(base).max(0)),
            deduction,
        });
    }
    Ok(settle(sheet, lines, counters))
}

/// Tariff × quantity × coefficient, rounded half up to the cent (coefficients have two
/// decimals).
fn tariff_amount(base: TariffBase, line: &CareLine) -> i64 {
    match base {
        TariffBase::AsCharged => line.charged.cents(),
        TariffBase::Fixed(unit) => round_half_up(
            unit.cents()
                .saturating_mul(i64::from(line.quantity.get()))
                .saturating_mul(i64::from(line.coefficient.hundredths())),
            100,
        ),
    }
}

/// The first rule that applies, in the order of domain-2.md §1.3 step 3.
fn choose_rate(
    sheet: &CareSheet,
    line: &CareLine,
    situation: &Situation,
    category: ActCategory,
    rule: &CategoryRule,
) -> (BasisPoints, RateRule) {
    let day = sheet.date_of_care;
    if situation.maternity.is_some_and(|w| w.contains(day)) {
        return (BasisPoints::FULL, RateRule::Maternite);
    }
    if line.at_mp && situation.at_mp {
        return (BasisPoints::FULL, RateRule::AtMp);
    }
    // The forfait journalier stays due in ALD and invalidité.
    if line.ald && situation.ald && !category.is_forfait_journalier() {
        return (BasisPoints::FULL, RateRule::Ald);
    }
    if situation.invalidite && !category.is_forfait_journalier() {
        return (BasisPoints::FULL, RateRule::Invalidite);
    }
    if situation.c2s {
        return (rule.rate, RateRule::C2s);
    }
    match rule.hors_parcours_rate {
        Some(reduced) if is_hors_parcours(sheet, situation) => (reduced, RateRule::HorsParcours),
        _ => (rule.rate, RateRule::Common),
    }
}

fn is_hors_parcours(sheet: &CareSheet, situation: &Situation) -> bool {
    if situation.age_on(sheet.date_of_care) < PARCOURS_MIN_AGE {
        return false;
    }
    match sheet.parcours {
        Parcours::HorsParcours => true,
        Parcours::AccesDirect | Parcours::Urgence => false,
        Parcours::MedecinTraitant | Parcours::Oriente => !situation.medecin_traitant_declared,
    }
}

fn exemption(situation: &Situation, day: Date) -> Option<DeductionExemption> {
    if situation.age_on(day) < MAJORITY {
        Some(DeductionExemption::Mineur)
    } else if situation.maternity.is_some_and(|w| w.contains(day)) {
        Some(DeductionExemption::Maternite)
    } else if situation.c2s {
        Some(DeductionExemption::C2s)
    } else if situation.ame {
        Some(DeductionExemption::Ame)
    } else {
        None
    }
}

/// The participation or franchise of a line: unit × quantity, within what the daily and
/// yearly caps leave; the counters are updated.
fn deduct(
    sheet: &CareSheet,
    line: &CareLine,
    situation: &Situation,
    tables: &ReferenceTables,
    counters: &mut Counters,
    kind: super::DeductionKind,
) -> Result<Deduction, LookupError> {
    let day = sheet.date_of_care;
    let rule = tables.deduction(kind, day)?;
    let due = rule
        .unit
        .cents()
        .saturating_mul(i64::from(line.quantity.get()));
    let done = |applied: i64, limit| Deduction {
        kind,
        due: AmountCents::new(due),
        applied: AmountCents::new(applied),
        limit,
    };
    if let Some(e) = exemption(situation, day) {
        return Ok(done(0, DeductionLimit::Exempt(e)));
    }
    let key = rule.daily_cap.map(|cap| match cap.scope {
        DailyCapScope::PerProfessional => DailyKey::Professional(kind, sheet.professional.clone()),
        DailyCapScope::PerBeneficiary => DailyKey::Beneficiary(kind),
    });
    let daily_left = match (rule.daily_cap, &key) {
        (Some(cap), Some(key)) => cap.amount.cents() - counters.daily(day, key).cents(),
        _ => i64::MAX,
    }
    .max(0);
    let annual_left =
        (rule.annual_cap.cents() - counters.annual(day.year(), rule.annual_group).cents()).max(0);
    let applied = due.min(daily_left).min(annual_left);
    let limit = if applied == due {
        DeductionLimit::None
    } else if annual_left <= daily_left {
        DeductionLimit::AnnualCap
    } else {
        DeductionLimit::DailyCap
    };
    counters.add(day, key, rule.annual_group, applied);
    Ok(done(applied, limit))
}

/// Totals and who is paid: in tiers payant the professional gets the AMO and régime local
/// parts and every deduction becomes the member's debt; otherwise the member gets them net
/// of the deductions, and what the payment cannot absorb is a debt.
fn settle(sheet: &CareSheet, lines: Vec<LineLiquidation>, counters: Counters) -> Liquidation {
    let sum =
        |f: &dyn Fn(&LineLiquidation) -> i64| lines.iter().map(f).fold(0_i64, i64::saturating_add);
    let base = sum(&|l| l.base.cents());
    let amo = sum(&|l| l.amo.cents());
    let regime_local = sum(&|l| l.regime_local.map_or(0, |r| r.amount.cents()));
    let deductions = sum(&|l| l.deduction.map_or(0, |d| d.applied.cents()));
    let gross = amo.saturating_add(regime_local);
    let (payee, withheld) = if sheet.tiers_payant {
        (Payee::Professional, 0)
    } else {
        (Payee::Member, deductions.min(gross))
    };
    Liquidation {
        payee,
        base: AmountCents::new(base),
        amo: AmountCents::new(amo),
        regime_local: AmountCents::new(regime_local),
        deductions: AmountCents::new(deductions),
        paid: AmountCents::new(gross - withheld),
        withheld: AmountCents::new(withheld),
        member_debt: AmountCents::new(deductions - withheld),
        counters,
        lines,
    }
}
