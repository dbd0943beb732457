//! Files of arrêts de travail for `caisse admin import-arrets` and the API: one arrêt per
//! JSON line or CSV row (format in `docs/claims-format.md`, § Arrêts de travail), read as a
//! stream into domain [`ArretDeTravail`]s. Like the lots, a file is refused whole:
//! [`validate_arrets`] reads it once and collects every problem, each with its line and
//! field in French; only a file it accepts is read again to be imported.
//!
//! An arrêt is named by the employer's SIRET and the sender's `reference_arret`: the same
//! pair twice in a file is an error, and the importer treats a pair already stored as a
//! resending (idempotence). The reader keeps the pairs seen, a few dozen bytes per arrêt.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::BufRead;

use caisse_domain::claims::{ArretDeTravail, ArretKind, Siret, Subrogation};
use caisse_domain::{AmountCents, Iban, Nir};
use csv::StringRecord;
use serde_json::{Map, Value};

use super::csv_lot::csv_error;
use super::error::{IngestError, IngestErrorKind};
use super::fields::{Raw, boolean, date, nir, rank, text, whole};
use super::jsonl::{JsonLines, unknown_fields};
use super::reader::start;
use super::{Format, MAX_REPORTED, Refusal};

/// The fields of an arrêt, the same in JSON and CSV (`salaire_2_cents` and
/// `salaire_3_cents` may be left out of a JSON AT/MP arrêt; every CSV column is required).
pub const ARRET_FIELDS: [&str; 15] = [
    "reference_arret",
    "nir",
    "rang",
    "type_arret",
    "date_debut",
    "date_fin",
    "siret_employeur",
    "salaire_1_cents",
    "salaire_2_cents",
    "salaire_3_cents",
    "subrogation_jusqu_au",
    "iban_employeur",
    "raison_sociale_employeur",
    "carence",
    "ald",
];

/// The longest `raison_sociale_employeur`, as the payments' names.
pub const MAX_EMPLOYER_NAME_CHARS: usize = 200;

/// The longest `reference_arret`.
pub const MAX_REFERENCE_CHARS: usize = 35;

/// An arrêt as read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingArret {
    /// The sender's reference: with the employer's SIRET, names the arrêt for idempotence.
    pub reference: String,
    /// The line it was read on.
    pub line: u64,
    /// The insured member's NIR.
    pub nir: Nir,
    /// The beneficiary's rank (1 for the insured member).
    pub rank: u8,
    /// The arrêt.
    pub arret: ArretDeTravail,
    /// The employer's IBAN, where its IJ go under subrogation (required then).
    pub employer_iban: Option<Iban>,
    /// The employer's name, for its transfers.
    pub employer_name: Option<String>,
}

/// What pass 1 found in an acceptable file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArretsSummary {
    /// The format read.
    pub format: Format,
    /// Arrêts, by kind in the order of [`ArretKind::ALL`].
    pub by_kind: [u64; 3],
    /// Arrêts in all.
    pub arrets: u64,
}

enum Source<R: BufRead> {
    Json(JsonLines<R>),
    Csv {
        reader: Box<csv::Reader<R>>,
        index: HashMap<&'static str, usize>,
    },
}

/// Reads an arrêts file arrêt by arrêt: each item is an arrêt or the problems of one line;
/// the reader goes on after a bad line, and stops after a read failure.
pub struct ArretsReader<R: BufRead> {
    format: Format,
    source: Source<R>,
    /// (SIRET, reference) → the line it was first read on.
    seen: HashMap<(String, String), u64>,
    arrets: u64,
    finished: bool,
}

impl<R: BufRead> ArretsReader<R> {
    /// Opens a file: `format` if given, else detected (a first character `{` is JSON Lines,
    /// anything else CSV); a CSV's header row is read.
    ///
    /// # Errors
    /// The problems of the CSV header row, or a read failure.
    pub fn open(mut reader: R, format: Option<Format>) -> Result<Self, Vec<IngestError>> {
        let format = start(&mut reader, format)?;
        let source = match format {
            Format::JsonLines => Source::Json(JsonLines::headless(reader)),
            Format::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .trim(csv::Trim::All)
                    .from_reader(reader);
                let names = reader.headers().map_err(|e| vec![csv_error(&e).0])?.clone();
                if names.iter().all(str::is_empty) {
                    return Err(vec![IngestError::at(1, IngestErrorKind::Empty)]);
                }
                Source::Csv {
                    reader: Box::new(reader),
                    index: header_index(&names)?,
                }
            }
        };
        Ok(ArretsReader {
            format,
            source,
            seen: HashMap::new(),
            arrets: 0,
            finished: false,
        })
    }

    /// The format read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The next record: its line and its result, `None` at the end.
    fn next_record(&mut self) -> Option<(u64, Result<IncomingArret, Vec<IngestError>>)> {
        match &mut self.source {
            Source::Json(lines) => match lines.read_line() {
                Err(failure) => {
                    self.finished = true;
                    Some((failure.line, Err(vec![failure])))
                }
                Ok(None) => None,
                Ok(Some((line, Err(kind)))) => Some((line, Err(vec![IngestError::at(line, kind)]))),
                Ok(Some((line, Ok(object)))) => Some((line, json_arret(line, &object))),
            },
            Source::Csv { reader, index } => {
                let mut record = StringRecord::new();
                match reader.read_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => {
                        let line = record.position().map_or(0, csv::Position::line);
                        let cell = |name: &str| {
                            Raw::cell(index.get(name).and_then(|&i| record.get(i)).unwrap_or(""))
                        };
                        Some((line, arret(line, cell, Vec::new())))
                    }
                    Err(e) => {
                        let (error, stop) = csv_error(&e);
                        self.finished = stop;
                        Some((error.line, Err(vec![error])))
                    }
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for ArretsReader<R> {
    type Item = Result<IncomingArret, Vec<IngestError>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let Some((line, read)) = self.next_record() else {
            self.finished = true;
            return (self.arrets == 0)
                .then(|| Err(vec![IngestError::at(1, IngestErrorKind::NoArret)]));
        };
        self.arrets += 1;
        let incoming = match read {
            Ok(incoming) => incoming,
            Err(errors) => return Some(Err(errors)),
        };
        let key = (
            incoming.arret.employer.as_str().to_owned(),
            incoming.reference.clone(),
        );
        match self.seen.entry(key) {
            Entry::Occupied(first) => {
                let kind = IngestErrorKind::DuplicateArret {
                    first_line: *first.get(),
                };
                Some(Err(vec![IngestError::field(line, "reference_arret", kind)]))
            }
            Entry::Vacant(slot) => {
                slot.insert(line);
                Some(Ok(incoming))
            }
        }
    }
}

/// Pass 1: reads the whole file once, keeping counts and at most [`MAX_REPORTED`] problems.
///
/// # Errors
/// Every problem of the file (the first hundred, and how many more).
pub fn validate_arrets(
    reader: impl BufRead,
    format: Option<Format>,
) -> Result<ArretsSummary, Refusal> {
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
    let mut arrets = match ArretsReader::open(reader, format) {
        Ok(arrets) => arrets,
        Err(errors) => {
            keep(errors, &mut refusal);
            return Err(refusal);
        }
    };
    let mut by_kind = [0_u64; 3];
    for arret in arrets.by_ref() {
        match arret {
            Ok(incoming) => {
                if let Some(i) = ArretKind::ALL
                    .iter()
                    .position(|k| *k == incoming.arret.kind)
                {
                    by_kind[i] += 1;
                }
            }
            Err(errors) => keep(errors, &mut refusal),
        }
    }
    if refusal.errors.is_empty() {
        Ok(ArretsSummary {
            format: arrets.format,
            by_kind,
            arrets: by_kind.iter().sum(),
        })
    } else {
        Err(refusal)
    }
}

fn json_arret(line: u64, object: &Map<String, Value>) -> Result<IncomingArret, Vec<IngestError>> {
    let errors = unknown_fields(line, "", object, &ARRET_FIELDS);
    arret(line, |name: &str| Raw::json(object.get(name)), errors)
}

/// One arrêt from its fields, every problem recorded.
fn arret<'a>(
    line: u64,
    get: impl Fn(&str) -> Raw<'a>,
    mut errors: Vec<IngestError>,
) -> Result<IncomingArret, Vec<IngestError>> {
    let mut fail = |name: &str, kind: IngestErrorKind| {
        errors.push(IngestError::field(line, name, kind));
    };
    // Each field through its rule; a missing required field is `Missing`.
    macro_rules! field {
        ($name:literal, $rule:expr, required) => {
            match get($name) {
                Raw::Missing => {
                    fail($name, IngestErrorKind::Missing);
                    None
                }
                raw => match $rule(raw) {
                    Ok(value) => Some(value),
                    Err(reason) => {
                        fail($name, IngestErrorKind::Invalid(reason));
                        None
                    }
                },
            }
        };
        ($name:literal, $rule:expr, optional) => {
            match get($name) {
                Raw::Missing => Some(None),
                raw => match $rule(raw) {
                    Ok(value) => Some(Some(value)),
                    Err(reason) => {
                        fail($name, IngestErrorKind::Invalid(reason));
                        None
                    }
                },
            }
        };
    }
    let reference = field!("reference_arret", reference, required);
    let nir = field!("nir", nir, required);
    let rank = field!("rang", rank, required);
    let kind = field!("type_arret", arret_kind, required);
    let start = field!("date_debut", date, required);
    let end = field!("date_fin", date, required);
    let employer = field!("siret_employeur", siret, required);
    let salary_1 = field!("salaire_1_cents", salary, required);
    // AT/MP reads the last pay only: the two other months may be left empty.
    let salary_2 = field!("salaire_2_cents", salary, optional);
    let salary_3 = field!("salaire_3_cents", salary, optional);
    let subrogation = field!("subrogation_jusqu_au", date, optional);
    let employer_iban = field!("iban_employeur", iban, optional);
    let employer_name = field!("raison_sociale_employeur", employer_name, optional);
    if let (Some(Some(_)), Some(None)) = (subrogation, &employer_iban) {
        fail(
            "iban_employeur",
            IngestErrorKind::Invalid(
                "IBAN de l'employeur obligatoire quand la subrogation est déclarée : les indemnités lui sont versées",
            ),
        );
    }
    let carence = field!("carence", boolean, required);
    let ald = field!("ald", boolean, required);
    let salary_2 = salary_2.map(|s| months(kind, s, "salaire_2_cents", &mut fail));
    let salary_3 = salary_3.map(|s| months(kind, s, "salaire_3_cents", &mut fail));
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            fail(
                "date_fin",
                IngestErrorKind::Invalid("la fin de l'arrêt est antérieure à son début"),
            );
        }
        if let Some(Some(until)) = subrogation
            && until < start
        {
            fail(
                "subrogation_jusqu_au",
                IngestErrorKind::Invalid(
                    "la subrogation se termine avant le début de l'arrêt : laisser vide s'il n'y en a pas",
                ),
            );
        }
    }
    match (
        reference,
        nir,
        rank,
        kind,
        start,
        end,
        employer,
        salary_1,
        salary_2.flatten(),
        salary_3.flatten(),
        subrogation,
        carence,
        ald,
        employer_iban,
        employer_name,
    ) {
        (
            Some(reference),
            Some(nir),
            Some(rank),
            Some(kind),
            Some(start),
            Some(end),
            Some(employer),
            Some(s1),
            Some(s2),
            Some(s3),
            Some(subrogation),
            Some(carence_applies),
            Some(ald),
            Some(employer_iban),
            Some(employer_name),
        ) if errors.is_empty() => Ok(IncomingArret {
            reference,
            line,
            nir,
            rank,
            arret: ArretDeTravail {
                kind,
                start,
                end,
                employer,
                gross_salaries: [s1, s2, s3],
                subrogation: subrogation.map(|until| Subrogation { until }),
                carence_applies,
                ald,
            },
            employer_iban,
            employer_name,
        }),
        _ => {
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

/// A salary of the second or third month: required but for AT/MP (0 when left empty).
fn months(
    kind: Option<ArretKind>,
    salary: Option<AmountCents>,
    name: &'static str,
    fail: &mut impl FnMut(&str, IngestErrorKind),
) -> Option<AmountCents> {
    match (salary, kind) {
        (Some(salary), _) => Some(salary),
        (None, Some(ArretKind::AtMp)) => Some(AmountCents::new(0)),
        (None, Some(_)) => {
            fail(name, IngestErrorKind::Missing);
            None
        }
        // The kind is unreadable and already reported.
        (None, None) => None,
    }
}

fn reference(raw: Raw<'_>) -> Result<String, &'static str> {
    let t = text(raw)?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.');
    if t.chars().count() <= MAX_REFERENCE_CHARS && t.chars().all(allowed) {
        Ok(t.to_owned())
    } else {
        Err("référence de 1 à 35 caractères : lettres sans accent, chiffres, - _ / .")
    }
}

fn iban(raw: Raw<'_>) -> Result<Iban, &'static str> {
    Iban::parse(text(raw)?)
        .map_err(|_| "IBAN erroné : vérifier le code pays, la longueur et la clé de contrôle")
}

fn employer_name(raw: Raw<'_>) -> Result<String, &'static str> {
    let t = text(raw)?;
    if t.chars().count() <= MAX_EMPLOYER_NAME_CHARS && !t.chars().any(char::is_control) {
        Ok(t.to_owned())
    } else {
        Err("raison sociale de 1 à 200 caractères, sans caractère de contrôle")
    }
}

fn arret_kind(raw: Raw<'_>) -> Result<ArretKind, &'static str> {
    ArretKind::parse(text(raw)?).map_err(|_| "type d'arrêt attendu : maladie, maternite ou at_mp")
}

fn siret(raw: Raw<'_>) -> Result<Siret, &'static str> {
    Siret::parse(text(raw)?).map_err(|e| match e {
        caisse_domain::claims::SiretError::Shape => "un numéro SIRET compte 14 chiffres",
        caisse_domain::claims::SiretError::Key => {
            "numéro SIRET erroné : la clé de contrôle (formule de Luhn) ne correspond pas"
        }
    })
}

/// Largest monthly salary: 99,999,999.99 euros.
const MAX_SALARY_CENTS: u64 = 9_999_999_999;

fn salary(raw: Raw<'_>) -> Result<AmountCents, &'static str> {
    const CENTS: &str = "salaire brut en centimes attendu, entier (182303 pour 1 823,03 €)";
    let n = whole(
        raw,
        "salaire négatif : un salaire brut est positif ou nul",
        CENTS,
    )?;
    if n > MAX_SALARY_CENTS {
        return Err(CENTS);
    }
    i64::try_from(n).map(AmountCents::new).map_err(|_| CENTS)
}

/// Maps each known column to its position; every column is required, once.
fn header_index(names: &StringRecord) -> Result<HashMap<&'static str, usize>, Vec<IngestError>> {
    let mut errors = Vec::new();
    let mut index = HashMap::new();
    for (at, name) in names.iter().enumerate() {
        match ARRET_FIELDS.into_iter().find(|&c| c == name) {
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
    for column in ARRET_FIELDS.into_iter().filter(|c| !index.contains_key(c)) {
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
