//! All the reference data of a liquidation, answering "the row valid on date D".

use time::Date;

use super::{
    ActCategory, ActCode, CategoryRule, DeductionKind, DeductionRule, IjParameters,
    RegimeLocalRule, Tariff,
};
use crate::french;
use crate::rights::Period;

/// The tables of reference data, each named after its file in `reference/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    /// Act codes and their bases.
    Tariffs,
    /// Rates and deductions of each category.
    Rates,
    /// Alsace-Moselle régime local rates.
    RegimeLocal,
    /// Participations forfaitaires and franchises.
    Deductions,
    /// Figures of the indemnités journalières.
    Ij,
}

impl Table {
    /// The file in `reference/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Tariffs => "tariffs.csv",
            Table::Rates => "rates.csv",
            Table::RegimeLocal => "regime_local.csv",
            Table::Deductions => "deductions.csv",
            Table::Ij => "ij.csv",
        }
    }
}

/// No row of a table applies on a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no row of {} for {key} on {on}", table.file_name())]
pub struct LookupError {
    /// The table.
    pub table: Table,
    /// What was looked for (an act code, a category…).
    pub key: String,
    /// The date.
    pub on: Date,
}

impl LookupError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> String {
        format!(
            "Aucune ligne de {} ne s'applique à « {} » le {}.",
            self.table.file_name(),
            self.key,
            french::numeric_date(self.on)
        )
    }
}

/// Why the tables could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// Two rows for the same key share a day.
    #[error("two rows of {} for {key} overlap: {first:?} and {second:?}", table.file_name())]
    Overlap {
        /// The table.
        table: Table,
        /// The key both rows are for.
        key: String,
        /// The first row's dates.
        first: Period,
        /// The second row's dates.
        second: Period,
    },
}

impl ReferenceError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> String {
        match self {
            ReferenceError::Overlap {
                table,
                key,
                first,
                second,
            } => format!(
                "{} : deux lignes pour « {key} » se chevauchent (à partir du {} et à partir du {}).",
                table.file_name(),
                french::numeric_date(first.from()),
                french::numeric_date(second.from())
            ),
        }
    }
}

/// A row with dates and a key: at most one row per key applies on a given day.
trait Dated {
    type Key: PartialEq;
    fn key(&self) -> Self::Key;
    /// The key as the reference file writes it, for messages.
    fn key_label(&self) -> String;
    fn validity(&self) -> Period;
}

/// Each table's key, and how its file writes it.
macro_rules! dated {
    ($($row:ty => $key:ty, |$r:ident| ($k:expr, $label:expr);)*) => {$(
        impl Dated for $row {
            type Key = $key;
            fn key(&self) -> $key {
                let $r = self;
                $k
            }
            fn key_label(&self) -> String {
                let $r = self;
                $label
            }
            fn validity(&self) -> Period {
                self.validity
            }
        }
    )*};
}

dated! {
    Tariff => ActCode, |r| (r.code.clone(), r.code.to_string());
    CategoryRule => ActCategory, |r| (r.category, r.category.code().to_owned());
    RegimeLocalRule => ActCategory, |r| (r.category, r.category.code().to_owned());
    DeductionRule => DeductionKind, |r| (r.kind, r.kind.code().to_owned());
    IjParameters => (), |_r| ((), "IJ".to_owned());
}

fn check_overlaps<R: Dated>(table: Table, rows: &[R]) -> Result<(), ReferenceError> {
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            if a.key() == b.key() && a.validity().overlaps(&b.validity()) {
                return Err(ReferenceError::Overlap {
                    table,
                    key: a.key_label(),
                    first: a.validity(),
                    second: b.validity(),
                });
            }
        }
    }
    Ok(())
}

fn find<'a, R: Dated>(
    table: Table,
    rows: &'a [R],
    key: &R::Key,
    on: Date,
    shown: impl FnOnce() -> String,
) -> Result<&'a R, LookupError> {
    rows.iter()
        .find(|r| r.key() == *key && r.validity().covers(on))
        .ok_or_else(|| LookupError {
            table,
            key: shown(),
            on,
        })
}

/// Every table a liquidation reads, with no two rows of one key on the same day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferenceTables {
    tariffs: Vec<Tariff>,
    rates: Vec<CategoryRule>,
    regime_local: Vec<RegimeLocalRule>,
    deductions: Vec<DeductionRule>,
    ij: Vec<IjParameters>,
}

impl ReferenceTables {
    /// The tables; refused when two rows for the same key overlap.
    pub fn new(
        tariffs: Vec<Tariff>,
        rates: Vec<CategoryRule>,
        regime_local: Vec<RegimeLocalRule>,
        deductions: Vec<DeductionRule>,
        ij: Vec<IjParameters>,
    ) -> Result<ReferenceTables, ReferenceError> {
        check_overlaps(Table::Tariffs, &tariffs)?;
        check_overlaps(Table::Rates, &rates)?;
        check_overlaps(Table::RegimeLocal, &regime_local)?;
        check_overlaps(Table::Deductions, &deductions)?;
        check_overlaps(Table::Ij, &ij)?;
        Ok(ReferenceTables {
            tariffs,
            rates,
            regime_local,
            deductions,
            ij,
        })
    }

    /// The tariff of `code` on `on`.
    pub fn tariff(&self, code: &ActCode, on: Date) -> Result<&Tariff, LookupError> {
        find(Table::Tariffs, &self.tariffs, code, on, || code.to_string())
    }

    /// The rate and deduction of `category` on `on`.
    pub fn rate(&self, category: ActCategory, on: Date) -> Result<&CategoryRule, LookupError> {
        find(Table::Rates, &self.rates, &category, on, || {
            category.code().to_owned()
        })
    }

    /// The régime local rate of `category` on `on`.
    pub fn regime_local(
        &self,
        category: ActCategory,
        on: Date,
    ) -> Result<&RegimeLocalRule, LookupError> {
        find(
            Table::RegimeLocal,
            &self.regime_local,
            &category,
            on,
            || category.code().to_owned(),
        )
    }

    /// The rule of `kind` on `on`.
    pub fn deduction(&self, kind: DeductionKind, on: Date) -> Result<&DeductionRule, LookupError> {
        find(Table::Deductions, &self.deductions, &kind, on, || {
            kind.code().to_owned()
        })
    }

    /// The IJ figures for an arrêt starting on `start`.
    pub fn ij(&self, start: Date) -> Result<&IjParameters, LookupError> {
        find(Table::Ij, &self.ij, &(), start, || "IJ".to_owned())
    }

    /// The tariff rows, in the order they were given.
    pub fn tariffs(&self) -> &[Tariff] {
        &self.tariffs
    }

    /// The rate rows, in the order they were given.
    pub fn rates(&self) -> &[CategoryRule] {
        &self.rates
    }

    /// The régime local rows, in the order they were given.
    pub fn regime_local_rules(&self) -> &[RegimeLocalRule] {
        &self.regime_local
    }

    /// The deduction rows, in the order they were given.
    pub fn deductions(&self) -> &[DeductionRule] {
        &self.deductions
    }

    /// The IJ rows, in the order they were given.
    pub fn ij_parameters(&self) -> &[IjParameters] {
        &self.ij
    }

    /// How many rows each table holds (tariffs, rates, régime local, deductions, IJ).
    pub fn row_counts(&self) -> [usize; 5] {
        [
            self.tariffs.len(),
            self.rates.len(),
            self.regime_local.len(),
            self.deductions.len(),
            self.ij.len(),
        ]
    }
}
