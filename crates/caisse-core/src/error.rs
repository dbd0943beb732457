//! The error type of the application layer.
//!
//! Expected failures that a user can act on are variants of each use case's own result type
//! (e.g. [`crate::auth::LoginError`]); `CoreError` carries the unexpected ones, which the web
//! layer turns into an opaque 500 after logging the cause chain.

/// An unexpected failure of a use case.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The storage layer failed.
    #[error("storage: {0}")]
    Store(#[from] caisse_store::StoreError),
    /// A database call outside the store's helpers failed (e.g. beginning a transaction).
    #[error("database: {0}")]
    Db(#[from] caisse_store::DbErr),
    /// Password hashing failed (bad parameters or a worker panic).
    #[error("password hashing: {0}")]
    Hashing(String),
    /// Data that should be valid is not (a corrupt row or a bad seed).
    #[error("invalid data: {0}")]
    InvalidData(String),
    /// The file store failed.
    #[error(transparent)]
    Files(#[from] crate::files::FileStoreError),
    /// A background task (image decoding) stopped without an answer.
    #[error("background task: {0}")]
    Task(String),
}
