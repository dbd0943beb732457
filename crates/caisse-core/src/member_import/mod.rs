//! Loading the member file: what the fund already knows about its insured persons
//! (*assurés*) and the people covered through them (*ayants droit*). Only people in this file
//! can later open a portal account.
//!
//! Two steps, so that a file is either loaded whole or not at all:
//! 1. [`parse`] reads the CSV and checks every row on its own and against the other rows.
//!    It is pure (no database, no clock: the caller passes today's date) and keeps going
//!    after a bad row, so that one run reports every problem of the file.
//! 2. [`load`] checks what needs the database (an ayant droit may be attached to an insured
//!    person loaded earlier), then writes everything in one transaction, or nothing if any
//!    row is bad.
//!
//! The column format and the rules are documented for operators in `docs/member-import.md`.

mod columns;
mod load;
mod parse;
#[cfg(test)]
mod rights_tests;
mod rows;
#[cfg(test)]
mod tests;
mod values;

use std::collections::HashSet;
use std::fmt;

use caisse_store::members::{NewBeneficiary, NewMember};
use caisse_store::rights::Rights;

pub use load::load;
pub use parse::parse;

/// One problem of the file, located for the operator who has to fix it.
///
/// Messages name the column and explain the rule; they never quote the value, so a report
/// can be pasted into a ticket or a log without copying a NIR or an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// Physical line in the file, the header being line 1. A quoted field spanning several
    /// lines makes the following records start further down, and the number follows.
    pub line: u64,
    /// The column at fault, when the problem belongs to one.
    pub column: Option<&'static str>,
    /// What is wrong, in French.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(
                f,
                "ligne {}, colonne {column} : {}",
                self.line, self.message
            ),
            None => write!(f, "ligne {} : {}", self.line, self.message),
        }
    }
}

/// Formats errors one per line, keeping the first `cap` and summing up the rest, so that a
/// file saved in the wrong format does not flood the terminal with 100,000 identical lines.
pub fn error_report(errors: &[RowError], cap: usize) -> Vec<String> {
    let mut lines: Vec<String> = errors.iter().take(cap).map(ToString::to_string).collect();
    let rest = errors.len().saturating_sub(cap);
    if rest > 0 {
        lines.push(format!(
            "… et {rest} {}",
            if rest > 1 {
                "autres erreurs"
            } else {
                "autre erreur"
            }
        ));
    }
    lines
}

/// An insured person's row, checked and ready to store.
#[derive(Clone)]
pub struct InsuredRecord {
    /// Line of the row.
    pub line: u64,
    /// The member file record.
    pub member: NewMember,
    /// The insured person's coverage and C2S, and their own exemptions and doctor (rank 01).
    pub rights: Rights,
}

/// An ayant droit's row, checked and ready to store.
#[derive(Clone)]
pub struct BeneficiaryRecord {
    /// Line of the row.
    pub line: u64,
    /// NIR of the insured person they are attached to.
    pub insured_nir: caisse_domain::Nir,
    /// The beneficiary record.
    pub beneficiary: NewBeneficiary,
    /// Their exemptions and declared doctor.
    pub rights: Rights,
}

/// The outcome of [`parse`]: the valid rows and the problems found, both kept so that
/// [`load`] can add the problems only the database can reveal before deciding.
#[derive(Clone, Default)]
pub struct ParsedFile {
    /// Valid insured rows, in file order.
    pub insured: Vec<InsuredRecord>,
    /// Valid ayant-droit rows, in file order.
    pub beneficiaries: Vec<BeneficiaryRecord>,
    /// Problems, in line order.
    pub errors: Vec<RowError>,
    /// NIRs of every insured row whose NIR was valid, even when another column of the row
    /// was not: their ayants droit are then not reported a second time as unattached.
    declared_insured: HashSet<caisse_domain::Nir>,
    /// The header names at least one column of rights: the rights of the people listed are
    /// replaced by the file's. Without any, stored rights stay as they are.
    pub carries_rights: bool,
}

impl ParsedFile {
    /// True when the file declares this insured NIR on an `assure` row.
    pub fn declares_insured(&self, nir: &caisse_domain::Nir) -> bool {
        self.declared_insured.contains(nir)
    }
}

// The rows hold NIRs, names and addresses: only counts may reach a log.
impl fmt::Debug for ParsedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParsedFile")
            .field("insured", &self.insured.len())
            .field("beneficiaries", &self.beneficiaries.len())
            .field("errors", &self.errors.len())
            .finish()
    }
}

/// Why the file could not be read at all (as opposed to rows being wrong).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The reader failed.
    #[error("reading the member file: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV reader failed (it only fails on I/O: it is lenient with quotes).
    #[error("reading the member file: {0}")]
    Csv(#[from] csv::Error),
}

/// What [`load`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    /// At least one row is bad: nothing was written. Errors are in line order.
    Rejected(Vec<RowError>),
    /// Every row was written.
    Loaded(ImportSummary),
}

/// Counts of a successful import.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Insured persons new to the database.
    pub created: usize,
    /// Insured persons already known, whose file was updated.
    pub updated: usize,
    /// Ayants droit written (those of the families in the file replace the old ones).
    pub beneficiaries: usize,
}

impl fmt::Display for ImportSummary {
    /// « 3 assurés créés, 1 mis à jour, 4 ayants droit » (French plural from 2 on).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize| if n > 1 { "s" } else { "" };
        write!(
            f,
            "{} assuré{} créé{}, {} mis à jour, {} ayant{} droit",
            self.created,
            plural(self.created),
            plural(self.created),
            self.updated,
            self.beneficiaries,
            plural(self.beneficiaries)
        )
    }
}
