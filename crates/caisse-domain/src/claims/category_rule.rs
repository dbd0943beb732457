//! The rate of each category of care and what it deducts (`reference/rates.csv`).

use super::{ActCategory, BasisPoints, DeductionKind};
use crate::rights::Period;

/// One dated row of the rates table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CategoryRule {
    /// The category.
    pub category: ActCategory,
    /// The common rate of the régime général.
    pub rate: BasisPoints,
    /// The rate when the care is *hors parcours de soins* (médecins only), if the parcours
    /// applies to the category.
    pub hors_parcours_rate: Option<BasisPoints>,
    /// The participation or franchise each act of the category carries, if any.
    pub deduction: Option<DeductionKind>,
    /// When the row applies.
    pub validity: Period,
}

/// One dated row of the Alsace-Moselle régime local (`reference/regime_local.csv`): the
/// share of the base both layers cover together (90 % of fees, 100 % at hospital).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegimeLocalRule {
    /// The category.
    pub category: ActCategory,
    /// The rate of both layers together.
    pub rate: BasisPoints,
    /// When the row applies.
    pub validity: Period,
}
