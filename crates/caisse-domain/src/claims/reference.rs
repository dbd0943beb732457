//! All the reference data of a liquidation, answering "the row valid on date D".

use time::Date;

use super::{
    ActCategory, ActCode, CategoryRule, DeductionKind, DeductionRule, IjAtMpParameters,
    IjChargesParameters, IjMaterniteParameters, IjParameters, RegimeLocalRule, Tariff,
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
    /// Figures of the indemnités journalières maladie.
    Ij,
    /// Figures of the IJ maternité.
    IjMaternite,
    /// Figures of the IJ AT/MP.
    IjAtMp,
    /// Social charges, taxable shares and payment period of the IJ.
    IjCharges,
}

impl Table {
    /// Every table, in the order of [`ReferenceTables::row_counts`].
    pub const ALL: [Table; 8] = [
        Table::Tariffs,
        Table::Rates,
        Table::RegimeLocal,
        Table::Deductions,
        Table::Ij,
        Table::IjMaternite,
        Table::IjAtMp,
        Table::IjCharges,
    ];

    /// The file in `reference/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Tariffs => "tariffs.csv",
            Table::Rates => "rates.csv",
            Table::RegimeLocal => "regime_local.csv",
            Table::Deductions => "deductions.csv",
            Table::Ij => "ij.csv",
            Table::IjMaternite => "ij_maternite.csv",
            Table::IjAtMp => "ij_at_mp.csv",
            Table::IjCharges => "ij_charges.csv",
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
    IjMaterniteParameters => (), |_r| ((), "IJ maternité".to_owned());
    IjAtMpParameters => (), |_r| ((), "IJ AT/MP".to_owned());
    IjChargesParameters => (), |_r| ((), "IJ".to_owned());
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
    ij_maternite: Vec<IjMaterniteParameters>,
    ij_at_mp: Vec<IjAtMpParameters>,
    ij_charges: Vec<IjChargesParameters>,
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
            ij_maternite: Vec::new(),
            ij_at_mp: Vec::new(),
            ij_charges: Vec::new(),
        })
    }

    /// The tables with the rows of an IJ schedule beyond `ij.csv` (replacing any given
    /// before); refused when two rows overlap.
    pub fn with_ij_schedule_rows(
        self,
        maternite: Vec<IjMaterniteParameters>,
        at_mp: Vec<IjAtMpParameters>,
        charges: Vec<IjChargesParameters>,
    ) -> Result<ReferenceTables, ReferenceError> {
        check_overlaps(Table::IjMaternite, &maternite)?;
        check_overlaps(Table::IjAtMp, &at_mp)?;
        check_overlaps(Table::IjCharges, &charges)?;
        Ok(ReferenceTables {
            ij_maternite: maternite,
            ij_at_mp: at_mp,
            ij_charges: charges,
            ..self
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

    /// The IJ maternité figures for an arrêt starting on `start`.
    pub fn ij_maternite(&self, start: Date) -> Result<&IjMaterniteParameters, LookupError> {
        find(Table::IjMaternite, &self.ij_maternite, &(), start, || {
            "IJ maternité".to_owned()
        })
    }

    /// The IJ AT/MP figures for an arrêt starting on `start`.
    pub fn ij_at_mp(&self, start: Date) -> Result<&IjAtMpParameters, LookupError> {
        find(Table::IjAtMp, &self.ij_at_mp, &(), start, || {
            "IJ AT/MP".to_owned()
        })
    }

    /// The charges of IJ paid for a period starting on `on`.
    pub fn ij_charges(&self, on: Date) -> Result<&IjChargesParameters, LookupError> {
        find(Table::IjCharges, &self.ij_charges, &(), on, || {
            "IJ".to_owned()
        })
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

    /// The IJ maternité rows, in the order they were given.
    pub fn ij_maternite_parameters(&self) -> &[IjMaterniteParameters] {
        &self.ij_maternite
    }

    /// The IJ AT/MP rows, in the order they were given.
    pub fn ij_at_mp_parameters(&self) -> &[IjAtMpParameters] {
        &self.ij_at_mp
    }

    /// The IJ charges rows, in the order they were given.
    pub fn ij_charges_parameters(&self) -> &[IjChargesParameters] {
        &self.ij_charges
    }

    /// How many rows each table holds (tariffs, rates, régime local, deductions, IJ, IJ
    /// maternité, IJ AT/MP, IJ charges: the order of [`Table::ALL`]).
    pub fn row_counts(&self) -> [usize; 8] {
        [
            self.tariffs.len(),
            self.rates.len(),
            self.regime_local.len(),
            self.deductions.len(),
            self.ij.len(),
            self.ij_maternite.len(),
            self.ij_at_mp.len(),
            self.ij_charges.len(),
        ]
    }
}
