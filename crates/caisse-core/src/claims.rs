//! The claims engine's use cases: the reference files of `reference/` turned into
//! [`caisse_domain::claims::ReferenceTables`] (`reference_files`) and loaded (`reference_data`);
//! the lots of care sheets professionals send, read as a stream (`ingest`) and imported with
//! their acknowledgement (`import`, `acknowledgement`, by the keys of `senders`); the
//! liquidation of received sheets by batches (`liquidation`, with the beneficiary's
//! `situation` read from the rights), the payments (`payments`), their SEPA file (`sepa`)
//! and the day's export of it (`export`); a sheet as the member pages show it
//! (`statements`); the arrêts de travail imported with their schedule of indemnités
//! journalières (`arrets`) and paid once each period is over (`ij_payments`); the member's
//! payment documents as PDFs (`documents`: monthly statement, IJ attestation, relevé
//! fiscal); the `worker` that runs them. The liquidation itself is pure and lives in
//! `caisse_domain::claims`.

pub mod acknowledgement;
pub mod arrets;
pub mod c2s_reference;
pub mod complements;
pub mod corrections;
mod csv_rows;
pub mod debt_notices;
pub mod documents;
mod documents_ij;
mod documents_monthly;
pub mod export;
pub mod ij_payments;
pub mod import;
pub mod ingest;
pub mod liquidation;
pub mod member_payments;
pub mod payment_detail;
mod payment_notices;
pub mod payments;
pub mod reference_data;
mod reference_files;
pub mod senders;
pub mod sepa;
mod service;
pub mod situation;
pub mod staff_payments;
pub mod statements;
pub mod worker;

pub use c2s_reference::{C2sReferenceError, parse_c2s_reference};
pub use caisse_store::claims::member_payments::{MemberPaymentEntry, MemberPaymentHead};
pub use caisse_store::claims::senders::ClaimSender;
pub use csv_rows::ReferenceFileError;
pub use reference_files::{ReferenceFiles, parse_reference_files};
pub use service::ClaimsService;

/// An ISO date, `2024-12-22`: how the reference files and the lots write dates.
fn iso_date(text: &str) -> Option<time::Date> {
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}
