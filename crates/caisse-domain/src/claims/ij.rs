//! Indemnités journalières maladie of salaried members: the daily amount and the days paid
//! (domain.md §5.5, domain-2.md §1.6). Every figure is a dated row of `reference/ij.csv`,
//! chosen by the first day of the arrêt.

use time::Date;

use super::rate::round_half_up;
use super::{BasisPoints, LookupError, ReferenceTables};
use crate::AmountCents;
use crate::rights::Period;

/// The figures of the IJ for arrêts starting within `validity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IjParameters {
    /// The SMIC mensuel the ceiling is computed from (the one in force the month before the
    /// arrêt, hence rows dated by start of arrêt).
    pub smic_mensuel: AmountCents,
    /// Ceiling of each month's salary, in hundredths of the SMIC (140 since 2025-04-01, 180
    /// before).
    pub ceiling_smic_hundredths: u32,
    /// Share of the salaire journalier de base paid (5000 = 50 %).
    pub rate: BasisPoints,
    /// Divisor of the three months' salaries, in hundredths (9125 = 91.25 days).
    pub divisor_hundredths: u32,
    /// Délai de carence, in days.
    pub waiting_days: u8,
    /// Arrêts starting within these dates.
    pub validity: Period,
}

/// Why an IJ could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IjError {
    /// No figures for the start date.
    #[error(transparent)]
    NoParameters(#[from] LookupError),
    /// A monthly salary below zero.
    #[error("a gross salary is negative")]
    NegativeSalary,
    /// The arrêt ends before it starts.
    #[error("the arrêt ends before it starts")]
    EndsBeforeStart,
}

impl IjError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> String {
        match self {
            IjError::NoParameters(e) => e.message_fr(),
            IjError::NegativeSalary => "Un salaire brut mensuel est négatif.".to_owned(),
            IjError::EndsBeforeStart => {
                "La fin de l'arrêt de travail est antérieure à son début.".to_owned()
            }
        }
    }
}

/// How a daily IJ was computed, to be explained to the member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IjDaily {
    /// The ceiling of one month's salary (1.4 × SMIC mensuel), rounded half up to the cent.
    pub monthly_ceiling: AmountCents,
    /// The three months' salaries as counted, each capped by the ceiling.
    pub counted_salaries: AmountCents,
    /// How many of the three months were above the ceiling.
    pub months_capped: u8,
    /// The IJ per day: counted ÷ 91.25 × 50 %, rounded half up to the cent.
    pub daily: AmountCents,
}

/// The daily IJ of an arrêt starting on `start`, from the gross salaries of the three
/// months before it. One rounding only, at the end (half up to the cent).
pub fn ij_daily_amount(
    gross_salaries: [AmountCents; 3],
    start: Date,
    tables: &ReferenceTables,
) -> Result<IjDaily, IjError> {
    let p = tables.ij(start)?;
    let ceiling = round_half_up(
        p.smic_mensuel
            .cents()
            .saturating_mul(i64::from(p.ceiling_smic_hundredths)),
        100,
    );
    let mut counted = 0_i64;
    let mut months_capped = 0_u8;
    for gross in gross_salaries {
        if gross.cents() < 0 {
            return Err(IjError::NegativeSalary);
        }
        if gross.cents() > ceiling {
            months_capped += 1;
        }
        counted = counted.saturating_add(gross.cents().min(ceiling));
    }
    // counted × rate / 10000 ÷ (divisor / 100), in one division.
    let daily = round_half_up(
        counted
            .saturating_mul(i64::from(p.rate.get()))
            .saturating_mul(100),
        10_000 * i64::from(p.divisor_hundredths),
    );
    Ok(IjDaily {
        monthly_ceiling: AmountCents::new(ceiling),
        counted_salaries: AmountCents::new(counted),
        months_capped,
        daily: AmountCents::new(daily),
    })
}

/// The days paid for an arrêt from `start` to `end` (both included): all but the first
/// waiting days, unless `carence_applies` is false (work resumed less than 48 h between two
/// arrêts, or the same ALD: domain-2.md §1.6).
pub fn ij_paid_days(
    start: Date,
    end: Date,
    carence_applies: bool,
    tables: &ReferenceTables,
) -> Result<u32, IjError> {
    if end < start {
        return Err(IjError::EndsBeforeStart);
    }
    let p = tables.ij(start)?;
    let days = u32::try_from((end - start).whole_days() + 1).unwrap_or(u32::MAX);
    let waiting = if carence_applies {
        u32::from(p.waiting_days)
    } else {
        0
    };
    Ok(days.saturating_sub(waiting))
}
