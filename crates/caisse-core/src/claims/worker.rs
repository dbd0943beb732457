//! The claims worker, run by `caisse worker` and `caisse serve`: it liquidates received
//! sheets by batches, then pays what is liquidated and the indemnités journalières due, and creates the coming months'
//! partitions ahead (PostgreSQL). Each step is its own transaction; a killed worker leaves
//! every batch either done or untouched.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use caisse_domain::paris_time::paris_time;
use caisse_store::Db;
use caisse_store::claims::partitions;
use time::{Date, Duration};
use tokio_util::sync::CancellationToken;

use super::complements::pay_complements;
use super::debt_notices::{NoticeRun, issue_debt_notices};
use super::ij_payments::pay_ij;
use super::liquidation::{BatchReport, liquidate_all};
use super::payments::{PaymentRun, make_payments};
use super::reference_data;
use crate::CoreError;
use crate::clock::Clock;
use crate::debts::FundAccount;

/// How the worker paces itself.
#[derive(Clone, Copy, Debug)]
pub struct ClaimsWorkerSettings {
    /// Sheets liquidated per transaction.
    pub batch: u64,
    /// Liquidation batches run side by side (PostgreSQL; SQLite runs one).
    pub liquidators: usize,
    /// Pause once everything is done.
    pub poll_interval: StdDuration,
    /// How long a member's debt waits for recovery before the *avis de sommes à payer*.
    pub debt_notice_after: Duration,
}

impl Default for ClaimsWorkerSettings {
    fn default() -> Self {
        ClaimsWorkerSettings {
            batch: 5_000,
            liquidators: 2,
            poll_interval: StdDuration::from_secs(5),
            debt_notice_after: Duration::days(DEBT_NOTICE_DAYS),
        }
    }
}

/// Days before the *avis de sommes à payer*, by default (UNCONFIRMED: the briefs give no
/// figure; `CAISSE_CLAIMS_DEBT_NOTICE_DAYS` sets it).
pub const DEBT_NOTICE_DAYS: i64 = 90;

/// How often the notices are looked for (their query reads every open debt).
const NOTICES_EVERY: StdDuration = StdDuration::from_secs(3600);

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Liquidation, all batches together.
    pub liquidation: BatchReport,
    /// Payments, all runs together.
    pub payments: u64,
    /// Sheets paid.
    pub sheets_paid: u64,
    /// Payments of indemnités journalières paid (their `payments` are counted above).
    pub ij_paid: u64,
    /// Complements of corrected lines paid (their `payments` are counted above).
    pub complements_paid: u64,
}

/// The worker.
pub struct ClaimsWorker {
    db: Db,
    clock: Arc<dyn Clock>,
    settings: ClaimsWorkerSettings,
    transfer_account: Option<FundAccount>,
}

/// The months the importer and the worker may write: two years back for late sheets, two
/// months ahead for payments.
pub fn partition_span(today: Date) -> (Date, Date) {
    (
        today.saturating_sub(Duration::days(2 * 366 + 31)),
        today.saturating_add(Duration::days(62)),
    )
}

impl ClaimsWorker {
    /// A worker on `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, settings: ClaimsWorkerSettings) -> ClaimsWorker {
        ClaimsWorker {
            db,
            clock,
            settings,
            transfer_account: None,
        }
    }

    /// The fund's account that printed *avis de sommes à payer* offer for transfers.
    #[must_use]
    pub fn with_transfer_account(mut self, account: Option<FundAccount>) -> ClaimsWorker {
        self.transfer_account = account;
        self
    }

    /// Liquidates and pays until nothing is left.
    ///
    /// # Errors
    /// When the database fails; what was committed stays.
    pub async fn pass(&self) -> Result<Pass, CoreError> {
        let now = self.clock.now();
        let today = paris_time(now).date();
        let (from, to) = partition_span(today);
        partitions::ensure_months(&self.db, from, to).await?;
        let tables = Arc::new(reference_data::current(&self.db).await?);
        let mut pass = Pass {
            liquidation: liquidate_all(
                &self.db,
                tables,
                self.settings.batch,
                self.settings.liquidators,
                now,
            )
            .await?,
            ..Pass::default()
        };
        loop {
            let run: PaymentRun = make_payments(&self.db, today, now).await?;
            pass.payments += run.payments;
            pass.sheets_paid += run.sheets;
            if run.sheets == 0 {
                break;
            }
        }
        // Indemnités journalières whose period is over (`ij_payments`).
        loop {
            let run = pay_ij(&self.db, today, now).await?;
            pass.payments += run.payments;
            pass.ij_paid += run.sheets;
            if run.sheets == 0 {
                break;
            }
        }
        // Complements of lines corrected by the back office (`claims::corrections`).
        loop {
            let run = pay_complements(&self.db, today, now).await?;
            pass.payments += run.payments;
            pass.complements_paid += run.sheets;
            if run.sheets == 0 {
                break;
            }
        }
        Ok(pass)
    }

    /// Sends the *avis de sommes à payer* that are due.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn notices(&self) -> Result<NoticeRun, CoreError> {
        issue_debt_notices(
            &self.db,
            self.settings.debt_notice_after,
            self.transfer_account.as_ref(),
            self.clock.now(),
        )
        .await
    }

    /// Runs passes until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!("claims worker started");
        let mut notices_due = std::time::Instant::now();
        loop {
            if std::time::Instant::now() >= notices_due {
                notices_due = std::time::Instant::now() + NOTICES_EVERY;
                match self.notices().await {
                    Ok(run) if run.mailed + run.posted > 0 => {
                        tracing::info!(mailed = run.mailed, posted = run.posted, "debt notices")
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "debt notices failed"),
                }
            }
            match self.pass().await {
                Ok(pass)
                    if pass.liquidation.sheets() > 0
                        || pass.sheets_paid > 0
                        || pass.ij_paid > 0
                        || pass.complements_paid > 0 =>
                {
                    tracing::info!(
                        liquidated = pass.liquidation.liquidated,
                        rejected = pass.liquidation.rejected,
                        payments = pass.payments,
                        sheets_paid = pass.sheets_paid,
                        ij_paid = pass.ij_paid,
                        complements_paid = pass.complements_paid,
                        "claims pass"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "claims pass failed"),
            }
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(self.settings.poll_interval) => {}
            }
        }
        tracing::info!("claims worker stopped");
    }
}
