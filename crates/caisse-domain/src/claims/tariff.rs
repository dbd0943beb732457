//! Tariffs: what an act code is worth on a date (`reference/tariffs.csv`).

use super::{ActCategory, ActCode};
use crate::AmountCents;
use crate::rights::Period;

/// The base of reimbursement of one act.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TariffBase {
    /// A convention tariff (`G` = 30 €).
    Fixed(AmountCents),
    /// The amount charged is the base: the price of a medicine or the fare of a transport,
    /// which this slice has no table for (no CIP or LPP prices yet).
    AsCharged,
}

/// One dated row of the tariff table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tariff {
    /// The act.
    pub code: ActCode,
    /// Its category (rate, deduction).
    pub category: ActCategory,
    /// Its base.
    pub base: TariffBase,
    /// The prix limite de vente per unit (100 % Santé): the most the professional may charge;
    /// `None` when the act has none.
    pub price_limit: Option<AmountCents>,
    /// When the row applies.
    pub validity: Period,
}
