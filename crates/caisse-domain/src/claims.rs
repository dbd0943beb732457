//! The claims engine, first slice: dated reference data (tariffs, rates, participations and
//! franchises, régime local, IJ figures), the pure liquidation of care sheets and the IJ
//! schedule of an arrêt de travail (domain.md §5, domain-2.md §1.2–1.3 and §1.6). Rules, order and rounding are in
//! `docs/claims-rules.md`; the figures are in `reference/`, never in code.

mod arret;
#[cfg(test)]
mod arret_tests;
mod category;
mod category_rule;
mod codes;
mod correction;
mod counters;
mod deduction;
mod explanation;
mod ij;
mod ij_rules;
mod liquidate;
mod member_payment;
mod outcome;
mod professional;
mod rate;
mod reference;
mod sheet;
mod siret;
mod situation;
mod stored;
mod tariff;
#[cfg(test)]
mod tests;

pub use arret::{
    ArretDeTravail, ArretKind, ArretKindError, AtMpDaily, DailyLimit, IjAmounts, IjBasis,
    IjDailySpan, IjPayee, IjPayment, IjPaymentState, IjSchedule, MaterniteDaily, Subrogation,
    at_mp_daily, ij_schedule, maternite_daily,
};
pub use category::{ActCategory, CategoryError};
pub use category_rule::{CategoryRule, RegimeLocalRule};
pub use codes::{ActCode, CodeError, Coefficient, Quantity};
pub use correction::{CorrectionEffect, CorrectionStatus};
pub use counters::{Counters, DailyKey};
pub use deduction::{
    AnnualCapGroup, DailyCap, DailyCapScope, DeductionCodeError, DeductionKind, DeductionRule,
};
pub use explanation::{act_label_fr, explain_line, line_reimbursed};
pub use ij::{IjDaily, IjError, IjParameters, ij_daily_amount, ij_paid_days};
pub use ij_rules::{IjAtMpParameters, IjChargesParameters, IjMaterniteParameters};
pub use liquidate::{LiquidationError, liquidate};
pub use member_payment::MemberPaymentKind;
pub use outcome::{
    Deduction, DeductionExemption, DeductionLimit, LineLiquidation, Liquidation, Payee, RateRule,
    RegimeLocalPart,
};
pub use professional::{ProfessionalId, ProfessionalIdError};
pub use rate::{BasisPoints, BasisPointsError};
pub use reference::{LookupError, ReferenceError, ReferenceTables, Table};
pub use sheet::{CareLine, CareSheet, Parcours};
pub use siret::{Siret, SiretError};
pub use situation::{MaternityWindow, MaternityWindowError, Situation};
pub use stored::SheetState;
pub use tariff::{Tariff, TariffBase};
