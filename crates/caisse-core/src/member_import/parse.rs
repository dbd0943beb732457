//! Reading the CSV: encoding, delimiter, header, then every record in turn, then the checks
//! that span several rows (duplicates).

use std::collections::HashMap;
use std::io::Read;

use time::Date;

use super::columns::{Column, Header};
use super::rows::{ParsedRow, parse_row};
use super::{ParsedFile, ReadError, RowError};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads and checks a member file.
///
/// `today` bounds birth dates (none may be in the future); it is a parameter so that this
/// function stays pure and tests do not depend on the calendar. Rows are checked on their
/// own (every column rule, NIR against sex and birth date) and against each other (an insured
/// person appears once, ranks are unique per insured person). Whether an ayant droit's insured
/// person exists when the file does not declare them is left to [`super::load`], which can ask
/// the database.
///
/// # Errors
/// Only when reading fails; problems in the content are in [`ParsedFile::errors`].
pub fn parse(mut input: impl Read, today: Date) -> Result<ParsedFile, ReadError> {
    // The whole file is held in memory (about 15 MB for 100,000 rows): line numbers are then
    // computed from byte offsets, which stays right through blank lines, CRLF and quoted
    // fields spanning several lines (the CSV reader's own line count does not skip blanks).
    let mut data = Vec::new();
    input.read_to_end(&mut data)?;
    // Excel writes a byte-order mark in front of "CSV UTF-8" files; it is not part of the
    // first column's name.
    let data = data.strip_prefix(UTF8_BOM).unwrap_or(&data);
    let first_line = data.split(|b| *b == b'\n').next().unwrap_or_default();
    let mut parsed = ParsedFile::default();
    if first_line.iter().all(u8::is_ascii_whitespace) {
        parsed.errors.push(RowError {
            line: 1,
            column: None,
            message: format!(
                "le fichier est vide : la première ligne doit nommer les colonnes ({})",
                Column::ALL.map(Column::name).join(";")
            ),
        });
        return Ok(parsed);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(first_line))
        .has_headers(false)
        // Rows of the wrong width are reported with their line rather than aborting the read.
        .flexible(true)
        .from_reader(data);

    let mut record = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut record)? {
        return Ok(parsed);
    }
    let names: Vec<String> = record
        .iter()
        .map(|field| String::from_utf8_lossy(field).into_owned())
        .collect();
    let header = match Header::parse(&names.iter().map(String::as_str).collect::<Vec<_>>()) {
        Ok(header) => header,
        Err(errors) => {
            // Without a valid header no row can be interpreted.
            parsed.errors = errors;
            return Ok(parsed);
        }
    };

    parsed.carries_rights = header.has_rights();
    let mut lines = LineCounter::new(data);
    let mut seen = Seen::default();
    while reader.read_byte_record(&mut record)? {
        let line = lines.line_of(&record);
        // Spreadsheets export rows they consider used but empty as a run of separators.
        if record.iter().all(|field| field.trim_ascii().is_empty()) {
            continue;
        }
        if record.len() != header.width {
            parsed.errors.push(RowError {
                line,
                column: None,
                message: format!(
                    "{} champ{} au lieu de {} : vérifiez le séparateur et les guillemets",
                    record.len(),
                    if record.len() > 1 { "s" } else { "" },
                    header.width
                ),
            });
            continue;
        }
        let row = parse_row(&header, &record, line, today, &mut parsed.errors);
        seen.add(row, line, &mut parsed);
    }
    parsed.errors.sort_by_key(|e| e.line);
    Ok(parsed)
}

/// Turns the byte offset where the CSV reader started a record into the physical line of
/// its first character. Records come in increasing order, so counting resumes where the
/// previous call stopped and the whole file is scanned once.
struct LineCounter<'a> {
    data: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(data: &'a [u8]) -> Self {
        LineCounter {
            data,
            offset: 0,
            line: 1,
        }
    }

    fn line_of(&mut self, record: &csv::ByteRecord) -> u64 {
        let start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(self.offset)
            .clamp(self.offset, self.data.len());
        // The reader's offset is just after the previous record: blank lines it skipped
        // come before the record's first character.
        let first = self.data[start..]
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(self.data.len(), |skip| start + skip);
        self.line += count_newlines(&self.data[self.offset..first]);
        self.offset = first;
        self.line
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// `;` is what French spreadsheets write, `,` what most other tools write. Column names
/// contain neither, so the header line tells which one the file uses.
fn detect_delimiter(header_line: &[u8]) -> u8 {
    let count = |b: u8| header_line.iter().filter(|c| **c == b).count();
    if count(b';') >= count(b',') && count(b';') > 0 {
        b';'
    } else {
        b','
    }
}

/// What the rows read so far declared, for the checks across rows.
#[derive(Default)]
struct Seen {
    /// Insured NIR → line of its row.
    insured: HashMap<caisse_domain::Nir, u64>,
    /// (insured NIR, rank) → line of the ayant droit holding it.
    ranks: HashMap<(caisse_domain::Nir, i16), u64>,
}

impl Seen {
    fn add(&mut self, row: ParsedRow, line: u64, parsed: &mut ParsedFile) {
        match row {
            ParsedRow::Invalid { insured_nir } => {
                if let Some(nir) = insured_nir {
                    parsed.declared_insured.insert(nir);
                }
            }
            ParsedRow::Insured(record) => {
                let nir = record.member.nir.clone();
                if let Some(first) = self.insured.get(&nir) {
                    parsed.errors.push(RowError {
                        line,
                        column: Some(Column::Nir.name()),
                        message: format!("cet assuré figure déjà ligne {first}"),
                    });
                    return;
                }
                self.insured.insert(nir.clone(), line);
                parsed.declared_insured.insert(nir);
                parsed.insured.push(*record);
            }
            ParsedRow::Beneficiary(record) => {
                let key = (record.insured_nir.clone(), record.beneficiary.rank);
                if let Some(first) = self.ranks.get(&key) {
                    parsed.errors.push(RowError {
                        line,
                        column: Some(Column::Rang.name()),
                        message: format!(
                            "le rang {:02} de cet assuré est déjà pris ligne {first}",
                            key.1
                        ),
                    });
                    return;
                }
                self.ranks.insert(key, line);
                parsed.beneficiaries.push(record);
            }
        }
    }
}
