//! The claims engine's edge in core: the reference files of `reference/` turned into
//! [`caisse_domain::claims::ReferenceTables`] (`reference_files`), loaded into the database
//! whole and read back (`reference_data`), and the lots of care sheets professionals send,
//! read as a stream (`ingest`). The liquidation itself is pure and lives in
//! `caisse_domain::claims`.

mod csv_rows;
pub mod ingest;
pub mod reference_data;
mod reference_files;
pub mod sepa;

pub use csv_rows::ReferenceFileError;
pub use reference_files::{ReferenceFiles, parse_reference_files};

/// An ISO date, `2024-12-22`: how the reference files and the lots write dates.
fn iso_date(text: &str) -> Option<time::Date> {
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}
