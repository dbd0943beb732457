//! The liquidation worker's step: a batch of received sheets liquidated in one transaction
//! with their lines, the beneficiaries' counters and the debts they create. A crash before
//! the commit leaves the batch received; the next run does it again from the same state, so
//! nothing is counted or paid twice.

use std::collections::HashMap;
use std::sync::Arc;

use caisse_domain::Instant;
use caisse_domain::claims::{CareSheet, Counters, Liquidation, ReferenceTables, liquidate};
use caisse_store::claims::counters::{self, Beneficiary};
use caisse_store::claims::debts::NewDebt;
use caisse_store::claims::lines::{self, SheetLines};
use caisse_store::claims::sheets::{self, ReceivedSheet};
use caisse_store::claims::{context, debts, try_lock_members};
use caisse_store::{Backend, Db, TransactionTrait, database_backend};
use time::OffsetDateTime;
use tokio::task::JoinSet;
use uuid::Uuid;

use super::situation::{NotCovered, situation_on};
use crate::CoreError;

/// What a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchReport {
    /// Sheets liquidated.
    pub liquidated: u64,
    /// Sheets rejected by the liquidation.
    pub rejected: u64,
    /// Sheets left received for a later batch: their member was being liquidated by another
    /// worker.
    pub deferred: u64,
}

impl BatchReport {
    /// Sheets done (liquidated or rejected).
    pub fn sheets(&self) -> u64 {
        self.liquidated + self.rejected
    }

    /// Sheets taken, done or deferred: none means nothing was left to liquidate.
    pub fn taken(&self) -> u64 {
        self.sheets() + self.deferred
    }
}

/// Liquidates up to `limit` received sheets, oldest care first. Several may run at once
/// (PostgreSQL): each takes sheets no other holds, and leaves for a later batch the sheets of
/// members another one is liquidating, so that each beneficiary's counters are read and
/// written by one batch at a time.
///
/// # Errors
/// When the database fails (the batch is rolled back and stays received).
#[tracing::instrument(name = "claims.liquidate_batch", skip_all)]
pub async fn liquidate_batch(
    db: &Db,
    tables: &ReferenceTables,
    limit: u64,
    now: OffsetDateTime,
) -> Result<BatchReport, CoreError> {
    let at = Instant::from(now);
    let txn = db.begin().await?;
    let taken = sheets::take_received(&txn, limit).await?;
    if taken.is_empty() {
        txn.commit().await?;
        return Ok(BatchReport::default());
    }
    let mut members: Vec<Uuid> = taken.iter().map(|s| s.member_id).collect();
    members.sort_unstable();
    members.dedup();
    let held = try_lock_members(&txn, &members).await?;
    members.retain(|m| held.contains(m));
    let taken_count = taken.len();
    let received: Vec<ReceivedSheet> = taken
        .into_iter()
        .filter(|s| held.contains(&s.member_id))
        .collect();
    let mut report = BatchReport {
        deferred: u64::try_from(taken_count - received.len()).unwrap_or(u64::MAX),
        ..BatchReport::default()
    };
    if received.is_empty() {
        txn.commit().await?;
        return Ok(report);
    }
    let families = context::by_id(&txn, &members).await?;
    let beneficiaries: Vec<Beneficiary> = received.iter().map(|s| (s.member_id, s.rank)).collect();
    let first_year = received
        .iter()
        .map(|s| s.date_of_care.year())
        .min()
        .unwrap_or(0);
    let before = counters::load(&txn, &beneficiaries, first_year).await?;
    let mut after: HashMap<Beneficiary, Counters> = before.clone();

    let mut done: Vec<(&ReceivedSheet, Liquidation)> = Vec::with_capacity(received.len());
    for sheet in &received {
        let beneficiary = (sheet.member_id, sheet.rank);
        let outcome = match families.get(&sheet.member_id) {
            None => Err("L'assuré n'est plus dans le fichier de la caisse.".to_owned()),
            Some(family) => match situation_on(family, sheet.rank, sheet.date_of_care) {
                Err(NotCovered::UnknownRank) => {
                    Err("Aucun bénéficiaire n'a plus ce rang sous ce NIR.".to_owned())
                }
                Err(NotCovered::NoRights) => Err(
                    "Le bénéficiaire n'avait pas de droits ouverts à la date des soins.".to_owned(),
                ),
                Ok(situation) => {
                    let care = care_sheet(sheet, family.nir.clone());
                    let counters = after.get(&beneficiary).cloned().unwrap_or_default();
                    liquidate(&care, &situation, tables, &counters).map_err(|e| e.message_fr())
                }
            },
        };
        match outcome {
            Ok(liquidation) => {
                after.insert(beneficiary, liquidation.counters.clone());
                done.push((sheet, liquidation));
            }
            Err(reason) => {
                if sheets::record_rejected(&txn, sheet.id, sheet.date_of_care, &reason, at).await? {
                    report.rejected += 1;
                }
            }
        }
    }

    let line_rows: Vec<(SheetLines<'_>, &[caisse_domain::claims::CareLine])> = done
        .iter()
        .map(|(sheet, l)| {
            (
                SheetLines {
                    sheet_id: sheet.id,
                    date_of_care: sheet.date_of_care,
                    member_id: sheet.member_id,
                    lines: &l.lines,
                },
                sheet.lines.as_slice(),
            )
        })
        .collect();
    lines::insert_many(&txn, &line_rows).await?;
    let liquidated: Vec<(Uuid, time::Date, &Liquidation)> = done
        .iter()
        .map(|(sheet, l)| (sheet.id, sheet.date_of_care, l))
        .collect();
    report.liquidated += sheets::record_liquidated_many(&txn, &liquidated, at).await?;
    let new_debts: Vec<NewDebt> = done
        .iter()
        .filter(|(_, l)| l.member_debt.cents() > 0)
        .map(|(sheet, l)| NewDebt {
            caisse: sheet.caisse,
            member_id: sheet.member_id,
            sheet_id: sheet.id,
            date_of_care: sheet.date_of_care,
            amount: l.member_debt,
        })
        .collect();
    debts::insert_many(&txn, &new_debts, at).await?;
    let empty = Counters::new();
    let changes: Vec<(Beneficiary, &Counters, &Counters)> = after
        .iter()
        .map(|(b, a)| (*b, before.get(b).unwrap_or(&empty), a))
        .collect();
    counters::save(&txn, &changes).await?;
    txn.commit().await?;
    Ok(report)
}

/// Liquidates every received sheet, `workers` batches side by side on PostgreSQL (each its
/// own transaction and connection, on its own task so that both the database and this
/// process use more than one core); SQLite, one writer at a time, takes one.
///
/// # Errors
/// When the database fails; the batches committed stay.
pub async fn liquidate_all(
    db: &Db,
    tables: Arc<ReferenceTables>,
    batch: u64,
    workers: usize,
    now: OffsetDateTime,
) -> Result<BatchReport, CoreError> {
    let workers = match database_backend(db) {
        Backend::Postgres => workers.max(1),
        Backend::Sqlite => 1,
    };
    let mut tasks = JoinSet::new();
    for _ in 0..workers {
        let (db, tables) = (db.clone(), Arc::clone(&tables));
        tasks.spawn(async move {
            let mut total = BatchReport::default();
            loop {
                let report = liquidate_batch(&db, &tables, batch, now).await?;
                total.liquidated += report.liquidated;
                total.rejected += report.rejected;
                if report.taken() == 0 {
                    return Ok::<_, CoreError>(total);
                }
                if report.sheets() == 0 {
                    // Every sheet taken was another worker's member: let it finish first.
                    tokio::task::yield_now().await;
                }
            }
        });
    }
    let mut total = BatchReport::default();
    while let Some(done) = tasks.join_next().await {
        let report = done.map_err(|e| CoreError::Task(e.to_string()))??;
        total.liquidated += report.liquidated;
        total.rejected += report.rejected;
    }
    Ok(total)
}

fn care_sheet(sheet: &ReceivedSheet, nir: caisse_domain::Nir) -> CareSheet {
    CareSheet {
        nir,
        rank: sheet.rank,
        professional: sheet.professional.clone(),
        prescriber: sheet.prescriber.clone(),
        date_of_care: sheet.date_of_care,
        tiers_payant: sheet.tiers_payant,
        parcours: sheet.parcours,
        lines: sheet.lines.clone(),
    }
}
