//! The error type of the application layer.
//!
//! Expected failures that a user can act on are variants of each use case's own result type
//! (e.g. [`crate::auth::LoginError`]); `CoreError` carries the unexpected ones, which the web
//! layer turns into an opaque 500 after logging the cause chain. No variant carries personal
//! data: at most an id, a line number or the name of what failed.

use uuid::Uuid;

impl From<getrandom::Error> for CoreError {
    fn from(error: getrandom::Error) -> Self {
        CoreError::Randomness(error)
    }
}

/// An unexpected failure of a use case.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The storage layer failed, or a stored value no longer parses
    /// ([`caisse_store::StoreError::Corrupt`]).
    #[error("storage: {0}")]
    Store(#[from] caisse_store::StoreError),
    /// A database call outside the store's helpers failed (e.g. beginning a transaction).
    #[error("database: {0}")]
    Db(caisse_store::DbErr),
    /// Password hashing failed (bad parameters or a worker panic).
    #[error("password hashing: {0}")]
    Hashing(String),
    /// The operating system could not provide random bytes (a token, a code, a nonce).
    #[error("randomness: {0}")]
    Randomness(getrandom::Error),
    /// Deriving a sealing key or sealing a secret failed.
    #[error("sealing failed")]
    Sealing,
    /// A staff member's TOTP secret does not open with the server key (was it changed?);
    /// `caisse admin staff reset-totp` lets them enrol again.
    #[error(
        "staff {staff_id}: the TOTP secret cannot be opened with the current server key; \
         `caisse admin staff reset-totp` lets them enrol again"
    )]
    UnreadableTotpSecret {
        /// The staff account.
        staff_id: Uuid,
    },
    /// A TOTP secret, or the URI that hands it to an app, could not be built.
    #[error("unusable TOTP secret")]
    Totp,
    /// A JSON payload stored with a link or a letter no longer reads.
    #[error("stored {what} does not read")]
    UnreadablePayload {
        /// What payload.
        what: &'static str,
    },
    /// A value could not be written as JSON.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A mail or SMS template did not render (a bug in its wording).
    #[error("mail text: {0}")]
    MailText(#[from] crate::mails::TextError),
    /// A secret of an outbox message is not in its body (a bug in the mail's wording).
    #[error("a secret of an outbox message is not in its body")]
    SecretNotInBody,
    /// A member who must receive a login code has neither an email address nor a mobile
    /// number on file.
    #[error("member {member_id} has no email address nor mobile number for the login code")]
    NoCodeContact {
        /// The member.
        member_id: Uuid,
    },
    /// A PDF could not be rendered.
    #[error("PDF: {0}")]
    Pdf(#[from] caisse_pdf::PdfError),
    /// An attestation's statement could not be written or sealed.
    #[error("attestation statement: {0}")]
    Statement(#[from] crate::attestations::StatementError),
    /// The demo data does not hold together (a bad seed).
    #[error("demo data: {0}")]
    DemoSeed(String),
    /// An import lost track of the insured person of one of its lines (a bug, not a bad file).
    #[error("line {line}: insured person not resolved")]
    ImportUnresolved {
        /// The line of the file.
        line: u64,
    },
    /// The file store failed.
    #[error(transparent)]
    Files(#[from] crate::files::FileStoreError),
    /// A SEPA credit-transfer file could not be written (an output failure, or a payment the
    /// SEPA rules refuse).
    #[error("SEPA file: {0}")]
    Sepa(#[from] crate::claims::sepa::SepaError),
    /// A background task (image decoding, PDF rendering) stopped without an answer.
    #[error("background task: {0}")]
    Task(String),
    /// The help's shipped entries do not read, or its index could not be built.
    #[error("help: {0}")]
    Help(String),
}

impl CoreError {
    /// Whether the database could not be reached (a primary switch, a restart): the work may
    /// be tried again once it is back.
    pub fn is_unavailable(&self) -> bool {
        match self {
            CoreError::Store(error) => error.is_unavailable(),
            CoreError::Db(error) => caisse_store::availability::is_unavailable(error),
            _ => false,
        }
    }
}

impl From<caisse_store::DbErr> for CoreError {
    fn from(error: caisse_store::DbErr) -> CoreError {
        // Through the store's conversion, so an unreachable database is noted once, here too.
        match caisse_store::StoreError::from(error) {
            caisse_store::StoreError::Db(error) => CoreError::Db(error),
            other => CoreError::Store(other),
        }
    }
}
