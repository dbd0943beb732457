//! Rights to health-insurance benefits as the member file records them (issue 5): coverage
//! periods under a régime and a *code de gestion*, exemptions of the *ticket modérateur*
//! (ALD, maternité, invalidité…), the Alsace-Moselle local regime and the Complémentaire santé
//! solidaire (C2S), and the rule that dates an *attestation de droits*.
//!
//! Every value here is parsed once ([`CodeGestion::parse`], [`Rate::parse`]…) and then only
//! read. Field lists and labels follow domain.md §5.2 and §9.1; codes that no official table
//! confirms there are marked so.

mod codes;
mod exemption;
mod period;
#[cfg(test)]
mod tests;

pub use codes::{CodeGestion, RegimeCode, RightsCodeError};
pub use exemption::{
    C2sKind, C2sKindError, ExemptionNature, ExemptionNatureError, Rate, RateError,
};
pub use period::{ATTESTATION_MAX_DAYS, Period, PeriodError, attestation_validity};

/// The share of fees the Alsace-Moselle local regime covers on doctors' fees, printed on the
/// attestation (domain.md §5.2: « honoraires 90 % »).
pub const ALSACE_MOSELLE_RATE: u8 = 90;
