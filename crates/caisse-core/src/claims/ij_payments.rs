//! Payments of indemnités journalières: the planned payments of the stored schedules
//! (`ij_payments`) due by the payment day (the day after their period) are grouped into the
//! `payments` of that day, one per payee: the member's IBAN on file (the rule of the care
//! sheets: none on file, a change in its cool-off or frozen bank details, and the IJ wait),
//! or, under subrogation, the employer's IBAN given with the arrêt. They join the payee's
//! payment of the day not yet exported (the member's reimbursements included). The net is
//! paid; no debt is withheld from IJ. The members of new payments, and those whose IJ went to
//! their employer, get « Information de paiement » (`claims::payment_notices`).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use caisse_domain::claims::{IjPayee, Payee, Siret};
use caisse_domain::{AmountCents, CaisseCode, Iban, Instant};
use caisse_store::claims::arrets::{self, StoredArret};
use caisse_store::claims::ij_payments::{self, StoredIjPayment};
use caisse_store::claims::payments::{self, NewPayment};
use caisse_store::{Db, TransactionTrait, Tx};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::payment_notices;
use super::payments::{PaymentRun, member_payee};
use crate::CoreError;

/// IJ payments taken per run.
pub const IJ_PER_RUN: u64 = 20_000;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum PayeeKey {
    Member(Uuid),
    /// The employer's SIRET and IBAN.
    Employer(String, String),
}

/// Pays, on `day`, up to [`IJ_PER_RUN`] planned IJ payments due by `day`, in one
/// transaction. In the returned run, `sheets` counts the IJ payments marked paid and
/// `waiting` those left waiting; `recovered` is always 0.
///
/// # Errors
/// When the database fails (nothing is paid then).
#[tracing::instrument(name = "claims.pay_ij", skip_all)]
pub async fn pay_ij(db: &Db, day: Date, now: OffsetDateTime) -> Result<PaymentRun, CoreError> {
    let at = Instant::from(now);
    let txn = db.begin().await?;
    let due = ij_payments::due(&txn, day, IJ_PER_RUN).await?;
    let mut arrets: HashMap<Uuid, StoredArret> = HashMap::new();
    let mut groups: BTreeMap<(String, PayeeKey), Vec<StoredIjPayment>> = BTreeMap::new();
    let mut run = PaymentRun::default();
    for p in due {
        let key = match p.payment.payee {
            IjPayee::Member => PayeeKey::Member(p.member_id),
            IjPayee::Employer => {
                let arret = match arrets.entry(p.arret_id) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(slot) => slot.insert(
                        arrets::by_id(&txn, p.arret_id)
                            .await?
                            .ok_or(CoreError::UnreadablePayload { what: "arrêt" })?,
                    ),
                };
                let Some(iban) = &arret.employer_iban else {
                    // The reader requires it with a subrogation: an arrêt stored otherwise waits.
                    run.waiting += 1;
                    continue;
                };
                PayeeKey::Employer(
                    arret.arret.employer.as_str().to_owned(),
                    iban.as_str().to_owned(),
                )
            }
        };
        groups
            .entry((p.caisse.as_str().to_owned(), key))
            .or_default()
            .push(p);
    }
    // Whom « Information de paiement » tells: a member's new payment, or their IJ paid to
    // their employer.
    let mut concerned: BTreeSet<Uuid> = BTreeSet::new();
    for ((_, key), due) in groups {
        let Some(first) = due.first() else {
            continue;
        };
        let caisse = first.caisse;
        let (to_pay, nothing): (Vec<&StoredIjPayment>, Vec<&StoredIjPayment>) =
            due.iter().partition(|p| p.payment.amounts.net.cents() > 0);
        let nothing: Vec<Uuid> = nothing.iter().map(|p| p.id).collect();
        run.sheets += ij_payments::mark_paid(&txn, &nothing, None, at).await?;
        if to_pay.is_empty() {
            continue;
        }
        let amount = AmountCents::new(to_pay.iter().fold(0_i64, |sum, p| {
            sum.saturating_add(p.payment.amounts.net.cents())
        }));
        let ids: Vec<Uuid> = to_pay.iter().map(|p| p.id).collect();
        let paid = match &key {
            PayeeKey::Member(member) => {
                let Some((name, iban)) = member_payee(&txn, *member).await? else {
                    run.waiting += count(&ids);
                    continue;
                };
                let payee = Payee::Member;
                let open =
                    payments::open_for(&txn, caisse, day, payee, Some(*member), None).await?;
                let target = Target {
                    caisse,
                    day,
                    payee,
                    member_id: Some(*member),
                    employer: None,
                    name: &name,
                    iban: &iban,
                };
                pay(&txn, open, &target, amount, at).await?
            }
            PayeeKey::Employer(..) => {
                let arret = arrets
                    .get(&first.arret_id)
                    .ok_or(CoreError::UnreadablePayload { what: "arrêt" })?;
                let Some(iban) = &arret.employer_iban else {
                    run.waiting += count(&ids);
                    continue;
                };
                let employer = &arret.arret.employer;
                let name = employer_name(arret.employer_name.as_deref(), employer);
                let open = payments::open_for_employer(&txn, caisse, day, employer, iban).await?;
                let target = Target {
                    caisse,
                    day,
                    payee: Payee::Employer,
                    member_id: None,
                    employer: Some(employer),
                    name: &name,
                    iban,
                };
                pay(&txn, open, &target, amount, at).await?
            }
        };
        if paid.new {
            run.payments += 1;
        }
        match key {
            PayeeKey::Member(member) if paid.new => {
                concerned.insert(member);
            }
            PayeeKey::Member(_) => {}
            PayeeKey::Employer(..) => concerned.extend(to_pay.iter().map(|p| p.member_id)),
        }
        run.sheets += ij_payments::mark_paid(&txn, &ids, Some((paid.id, day)), at).await?;
        run.transferred = AmountCents::new(run.transferred.cents() + amount.cents());
    }
    let concerned: Vec<Uuid> = concerned.into_iter().collect();
    payment_notices::enqueue(&txn, &concerned, at).await?;
    txn.commit().await?;
    Ok(run)
}

/// The name on an employer's transfers: its raison sociale, else « Employeur SIRET … ».
fn employer_name(name: Option<&str>, siret: &Siret) -> String {
    match name {
        Some(name) => name.to_owned(),
        None => format!("Employeur SIRET {}", siret.as_str()),
    }
}

struct Target<'a> {
    caisse: CaisseCode,
    day: Date,
    payee: Payee,
    member_id: Option<Uuid>,
    employer: Option<&'a Siret>,
    name: &'a str,
    iban: &'a Iban,
}

struct Paid {
    id: Uuid,
    new: bool,
}

/// Adds `amount` to the payee's open payment of the day, or makes one.
async fn pay(
    txn: &Tx,
    open: Option<Uuid>,
    target: &Target<'_>,
    amount: AmountCents,
    at: Instant,
) -> Result<Paid, CoreError> {
    let nothing = AmountCents::new(0);
    if let Some(id) = open {
        payments::add_to(txn, id, target.day, amount, nothing, &[], at).await?;
        return Ok(Paid { id, new: false });
    }
    let id = payments::insert(
        txn,
        NewPayment {
            caisse: target.caisse,
            day: target.day,
            payee: target.payee,
            member_id: target.member_id,
            sender: None,
            employer: target.employer,
            payee_name: target.name,
            iban: target.iban,
            amount,
            recovered: nothing,
            sheets: &[],
        },
        at,
    )
    .await?;
    Ok(Paid { id, new: true })
}

fn count<T>(items: &[T]) -> u64 {
    u64::try_from(items.len()).unwrap_or(u64::MAX)
}
