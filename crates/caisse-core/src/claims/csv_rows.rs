//! Reading one reference file: a header naming the columns (any order), `#` comment lines,
//! and cells parsed one by one, every error naming the file, the line and the column.

use std::collections::HashMap;

use caisse_domain::claims::{BasisPoints, ReferenceError};
use caisse_domain::rights::Period;
use caisse_domain::{AmountCents, french};
use time::Date;

/// Why a reference file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceFileError {
    /// The header lacks a column.
    #[error("{file}: missing column {column}")]
    MissingColumn {
        /// The file.
        file: &'static str,
        /// The column.
        column: &'static str,
    },
    /// A line could not be read as CSV (wrong number of fields, bad quoting).
    #[error("{file}, line {line}: {message}")]
    Csv {
        /// The file.
        file: &'static str,
        /// The line, from 1.
        line: u64,
        /// What the reader said, in French.
        message: String,
    },
    /// A cell does not hold what its column wants.
    #[error("{file}, line {line}, column {column}: {message}")]
    Cell {
        /// The file.
        file: &'static str,
        /// The line, from 1.
        line: u64,
        /// The column.
        column: &'static str,
        /// What is wrong, in French.
        message: String,
    },
    /// The rows parse but two of them overlap.
    #[error(transparent)]
    Tables(#[from] ReferenceError),
}

impl ReferenceFileError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> String {
        match self {
            ReferenceFileError::MissingColumn { file, column } => {
                format!("{file} : la colonne « {column} » manque dans la ligne d'en-tête.")
            }
            ReferenceFileError::Csv {
                file,
                line,
                message,
            } => format!("{file}, ligne {line} : {message}."),
            ReferenceFileError::Cell {
                file,
                line,
                column,
                message,
            } => format!("{file}, ligne {line}, colonne « {column} » : {message}."),
            ReferenceFileError::Tables(e) => e.message_fr(),
        }
    }
}

/// One data line of a reference file.
pub(super) struct Row<'a> {
    file: &'static str,
    line: u64,
    cells: &'a csv::StringRecord,
    index: &'a HashMap<&'static str, usize>,
}

impl Row<'_> {
    fn text(&self, column: &'static str) -> &str {
        self.index
            .get(column)
            .and_then(|&i| self.cells.get(i))
            .unwrap_or("")
            .trim()
    }

    /// The cell of `column` through `parse`, whose French message becomes the error.
    pub(super) fn parse<T>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ReferenceFileError> {
        parse(self.text(column)).map_err(|message| self.error(column, message))
    }

    /// An error on the cell of `column`.
    pub(super) fn error(
        &self,
        column: &'static str,
        message: impl Into<String>,
    ) -> ReferenceFileError {
        ReferenceFileError::Cell {
            file: self.file,
            line: self.line,
            column,
            message: message.into(),
        }
    }

    /// An optional cell: empty is `None`.
    pub(super) fn optional<T>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ReferenceFileError> {
        if self.text(column).is_empty() {
            Ok(None)
        } else {
            self.parse(column, parse).map(Some)
        }
    }

    /// `valid_from` and the optional `valid_to`.
    pub(super) fn validity(&self) -> Result<Period, ReferenceFileError> {
        let from = self.parse("valid_from", date)?;
        let to = self.optional("valid_to", date)?;
        Period::new(from, to).map_err(|e| self.error("valid_to", e.message_fr()))
    }
}

/// Reads `text` as the file `file` with at least `columns`, giving each data row to
/// `build`.
pub(super) fn read_rows<T>(
    file: &'static str,
    text: &str,
    columns: &[&'static str],
    mut build: impl FnMut(&Row<'_>) -> Result<T, ReferenceFileError>,
) -> Result<Vec<T>, ReferenceFileError> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| ReferenceFileError::Csv {
        file,
        line: e.position().map_or(1, csv::Position::line),
        message: csv_message(&e),
    };
    let header = reader.headers().map_err(csv_error)?.clone();
    let mut index = HashMap::new();
    for &column in columns {
        let at = header
            .iter()
            .position(|h| h.trim() == column)
            .ok_or(ReferenceFileError::MissingColumn { file, column })?;
        index.insert(column, at);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let cells = record.map_err(csv_error)?;
        let line = cells.position().map_or(1, csv::Position::line);
        rows.push(build(&Row {
            file,
            line,
            cells: &cells,
            index: &index,
        })?);
    }
    Ok(rows)
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{len} champs au lieu de {expected_len} : une virgule dans un commentaire doit être entre guillemets"
        ),
        csv::ErrorKind::Utf8 { .. } => "le fichier n'est pas en UTF-8".to_owned(),
        _ => "ligne illisible".to_owned(),
    }
}

/// An ISO date, `2024-12-22`.
pub(super) fn date(s: &str) -> Result<Date, String> {
    super::iso_date(s).ok_or_else(|| format!("date attendue au format AAAA-MM-JJ, trouvé « {s} »"))
}

/// A whole number of cents, 0 or more.
pub(super) fn cents(s: &str) -> Result<AmountCents, String> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "montant en centimes attendu (entier positif, 3000 pour {}), trouvé « {s} »",
            french::amount(AmountCents::new(3000))
        ));
    }
    s.parse()
        .map(AmountCents::new)
        .map_err(|_| format!("montant illisible « {s} »"))
}

/// A rate in basis points, 0 to 10000.
pub(super) fn basis_points(s: &str) -> Result<BasisPoints, String> {
    s.parse::<u16>()
        .ok()
        .and_then(|bp| BasisPoints::new(bp).ok())
        .ok_or_else(|| {
            format!("taux en points de base attendu (de 0 à 10000, 7000 pour 70 %), trouvé « {s} »")
        })
}

/// A whole number within `range`.
pub(super) fn whole<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
    s: &str,
    min: T,
    max: T,
) -> Result<T, String> {
    s.parse::<T>()
        .ok()
        .filter(|n| *n >= min && *n <= max)
        .ok_or_else(|| format!("nombre entier de {min} à {max} attendu, trouvé « {s} »"))
}
