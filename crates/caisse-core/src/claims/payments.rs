//! Payments: liquidated sheets grouped into one payment per payee per payment day — the
//! member's IBAN on file, or the sender's in tiers payant; sheets liquidated later the same
//! day join the payee's payment until it is exported — each carrying its sheets, with
//! the member's open debts withheld first. A member without usable bank details (none on
//! file, a change in its cool-off, or frozen) waits, and so do the sheets of a sender
//! without a key. Sheets with nothing to pay are marked paid without a payment.

use std::collections::BTreeMap;

use caisse_domain::claims::{Payee, ProfessionalId};
use caisse_domain::{AmountCents, CaisseCode, Iban, Instant};
use caisse_store::claims::payments::{self, NewPayment, Payable};
use caisse_store::claims::{debts, senders};
use caisse_store::{Db, TransactionTrait, Tx, bank_changes, members};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::CoreError;

/// Sheets taken per run.
pub const SHEETS_PER_RUN: u64 = 20_000;

/// What a run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaymentRun {
    /// Payments made.
    pub payments: u64,
    /// Sheets marked paid.
    pub sheets: u64,
    /// Sheets left waiting (bank details unusable, sender unknown).
    pub waiting: u64,
    /// What the payments transfer, in all.
    pub transferred: AmountCents,
    /// What they withheld for debts.
    pub recovered: AmountCents,
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum PayeeKey {
    Member(Uuid),
    Sender(String),
}

/// Pays, on `day`, up to [`SHEETS_PER_RUN`] liquidated sheets, in one transaction.
///
/// # Errors
/// When the database fails (nothing is paid then).
#[tracing::instrument(name = "claims.make_payments", skip_all)]
pub async fn make_payments(
    db: &Db,
    day: Date,
    now: OffsetDateTime,
) -> Result<PaymentRun, CoreError> {
    let at = Instant::from(now);
    let txn = db.begin().await?;
    let payable = payments::payable(&txn, SHEETS_PER_RUN).await?;
    let mut groups: BTreeMap<(String, PayeeKey), Vec<Payable>> = BTreeMap::new();
    for p in payable {
        let key = match p.payee {
            Payee::Member => PayeeKey::Member(p.member_id),
            Payee::Professional => PayeeKey::Sender(p.sender.code()),
            // Employers are paid indemnités journalières only (`ij_payments`), never a sheet.
            Payee::Employer => continue,
        };
        groups
            .entry((p.caisse.as_str().to_owned(), key))
            .or_default()
            .push(p);
    }
    let mut run = PaymentRun::default();
    for ((_, key), sheets) in groups {
        let Some(first) = sheets.first() else {
            continue;
        };
        let caisse = first.caisse;
        let (due, nothing): (Vec<&Payable>, Vec<&Payable>) =
            sheets.iter().partition(|p| p.paid.cents() > 0);
        let nothing: Vec<(Uuid, Date)> = nothing
            .iter()
            .map(|p| (p.sheet_id, p.date_of_care))
            .collect();
        payments::mark_paid(&txn, &nothing, None, at).await?;
        run.sheets += count(&nothing);
        if due.is_empty() {
            continue;
        }
        let payee = match &key {
            PayeeKey::Member(member) => member_payee(&txn, *member).await?,
            PayeeKey::Sender(_) => sender_payee(&txn, caisse, &first.sender).await?,
        };
        let Some((name, iban)) = payee else {
            run.waiting += count(&due);
            continue;
        };
        let ids: Vec<(Uuid, Date)> = due.iter().map(|p| (p.sheet_id, p.date_of_care)).collect();
        let amount = due
            .iter()
            .fold(0_i64, |sum, p| sum.saturating_add(p.paid.cents()));
        let open = match key {
            PayeeKey::Member(member) => debts::open_of(&txn, member).await?,
            PayeeKey::Sender(_) => Vec::new(),
        };
        let mut recovered = 0_i64;
        let mut recoveries = Vec::new();
        for debt in open {
            let take = debt.left().cents().min(amount - recovered);
            if take <= 0 {
                break;
            }
            recovered += take;
            recoveries.push((debt, take));
        }
        let member_id = (first.payee == Payee::Member).then_some(first.member_id);
        let sender = (first.payee == Payee::Professional).then_some(&first.sender);
        let transferred = AmountCents::new(amount - recovered);
        let withheld = AmountCents::new(recovered);
        let open = payments::open_for(&txn, caisse, day, first.payee, member_id, sender).await?;
        let id = match open {
            Some(id) => {
                payments::add_to(&txn, id, day, transferred, withheld, &ids, at).await?;
                id
            }
            None => {
                payments::insert(
                    &txn,
                    NewPayment {
                        caisse,
                        day,
                        payee: first.payee,
                        member_id,
                        sender,
                        employer: None,
                        payee_name: &name,
                        iban: &iban,
                        amount: transferred,
                        recovered: withheld,
                        sheets: &ids,
                    },
                    at,
                )
                .await?
            }
        };
        for (debt, take) in recoveries {
            debts::recover(&txn, &debt, id, AmountCents::new(take), at).await?;
        }
        if open.is_none() {
            run.payments += 1;
        }
        run.sheets += count(&ids);
        run.transferred = AmountCents::new(run.transferred.cents() + amount - recovered);
        run.recovered = AmountCents::new(run.recovered.cents() + recovered);
    }
    txn.commit().await?;
    Ok(run)
}

fn count<T>(items: &[T]) -> u64 {
    u64::try_from(items.len()).unwrap_or(u64::MAX)
}

/// The member's name and IBAN, when payments may go there: an IBAN on file, no change in
/// its cool-off, bank details not frozen.
pub(super) async fn member_payee(
    txn: &Tx,
    member: Uuid,
) -> Result<Option<(String, Iban)>, CoreError> {
    let Some(record) = members::find(txn, member).await? else {
        return Ok(None);
    };
    let Some(iban) = record.iban.clone() else {
        return Ok(None);
    };
    if bank_changes::pending_of(txn, member).await?.is_some() {
        return Ok(None);
    }
    if members::find_account(txn, member)
        .await?
        .is_some_and(|account| account.bank_frozen)
    {
        return Ok(None);
    }
    Ok(Some((record.display_name(), iban)))
}

/// The sender's name and IBAN, from its newest key.
async fn sender_payee(
    txn: &Tx,
    caisse: CaisseCode,
    sender: &ProfessionalId,
) -> Result<Option<(String, Iban)>, CoreError> {
    Ok(senders::newest(txn, caisse, sender)
        .await?
        .map(|s| (s.name, s.iban)))
}
