//! What the web layer calls of the claims engine: the lots professionals' software sends and
//! the files of arrêts de travail the fund's partners send, authenticated by a sender's key.

use std::io::Cursor;
use std::sync::Arc;

use caisse_store::Db;
use caisse_store::claims::lots::LotSource;
use caisse_store::claims::senders::ClaimSender;

use super::arrets::{ArretsOutcome, ArretsSubmitter, import_arrets};
use super::import::{ImportOutcome, Submitter, import_lot};
use super::ingest::Format;
use super::{reference_data, senders};
use crate::CoreError;
use crate::clock::Clock;

/// The claims engine for the web layer.
#[derive(Clone)]
pub struct ClaimsService {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl ClaimsService {
    /// The service over `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> ClaimsService {
        ClaimsService { db, clock }
    }

    /// The sender a key belongs to, if live.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn authenticate(&self, key: &str) -> Result<Option<ClaimSender>, CoreError> {
        senders::authenticate(&self.db, key).await
    }

    /// Imports a lot sent by `sender` (see [`import_lot`]); the body is read twice, once to
    /// check its form and once to import it.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn import(
        &self,
        sender: &ClaimSender,
        body: &[u8],
        format: Option<Format>,
    ) -> Result<ImportOutcome, CoreError> {
        let tables = reference_data::current(&self.db).await?;
        import_lot(
            &self.db,
            &tables,
            || Ok(Cursor::new(body)),
            format,
            Submitter::Key(sender),
            LotSource::Api,
            self.clock.now(),
        )
        .await
    }

    /// Imports a file of arrêts de travail sent by `sender` for its fund (see
    /// [`import_arrets`]); the body is read twice, once to check its form and once to import
    /// it.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn import_arrets(
        &self,
        sender: &ClaimSender,
        body: &[u8],
        format: Option<Format>,
    ) -> Result<ArretsOutcome, CoreError> {
        let tables = reference_data::current(&self.db).await?;
        import_arrets(
            &self.db,
            &tables,
            || Ok(Cursor::new(body)),
            format,
            ArretsSubmitter::Key(sender),
            self.clock.now(),
        )
        .await
    }
}
