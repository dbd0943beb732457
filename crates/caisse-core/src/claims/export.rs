//! The day's SEPA credit-transfer file: every payment of a fund and a day with something to
//! transfer, written by [`super::sepa::Pain001Writer`] as the database pages them, then marked
//! exported and audited, all in one transaction (`docs/payments.md`).
//!
//! A payment of 0 (its sheets wholly withheld for debts) is not a transfer: it is neither
//! written nor marked. A day may be exported again: the file then holds the same transfers
//! (under a new message id, since a bank refuses a message id twice), and the summary says
//! how many had been exported before. A day without any transfer writes nothing at all (not
//! even an empty document, which the schema refuses) and records nothing.

use std::io::Write;

use caisse_domain::claims::Payee;
use caisse_domain::french::numeric_date;
use caisse_domain::{AmountCents, AuditAction, CaisseCode, Instant};
use caisse_store::claims::payments::{self, StoredPayment};
use caisse_store::{Db, TransactionTrait};
use time::{Date, OffsetDateTime};

use super::sepa::{CreditTransfer, Debtor, FileHeader, Pain001Writer, Totals};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// Payments read from the database at a time.
const PAGE: u64 = 1_000;

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// The file's message id; `None` when nothing was written.
    pub message_id: Option<String>,
    /// Transfers written.
    pub transfers: u64,
    /// Their sum (the file's control sum).
    pub sum: AmountCents,
    /// Of the transfers written, how many had been exported before (a re-export).
    pub already_exported: u64,
}

/// How many transfers `caisse` has on `day`, and how many of them were already exported: what
/// the command line checks before writing a file again.
///
/// # Errors
/// When the database fails.
pub async fn day_status(db: &Db, caisse: CaisseCode, day: Date) -> Result<(u64, u64), CoreError> {
    let day = payments::transfers_of_day(db, caisse, day).await?;
    Ok((day.count, day.exported))
}

/// Writes to `out` the SEPA file of the payments of `caisse` on `day`, debited from
/// `debtor`'s account on `day`, and marks them exported; audited.
///
/// A day without any transfer returns a summary of 0 and writes nothing to `out`. On an
/// error nothing is marked, and what was written to `out` must be thrown away.
///
/// # Errors
/// When the database fails, or the file cannot be written ([`CoreError::Sepa`]: an output
/// failure, or a payment the SEPA rules refuse, such as a payee's name with nothing left in
/// the SEPA character set).
#[tracing::instrument(name = "claims.export_day", skip_all, fields(caisse = caisse.as_str(), day = %day))]
pub async fn export_day(
    db: &Db,
    caisse: CaisseCode,
    day: Date,
    debtor: &Debtor,
    out: impl Write,
    now: OffsetDateTime,
) -> Result<ExportSummary, CoreError> {
    let txn = db.begin().await?;
    let day_transfers = payments::transfers_of_day(&txn, caisse, day).await?;
    let Some(last) = day_transfers.last else {
        return Ok(ExportSummary::default());
    };
    let message_id = message_id(caisse, day, now);
    let header = FileHeader {
        message_id: message_id.clone(),
        created_at: now,
        execution_date: day,
        debtor: debtor.clone(),
    };
    let totals = Totals {
        count: day_transfers.count,
        sum: day_transfers.sum,
    };
    let mut writer = Pain001Writer::start(out, &header, totals)?;
    let mut after = None;
    loop {
        let page = payments::transfers_page(&txn, caisse, day, after, last, PAGE).await?;
        let Some(tail) = page.last() else {
            break;
        };
        after = Some(tail.id);
        for payment in &page {
            writer.write_transfer(&transfer(payment))?;
        }
    }
    // Checks that what was written adds up to the totals declared.
    writer.finish()?;
    let at = Instant::from(now);
    payments::mark_exported(&txn, caisse, day, last, at).await?;
    audit::record(
        &txn,
        &RequestContext::default(),
        Actor::System,
        AuditAction::ClaimPaymentsExported,
        None,
        serde_json::json!({
            "caisse": caisse.as_str(),
            "day": day.to_string(),
            "message_id": message_id,
            "transfers": day_transfers.count,
            "sum_cents": day_transfers.sum.cents(),
            "already_exported": day_transfers.exported,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ExportSummary {
        message_id: Some(message_id),
        transfers: day_transfers.count,
        sum: day_transfers.sum,
        already_exported: day_transfers.exported,
    })
}

/// `781-20250602-20250603091500`: the fund, the payment day and when the file was made, so
/// that a re-export has a message id of its own (27 characters of the SEPA set).
fn message_id(caisse: CaisseCode, day: Date, now: OffsetDateTime) -> String {
    let now = now.to_offset(time::UtcOffset::UTC);
    format!(
        "{}-{:04}{:02}{:02}-{:04}{:02}{:02}{:02}{:02}{:02}",
        caisse.as_str(),
        day.year(),
        u8::from(day.month()),
        day.day(),
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
    )
}

/// The transfer of a payment: its id as the end-to-end id (32 hexadecimal digits), the
/// payee's name and IBAN, and what the payee reads on their statement.
fn transfer(payment: &StoredPayment) -> CreditTransfer {
    let day = numeric_date(payment.day);
    let remittance = match payment.payee {
        Payee::Member => format!("Remboursement Assurance Maladie du {day}"),
        Payee::Professional => format!("Tiers payant Assurance Maladie du {day}"),
        Payee::Employer => format!("Indemnites journalieres subrogation du {day}"),
    };
    CreditTransfer {
        end_to_end_id: payment.id.simple().to_string(),
        creditor_name: payment.payee_name.clone(),
        creditor_iban: payment.iban.clone(),
        amount: payment.amount,
        remittance,
    }
}
