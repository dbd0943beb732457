//! The storage error type.

use std::fmt::Display;

/// What can go wrong in the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed the operation.
    #[error(transparent)]
    Db(sea_orm::DbErr),
    /// A row that should exist does not.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A stored value no longer parses into its domain type (corruption, a bad import, or a
    /// code written by a newer version). Never a panic: the row is named, never its value.
    #[error("{table}.{column} of row {row} does not parse")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The column that held the bad value.
        column: &'static str,
        /// The row's id.
        row: String,
    },
}

impl From<sea_orm::DbErr> for StoreError {
    fn from(error: sea_orm::DbErr) -> StoreError {
        // Every query's error passes here: the one place that notes an unreachable database.
        crate::availability::note(&error);
        StoreError::Db(error)
    }
}

impl StoreError {
    /// Whether the database could not be reached (worth retrying once it is back).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Db(error) if crate::availability::is_unavailable(error))
    }

    /// A [`StoreError::Corrupt`] for `column` of `table`'s row `row`, logged as it is made
    /// (with the row id, never the value, which may be personal data).
    pub fn corrupt(table: &'static str, column: &'static str, row: impl Display) -> StoreError {
        let row = row.to_string();
        tracing::error!(table, column, row = %row, "a stored value does not parse");
        StoreError::Corrupt { table, column, row }
    }
}
