//! The shipped FAQ loaded into the database on first start: for every fund with staff (its
//! supervisors edit it) and for the deployment's fund (what visitors read). A fund that has its
//! FAQ keeps it; two nodes starting together load it once (the fund's row is the lock).

use caisse_domain::CaisseCode;
use caisse_store::TransactionTrait;
use caisse_store::help::{entries, queries};
use caisse_store::staff;
use time::Duration;

use super::{Help, QUESTIONS_KEPT_DAYS};
use crate::CoreError;

impl Help {
    /// Loads the shipped entries into every fund with staff, and the deployment's fund, that
    /// has no FAQ yet; returns how many funds got them.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "help.load_shipped", skip_all)]
    pub async fn load_shipped(&self) -> Result<usize, CoreError> {
        let mut funds: Vec<CaisseCode> = staff::list(&self.db)
            .await?
            .into_iter()
            .map(|s| s.caisse_code)
            .collect();
        funds.extend(self.public_fund);
        funds.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        funds.dedup();
        let mut loaded = 0;
        for fund in funds {
            if entries::generation(&self.db, fund).await?.is_none() && self.seed_fund(fund).await? {
                loaded += 1;
            }
        }
        Ok(loaded)
    }

    /// Loads the shipped entries as fund `caisse`'s FAQ unless it has one; returns whether
    /// this call did.
    pub(super) async fn seed_fund(&self, caisse: CaisseCode) -> Result<bool, CoreError> {
        let tx = self.db.begin().await?;
        let seeded = entries::seed(&tx, caisse, &self.shipped, self.now()).await?;
        tx.commit().await?;
        if seeded {
            tracing::info!(caisse = %caisse.as_str(), entries = self.shipped.len(), "shipped FAQ loaded");
        }
        Ok(seeded)
    }

    /// Forgets the questions asked more than [`QUESTIONS_KEPT_DAYS`] days ago; returns how
    /// many rows went.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn purge_questions(&self) -> Result<u64, CoreError> {
        let before = self.clock.now() - Duration::days(QUESTIONS_KEPT_DAYS);
        Ok(queries::purge(&self.db, before).await?)
    }
}
