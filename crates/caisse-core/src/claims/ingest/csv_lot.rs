//! CSV: a header row naming every column (any order), then one row per care line; the
//! lot's and the sheet's cells are repeated on each row, and the rows of a sheet follow one
//! another. One sheet's rows are held at a time.

use std::collections::HashMap;
use std::io::BufRead;

use csv::StringRecord;

use super::error::{IngestError, IngestErrorKind};
use super::fields::{Fields, LINE_FIELDS, LOT_FIELDS, Raw, SHEET_FIELDS};
use super::reader::{Draft, Next};
use super::{LotHeader, MAX_CARE_LINES};

/// A row read, or why it could not be.
enum Row {
    Data(u64, StringRecord),
    Bad(IngestError),
    Failed(IngestError),
    End,
}

/// The rows of a CSV lot, after its header.
pub(super) struct CsvLot<R> {
    reader: csv::Reader<R>,
    index: HashMap<&'static str, usize>,
    /// The first data row, whose lot cells every row repeats.
    lot_row: (u64, StringRecord),
    /// A row read ahead: the first of the next sheet.
    pending: Option<(u64, StringRecord)>,
}

fn all_columns() -> impl Iterator<Item = &'static str> {
    LOT_FIELDS
        .into_iter()
        .chain(SHEET_FIELDS)
        .chain(LINE_FIELDS)
}

impl<R: BufRead> CsvLot<R> {
    /// Reads the header row and the first data row (the lot header's cells).
    pub(super) fn open(reader: R) -> Result<(LotHeader, Self), Vec<IngestError>> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(reader);
        let names = match reader.headers() {
            Ok(names) => names.clone(),
            Err(e) => return Err(vec![csv_error(&e).0]),
        };
        if names.iter().all(str::is_empty) {
            return Err(vec![IngestError::at(1, IngestErrorKind::Empty)]);
        }
        let index = header_index(&names)?;
        let mut lot = CsvLot {
            reader,
            index,
            lot_row: (0, StringRecord::new()),
            pending: None,
        };
        let (line, first) = match lot.read_row() {
            Row::Data(line, record) => (line, record),
            Row::End => return Err(vec![IngestError::at(2, IngestErrorKind::NoSheet)]),
            Row::Bad(e) | Row::Failed(e) => return Err(vec![e]),
        };
        let mut errors = Vec::new();
        let header = Fields {
            line,
            prefix: String::new(),
            get: |name: &str| Raw::cell(lot.cell(&first, name)),
            errors: &mut errors,
        }
        .lot();
        match header {
            Some(header) if errors.is_empty() => {
                lot.lot_row = (line, first.clone());
                lot.pending = Some((line, first));
                Ok((header, lot))
            }
            _ => Err(errors),
        }
    }

    fn cell<'r>(&self, record: &'r StringRecord, name: &str) -> &'r str {
        self.index
            .get(name)
            .and_then(|&i| record.get(i))
            .unwrap_or("")
    }

    fn read_row(&mut self) -> Row {
        let mut record = StringRecord::new();
        match self.reader.read_record(&mut record) {
            Ok(false) => Row::End,
            Ok(true) => Row::Data(record.position().map_or(0, csv::Position::line), record),
            Err(e) => match csv_error(&e) {
                (error, true) => Row::Failed(error),
                (error, false) => Row::Bad(error),
            },
        }
    }

    /// The next sheet: the pending row and those after it with the same `numero_feuille`.
    pub(super) fn next_draft(&mut self) -> Next {
        let mut errors = Vec::new();
        let first = loop {
            let row = match self.pending.take() {
                Some((line, record)) => Row::Data(line, record),
                None => self.read_row(),
            };
            match row {
                Row::Data(line, record) => break (line, record),
                Row::Bad(error) => errors.push(error),
                Row::Failed(error) => return Some(Err(error)),
                Row::End if errors.is_empty() => return None,
                Row::End => {
                    let line = errors.first().map_or(0, |e: &IngestError| e.line);
                    return Some(Ok(Draft {
                        line,
                        number: None,
                        errors,
                        sheet: None,
                    }));
                }
            }
        };
        let key = self.cell(&first.1, "numero_feuille").to_owned();
        let mut rows = vec![first];
        let mut excess = None;
        loop {
            match self.read_row() {
                Row::Data(line, record) if self.cell(&record, "numero_feuille") == key => {
                    if rows.len() < MAX_CARE_LINES {
                        rows.push((line, record));
                    } else {
                        excess.get_or_insert(line);
                    }
                }
                Row::Data(line, record) => {
                    self.pending = Some((line, record));
                    break;
                }
                Row::Bad(error) => errors.push(error),
                Row::Failed(error) => return Some(Err(error)),
                Row::End => break,
            }
        }
        if let Some(line) = excess {
            errors.push(IngestError::at(line, IngestErrorKind::TooManyCareLines));
        }
        Some(Ok(self.draft(&rows, errors)))
    }

    /// A sheet from its rows (at least one).
    fn draft(&self, rows: &[(u64, StringRecord)], mut errors: Vec<IngestError>) -> Draft {
        let (line, first) = match rows.first() {
            Some((line, first)) => (*line, first),
            None => {
                return Draft {
                    line: 0,
                    number: None,
                    errors,
                    sheet: None,
                };
            }
        };
        let (lot_line, lot_row) = &self.lot_row;
        for (row_line, record) in rows {
            self.same(
                &mut errors,
                *row_line,
                record,
                lot_row,
                *lot_line,
                &LOT_FIELDS,
            );
            self.same(&mut errors, *row_line, record, first, line, &SHEET_FIELDS);
        }
        let mut fields = Fields {
            line,
            prefix: String::new(),
            get: |name: &str| Raw::cell(self.cell(first, name)),
            errors: &mut errors,
        };
        let number = fields.sheet_number();
        let head = fields.head();
        let mut lines = Some(Vec::new());
        for (row_line, record) in rows {
            let care_line = Fields {
                line: *row_line,
                prefix: String::new(),
                get: |name: &str| Raw::cell(self.cell(record, name)),
                errors: &mut errors,
            }
            .care_line();
            match (&mut lines, care_line) {
                (Some(lines), Some(care_line)) => lines.push(care_line),
                _ => lines = None,
            }
        }
        Draft {
            line,
            number,
            errors,
            sheet: head.zip(lines),
        }
    }

    /// Reports each of `columns` where `record` differs from `reference`.
    fn same(
        &self,
        errors: &mut Vec<IngestError>,
        line: u64,
        record: &StringRecord,
        reference: &StringRecord,
        first_line: u64,
        columns: &[&str],
    ) {
        for &column in columns {
            if self.cell(record, column) != self.cell(reference, column) {
                let kind = IngestErrorKind::Inconsistent { first_line };
                errors.push(IngestError::field(line, column, kind));
            }
        }
    }
}

/// Maps each known column to its position; every column is required, once.
fn header_index(names: &StringRecord) -> Result<HashMap<&'static str, usize>, Vec<IngestError>> {
    let mut errors = Vec::new();
    let mut index = HashMap::new();
    for (at, name) in names.iter().enumerate() {
        match all_columns().find(|&c| c == name) {
            None => errors.push(IngestError::field(1, name, IngestErrorKind::UnknownField)),
            Some(column) => {
                if index.insert(column, at).is_some() {
                    errors.push(IngestError::field(
                        1,
                        column,
                        IngestErrorKind::DuplicateColumn,
                    ));
                }
            }
        }
    }
    for column in all_columns().filter(|c| !index.contains_key(c)) {
        errors.push(IngestError::field(
            1,
            column,
            IngestErrorKind::MissingColumn,
        ));
    }
    if errors.is_empty() {
        Ok(index)
    } else {
        Err(errors)
    }
}

/// The error of the CSV reader, and whether the reading must stop.
pub(super) fn csv_error(e: &csv::Error) -> (IngestError, bool) {
    let line = e.position().map_or(1, csv::Position::line);
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            let kind = IngestErrorKind::CellCount {
                expected: *expected_len,
                found: *len,
            };
            (IngestError::at(line, kind), false)
        }
        csv::ErrorKind::Utf8 { .. } => (IngestError::at(line, IngestErrorKind::NotUtf8), false),
        _ => (
            IngestError::at(line, IngestErrorKind::Read(e.to_string())),
            true,
        ),
    }
}
