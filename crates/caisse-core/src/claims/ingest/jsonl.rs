//! JSON Lines: the lot header `{"lot": {...}}` on the first line, then one sheet per line
//! with its care lines nested under `actes`. One line is held at a time.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::LotHeader;
use super::error::{IngestError, IngestErrorKind};
use super::fields::{Fields, LINE_FIELDS, LOT_FIELDS, Raw, SHEET_FIELDS};
use super::reader::{Draft, Next};
use super::{MAX_CARE_LINES, MAX_LINE_BYTES};

/// The sheets' lines of a JSON Lines lot, after its header.
pub(super) struct JsonLines<R> {
    reader: R,
    line: u64,
    buf: Vec<u8>,
}

/// A line read: an object, or why it is not one.
pub(super) type Line = Result<Map<String, Value>, IngestErrorKind>;

impl<R: BufRead> JsonLines<R> {
    /// Reads a file with no header line: every line is a record (the arrêts files).
    pub(super) fn headless(reader: R) -> Self {
        JsonLines {
            reader,
            line: 0,
            buf: Vec::new(),
        }
    }

    /// Reads the header line.
    pub(super) fn open(reader: R) -> Result<(LotHeader, Self), Vec<IngestError>> {
        let mut lines = JsonLines {
            reader,
            line: 0,
            buf: Vec::new(),
        };
        let (line, object) = match lines.read_line() {
            Err(failure) => return Err(vec![failure]),
            Ok(None) => return Err(vec![IngestError::at(1, IngestErrorKind::Empty)]),
            Ok(Some((line, Err(kind)))) => return Err(vec![IngestError::at(line, kind)]),
            Ok(Some((line, Ok(object)))) => (line, object),
        };
        let lot = match (object.len(), object.get("lot")) {
            (1, Some(Value::Object(lot))) => lot,
            _ => {
                let kind = IngestErrorKind::LotHeaderExpected;
                return Err(vec![IngestError::at(line, kind)]);
            }
        };
        let mut errors = unknown_fields(line, "lot.", lot, &LOT_FIELDS);
        let header = Fields {
            line,
            prefix: "lot.".to_owned(),
            get: |name: &str| Raw::json(lot.get(name)),
            errors: &mut errors,
        }
        .lot();
        match header {
            Some(header) if errors.is_empty() => Ok((header, lines)),
            _ => Err(errors),
        }
    }

    /// The next non-blank line as an object; `Err` only when reading fails.
    pub(super) fn read_line(&mut self) -> Result<Option<(u64, Line)>, IngestError> {
        let failed =
            |line, e: std::io::Error| IngestError::at(line, IngestErrorKind::Read(e.to_string()));
        loop {
            self.buf.clear();
            let limit = u64::try_from(MAX_LINE_BYTES)
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            let read = std::io::Read::take(&mut self.reader, limit)
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| failed(self.line + 1, e))?;
            if read == 0 {
                return Ok(None);
            }
            self.line += 1;
            if !self.buf.ends_with(b"\n") && self.buf.len() > MAX_LINE_BYTES {
                self.skip_rest().map_err(|e| failed(self.line, e))?;
                return Ok(Some((self.line, Err(IngestErrorKind::LineTooLong))));
            }
            let text = self.buf.trim_ascii();
            if text.is_empty() {
                continue;
            }
            let parsed = match std::str::from_utf8(text) {
                Err(_) => Err(IngestErrorKind::NotUtf8),
                Ok(text) => match serde_json::from_str::<Value>(text) {
                    Err(e) => Err(IngestErrorKind::Json(e.column())),
                    Ok(Value::Object(object)) => Ok(object),
                    Ok(_) => Err(IngestErrorKind::NotAnObject),
                },
            };
            return Ok(Some((self.line, parsed)));
        }
    }

    /// Drops the rest of a line too long to keep.
    fn skip_rest(&mut self) -> std::io::Result<()> {
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(());
            }
            match available.iter().position(|&b| b == b'\n') {
                Some(at) => {
                    self.reader.consume(at + 1);
                    return Ok(());
                }
                None => {
                    let len = available.len();
                    self.reader.consume(len);
                }
            }
        }
    }

    /// The next sheet.
    pub(super) fn next_draft(&mut self) -> Next {
        let (line, object) = match self.read_line() {
            Err(failure) => return Some(Err(failure)),
            Ok(None) => return None,
            Ok(Some((line, Err(kind)))) => return Some(Ok(bad_line(line, kind))),
            Ok(Some((line, Ok(object)))) => (line, object),
        };
        if object.contains_key("lot") {
            return Some(Ok(bad_line(line, IngestErrorKind::SecondLotHeader)));
        }
        Some(Ok(sheet(line, &object)))
    }
}

fn bad_line(line: u64, kind: IngestErrorKind) -> Draft {
    Draft {
        line,
        number: None,
        errors: vec![IngestError::at(line, kind)],
        sheet: None,
    }
}

pub(super) fn unknown_fields(
    line: u64,
    prefix: &str,
    object: &Map<String, Value>,
    known: &[&str],
) -> Vec<IngestError> {
    object
        .keys()
        .filter(|key| !known.contains(&key.as_str()))
        .map(|key| {
            IngestError::field(
                line,
                format!("{prefix}{key}"),
                IngestErrorKind::UnknownField,
            )
        })
        .collect()
}

/// A sheet line: its fields, then its care lines under `actes`.
fn sheet(line: u64, object: &Map<String, Value>) -> Draft {
    let mut errors = unknown_fields(
        line,
        "",
        object,
        &[SHEET_FIELDS.as_slice(), &["actes"]].concat(),
    );
    let mut fields = Fields {
        line,
        prefix: String::new(),
        get: |name: &str| Raw::json(object.get(name)),
        errors: &mut errors,
    };
    let number = fields.sheet_number();
    let head = fields.head();
    let mut lines = Some(Vec::new());
    match object.get("actes") {
        None | Some(Value::Null) => {
            fields
                .errors
                .push(IngestError::field(line, "actes", IngestErrorKind::Missing))
        }
        Some(Value::Array(acts)) if acts.is_empty() => {
            fields.errors.push(IngestError::field(
                line,
                "actes",
                IngestErrorKind::NoCareLine,
            ));
        }
        Some(Value::Array(acts)) if acts.len() > MAX_CARE_LINES => {
            let kind = IngestErrorKind::TooManyCareLines;
            fields.errors.push(IngestError::field(line, "actes", kind));
        }
        Some(Value::Array(acts)) => {
            for (i, act) in acts.iter().enumerate() {
                let prefix = format!("actes[{}].", i + 1);
                let care_line = match act {
                    Value::Object(act) => {
                        fields
                            .errors
                            .extend(unknown_fields(line, &prefix, act, &LINE_FIELDS));
                        Fields {
                            line,
                            prefix,
                            get: |name: &str| Raw::json(act.get(name)),
                            errors: &mut *fields.errors,
                        }
                        .care_line()
                    }
                    _ => {
                        let field = format!("actes[{}]", i + 1);
                        fields.errors.push(IngestError::field(
                            line,
                            field,
                            IngestErrorKind::NotAnObject,
                        ));
                        None
                    }
                };
                match (&mut lines, care_line) {
                    (Some(lines), Some(care_line)) => lines.push(care_line),
                    _ => lines = None,
                }
            }
        }
        Some(_) => fields.errors.push(IngestError::field(
            line,
            "actes",
            IngestErrorKind::Invalid("liste d'actes attendue, [ {…}, … ]"),
        )),
    }
    Draft {
        line,
        number,
        sheet: head.zip(lines.filter(|l| !l.is_empty())),
        errors,
    }
}
