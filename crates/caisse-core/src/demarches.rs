//! « Mes démarches » (issue 15): one engine for every online procedure. Procedures are data
//! ([`definitions`]: TOML files checked at start); a dossier is opened, filled step by step
//! and filed by the member (`member`), instructed and decided by advisors of its fund
//! (`staff`), or decided by silence at its due date (`jobs`). Every change is one
//! transaction with its hash-chained event (`chain`) and the member's mail; acceptance
//! applies the procedure's effect on the member file ([`effects`]) and the decision letter
//! is a PDF ([`letters`]).

mod chain;
mod decide;
pub mod definitions;
pub mod effects;
mod errors;
mod jobs;
pub mod letters;
mod member;
mod public;
mod reading;
mod service;
mod staff;
#[cfg(test)]
mod tests;
mod views;

pub use chain::holds as chain_holds;
pub use decide::Decision;
pub use definitions::{Catalogue, DefinitionError, DefinitionErrors, SHIPPED as SHIPPED_FILES};
pub use errors::DossierError;
pub use jobs::JobsRun;
pub use member::{GivenProcuration, Mandate, PieceUpload};
pub use public::{IDENTITY_BIRTH_DATE, IDENTITY_LAST_NAME, IDENTITY_NIR, PublicIdentity};
pub use service::{Demarches, DemarchesSettings, shipped_c2s_table};
pub use staff::{QUEUE_PAGE, QueueLine, QueuePage, QueueQuery, StaffDossier};
pub use views::{DossierSummary, DossierView, FamilyPerson, PieceView, TimelineEntry};
