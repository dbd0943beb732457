//! Loading the reference data into the database (`caisse admin reference load`) and reading
//! the tables in force. A load parses the eight files first: one bad cell and nothing is
//! written. Otherwise the whole reference data is replaced in one transaction, with the
//! record of the load and its audit event.

use std::fmt;
use std::fmt::Write as _;

use caisse_domain::claims::{ReferenceTables, Table};
use caisse_domain::{AuditAction, Instant};
use caisse_store::reference::{self, ReferenceLoad};
use caisse_store::{Db, TransactionTrait};
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{ReferenceFileError, ReferenceFiles, parse_reference_files};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// Audit action of a load.
pub const AUDIT_ACTION: AuditAction = AuditAction::ReferenceLoaded;

/// The tables in the order of [`ReferenceTables::row_counts`].
pub const TABLES: [Table; 8] = Table::ALL;

/// What a load wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadSummary {
    /// Rows per table, in the order of [`TABLES`].
    pub rows: [usize; 8],
    /// SHA-256 of the files, in hex: the same files give the same digest.
    pub digest: String,
    /// The id of the load's record, the subject of its audit event.
    pub load_id: Uuid,
}

impl fmt::Display for LoadSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tables: Vec<String> = TABLES
            .iter()
            .zip(self.rows)
            .map(|(table, rows)| format!("{} {rows}", table.file_name()))
            .collect();
        write!(f, "{} ; empreinte {}", tables.join(", "), self.digest)
    }
}

/// What became of a load.
#[derive(Debug)]
pub enum LoadOutcome {
    /// The files replaced the reference data.
    Loaded(LoadSummary),
    /// A file was refused; nothing was written.
    Refused(ReferenceFileError),
}

/// SHA-256 over each file's name and text, in the order of [`TABLES`].
pub fn digest(files: &ReferenceFiles<'_>) -> String {
    let mut hasher = Sha256::new();
    for (table, text) in TABLES.iter().zip(files.texts()) {
        hasher.update(table.file_name().as_bytes());
        hasher.update([0]);
        hasher.update(u64::try_from(text.len()).unwrap_or(u64::MAX).to_be_bytes());
        hasher.update(text.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Parses the files and, if all of them are valid, replaces the reference data with them.
///
/// # Errors
/// When the database fails; nothing is written then either.
#[tracing::instrument(name = "reference_data.load", skip_all)]
pub async fn load(
    db: &Db,
    files: &ReferenceFiles<'_>,
    now: OffsetDateTime,
) -> Result<LoadOutcome, CoreError> {
    let tables = match parse_reference_files(files) {
        Ok(tables) => tables,
        Err(error) => return Ok(LoadOutcome::Refused(error)),
    };
    let record = ReferenceLoad {
        loaded_at: Instant::from(now),
        digest: digest(files),
        rows: tables.row_counts(),
    };
    let txn = db.begin().await?;
    reference::replace(&txn, &tables).await?;
    let id = reference::record_load(&txn, &record).await?;
    let summary = LoadSummary {
        rows: record.rows,
        digest: record.digest,
        load_id: id,
    };
    let [
        tariffs,
        rates,
        regime_local,
        deductions,
        ij,
        ij_maternite,
        ij_at_mp,
        ij_charges,
    ] = summary.rows;
    audit::record(
        &txn,
        &RequestContext::default(),
        Actor::System,
        AUDIT_ACTION,
        Some(("reference_load", id)),
        serde_json::json!({
            "digest": summary.digest,
            "tariffs": tariffs,
            "rates": rates,
            "regime_local": regime_local,
            "deductions": deductions,
            "ij": ij,
            "ij_maternite": ij_maternite,
            "ij_at_mp": ij_at_mp,
            "ij_charges": ij_charges,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(LoadOutcome::Loaded(summary))
}

/// The reference data in force (empty tables before the first load).
///
/// # Errors
/// When the database fails or a stored row no longer parses.
pub async fn current<C: caisse_store::ConnectionTrait>(
    db: &C,
) -> Result<ReferenceTables, CoreError> {
    Ok(reference::current(db).await?)
}

/// The last load, if any.
///
/// # Errors
/// When the database fails.
pub async fn latest_load(db: &Db) -> Result<Option<ReferenceLoad>, CoreError> {
    Ok(reference::latest_load(db).await?)
}

/// The rows of one table and the days they cover together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableSpan {
    /// The table.
    pub table: Table,
    /// How many rows.
    pub rows: usize,
    /// The first day of the earliest row, if any row.
    pub from: Option<Date>,
    /// The last day of the latest row; `None` when a row has no end (or no row).
    pub to: Option<Date>,
}

/// The span of each table, in the order of [`TABLES`].
pub fn spans(tables: &ReferenceTables) -> [TableSpan; 8] {
    let validities = [
        tables
            .tariffs()
            .iter()
            .map(|r| r.validity)
            .collect::<Vec<_>>(),
        tables.rates().iter().map(|r| r.validity).collect(),
        tables
            .regime_local_rules()
            .iter()
            .map(|r| r.validity)
            .collect(),
        tables.deductions().iter().map(|r| r.validity).collect(),
        tables.ij_parameters().iter().map(|r| r.validity).collect(),
        tables
            .ij_maternite_parameters()
            .iter()
            .map(|r| r.validity)
            .collect(),
        tables
            .ij_at_mp_parameters()
            .iter()
            .map(|r| r.validity)
            .collect(),
        tables
            .ij_charges_parameters()
            .iter()
            .map(|r| r.validity)
            .collect(),
    ];
    let mut spans = TABLES.map(|table| TableSpan {
        table,
        rows: 0,
        from: None,
        to: None,
    });
    for (span, periods) in spans.iter_mut().zip(validities) {
        span.rows = periods.len();
        span.from = periods.iter().map(|p| p.from()).min();
        let open = periods.iter().any(|p| p.to().is_none());
        span.to = if open {
            None
        } else {
            periods.iter().filter_map(|p| p.to()).max()
        };
    }
    spans
}
