//! Debts paid or contested by the member (`caisse_core::debts`): transfers matched by the
//! creditor reference (full, partial, unknown, above the balance, replayed), and a contest that
//! pauses recovery by the payment runs until its réclamation is closed.

use std::sync::Arc;

use caisse_core::audit::RequestContext;
use caisse_core::claims::liquidation::liquidate_batch;
use caisse_core::claims::payments::make_payments;
use caisse_core::clock::ManualClock;
use caisse_core::debts::{TransferError, TransferOutcome, TransferRecord};
use caisse_core::files::ObjectFiles;
use caisse_core::passwords::{HashParams, PasswordHasherPool};
use caisse_core::{ServiceKeys, ServiceSettings, Services};
use caisse_domain::messaging::ThreadStatus;
use caisse_domain::{AmountCents, CaisseCode, CreditorReference, Instant};
use caisse_store::claims::debts::{self, Debt};
use time::macros::date;
use uuid::Uuid;

use crate::engine::{FUND, NOW, World, covered_member, g, header, import, sheet_line, world};

pub fn services(w: &World) -> Services {
    let hasher = PasswordHasherPool::new(
        HashParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        },
        1,
    )
    .unwrap();
    Services::build(
        w.t.db.clone(),
        Arc::new(ManualClock::new(NOW)),
        hasher,
        ServiceKeys::derive(b"0123456789abcdef0123456789abcdef").unwrap(),
        Arc::new(ObjectFiles::in_memory()),
        ServiceSettings::default(),
    )
}

/// A member owing 2.00 € of participation forfaitaire on a tiers payant sheet of `lot`.
async fn member_with_debt(w: &World, lot: u32) -> (String, Uuid, Debt) {
    let (nir, member) = covered_member(w, true).await;
    let text = [
        header(lot),
        sheet_line(1, nir.as_str(), 1, "2025-05-19", true, &g(3000)),
    ]
    .join("\n");
    import(w, &text).await;
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    let mut open = debts::open_of(&w.t.db, member).await.unwrap();
    assert_eq!(open.len(), 1);
    let debt = open.remove(0);
    assert_eq!(debt.amount.cents(), 200);
    (nir.as_str().to_owned(), member, debt)
}

fn transfer(reference: &CreditorReference, cents: i64, bank_id: &str) -> TransferRecord {
    TransferRecord {
        caisse: CaisseCode::parse(FUND).unwrap(),
        reference: reference.clone(),
        amount: AmountCents::new(cents),
        date: date!(2025 - 06 - 03),
        bank_transaction_id: bank_id.to_owned(),
    }
}

#[tokio::test]
async fn transfers_are_matched_by_reference_once_each() {
    let w = world().await;
    let s = services(&w);
    let (_, member, debt) = member_with_debt(&w, 40).await;
    let reference = debt.reference.clone().expect("a reference at insertion");

    let partial = s
        .debts
        .record_transfer(&transfer(&reference, 50, "BANK-1"))
        .await
        .unwrap();
    assert_eq!(
        partial,
        TransferOutcome::Recorded {
            debt_id: debt.id,
            left: AmountCents::new(150)
        }
    );
    // The same bank transaction again changes nothing.
    let replayed = s
        .debts
        .record_transfer(&transfer(&reference, 50, "BANK-1"))
        .await
        .unwrap();
    assert_eq!(
        replayed,
        TransferOutcome::AlreadyRecorded { debt_id: debt.id }
    );
    // The same bank id for another amount is refused.
    assert!(matches!(
        s.debts
            .record_transfer(&transfer(&reference, 60, "BANK-1"))
            .await,
        Err(TransferError::TransactionReused)
    ));
    assert!(matches!(
        s.debts
            .record_transfer(&transfer(&reference, 151, "BANK-2"))
            .await,
        Err(TransferError::AboveBalance { left }) if left.cents() == 150
    ));
    let unknown = CreditorReference::from_body("UNKNOWN0000000000").unwrap();
    assert!(matches!(
        s.debts
            .record_transfer(&transfer(&unknown, 10, "BANK-3"))
            .await,
        Err(TransferError::UnknownReference)
    ));
    // Another fund's transfer does not reach this fund's debt.
    let mut elsewhere = transfer(&reference, 10, "BANK-4");
    elsewhere.caisse = CaisseCode::parse("751").unwrap();
    assert!(matches!(
        s.debts.record_transfer(&elsewhere).await,
        Err(TransferError::UnknownReference)
    ));

    let full = s
        .debts
        .record_transfer(&transfer(&reference, 150, "BANK-5"))
        .await
        .unwrap();
    assert_eq!(
        full,
        TransferOutcome::Recorded {
            debt_id: debt.id,
            left: AmountCents::new(0)
        }
    );
    assert!(debts::open_of(&w.t.db, member).await.unwrap().is_empty());
    let detail = s.debts.detail(member, debt.id).await.unwrap();
    assert_eq!(detail.payments.len(), 2);
    assert_eq!(detail.summary.left.cents(), 0);
}

async fn pay_member(w: &World, nir: &str, lot: u32, day: &str) -> i64 {
    let text = [header(lot), sheet_line(1, nir, 1, day, false, &g(3000))].join("\n");
    import(w, &text).await;
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    make_payments(&w.t.db, date!(2025 - 06 - 02), NOW)
        .await
        .unwrap()
        .recovered
        .cents()
}

#[tokio::test]
async fn a_contested_debt_is_not_recovered_until_its_reclamation_is_closed() {
    let w = world().await;
    let s = services(&w);
    let (nir, member, debt) = member_with_debt(&w, 41).await;
    let context = RequestContext::default();
    let contest = s
        .debts
        .contest(member, debt.id, "Je n'ai pas eu ces soins.", &context)
        .await
        .unwrap();
    assert!(contest.open);
    assert_eq!(
        debts::open_of_many(&w.t.db, &[member])
            .await
            .unwrap()
            .get(&member),
        None
    );

    // A reimbursement while the réclamation is open: nothing withheld.
    assert_eq!(pay_member(&w, &nir, 42, "2025-05-20").await, 0);
    let detail = s.debts.detail(member, debt.id).await.unwrap();
    assert_eq!(detail.summary.left.cents(), 200);
    assert!(detail.recoveries.is_empty());

    // The fund answers and closes it: the next reimbursement withholds the debt.
    let thread = caisse_store::messaging::member_thread(&w.t.db, member, contest.thread_id)
        .await
        .unwrap()
        .unwrap();
    let closed = caisse_store::messaging::ThreadChange {
        status: Some(ThreadStatus::Traite),
        closed_at: Some(Some(Instant::from(NOW))),
        ..caisse_store::messaging::ThreadChange::default()
    };
    assert!(
        caisse_store::messaging::update_if_version(
            &w.t.db,
            thread.id,
            thread.version,
            closed,
            Instant::from(NOW)
        )
        .await
        .unwrap()
    );
    assert_eq!(pay_member(&w, &nir, 43, "2025-05-21").await, 200);
    let detail = s.debts.detail(member, debt.id).await.unwrap();
    assert_eq!(detail.summary.left.cents(), 0);
    assert_eq!(detail.recoveries.len(), 1);
    assert_eq!(detail.contest.map(|c| c.open), Some(false));
}
