//! The deductions already taken from a beneficiary, per civil year and per day, so that the
//! caps hold across sheets. The caller stores them; liquidation returns them updated.

use std::collections::BTreeMap;

use time::Date;

use super::{AnnualCapGroup, DeductionKind, ProfessionalId};
use crate::AmountCents;

/// What a daily cap counts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DailyKey {
    /// Deductions of one kind for one professional's acts.
    Professional(DeductionKind, ProfessionalId),
    /// Deductions of one kind for all the beneficiary's acts.
    Beneficiary(DeductionKind),
}

/// One beneficiary's deduction totals, in cents (sorted maps: the same input always gives
/// the same output).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    annual: BTreeMap<(i32, AnnualCapGroup), i64>,
    daily: BTreeMap<(Date, DailyKey), i64>,
}

impl Counters {
    /// No deduction taken yet.
    pub fn new() -> Counters {
        Counters::default()
    }

    /// With `amount` already counted for `group` in `year`.
    pub fn with_annual(
        mut self,
        year: i32,
        group: AnnualCapGroup,
        amount: AmountCents,
    ) -> Counters {
        self.annual.insert((year, group), amount.cents().max(0));
        self
    }

    /// With `amount` already counted for `key` on `day`.
    pub fn with_daily(mut self, day: Date, key: DailyKey, amount: AmountCents) -> Counters {
        self.daily.insert((day, key), amount.cents().max(0));
        self
    }

    /// The total of `group` in `year`.
    pub fn annual(&self, year: i32, group: AnnualCapGroup) -> AmountCents {
        AmountCents::new(self.annual.get(&(year, group)).copied().unwrap_or(0))
    }

    /// The total of `key` on `day`.
    pub fn daily(&self, day: Date, key: &DailyKey) -> AmountCents {
        AmountCents::new(self.daily.get(&(day, key.clone())).copied().unwrap_or(0))
    }

    /// Every yearly total.
    pub fn annual_totals(&self) -> impl Iterator<Item = (i32, AnnualCapGroup, AmountCents)> + '_ {
        self.annual
            .iter()
            .map(|(&(y, g), &c)| (y, g, AmountCents::new(c)))
    }

    /// Every daily total.
    pub fn daily_totals(&self) -> impl Iterator<Item = (Date, &DailyKey, AmountCents)> + '_ {
        self.daily
            .iter()
            .map(|((d, k), &c)| (*d, k, AmountCents::new(c)))
    }

    pub(super) fn add(
        &mut self,
        day: Date,
        daily: Option<DailyKey>,
        group: AnnualCapGroup,
        cents: i64,
    ) {
        if cents <= 0 {
            return;
        }
        let year = self.annual.entry((day.year(), group)).or_insert(0);
        *year = year.saturating_add(cents);
        if let Some(key) = daily {
            let d = self.daily.entry((day, key)).or_insert(0);
            *d = d.saturating_add(cents);
        }
    }
}
