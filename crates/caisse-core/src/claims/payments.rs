//! Payments: liquidated sheets grouped into one payment per payee per payment day — the
//! member's IBAN on file, or the sender's in tiers payant; sheets liquidated later the same
//! day join the payee's payment until it is exported — each carrying its sheets, with the
//! payee's open debts withheld first, oldest first: the member's, or in tiers payant the
//! professional's (`sender_debts`, left by corrections of lines paid to them). A member
//! without usable bank details (none on file, a change in its cool-off, or frozen) waits, and
//! so do the sheets of a sender without a key. Sheets with nothing to pay are marked paid
//! without a payment.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use caisse_domain::claims::{Payee, ProfessionalId};
use caisse_domain::{AmountCents, CaisseCode, Iban, Instant};
use caisse_store::claims::debts::Debt;
use caisse_store::claims::payments::{self, NewPayment, Payable};
use caisse_store::claims::sender_debts::SenderDebt;
use caisse_store::claims::{debts, sender_debts, senders};
use caisse_store::{Db, TransactionTrait, Tx};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::payment_notices;
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

/// Who a payment of care goes to: a member, or a sender by its code.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum PayeeKey {
    Member(Uuid),
    Sender(String),
}

/// `items` grouped by fund and payee, in a stable order; `payee_of` tells an item's fund,
/// payee, member and sender. Employers are paid indemnités journalières only
/// (`ij_payments`), never care: their items are left out.
pub(super) fn by_payee<T>(
    items: Vec<T>,
    payee_of: impl Fn(&T) -> (CaisseCode, Payee, Uuid, &ProfessionalId),
) -> BTreeMap<(String, PayeeKey), Vec<T>> {
    let mut groups: BTreeMap<(String, PayeeKey), Vec<T>> = BTreeMap::new();
    for item in items {
        let (caisse, payee, member, sender) = payee_of(&item);
        let key = match payee {
            Payee::Member => PayeeKey::Member(member),
            Payee::Professional => PayeeKey::Sender(sender.code()),
            Payee::Employer => continue,
        };
        groups
            .entry((caisse.as_str().to_owned(), key))
            .or_default()
            .push(item);
    }
    groups
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
    let groups = by_payee(payable, |p| (p.caisse, p.payee, p.member_id, &p.sender));
    // The members to pay, read together rather than one by one: their bank details, their
    // open debts and their payments of the day not yet exported.
    let mut due_members: HashMap<CaisseCode, Vec<Uuid>> = HashMap::new();
    for ((_, key), sheets) in &groups {
        if let (PayeeKey::Member(member), Some(first)) = (key, sheets.first())
            && sheets.iter().any(|p| p.paid.cents() > 0)
        {
            due_members.entry(first.caisse).or_default().push(*member);
        }
    }
    let all_members: Vec<Uuid> = due_members.values().flatten().copied().collect();
    let member_payees = payments::member_payees(&txn, &all_members).await?;
    let mut open_debts = debts::open_of_many(&txn, &all_members).await?;
    // And the professionals' debts, in one statement too.
    let due_senders: Vec<(CaisseCode, String)> = groups
        .iter()
        .filter_map(|((_, key), sheets)| match (key, sheets.first()) {
            (PayeeKey::Sender(sender), Some(first))
                if sheets.iter().any(|p| p.paid.cents() > 0) =>
            {
                Some((first.caisse, sender.clone()))
            }
            _ => None,
        })
        .collect();
    let mut open_sender_debts = sender_debts::open_of_many(&txn, &due_senders).await?;
    let mut open_payments: HashMap<(CaisseCode, Uuid), Uuid> = HashMap::new();
    for (caisse, members) in &due_members {
        for (member, id) in payments::open_for_members(&txn, *caisse, day, members).await? {
            open_payments.insert((*caisse, member), id);
        }
    }

    let mut run = PaymentRun::default();
    let mut nothing_due: Vec<payments::SheetPaid> = Vec::new();
    let mut new_payments: Vec<PendingPayment> = Vec::new();
    let mut recoveries: Vec<(Debt, Uuid, AmountCents)> = Vec::new();
    let mut sender_recoveries: Vec<(Uuid, AmountCents)> = Vec::new();
    // Whom « Information de paiement » tells: the members of a new payment, or of tiers-payant
    // care paid now.
    let mut concerned: BTreeSet<Uuid> = BTreeSet::new();
    for ((_, key), sheets) in groups {
        let Some(first) = sheets.first() else {
            continue;
        };
        let caisse = first.caisse;
        let (due, nothing): (Vec<&Payable>, Vec<&Payable>) =
            sheets.iter().partition(|p| p.paid.cents() > 0);
        run.sheets += count(&nothing);
        nothing_due.extend(nothing.iter().map(|p| (p.sheet_id, p.date_of_care, None)));
        if due.is_empty() {
            continue;
        }
        let payee = match &key {
            PayeeKey::Member(member) => member_payees.get(member).cloned(),
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
        let (taken, sender_taken) = match &key {
            PayeeKey::Member(member) => (
                withhold(
                    open_debts.remove(member).unwrap_or_default(),
                    Debt::left,
                    amount,
                ),
                Vec::new(),
            ),
            PayeeKey::Sender(sender) => (
                Vec::new(),
                withhold(
                    open_sender_debts
                        .remove(&(caisse, sender.clone()))
                        .unwrap_or_default(),
                    SenderDebt::left,
                    amount,
                ),
            ),
        };
        let recovered = taken
            .iter()
            .map(|(_, take)| *take)
            .chain(sender_taken.iter().map(|(_, take)| *take))
            .sum::<i64>();
        sender_recoveries.extend(
            sender_taken
                .iter()
                .map(|(debt, take)| (debt.id, AmountCents::new(*take))),
        );
        let member_id = (first.payee == Payee::Member).then_some(first.member_id);
        let sender = (first.payee == Payee::Professional).then(|| first.sender.clone());
        let transferred = AmountCents::new(amount - recovered);
        let withheld = AmountCents::new(recovered);
        let tiers_payant = sender.is_some();
        let open = match member_id {
            Some(member) => open_payments.get(&(caisse, member)).copied(),
            None => {
                payments::open_for(&txn, caisse, day, first.payee, None, sender.as_ref()).await?
            }
        };
        let id = match open {
            Some(id) => {
                payments::add_to(&txn, id, day, transferred, withheld, &ids, at).await?;
                id
            }
            None => {
                let id = Uuid::now_v7();
                concerned.extend(member_id);
                new_payments.push(PendingPayment {
                    id,
                    caisse,
                    payee: first.payee,
                    member_id,
                    sender,
                    name,
                    iban,
                    amount: transferred,
                    recovered: withheld,
                    sheets: ids.clone(),
                });
                run.payments += 1;
                id
            }
        };
        if tiers_payant {
            concerned.extend(due.iter().map(|p| p.member_id));
        }
        recoveries.extend(
            taken
                .into_iter()
                .map(|(debt, take)| (debt, id, AmountCents::new(take))),
        );
        run.sheets += count(&ids);
        run.transferred = AmountCents::new(run.transferred.cents() + amount - recovered);
        run.recovered = AmountCents::new(run.recovered.cents() + recovered);
    }
    payments::mark_paid_many(&txn, &nothing_due, at).await?;
    let new: Vec<(Uuid, NewPayment<'_>)> = new_payments
        .iter()
        .map(|p| {
            (
                p.id,
                NewPayment {
                    caisse: p.caisse,
                    day,
                    payee: p.payee,
                    member_id: p.member_id,
                    sender: p.sender.as_ref(),
                    employer: None,
                    payee_name: &p.name,
                    iban: &p.iban,
                    amount: p.amount,
                    recovered: p.recovered,
                    sheets: &p.sheets,
                },
            )
        })
        .collect();
    payments::insert_many(&txn, &new, at).await?;
    let recoveries: Vec<(&Debt, Uuid, AmountCents)> = recoveries
        .iter()
        .map(|(debt, id, take)| (debt, *id, *take))
        .collect();
    debts::recover_many(&txn, &recoveries, at).await?;
    sender_debts::recover_many(&txn, &sender_recoveries, at).await?;
    let concerned: Vec<Uuid> = concerned.into_iter().collect();
    payment_notices::enqueue(&txn, &concerned, at).await?;
    txn.commit().await?;
    Ok(run)
}

/// A payment made by the run, written with the others at its end.
struct PendingPayment {
    id: Uuid,
    caisse: CaisseCode,
    payee: Payee,
    member_id: Option<Uuid>,
    sender: Option<ProfessionalId>,
    name: String,
    iban: Iban,
    amount: AmountCents,
    recovered: AmountCents,
    sheets: Vec<(Uuid, Date)>,
}

/// What a payment of `amount` withholds of `debts`, oldest first: each debt taken from, with
/// how much, until the payment or the debts run out.
fn withhold<D>(debts: Vec<D>, left: impl Fn(&D) -> AmountCents, amount: i64) -> Vec<(D, i64)> {
    let mut recovered = 0_i64;
    let mut taken = Vec::new();
    for debt in debts {
        let take = left(&debt).cents().min(amount - recovered);
        if take <= 0 {
            break;
        }
        recovered += take;
        taken.push((debt, take));
    }
    taken
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
    Ok(payments::member_payees(txn, &[member])
        .await?
        .remove(&member))
}

/// The sender's name and IBAN, from its newest key.
/// The name and IBAN a sender's payments go to, as it registered them last.
pub(super) async fn sender_payee(
    txn: &Tx,
    caisse: CaisseCode,
    sender: &ProfessionalId,
) -> Result<Option<(String, Iban)>, CoreError> {
    Ok(senders::newest(txn, caisse, sender)
        .await?
        .map(|s| (s.name, s.iban)))
}
