//! Rates in basis points, and the one rounding of the engine.

use std::fmt;

/// Why a rate was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a rate is a whole number of basis points from 0 to 10000")]
pub struct BasisPointsError;

impl BasisPointsError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        "Le taux est un nombre entier de points de base de 0 à 10000 (7000 pour 70 %)."
    }
}

/// A rate in basis points: 7000 is 70 %, 10000 is 100 %.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BasisPoints(u16);

impl BasisPoints {
    /// 100 %.
    pub const FULL: BasisPoints = BasisPoints(10_000);
    /// 0 %.
    pub const ZERO: BasisPoints = BasisPoints(0);

    /// A rate from 0 to 10000 basis points.
    pub fn new(bp: u16) -> Result<BasisPoints, BasisPointsError> {
        if bp <= 10_000 {
            Ok(BasisPoints(bp))
        } else {
            Err(BasisPointsError)
        }
    }

    /// The number of basis points.
    pub fn get(self) -> u16 {
        self.0
    }

    /// `cents` × this rate, rounded half up to the cent (0.5 cent goes up). Amounts are never
    /// negative here, so "half up" and "half away from zero" agree.
    pub fn apply(self, cents: i64) -> i64 {
        round_half_up(cents.saturating_mul(i64::from(self.0)), 10_000)
    }

    /// « 70 % », « 62,5 % ».
    pub fn label_fr(self) -> String {
        let (whole, rest) = (self.0 / 100, self.0 % 100);
        match rest {
            0 => format!("{whole}\u{a0}%"),
            r if r % 10 == 0 => format!("{whole},{}\u{a0}%", r / 10),
            r => format!("{whole},{r:02}\u{a0}%"),
        }
    }
}

impl fmt::Debug for BasisPoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}bp", self.0)
    }
}

/// `numerator / denominator` rounded half up, for a non-negative numerator and a positive
/// denominator (the engine's only rounding: every amount is a whole number of cents).
pub(crate) fn round_half_up(numerator: i64, denominator: i64) -> i64 {
    if denominator <= 0 {
        return 0;
    }
    (numerator.max(0).saturating_add(denominator / 2)) / denominator
}
