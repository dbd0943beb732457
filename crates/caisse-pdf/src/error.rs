//! The one error type of the crate.
//!
//! Variants never carry the caller's text (names, addresses, codes), so an error can be
//! logged as it is; at most one unsupported character is named, by its code point.

/// Why a PDF could not be produced.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// [`render_letters`](crate::render_letters) was called with no letter: a print batch
    /// must hold at least one.
    #[error("no letter to render: a batch needs at least one letter")]
    NoLetters,
    /// [`render_documents`](crate::render_documents) was called with no document.
    #[error("no document to render")]
    NoDocuments,
    /// The PDF title, or the title of one document, is empty; PDF/UA requires one.
    #[error("a PDF and each of its documents need a non-empty title")]
    MissingTitle,
    /// The text holds a character that the embedded fonts cannot draw (PDF/UA forbids the
    /// empty `.notdef` glyph that would stand in for it).
    #[error("character U+{:04X} has no glyph in the embedded fonts", u32::from(*.0))]
    UnsupportedCharacter(char),
    /// A picture (a QR code) has no alternative text; PDF/UA requires one.
    #[error("a picture needs a non-empty alternative text")]
    MissingAltText,
    /// The data of a QR code does not fit in the largest symbol.
    #[error("the QR code data is too long")]
    QrCodeTooLong,
    /// A [`DossierDecisionLetter`](crate::DossierDecisionLetter) refuses a dossier without
    /// stating why: a refusal must give its reasons.
    #[error("a refusal needs its reasons")]
    MissingReasons,
    /// krilla refused to write the file: a PDF/UA validation failure or an internal error.
    /// The text is krilla's description, without document content.
    #[error("the PDF could not be written: {0}")]
    Rendering(String),
}
