//! Complementary payments of corrected lines (`line_corrections` applied with a complement
//! due): the payment run pays them as it pays sheets, one payment per payee per day — the
//! member's IBAN on file (none, a change in its cool-off or frozen details, and they wait), or
//! the sender's in tiers payant — joining the payee's payment of the day not yet exported, so
//! they appear in « Mes paiements » and in the day's SEPA file. No debt is withheld from a
//! complement. A complement is marked paid by its payment in the same transaction, so a run
//! redone after a crash never pays it twice.

use std::collections::{BTreeSet, HashSet};

use caisse_domain::claims::Payee;
use caisse_domain::{AmountCents, CaisseCode, Instant};
use caisse_store::claims::corrections::{self, NewComplementPayment};
use caisse_store::claims::payments;
use caisse_store::{Db, TransactionTrait};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::payment_notices;
use super::payments::{PayeeKey, PaymentRun, by_payee, sender_payee};
use crate::CoreError;

/// Complements taken per run.
pub const COMPLEMENTS_PER_RUN: u64 = 5_000;

/// Pays, on `day`, up to [`COMPLEMENTS_PER_RUN`] complements due, in one transaction. In the
/// returned run, `sheets` counts the complements paid and `waiting` those left waiting.
///
/// # Errors
/// When the database fails (nothing is paid then).
#[tracing::instrument(name = "claims.pay_complements", skip_all)]
pub async fn pay_complements(
    db: &Db,
    day: Date,
    now: OffsetDateTime,
) -> Result<PaymentRun, CoreError> {
    let at = Instant::from(now);
    let txn = db.begin().await?;
    let due = corrections::complements_due(&txn, COMPLEMENTS_PER_RUN).await?;
    let groups = by_payee(due, |c| (c.caisse, c.payee, c.member_id, &c.sender));
    let members: Vec<Uuid> = groups
        .keys()
        .filter_map(|(_, key)| match key {
            PayeeKey::Member(m) => Some(*m),
            PayeeKey::Sender(_) => None,
        })
        .collect();
    let member_payees = payments::member_payees(&txn, &members).await?;
    let mut run = PaymentRun::default();
    let mut concerned: BTreeSet<Uuid> = BTreeSet::new();
    for ((_, key), complements) in groups {
        let Some(first) = complements.first() else {
            continue;
        };
        let caisse: CaisseCode = first.caisse;
        let payee = match &key {
            PayeeKey::Member(member) => member_payees.get(member).cloned(),
            PayeeKey::Sender(_) => sender_payee(&txn, caisse, &first.sender).await?,
        };
        let count = u64::try_from(complements.len()).unwrap_or(u64::MAX);
        let Some((name, iban)) = payee else {
            run.waiting += count;
            continue;
        };
        let amount = AmountCents::new(
            complements
                .iter()
                .fold(0_i64, |sum, c| sum.saturating_add(c.complement.cents())),
        );
        let sheets = u64::try_from(
            complements
                .iter()
                .map(|c| c.sheet_id)
                .collect::<HashSet<_>>()
                .len(),
        )
        .unwrap_or(u64::MAX);
        let member_id = (first.payee == Payee::Member).then_some(first.member_id);
        let sender = (first.payee == Payee::Professional).then_some(&first.sender);
        let open = payments::open_for(&txn, caisse, day, first.payee, member_id, sender).await?;
        let payment_id = match open {
            Some(id) => {
                corrections::add_to_payment(&txn, id, day, amount, sheets).await?;
                id
            }
            None => {
                run.payments += 1;
                concerned.extend(member_id);
                corrections::insert_payment(
                    &txn,
                    NewComplementPayment {
                        caisse,
                        day,
                        payee: first.payee,
                        member_id,
                        sender,
                        payee_name: &name,
                        iban: &iban,
                        amount,
                        sheets,
                    },
                    at,
                )
                .await?
            }
        };
        if first.payee == Payee::Professional {
            concerned.extend(complements.iter().map(|c| c.member_id));
        }
        let ids: Vec<Uuid> = complements.iter().map(|c| c.id).collect();
        corrections::mark_complements_paid(&txn, &ids, payment_id).await?;
        run.sheets += count;
        run.transferred = AmountCents::new(run.transferred.cents() + amount.cents());
    }
    let concerned: Vec<Uuid> = concerned.into_iter().collect();
    payment_notices::enqueue(&txn, &concerned, at).await?;
    txn.commit().await?;
    Ok(run)
}
