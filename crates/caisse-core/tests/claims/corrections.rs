//! Corrections of paid lines by the back office (`caisse_core::claims::corrections`): an
//! overpayment becomes the member's debt, recovered from their next reimbursement; an
//! underpayment a complementary payment of the next run, paid once; a cancellation above the
//! approval amount waits for a supervisor of the fund other than the one who asked; a form sent
//! twice corrects once; another fund's staff reads nothing; every step is audited.

use std::sync::Arc;

use caisse_core::audit::RequestContext;
use caisse_core::claims::complements::pay_complements;
use caisse_core::claims::corrections::{CorrectionOutcome, CorrectionRequest};
use caisse_core::claims::liquidation::liquidate_batch;
use caisse_core::claims::payments::make_payments;
use caisse_core::claims::staff_payments::{CorrectionSettings, StaffPaymentError, StaffPayments};
use caisse_core::clock::ManualClock;
use caisse_domain::claims::{CorrectionStatus, Payee};
use caisse_domain::{AmountCents, AuditAction, CaisseCode, StaffRole};
use caisse_store::claims::{corrections, debts, payments};
use caisse_store::staff::{self, NewStaff};
use time::Date;
use time::macros::date;
use uuid::Uuid;

use crate::engine::{FUND, NOW, World, covered_member, g, header, import, sheet_line, world};

const DAY: Date = date!(2025 - 06 - 02);
pub const NEXT_DAY: Date = date!(2025 - 06 - 03);

/// The service, with corrections above 10 € waiting for a supervisor.
pub fn service(w: &World) -> StaffPayments {
    StaffPayments::new(
        w.t.db.clone(),
        Arc::new(ManualClock::new(NOW)),
        CorrectionSettings {
            approval_above: AmountCents::new(1000),
        },
    )
}

pub async fn staff_member(w: &World, login: &str, role: StaffRole, fund: &str) -> Uuid {
    staff::insert(
        &w.t.db,
        NewStaff {
            login: login.to_owned(),
            display_name: format!("Agent {login}"),
            email: None,
            role,
            caisse_code: CaisseCode::parse(fund).unwrap(),
            password_hash: "unused".to_owned(),
        },
        NOW,
    )
    .await
    .unwrap()
}

/// A member paid a GP consultation of 30 € (19 € reimbursed) on `DAY`, in tiers payant or not:
/// the member, the payment and the sheet.
pub async fn paid_consultation(w: &World, lot: u32, tiers_payant: bool) -> (Uuid, Uuid, Uuid) {
    let (nir, member) = covered_member(w, true).await;
    let text = [
        header(lot),
        sheet_line(1, nir.as_str(), 1, "2025-05-19", tiers_payant, &g(3000)),
    ]
    .join("\n");
    import(w, &text).await;
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    make_payments(&w.t.db, DAY, NOW).await.unwrap();
    let id = caisse_store::claims::sheets::ids_of_member(&w.t.db, member, 1)
        .await
        .unwrap()[0];
    let sheet = caisse_store::claims::sheets::find(&w.t.db, id)
        .await
        .unwrap()
        .unwrap();
    let payment = sheet.payment_id.expect("paid");
    (member, payment, sheet.id)
}

pub fn request(
    member: Uuid,
    payment: Uuid,
    sheet: Uuid,
    shown: i64,
    corrected: i64,
) -> CorrectionRequest {
    CorrectionRequest {
        member_id: member,
        payment_id: payment,
        sheet_id: sheet,
        line_no: 1,
        shown: AmountCents::new(shown),
        corrected: AmountCents::new(corrected),
        reason: "Acte facturé deux fois par le cabinet".to_owned(),
    }
}

pub fn ctx() -> RequestContext {
    RequestContext::default()
}

#[tokio::test]
async fn an_overpayment_is_a_debt_recovered_from_the_next_reimbursement_and_a_second_submit_changes_nothing()
 {
    let w = world().await;
    let s = service(&w);
    let advisor = staff_member(&w, "conseil", StaffRole::Conseiller, FUND).await;
    let (member, payment, sheet) = paid_consultation(&w, 60, false).await;
    let view = s.detail(advisor, member, payment, &ctx()).await.unwrap();
    let line = &view.detail.beneficiaries[0].lines[0];
    assert_eq!(line.reimbursed.cents(), 1900);

    let asked = request(member, payment, sheet, 1900, 1500);
    let outcome = s.correct(advisor, &asked, &ctx()).await.unwrap();
    assert!(matches!(outcome, CorrectionOutcome::Applied(_)));
    // The same form again: the line no longer reimburses 19 €, nothing is done.
    assert!(matches!(
        s.correct(advisor, &asked, &ctx()).await,
        Err(StaffPaymentError::Stale { current }) if current.cents() == 1500
    ));
    let open = debts::open_of(&w.t.db, member).await.unwrap();
    assert_eq!(open.len(), 1, "one debt, not two");
    assert_eq!(open[0].amount.cents(), 400);
    assert_eq!(open[0].sheet_id, sheet);
    // The member's debt page says it was paid too much, and how much.
    let debt = crate::debts_online::services(&w)
        .debts
        .detail(member, open[0].id)
        .await
        .unwrap();
    assert_eq!(
        debt.overpayment,
        Some((AmountCents::new(1900), AmountCents::new(1500)))
    );

    // The line keeps its liquidation; the correction is kept beside it and shown.
    let view = s.detail(advisor, member, payment, &ctx()).await.unwrap();
    let line = &view.detail.beneficiaries[0].lines[0];
    assert_eq!(line.reimbursed.cents(), 1900);
    assert_eq!(view.current_amount(sheet, 1, line.reimbursed).cents(), 1500);
    let history = view.corrections_of(sheet, 1);
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].stored.status, CorrectionStatus::Appliquee);
    assert_eq!(
        history[0].stored.reason,
        "Acte facturé deux fois par le cabinet"
    );
    assert_eq!(history[0].requested_by, "Agent conseil");

    // The next reimbursement withholds the 4 €.
    let nir = caisse_store::members::find(&w.t.db, member)
        .await
        .unwrap()
        .unwrap()
        .nir;
    let text = [
        header(61),
        sheet_line(1, nir.as_str(), 1, "2025-05-26", false, &g(3000)),
    ]
    .join("\n");
    import(&w, &text).await;
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    let run = make_payments(&w.t.db, NEXT_DAY, NOW).await.unwrap();
    assert_eq!(run.recovered.cents(), 400);
    assert!(debts::open_of(&w.t.db, member).await.unwrap().is_empty());

    let actions: Vec<AuditAction> = caisse_store::audit::for_subject(&w.t.db, "member", member, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == AuditAction::StaffLineCorrectionRequested)
            .count(),
        1
    );
    assert!(actions.contains(&AuditAction::StaffMemberViewed));
}

#[tokio::test]
async fn an_underpayment_is_paid_once_by_the_next_run() {
    let w = world().await;
    let s = service(&w);
    let advisor = staff_member(&w, "conseil", StaffRole::Conseiller, FUND).await;
    let (member, payment, sheet) = paid_consultation(&w, 62, false).await;
    s.correct(
        advisor,
        &request(member, payment, sheet, 1900, 2500),
        &ctx(),
    )
    .await
    .unwrap();
    assert!(debts::open_of(&w.t.db, member).await.unwrap().is_empty());
    let before = payments::of_member(&w.t.db, member).await.unwrap().len();

    let run = pay_complements(&w.t.db, NEXT_DAY, NOW).await.unwrap();
    assert_eq!((run.payments, run.sheets), (1, 1));
    assert_eq!(run.transferred.cents(), 600);
    let paid = payments::of_member(&w.t.db, member).await.unwrap();
    assert_eq!(paid.len(), before + 1);
    assert_eq!(paid[0].day, NEXT_DAY);
    assert_eq!(paid[0].amount.cents(), 600);
    assert_eq!(paid[0].payee, Payee::Member);
    // In the day's transfers (the SEPA file), and never paid twice.
    let day = payments::transfers_of_day(&w.t.db, CaisseCode::parse(FUND).unwrap(), NEXT_DAY)
        .await
        .unwrap();
    assert_eq!((day.count, day.sum.cents()), (1, 600));
    let again = pay_complements(&w.t.db, NEXT_DAY, NOW).await.unwrap();
    assert_eq!((again.payments, again.sheets), (0, 0));
    let stored = corrections::of_sheets(&w.t.db, &[sheet]).await.unwrap();
    assert_eq!(stored[0].complement_payment_id, Some(paid[0].id));
    // « Mes paiements » lists it as a payment of care.
    let list =
        caisse_store::claims::member_payments::entries(&w.t.db, member, &Default::default(), None)
            .await
            .unwrap();
    assert_eq!(list[0].id, paid[0].id);
    assert_eq!(
        list[0].kind,
        caisse_domain::claims::MemberPaymentKind::Soins
    );
}

#[tokio::test]
async fn tiers_payant_complements_go_to_the_professional() {
    let w = world().await;
    let s = service(&w);
    let advisor = staff_member(&w, "conseil", StaffRole::Conseiller, FUND).await;
    let (member, payment, sheet) = paid_consultation(&w, 63, true).await;
    assert!(matches!(
        s.correct(advisor, &request(member, payment, sheet, 1900, 3100), &ctx())
            .await,
        Err(StaffPaymentError::AboveCharged { charged }) if charged.cents() == 3000
    ));
    s.correct(
        advisor,
        &request(member, payment, sheet, 1900, 2100),
        &ctx(),
    )
    .await
    .unwrap();
    let run = pay_complements(&w.t.db, NEXT_DAY, NOW).await.unwrap();
    assert_eq!(run.transferred.cents(), 200);
    let day = payments::of_day(&w.t.db, CaisseCode::parse(FUND).unwrap(), NEXT_DAY)
        .await
        .unwrap();
    assert_eq!(day.len(), 1);
    assert_eq!(day[0].payee, Payee::Professional);
    assert_eq!(day[0].payee_name, "Dr Anne MARTIN");
}

#[tokio::test]
async fn a_cancellation_above_the_amount_waits_for_another_supervisor_of_the_fund() {
    let w = world().await;
    let s = service(&w);
    let advisor = staff_member(&w, "conseil", StaffRole::Conseiller, FUND).await;
    let colleague = staff_member(&w, "conseil2", StaffRole::Conseiller, FUND).await;
    let supervisor = staff_member(&w, "chef", StaffRole::Superviseur, FUND).await;
    let asking_supervisor = staff_member(&w, "chef2", StaffRole::Superviseur, FUND).await;
    let elsewhere = staff_member(&w, "chef-bas-rhin", StaffRole::Administrateur, "671").await;
    let (member, payment, sheet) = paid_consultation(&w, 64, false).await;

    let outcome = s
        .correct(
            asking_supervisor,
            &request(member, payment, sheet, 1900, 0),
            &ctx(),
        )
        .await
        .unwrap();
    let CorrectionOutcome::Waiting(id) = outcome else {
        panic!("19 € above 10 € waits: {outcome:?}");
    };
    // Nothing in money until approved; one waiting correction of a line at a time.
    assert!(debts::open_of(&w.t.db, member).await.unwrap().is_empty());
    assert!(matches!(
        s.correct(advisor, &request(member, payment, sheet, 1900, 0), &ctx())
            .await,
        Err(StaffPaymentError::AlreadyWaiting)
    ));
    assert_eq!(s.waiting(supervisor, &ctx()).await.unwrap().len(), 1);
    assert!(matches!(
        s.waiting(advisor, &ctx()).await,
        Err(StaffPaymentError::NotSupervisor)
    ));

    // Not by who asked, not by an advisor, not by another fund's staff (a 404).
    assert!(matches!(
        s.approve(asking_supervisor, id, &ctx()).await,
        Err(StaffPaymentError::FourEyes)
    ));
    assert!(matches!(
        s.approve(colleague, id, &ctx()).await,
        Err(StaffPaymentError::NotSupervisor)
    ));
    assert!(matches!(
        s.approve(elsewhere, id, &ctx()).await,
        Err(StaffPaymentError::NotFound)
    ));
    assert!(matches!(
        s.refuse(elsewhere, id, &ctx()).await,
        Err(StaffPaymentError::NotFound)
    ));
    assert!(s.waiting(elsewhere, &ctx()).await.unwrap().is_empty());
    assert!(debts::open_of(&w.t.db, member).await.unwrap().is_empty());

    s.approve(supervisor, id, &ctx()).await.unwrap();
    assert!(matches!(
        s.approve(supervisor, id, &ctx()).await,
        Err(StaffPaymentError::AlreadyDecided)
    ));
    let open = debts::open_of(&w.t.db, member).await.unwrap();
    assert_eq!(open.len(), 1, "approved twice, recorded once");
    assert_eq!(open[0].amount.cents(), 1900);
    let stored = corrections::find(&w.t.db, id).await.unwrap().unwrap();
    assert_eq!(stored.status, CorrectionStatus::Appliquee);
    assert_eq!(stored.decided_by, Some(supervisor));
    assert_eq!(stored.debt_id, Some(open[0].id));

    let approved =
        caisse_store::audit::by_actor(&w.t.db, caisse_domain::ActorKind::Staff, supervisor, 20)
            .await
            .unwrap();
    assert!(
        approved
            .iter()
            .any(|e| e.action == AuditAction::StaffLineCorrectionApproved
                && e.subject_id == Some(member))
    );
}

#[tokio::test]
async fn a_refused_correction_changes_nothing_and_the_line_can_be_corrected_again() {
    let w = world().await;
    let s = service(&w);
    let advisor = staff_member(&w, "conseil", StaffRole::Conseiller, FUND).await;
    let supervisor = staff_member(&w, "chef", StaffRole::Superviseur, FUND).await;
    let (member, payment, sheet) = paid_consultation(&w, 65, false).await;
    let CorrectionOutcome::Waiting(id) = s
        .correct(advisor, &request(member, payment, sheet, 1900, 0), &ctx())
        .await
        .unwrap()
    else {
        panic!("waits");
    };
    s.refuse(supervisor, id, &ctx()).await.unwrap();
    assert!(matches!(
        s.approve(supervisor, id, &ctx()).await,
        Err(StaffPaymentError::AlreadyDecided)
    ));
    assert!(debts::open_of(&w.t.db, member).await.unwrap().is_empty());
    assert_eq!(
        pay_complements(&w.t.db, NEXT_DAY, NOW)
            .await
            .unwrap()
            .sheets,
        0
    );
    // Still 19 €: a small correction from there is applied at once.
    assert!(matches!(
        s.correct(
            advisor,
            &request(member, payment, sheet, 1900, 1800),
            &ctx()
        )
        .await
        .unwrap(),
        CorrectionOutcome::Applied(_)
    ));
    assert!(matches!(
        s.correct(
            advisor,
            &request(member, payment, sheet, 1800, 1800),
            &ctx()
        )
        .await,
        Err(StaffPaymentError::NothingToCorrect)
    ));
    let mut empty = request(member, payment, sheet, 1800, 1700);
    empty.reason = "   ".to_owned();
    assert!(matches!(
        s.correct(advisor, &empty, &ctx()).await,
        Err(StaffPaymentError::Reason)
    ));
}

#[tokio::test]
async fn another_funds_staff_reads_and_corrects_nothing() {
    let w = world().await;
    let s = service(&w);
    let elsewhere = staff_member(&w, "bas-rhin", StaffRole::Administrateur, "671").await;
    let advisor = staff_member(&w, "conseil", StaffRole::Conseiller, FUND).await;
    let (member, payment, sheet) = paid_consultation(&w, 66, false).await;
    assert!(matches!(
        s.list(elsewhere, member, 5, &ctx()).await,
        Err(StaffPaymentError::NotFound)
    ));
    assert!(matches!(
        s.detail(elsewhere, member, payment, &ctx()).await,
        Err(StaffPaymentError::NotFound)
    ));
    assert!(matches!(
        s.correct(
            elsewhere,
            &request(member, payment, sheet, 1900, 1500),
            &ctx()
        )
        .await,
        Err(StaffPaymentError::NotFound)
    ));
    // A payment that is not the member's, and a missing one, read the same.
    let (_, other_payment, _) = paid_consultation(&w, 67, false).await;
    assert!(matches!(
        s.detail(advisor, member, other_payment, &ctx()).await,
        Err(StaffPaymentError::NotFound)
    ));
    assert!(matches!(
        s.detail(advisor, member, Uuid::now_v7(), &ctx()).await,
        Err(StaffPaymentError::NotFound)
    ));
    assert!(matches!(
        s.correct(
            advisor,
            &request(member, other_payment, sheet, 1900, 1500),
            &ctx()
        )
        .await,
        Err(StaffPaymentError::NotFound)
    ));
    let list = s.list(advisor, member, 5, &ctx()).await.unwrap();
    assert_eq!(list.payments.len(), 1);
    assert!(!list.more);
    assert!(debts::open_of(&w.t.db, member).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_workers_pass_pays_a_complement_joined_to_the_members_open_payment() {
    let w = world().await;
    let s = service(&w);
    let advisor = staff_member(&w, "conseil", StaffRole::Conseiller, FUND).await;
    let (member, payment, sheet) = paid_consultation(&w, 68, false).await;
    s.correct(
        advisor,
        &request(member, payment, sheet, 1900, 2200),
        &ctx(),
    )
    .await
    .unwrap();
    let worker = caisse_core::claims::worker::ClaimsWorker::new(
        w.t.db.clone(),
        Arc::new(ManualClock::new(NOW)),
        caisse_core::claims::worker::ClaimsWorkerSettings::default(),
    );
    let pass = worker.pass().await.unwrap();
    assert_eq!(pass.complements_paid, 1);
    // The member's payment of the day, not yet exported, carries it.
    let paid = payments::of_member(&w.t.db, member).await.unwrap();
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].id, payment);
    assert_eq!(paid[0].amount.cents(), 1900 + 300);
    assert_eq!(worker.pass().await.unwrap().complements_paid, 0);
}
