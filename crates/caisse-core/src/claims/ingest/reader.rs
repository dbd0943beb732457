//! [`LotReader`]: the format chosen or detected, the lot header read, then the sheets in
//! turn with the checks that span sheets (numbers increase, the lot is not empty); and
//! [`validate_whole`], pass 1 over a whole file.

use std::io::BufRead;

use caisse_domain::AmountCents;
use caisse_domain::claims::{CareLine, CareSheet};

use super::csv_lot::CsvLot;
use super::error::{IngestError, IngestErrorKind};
use super::fields::SheetHead;
use super::jsonl::JsonLines;
use super::{Format, IncomingSheet, LotHeader, MAX_REPORTED, Refusal, Summary};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// One sheet as a format reads it, before the checks across sheets.
pub(super) struct Draft {
    /// Its first line.
    pub(super) line: u64,
    /// Its number, when readable.
    pub(super) number: Option<u32>,
    /// Its problems.
    pub(super) errors: Vec<IngestError>,
    /// Its values, when every field was readable.
    pub(super) sheet: Option<(SheetHead, Vec<CareLine>)>,
}

/// What a format's reader gives next: a draft, the end, or a failure that ends the reading.
pub(super) type Next = Option<Result<Draft, IngestError>>;

enum Source<R: BufRead> {
    Json(JsonLines<R>),
    Csv(Box<CsvLot<R>>),
}

/// Reads a lot file sheet by sheet; see the module's documentation.
///
/// Each item is a sheet or the problems of one sheet; the reader goes on after a bad sheet,
/// so that every problem of the file can be reported, and stops after a read failure.
pub struct LotReader<R: BufRead> {
    format: Format,
    header: LotHeader,
    source: Source<R>,
    previous: Option<u32>,
    sheets: u64,
    finished: bool,
}

impl<R: BufRead> LotReader<R> {
    /// Opens a lot: `format` if given, else detected (a first character `{` is JSON Lines,
    /// anything else CSV), then the lot header read.
    ///
    /// # Errors
    /// The problems of the lot header (JSON's first line, CSV's header row and first row),
    /// without which no sheet can be read.
    pub fn open(mut reader: R, format: Option<Format>) -> Result<Self, Vec<IngestError>> {
        let format = start(&mut reader, format)?;
        let (header, source) = match format {
            Format::JsonLines => {
                let (header, lines) = JsonLines::open(reader)?;
                (header, Source::Json(lines))
            }
            Format::Csv => {
                let (header, rows) = CsvLot::open(reader)?;
                (header, Source::Csv(Box::new(rows)))
            }
        };
        Ok(LotReader {
            format,
            header,
            source,
            previous: None,
            sheets: 0,
            finished: false,
        })
    }

    /// The format read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The lot header.
    pub fn header(&self) -> &LotHeader {
        &self.header
    }
}

/// Skips a UTF-8 byte-order mark, then gives `format`, or the one [`detect`] reads.
pub(super) fn start(
    reader: &mut impl BufRead,
    format: Option<Format>,
) -> Result<Format, Vec<IngestError>> {
    let start = reader
        .fill_buf()
        .map_err(|e| vec![IngestError::at(1, IngestErrorKind::Read(e.to_string()))])?;
    if start.starts_with(UTF8_BOM) {
        reader.consume(UTF8_BOM.len());
    }
    match format {
        Some(format) => Ok(format),
        None => detect(reader),
    }
}

/// The first byte that is not white space says the format.
fn detect(reader: &mut impl BufRead) -> Result<Format, Vec<IngestError>> {
    let start = reader
        .fill_buf()
        .map_err(|e| vec![IngestError::at(1, IngestErrorKind::Read(e.to_string()))])?;
    Ok(match start.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Format::JsonLines,
        _ => Format::Csv,
    })
}

impl<R: BufRead> Iterator for LotReader<R> {
    type Item = Result<IncomingSheet, Vec<IngestError>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let next = match &mut self.source {
            Source::Json(lines) => lines.next_draft(),
            Source::Csv(rows) => rows.next_draft(),
        };
        let mut draft = match next {
            Some(Ok(draft)) => draft,
            Some(Err(failure)) => {
                self.finished = true;
                return Some(Err(vec![failure]));
            }
            None => {
                self.finished = true;
                return (self.sheets == 0)
                    .then(|| Err(vec![IngestError::at(1, IngestErrorKind::NoSheet)]));
            }
        };
        self.sheets += 1;
        if let Some(number) = draft.number {
            if let Some(previous) = self.previous.filter(|&p| number <= p) {
                let kind = IngestErrorKind::OutOfOrder { number, previous };
                draft
                    .errors
                    .push(IngestError::field(draft.line, "numero_feuille", kind));
            }
            self.previous = Some(number);
        }
        draft.errors.sort_by_key(|e| e.line);
        Some(match (draft.number, draft.sheet) {
            (Some(number), Some((head, lines))) if draft.errors.is_empty() => Ok(IncomingSheet {
                number,
                line: draft.line,
                complementary_requested: head.complementary,
                sheet: CareSheet {
                    nir: head.nir,
                    rank: head.rank,
                    professional: head.professional,
                    prescriber: head.prescriber,
                    date_of_care: head.date_of_care,
                    tiers_payant: head.tiers_payant,
                    parcours: head.parcours,
                    lines,
                },
            }),
            _ => Err(draft.errors),
        })
    }
}

/// Pass 1: reads the whole file once, keeping counts and at most [`MAX_REPORTED`] problems.
///
/// # Errors
/// Every structural problem of the file (the first hundred, and how many more).
pub fn validate_whole(reader: impl BufRead, format: Option<Format>) -> Result<Summary, Refusal> {
    let mut refusal = Refusal {
        errors: Vec::new(),
        more: 0,
    };
    let keep = |errors: Vec<IngestError>, refusal: &mut Refusal| {
        for error in errors {
            if refusal.errors.len() < MAX_REPORTED {
                refusal.errors.push(error);
            } else {
                refusal.more += 1;
            }
        }
    };
    let mut lot = match LotReader::open(reader, format) {
        Ok(lot) => lot,
        Err(errors) => {
            keep(errors, &mut refusal);
            return Err(refusal);
        }
    };
    let (mut sheets, mut care_lines, mut charged) = (0, 0, 0i64);
    for sheet in lot.by_ref() {
        match sheet {
            Ok(sheet) => {
                sheets += 1;
                care_lines += sheet.sheet.lines.len() as u64;
                charged = sheet
                    .sheet
                    .lines
                    .iter()
                    .fold(charged, |sum, l| sum.saturating_add(l.charged.cents()));
            }
            Err(errors) => keep(errors, &mut refusal),
        }
    }
    if refusal.errors.is_empty() {
        Ok(Summary {
            format: lot.format,
            header: lot.header,
            sheets,
            care_lines,
            charged: AmountCents::new(charged),
        })
    } else {
        Err(refusal)
    }
}
