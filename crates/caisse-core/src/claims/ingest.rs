//! Ingest of care-sheet lots: the two file formats (JSON Lines and CSV, documented in
//! `docs/claims-format.md`) read as a stream. [`LotReader`] yields the lot header, then the
//! sheets one at a time as domain [`CareSheet`]s, holding one line (JSON) or one sheet's rows
//! (CSV) at a time, whatever the size of the file.
//!
//! A malformed file is refused whole: [`validate_whole`] reads it once and collects every
//! structural problem (pass 1); only a file it accepts is read again to be imported (pass 2,
//! with the database, next slice). Business checks (rights, tariffs, duplicates) are not here.
//!
//! [`arrets`] reads the files of arrêts de travail the same way (one arrêt per JSON line or
//! CSV row, no header record).

pub mod arrets;
mod csv_lot;
mod error;
mod fields;
mod jsonl;
mod reader;
#[cfg(test)]
mod tests;

use caisse_domain::AmountCents;
use caisse_domain::claims::{CareSheet, ProfessionalId};

pub use error::{IngestError, IngestErrorKind};
pub use reader::{LotReader, validate_whole};

/// The longest JSON line read, in bytes (a sheet is a few hundred bytes): a longer one is an
/// error, so that a file without line breaks cannot fill the memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The most care lines a sheet may have: a CSV sheet's rows are held together, and no more
/// than these.
pub const MAX_CARE_LINES: usize = 999;

/// Errors kept by [`validate_whole`]; the rest are counted.
pub const MAX_REPORTED: usize = 100;

/// The two formats of a lot file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line: the lot header, then one sheet per line.
    JsonLines,
    /// One row per care line under a header row, the lot's and sheet's cells repeated.
    Csv,
}

/// Who sent the lot and its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LotHeader {
    /// A professional (RPPS, ADELI) or an establishment (FINESS).
    pub sender: ProfessionalId,
    /// The sender's lot number, 1 to 999,999,999.
    pub number: u32,
}

/// A sheet as read from a lot: the domain sheet and what the file adds to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingSheet {
    /// The sender's number for the sheet, increasing through the lot: (sender, lot, number)
    /// names a sheet for idempotence.
    pub number: u32,
    /// The line the sheet starts on.
    pub line: u64,
    /// The complementary part (*part complémentaire*) is asked of the fund as well.
    pub complementary_requested: bool,
    /// The sheet.
    pub sheet: CareSheet,
}

/// What pass 1 found in an acceptable file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The format read.
    pub format: Format,
    /// The lot header.
    pub header: LotHeader,
    /// Sheets.
    pub sheets: u64,
    /// Care lines over every sheet.
    pub care_lines: u64,
    /// The amounts charged, summed.
    pub charged: AmountCents,
}

/// Why pass 1 refused a file: the first [`MAX_REPORTED`] problems, in line order per sheet,
/// and how many more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The problems kept.
    pub errors: Vec<IngestError>,
    /// The problems found beyond those.
    pub more: u64,
}

impl Refusal {
    /// A file that could not be opened or read: refused, with the reason at line 1.
    pub fn unreadable(error: &std::io::Error) -> Refusal {
        Refusal {
            errors: vec![IngestError::at(1, IngestErrorKind::Read(error.to_string()))],
            more: 0,
        }
    }

    /// One French line per problem, then « … et 12 autres erreurs ».
    pub fn report_fr(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.errors.iter().map(IngestError::message_fr).collect();
        match self.more {
            0 => {}
            1 => lines.push("… et 1 autre erreur".to_owned()),
            n => lines.push(format!("… et {n} autres erreurs")),
        }
        lines
    }
}
