//! The repository's `reference/` files, built into the binary so that `caisse demo` liquidates
//! with the same figures as a loaded production database.

use caisse_store::Db;
use time::OffsetDateTime;

use crate::CoreError;
use crate::claims::ReferenceFiles;
use crate::claims::reference_data::{self, LoadOutcome};

/// The text of `reference/*.csv` at build time.
pub const REFERENCE_FILES: ReferenceFiles<'static> = ReferenceFiles {
    tariffs: include_str!("../../../../reference/tariffs.csv"),
    rates: include_str!("../../../../reference/rates.csv"),
    regime_local: include_str!("../../../../reference/regime_local.csv"),
    deductions: include_str!("../../../../reference/deductions.csv"),
    ij: include_str!("../../../../reference/ij.csv"),
    ij_maternite: include_str!("../../../../reference/ij_maternite.csv"),
    ij_at_mp: include_str!("../../../../reference/ij_at_mp.csv"),
    ij_charges: include_str!("../../../../reference/ij_charges.csv"),
};

/// Loads the built-in reference data unless some was loaded already.
pub(super) async fn seed(db: &Db, now: OffsetDateTime) -> Result<(), CoreError> {
    if reference_data::latest_load(db).await?.is_some() {
        return Ok(());
    }
    match reference_data::load(db, &REFERENCE_FILES, now).await? {
        LoadOutcome::Loaded(_) => Ok(()),
        LoadOutcome::Refused(error) => Err(CoreError::DemoSeed(error.message_fr())),
    }
}
