//! Bank transfers paying debts, as the fund's accounting reads them on its bank statement:
//! matched by the creditor reference the member quoted, recorded once per bank transaction.

use caisse_domain::{AmountCents, AuditAction, CaisseCode, CreditorReference, Instant};
use caisse_store::claims::debt_payments::{self, NewDebtPayment, PaymentChannel, PaymentRecorded};
use caisse_store::{Db, TransactionTrait};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{DebtService, TransferError};
use crate::audit::{self, Actor, RequestContext};

/// A transfer read on the fund's bank statement.
#[derive(Clone, Debug)]
pub struct TransferRecord {
    /// The fund whose account received it.
    pub caisse: CaisseCode,
    /// The reference the member quoted.
    pub reference: CreditorReference,
    /// The amount received.
    pub amount: AmountCents,
    /// The day of the transfer.
    pub date: Date,
    /// The bank's id of the transaction: the same id recorded again changes nothing.
    pub bank_transaction_id: String,
}

/// What recording a transfer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferOutcome {
    /// Recorded; this is what is left of the debt.
    Recorded {
        /// The debt.
        debt_id: Uuid,
        /// What is left to pay (0: settled).
        left: AmountCents,
    },
    /// This bank transaction was recorded before, for the same debt and amount.
    AlreadyRecorded {
        /// The debt.
        debt_id: Uuid,
    },
}

impl DebtService {
    /// Records a transfer at the service's clock: [`record_transfer`].
    ///
    /// # Errors
    /// As [`record_transfer`].
    pub async fn record_transfer(
        &self,
        transfer: &TransferRecord,
    ) -> Result<TransferOutcome, TransferError> {
        record_transfer(&self.db, transfer, self.now()).await
    }
}

/// Records a transfer against the debt of its reference in its fund: the balance goes down
/// by its amount, and the debt is settled when nothing is left; audited
/// `debt.transfer.recorded`. The same bank transaction id again is `AlreadyRecorded`.
///
/// # Errors
/// An unknown reference, an amount not above 0 or above the balance, a bank transaction
/// id already used for another debt or amount; `Core` when the database fails.
#[tracing::instrument(name = "debts.record_transfer", skip_all)]
pub async fn record_transfer(
    db: &Db,
    transfer: &TransferRecord,
    now: OffsetDateTime,
) -> Result<TransferOutcome, TransferError> {
    if transfer.amount.cents() <= 0 {
        return Err(TransferError::NotPositive);
    }
    let txn = db.begin().await?;
    let debt = debt_payments::by_reference(&txn, &transfer.reference)
        .await?
        .filter(|debt| debt.caisse == transfer.caisse)
        .ok_or(TransferError::UnknownReference)?;
    let recorded = debt_payments::record(
        &txn,
        NewDebtPayment {
            debt_id: debt.id,
            channel: PaymentChannel::Transfer,
            external_id: &transfer.bank_transaction_id,
            amount: transfer.amount,
            paid_on: transfer.date,
        },
        Instant::from(now),
    )
    .await?;
    match recorded {
        PaymentRecorded::Recorded => {
            audit::record(
                &txn,
                &RequestContext::default(),
                Actor::System,
                AuditAction::DebtTransferRecorded,
                Some(("debt", debt.id)),
                serde_json::json!({
                    "amount_cents": transfer.amount.cents(),
                    "date": transfer.date.to_string(),
                }),
                now,
            )
            .await?;
            txn.commit().await?;
            Ok(TransferOutcome::Recorded {
                debt_id: debt.id,
                left: AmountCents::new(debt.left().cents() - transfer.amount.cents()),
            })
        }
        PaymentRecorded::AlreadyRecorded { debt_id, amount }
            if debt_id == debt.id && amount == transfer.amount =>
        {
            Ok(TransferOutcome::AlreadyRecorded { debt_id })
        }
        PaymentRecorded::AlreadyRecorded { .. } => Err(TransferError::TransactionReused),
        PaymentRecorded::AboveBalance => Err(TransferError::AboveBalance { left: debt.left() }),
    }
}
