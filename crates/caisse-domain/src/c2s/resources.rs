//! The resources a household declares for the reference twelve months, by kind.

use std::fmt;

use crate::AmountCents;

/// The household's resources of the reference months, summed per kind, in cents.
///
/// Since 2022 the real funds fetch salaries, pensions, unemployment benefits, IJ and family
/// benefits themselves (`domain-2.md` §2.1); here the member declares every kind. Amounts are
/// personal: `Debug` shows none of them.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct DeclaredResources {
    /// Salaries and other pay.
    pub salaries: AmountCents,
    /// Retirement and invalidity pensions.
    pub pensions: AmountCents,
    /// Unemployment benefits.
    pub unemployment: AmountCents,
    /// Indemnités journalières (sickness, maternity, work accident).
    pub daily_allowances: AmountCents,
    /// Family benefits.
    pub family_benefits: AmountCents,
    /// Grants (bourses).
    pub grants: AmountCents,
    /// Alimony received (pensions alimentaires).
    pub alimony: AmountCents,
    /// Self-employed turnover or income.
    pub self_employed_turnover: AmountCents,
    /// Anything else.
    pub other: AmountCents,
}

impl DeclaredResources {
    /// The total of every kind: the annual resources compared with the ceilings.
    pub fn total(&self) -> AmountCents {
        let kinds = [
            self.salaries,
            self.pensions,
            self.unemployment,
            self.daily_allowances,
            self.family_benefits,
            self.grants,
            self.alimony,
            self.self_employed_turnover,
            self.other,
        ];
        AmountCents::new(
            kinds
                .iter()
                .fold(0_i64, |sum, kind| sum.saturating_add(kind.cents())),
        )
    }
}

impl fmt::Debug for DeclaredResources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeclaredResources(**)")
    }
}
