//! Corrections of lines paid to a professional in tiers payant (`caisse_core::claims::
//! corrections`, with the helpers of `corrections.rs`): an overpayment becomes the
//! professional's debt (`sender_debts`), never the member's; the professional's next payments
//! withhold it, oldest debt first, up to each payment's amount, the rest carried over; a run
//! redone withholds nothing twice; above the approval amount nothing is owed until a
//! supervisor approves.

use caisse_core::claims::corrections::CorrectionOutcome;
use caisse_core::claims::liquidation::liquidate_batch;
use caisse_core::claims::payments::make_payments;
use caisse_core::claims::staff_payments::StaffPaymentError;
use caisse_domain::claims::{Payee, ProfessionalId};
use caisse_domain::{AuditAction, CaisseCode, StaffRole};
use caisse_store::claims::payments::{self, StoredPayment};
use caisse_store::claims::sender_debts::{self, SenderDebt};
use caisse_store::claims::{corrections, debts};
use time::Date;
use time::macros::date;
use uuid::Uuid;

use crate::corrections::{NEXT_DAY, ctx, paid_consultation, request, service, staff_member};
use crate::engine::{
    FUND, NOW, SENDER, World, covered_member, g, header, import, sheet_line, world,
};

/// What the fund pays the professional for a GP consultation of 30 € in tiers payant: the
/// AMO's 70 %, the member owing the participation forfaitaire.
const PRO_PAID: i64 = 2100;

/// A member's GP consultation of 30 € in tiers payant, liquidated, not yet paid.
async fn liquidated_tiers_payant(w: &World, lot: u32) {
    let (nir, _) = covered_member(w, true).await;
    let text = [
        header(lot),
        sheet_line(1, nir.as_str(), 1, "2025-05-26", true, &g(3000)),
    ]
    .join("\n");
    import(w, &text).await;
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
}

/// The professional's payment of `day`.
async fn professional_payment(w: &World, day: Date) -> StoredPayment {
    let mut paid: Vec<StoredPayment> =
        payments::of_day(&w.t.db, CaisseCode::parse(FUND).unwrap(), day)
            .await
            .unwrap()
            .into_iter()
            .filter(|p| p.payee == Payee::Professional)
            .collect();
    assert_eq!(paid.len(), 1, "one payment of the professional on {day}");
    paid.remove(0)
}

/// The professional's debt recorded by the correction `id`.
async fn debt_of(w: &World, id: Uuid) -> Option<SenderDebt> {
    sender_debts::of_corrections(&w.t.db, &[id])
        .await
        .unwrap()
        .remove(&id)
}

async fn member_debts(w: &World, member: Uuid) -> usize {
    debts::all_of(&w.t.db, member).await.unwrap().len()
}

#[tokio::test]
async fn a_tiers_payant_overpayment_is_the_professionals_debt_withheld_once_from_their_next_payment()
 {
    let w = world().await;
    let s = service(&w);
    let advisor = staff_member(&w, "conseil", StaffRole::Conseiller, FUND).await;
    let (member, payment, sheet) = paid_consultation(&w, 80, true).await;
    let member_debts_before = member_debts(&w, member).await;

    let CorrectionOutcome::Applied(id) = s
        .correct(
            advisor,
            &request(member, payment, sheet, 1900, 1000),
            &ctx(),
        )
        .await
        .unwrap()
    else {
        panic!("9 € is below the approval amount");
    };
    let debt = debt_of(&w, id).await.expect("the professional owes it");
    assert_eq!(debt.amount.cents(), 900);
    assert_eq!(debt.sender, ProfessionalId::rpps(SENDER).unwrap());
    assert_eq!(debt.caisse.as_str(), FUND);
    assert_eq!(debt.settled_at, None);
    assert_eq!(
        member_debts(&w, member).await,
        member_debts_before,
        "not the member's debt"
    );
    let stored = corrections::find(&w.t.db, id).await.unwrap().unwrap();
    assert_eq!(stored.debt_id, None);
    // The staff page's correction carries it; the request is audited with it.
    let view = s.detail(advisor, member, payment, &ctx()).await.unwrap();
    assert_eq!(
        view.corrections_of(sheet, 1)[0]
            .sender_debt
            .as_ref()
            .map(|d| d.id),
        Some(debt.id)
    );
    let requested = caisse_store::audit::for_subject(&w.t.db, "member", member, 50)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == AuditAction::StaffLineCorrectionRequested)
        .expect("audited");
    assert!(requested.details.contains(&debt.id.to_string()));

    // The professional's next payment withholds the 9 € and transfers the rest.
    liquidated_tiers_payant(&w, 81).await;
    let run = make_payments(&w.t.db, NEXT_DAY, NOW).await.unwrap();
    assert_eq!(run.recovered.cents(), 900);
    let paid = professional_payment(&w, NEXT_DAY).await;
    assert_eq!(
        (paid.amount.cents(), paid.recovered.cents()),
        (PRO_PAID - 900, 900)
    );
    let day = payments::transfers_of_day(&w.t.db, CaisseCode::parse(FUND).unwrap(), NEXT_DAY)
        .await
        .unwrap();
    assert_eq!(day.sum.cents(), PRO_PAID - 900, "the SEPA amount is net");
    let debt = debt_of(&w, id).await.unwrap();
    assert_eq!(debt.recovered.cents(), 900);
    assert!(debt.settled_at.is_some());

    // A run redone withholds nothing more.
    let again = make_payments(&w.t.db, NEXT_DAY, NOW).await.unwrap();
    assert_eq!(again.recovered.cents(), 0);
    assert_eq!(professional_payment(&w, NEXT_DAY).await, paid);
    assert_eq!(debt_of(&w, id).await.unwrap(), debt);
}

#[tokio::test]
async fn above_the_approval_amount_the_professional_owes_nothing_until_approved_then_debts_carry_over()
 {
    const THIRD_DAY: Date = date!(2025 - 06 - 04);
    const FOURTH_DAY: Date = date!(2025 - 06 - 05);
    let w = world().await;
    let s = service(&w);
    let advisor = staff_member(&w, "conseil", StaffRole::Conseiller, FUND).await;
    let supervisor = staff_member(&w, "chef", StaffRole::Superviseur, FUND).await;
    let (member, payment, sheet) = paid_consultation(&w, 90, true).await;
    let (other, other_payment, other_sheet) = paid_consultation(&w, 91, true).await;

    // Cancelled: 19 € waits for a supervisor, and the next payment is made in full.
    let CorrectionOutcome::Waiting(cancelled) = s
        .correct(advisor, &request(member, payment, sheet, 1900, 0), &ctx())
        .await
        .unwrap()
    else {
        panic!("19 € above 10 € waits");
    };
    assert_eq!(debt_of(&w, cancelled).await, None);
    liquidated_tiers_payant(&w, 92).await;
    assert_eq!(
        make_payments(&w.t.db, NEXT_DAY, NOW)
            .await
            .unwrap()
            .recovered
            .cents(),
        0
    );
    assert_eq!(
        professional_payment(&w, NEXT_DAY).await.amount.cents(),
        PRO_PAID
    );

    s.approve(supervisor, cancelled, &ctx()).await.unwrap();
    assert!(matches!(
        s.approve(supervisor, cancelled, &ctx()).await,
        Err(StaffPaymentError::AlreadyDecided)
    ));
    assert_eq!(debt_of(&w, cancelled).await.unwrap().amount.cents(), 1900);
    let CorrectionOutcome::Applied(reduced) = s
        .correct(
            advisor,
            &request(other, other_payment, other_sheet, 1900, 1000),
            &ctx(),
        )
        .await
        .unwrap()
    else {
        panic!("9 € is applied at once");
    };

    // 28 € owed: the next payment of 21 € is withheld whole, oldest debt first.
    liquidated_tiers_payant(&w, 93).await;
    let run = make_payments(&w.t.db, THIRD_DAY, NOW).await.unwrap();
    assert_eq!(run.recovered.cents(), PRO_PAID);
    let paid = professional_payment(&w, THIRD_DAY).await;
    assert_eq!((paid.amount.cents(), paid.recovered.cents()), (0, PRO_PAID));
    let day = payments::transfers_of_day(&w.t.db, CaisseCode::parse(FUND).unwrap(), THIRD_DAY)
        .await
        .unwrap();
    assert_eq!(day.count, 0, "nothing to transfer");
    assert!(debt_of(&w, cancelled).await.unwrap().settled_at.is_some());
    let carried = debt_of(&w, reduced).await.unwrap();
    assert_eq!(carried.left().cents(), 900 - (PRO_PAID - 1900));
    assert_eq!(carried.settled_at, None);

    // The rest, from the payment after.
    liquidated_tiers_payant(&w, 94).await;
    let run = make_payments(&w.t.db, FOURTH_DAY, NOW).await.unwrap();
    assert_eq!(run.recovered, carried.left());
    let paid = professional_payment(&w, FOURTH_DAY).await;
    assert_eq!(paid.amount.cents(), PRO_PAID - carried.left().cents());
    assert!(debt_of(&w, reduced).await.unwrap().settled_at.is_some());
}
