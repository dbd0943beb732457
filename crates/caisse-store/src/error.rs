//! The storage error type.

/// What can go wrong in the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed the operation.
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    /// A row that should exist does not.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A stored value no longer parses into its domain type (corruption or a bad import).
    #[error("stored {field} is invalid")]
    Corrupt {
        /// Which column held the bad value.
        field: &'static str,
    },
}
