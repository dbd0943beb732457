//! Why a lot file is refused: one [`IngestError`] per problem, located by its line (and its
//! field or column when it belongs to one), each with its French sentence.
//!
//! Messages never quote the value at fault, so that a report can go into a ticket or a log
//! without copying a NIR.

use std::fmt;

/// One problem of a lot file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestError {
    /// The physical line of the file, from 1 (in CSV, the header is line 1).
    pub line: u64,
    /// The field (JSON) or column (CSV) at fault, when the problem belongs to one; a care
    /// line's field in JSON is named with its position, `actes[2].quantite` (from 1).
    pub field: Option<String>,
    /// What is wrong.
    pub kind: IngestErrorKind,
}

/// What is wrong, whatever the line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IngestErrorKind {
    /// The file could not be read (input/output failure).
    #[error("the file could not be read: {0}")]
    Read(String),
    /// The file holds nothing.
    #[error("the file is empty")]
    Empty,
    /// The file is not UTF-8.
    #[error("not UTF-8")]
    NotUtf8,
    /// A JSON line is longer than [`super::MAX_LINE_BYTES`].
    #[error("line longer than the limit")]
    LineTooLong,
    /// A JSON line is not valid JSON (column in the line, from 1).
    #[error("not valid JSON (column {0})")]
    Json(usize),
    /// A JSON line is not an object.
    #[error("not a JSON object")]
    NotAnObject,
    /// The first JSON line is not `{"lot": {...}}`.
    #[error("the first line is not the lot header")]
    LotHeaderExpected,
    /// A line after the first is a second lot header.
    #[error("a second lot header")]
    SecondLotHeader,
    /// A CSV row does not have as many cells as the header (or cannot be read as CSV).
    #[error("{found} cells where the header has {expected}")]
    CellCount {
        /// Cells in the header.
        expected: u64,
        /// Cells in the row.
        found: u64,
    },
    /// The CSV header lacks a column (named in `field`).
    #[error("missing column")]
    MissingColumn,
    /// The CSV header names a column twice.
    #[error("column named twice")]
    DuplicateColumn,
    /// A field or column this format does not know (a typo, often).
    #[error("unknown field")]
    UnknownField,
    /// A required field is absent or empty.
    #[error("required field missing")]
    Missing,
    /// A field's value breaks its rule, said in French.
    #[error("invalid value: {0}")]
    Invalid(&'static str),
    /// A sheet has no care line.
    #[error("a sheet without any care line")]
    NoCareLine,
    /// A sheet has more than [`super::MAX_CARE_LINES`] care lines.
    #[error("too many care lines")]
    TooManyCareLines,
    /// The lot has no sheet.
    #[error("a lot without any sheet")]
    NoSheet,
    /// A sheet number is not above the previous sheet's.
    #[error("sheet {number} after sheet {previous}")]
    OutOfOrder {
        /// The sheet number read.
        number: u32,
        /// The previous sheet's number.
        previous: u32,
    },
    /// An arrêts file holds no arrêt.
    #[error("a file without any arrêt")]
    NoArret,
    /// An arrêt with the same employer and reference was read before.
    #[error("same arrêt as line {first_line}")]
    DuplicateArret {
        /// The line the arrêt was first read on.
        first_line: u64,
    },
    /// A CSV cell repeated on every row (lot or sheet) differs from its first row.
    #[error("differs from line {first_line}")]
    Inconsistent {
        /// The line the value was first read on.
        first_line: u64,
    },
}

impl IngestErrorKind {
    /// What is wrong, in French, without the location.
    pub fn message_fr(&self) -> String {
        match self {
            IngestErrorKind::Read(detail) => format!("le fichier n'a pas pu être lu ({detail})"),
            IngestErrorKind::Empty => "le fichier est vide".to_owned(),
            IngestErrorKind::NotUtf8 => "le texte n'est pas en UTF-8".to_owned(),
            IngestErrorKind::LineTooLong => format!(
                "ligne trop longue (au plus {} octets)",
                super::MAX_LINE_BYTES
            ),
            IngestErrorKind::Json(column) => {
                format!("JSON illisible (colonne {column} de la ligne)")
            }
            IngestErrorKind::NotAnObject => "un objet JSON { … } est attendu".to_owned(),
            IngestErrorKind::LotHeaderExpected => {
                "la première ligne doit être l'en-tête du lot, {\"lot\": {…}}".to_owned()
            }
            IngestErrorKind::SecondLotHeader => {
                "un fichier ne contient qu'un lot : second en-tête de lot".to_owned()
            }
            IngestErrorKind::CellCount { expected, found } => {
                format!("{found} cellules au lieu de {expected} (celles de l'en-tête)")
            }
            IngestErrorKind::MissingColumn => "colonne absente de l'en-tête".to_owned(),
            IngestErrorKind::DuplicateColumn => "colonne nommée deux fois".to_owned(),
            IngestErrorKind::UnknownField => {
                "champ inconnu (voir docs/claims-format.md)".to_owned()
            }
            IngestErrorKind::Missing => "champ obligatoire absent ou vide".to_owned(),
            IngestErrorKind::Invalid(reason) => (*reason).to_owned(),
            IngestErrorKind::NoCareLine => "la feuille ne compte aucun acte".to_owned(),
            IngestErrorKind::TooManyCareLines => {
                format!("la feuille compte plus de {} actes", super::MAX_CARE_LINES)
            }
            IngestErrorKind::NoSheet => "le lot ne compte aucune feuille".to_owned(),
            IngestErrorKind::OutOfOrder { number, previous } => format!(
                "feuille {number} après la feuille {previous} : les feuilles se suivent par \
                 numéro croissant, chacune une seule fois, et en CSV les lignes d'une feuille \
                 sont contiguës"
            ),
            IngestErrorKind::NoArret => "le fichier ne compte aucun arrêt de travail".to_owned(),
            IngestErrorKind::DuplicateArret { first_line } => format!(
                "arrêt déjà présent ligne {first_line} (même SIRET d'employeur et même \
                 reference_arret) : chaque arrêt figure une seule fois"
            ),
            IngestErrorKind::Inconsistent { first_line } => format!(
                "valeur différente de celle de la ligne {first_line} (elle se répète à \
                 l'identique sur chaque ligne)"
            ),
        }
    }
}

impl IngestError {
    /// A problem of the whole line.
    pub(crate) fn at(line: u64, kind: IngestErrorKind) -> IngestError {
        IngestError {
            line,
            field: None,
            kind,
        }
    }

    /// A problem of one field.
    pub(super) fn field(line: u64, field: impl Into<String>, kind: IngestErrorKind) -> Self {
        IngestError {
            line,
            field: Some(field.into()),
            kind,
        }
    }

    /// « ligne 12, champ date_soins : date invalide (attendu AAAA-MM-JJ) ».
    pub fn message_fr(&self) -> String {
        match &self.field {
            Some(field) => format!(
                "ligne {}, champ {field} : {}",
                self.line,
                self.kind.message_fr()
            ),
            None => format!("ligne {} : {}", self.line, self.kind.message_fr()),
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_fr())
    }
}

impl std::error::Error for IngestError {}
