//! `caisse admin debts …`: members' debts, as the fund's accounting records what its bank
//! received.

use anyhow::{anyhow, bail};
use caisse_core::debts::{TransferError, TransferOutcome, TransferRecord, record_transfer};
use caisse_domain::french::amount;
use caisse_domain::{AmountCents, CreditorReference};

use super::claims::{fund, iso_day};
use crate::cli::DebtsCommand;

/// Runs a `debts` command.
pub async fn run(db: &caisse_store::Db, command: DebtsCommand) -> anyhow::Result<()> {
    let DebtsCommand::RecordTransfer {
        caisse,
        reference,
        amount_cents,
        date,
        bank_transaction_id,
    } = command;
    let bank_transaction_id = bank_transaction_id.trim().to_owned();
    if bank_transaction_id.is_empty() || bank_transaction_id.len() > 64 {
        bail!("l'identifiant de la transaction bancaire compte 1 à 64 caractères");
    }
    let transfer = TransferRecord {
        caisse: fund(&caisse)?,
        reference: CreditorReference::parse(&reference)
            .map_err(|e| anyhow!("{}", e.message_fr()))?,
        amount: AmountCents::new(amount_cents),
        date: iso_day(&date)?,
        bank_transaction_id,
    };
    match record_transfer(db, &transfer, caisse_store::now_utc()).await {
        Ok(TransferOutcome::Recorded { left, .. }) if left.cents() == 0 => {
            println!(
                "Virement de {} enregistré sur {} : la somme est réglée.",
                amount(transfer.amount),
                transfer.reference.grouped()
            );
            Ok(())
        }
        Ok(TransferOutcome::Recorded { left, .. }) => {
            println!(
                "Virement de {} enregistré sur {} : reste à payer {}.",
                amount(transfer.amount),
                transfer.reference.grouped(),
                amount(left)
            );
            Ok(())
        }
        Ok(TransferOutcome::AlreadyRecorded { .. }) => {
            println!("Cette transaction bancaire est déjà enregistrée : rien n'a changé.");
            Ok(())
        }
        Err(TransferError::UnknownReference) => bail!(
            "aucune somme à payer de la caisse {} n'a la référence {}",
            transfer.caisse.as_str(),
            transfer.reference.grouped()
        ),
        Err(TransferError::AboveBalance { left }) => bail!(
            "le montant ({}) dépasse le reste à payer de {} ({})",
            amount(transfer.amount),
            transfer.reference.grouped(),
            amount(left)
        ),
        Err(TransferError::TransactionReused) => bail!(
            "cette transaction bancaire est déjà enregistrée pour une autre somme ou un autre montant"
        ),
        Err(TransferError::NotPositive) => bail!("le montant doit être supérieur à 0"),
        Err(TransferError::Core(error)) => Err(error.into()),
    }
}
