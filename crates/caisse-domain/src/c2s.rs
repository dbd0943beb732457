//! The Complémentaire santé solidaire (C2S): who gets it free, who pays a monthly
//! participation, who is refused, from dated reference data (`reference/c2s_ceilings.csv`,
//! `reference/c2s_participation.csv`, format and sources in `docs/claims-rules.md`).
//!
//! Pure: the caller gives the table (parsed by `caisse_core::claims::parse_c2s_reference`),
//! the household and the resources of the reference twelve months; [`eligibility`] gives the
//! decision, the ceilings it used (a decision letter quotes them) and the rights period.
//! Every figure is a row of a file, never a constant here.

mod calendar;
mod eligibility;
mod resources;
mod table;

#[cfg(test)]
mod tests;

pub use calendar::{ReferenceMonths, RenewalWindow, reference_months, renewal_window};
pub use eligibility::{
    AppliedCeilings, C2sDecision, C2sDecisionKind, C2sError, C2sOutcome, C2sRights,
    HouseholdMember, HouseholdRole, MemberParticipation, eligibility,
};
pub use resources::DeclaredResources;
pub use table::{C2sTable, C2sTableError, CeilingsRow, ParticipationBand, Territory, TierCeilings};
