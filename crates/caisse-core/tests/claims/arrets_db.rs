//! Arrêts de travail on a database (SQLite, or PostgreSQL with TEST_DATABASE_URL): a file
//! imported with a reason for each rejected arrêt, stored once, refused whole when
//! malformed; the schedule stored with its cents; the IJ paid to the member and to the
//! employer on their due days, never twice.

use std::io::Cursor;

use caisse_core::claims::arrets::{
    ArretRejection, ArretsAck, ArretsOutcome, ArretsSubmitter, import_arrets,
};
use caisse_core::claims::ij_payments::pay_ij;
use caisse_domain::claims::{IjPayee, IjPaymentState, Payee};
use caisse_domain::{AmountCents, CaisseCode};
use caisse_store::claims::ij_payments::StoredIjPayment;
use caisse_store::claims::{arrets, ij_payments, partitions, payments};
use caisse_test_support::fixtures::next_nir;
use time::macros::date;
use uuid::Uuid;

use crate::engine::{FUND, NOW, World, covered_member, covered_member_reached_at, world};

const SIRET: &str = "73282932000074";
const EMPLOYER_IBAN: &str = "FR7630004000031234567890143";

/// A maladie arrêt of 28 days from Monday 7 April 2025, 2,000 € a month, with carence.
fn arret(reference: &str, nir: &str, rank: u8, start: &str, end: &str, extra: &str) -> String {
    format!(
        r#"{{"reference_arret": "{reference}", "nir": "{nir}", "rang": {rank}, "type_arret": "maladie", "date_debut": "{start}", "date_fin": "{end}", "siret_employeur": "{SIRET}", "salaire_1_cents": 200000, "salaire_2_cents": 200000, "salaire_3_cents": 200000, "carence": true, "ald": false{extra}}}"#
    )
}

fn plain(reference: &str, nir: &str) -> String {
    arret(reference, nir, 1, "2025-04-07", "2025-05-04", "")
}

fn subrogated(reference: &str, nir: &str) -> String {
    let extra = format!(
        r#", "subrogation_jusqu_au": "2025-04-16", "iban_employeur": "{EMPLOYER_IBAN}", "raison_sociale_employeur": "Boulangerie Martin SARL""#
    );
    arret(reference, nir, 1, "2025-04-07", "2025-05-04", &extra)
}

async fn import(w: &World, lines: &[String]) -> ArretsOutcome {
    let bytes = format!("{}\n", lines.join("\n")).into_bytes();
    import_arrets(
        &w.t.db,
        &w.tables,
        || Ok(Cursor::new(bytes.clone())),
        None,
        ArretsSubmitter::Operator(CaisseCode::parse(FUND).unwrap()),
        NOW,
    )
    .await
    .unwrap()
}

async fn accepted(w: &World, lines: &[String]) -> ArretsAck {
    match import(w, lines).await {
        ArretsOutcome::Accepted(ack) => ack,
        ArretsOutcome::Refused(refusal) => panic!("{:?}", refusal.report_fr()),
    }
}

async fn schedule(w: &World, member: Uuid) -> Vec<StoredIjPayment> {
    let stored = arrets::of_member(&w.t.db, member).await.unwrap();
    assert_eq!(stored.len(), 1);
    ij_payments::of_arret(&w.t.db, stored[0].id).await.unwrap()
}

/// The payment days' partitions (PostgreSQL), as the worker makes them ahead.
async fn paying_world() -> World {
    let w = world().await;
    partitions::ensure_months(&w.t.db, date!(2025 - 03 - 01), date!(2025 - 06 - 30))
        .await
        .unwrap();
    w
}

fn cents(n: i64) -> AmountCents {
    AmountCents::new(n)
}

#[tokio::test]
async fn each_arret_is_accepted_or_rejected_with_its_reason_and_stored_once() {
    let w = world().await;
    let (nir, member) = covered_member(&w, true).await;
    let (other_nir, _) = covered_member(&w, true).await;
    let nir = nir.as_str();
    let first = [
        plain("R1", nir),
        // Unknown NIR, unknown rank.
        plain("R2", &next_nir()),
        arret("R3", other_nir.as_str(), 4, "2025-04-07", "2025-05-04", ""),
        // Rights since 2020 only.
        arret("R4", other_nir.as_str(), 1, "2019-06-03", "2019-06-20", ""),
        // Overlaps R1 by one day.
        arret("R5", nir, 1, "2025-05-04", "2025-05-10", ""),
        // No IJ figures before February 2024.
        arret("R6", other_nir.as_str(), 1, "2023-06-05", "2023-06-20", ""),
    ];
    let ack = accepted(&w, &first).await;
    assert_eq!((ack.accepted, ack.already_received), (1, 0));
    assert_eq!(ack.rejected_count, 5);
    let reasons: Vec<(u64, &str, ArretRejection)> = ack
        .rejected
        .iter()
        .map(|r| (r.line, r.reference.as_str(), r.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            (2, "R2", ArretRejection::UnknownBeneficiary),
            (3, "R3", ArretRejection::UnknownRank),
            (4, "R4", ArretRejection::NoRights),
            (5, "R5", ArretRejection::Overlap),
            (6, "R6", ArretRejection::NoSchedule),
        ]
    );
    assert!(
        ack.rejected
            .iter()
            .all(|r| r.message == r.reason.message_fr())
    );

    // Sent again: R1 counted as already received; with another salary it is rejected.
    let again = accepted(&w, &[plain("R1", nir)]).await;
    assert_eq!((again.accepted, again.already_received), (0, 1));
    let corrected = plain("R1", nir).replace(
        r#""salaire_3_cents": 200000"#,
        r#""salaire_3_cents": 210000"#,
    );
    let ack = accepted(&w, &[corrected]).await;
    assert_eq!((ack.accepted, ack.already_received), (0, 0));
    assert_eq!(
        ack.rejected[0].reason,
        ArretRejection::AlreadyReceivedDifferent
    );
    assert!(
        ack.rejected[0]
            .message
            .starts_with("Arrêt déjà reçu avec d'autres valeurs")
    );

    let stored = arrets::of_member(&w.t.db, member).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].reference, "R1");
    assert_eq!(stored[0].arret.gross_salaries, [cents(200_000); 3]);
}

#[tokio::test]
async fn a_malformed_file_is_refused_whole_and_nothing_is_stored() {
    let w = world().await;
    let (nir, member) = covered_member(&w, true).await;
    let lines = [
        plain("R1", nir.as_str()),
        plain("R2", nir.as_str()).replace(SIRET, "73282932000075"),
    ];
    let ArretsOutcome::Refused(refusal) = import(&w, &lines).await else {
        panic!("a malformed file is refused");
    };
    assert_eq!(refusal.errors[0].line, 2);
    assert!(arrets::of_member(&w.t.db, member).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_schedule_is_stored_with_three_waiting_days_and_payments_every_14_days() {
    let w = world().await;
    let (nir, member) = covered_member(&w, true).await;
    accepted(&w, &[plain("R1", nir.as_str())]).await;
    let rows = schedule(&w, member).await;
    // 600,000 / 91.25 × 50 % = 3,287.67 → 32.88 € a day, from the 4th day (10 April).
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            let p = &r.payment;
            let a = p.amounts;
            (
                p.from, p.to, p.days, p.payee, a.gross, a.csg, a.crds, a.net, a.taxable, r.due_on,
                r.state,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                date!(2025 - 04 - 10),
                date!(2025 - 04 - 23),
                14,
                IjPayee::Member,
                cents(46_032),
                cents(2_854),
                cents(230),
                cents(42_948),
                cents(44_283),
                date!(2025 - 04 - 24),
                IjPaymentState::Planned,
            ),
            (
                date!(2025 - 04 - 24),
                date!(2025 - 05 - 04),
                11,
                IjPayee::Member,
                cents(36_168),
                cents(2_242),
                cents(181),
                cents(33_745),
                cents(34_794),
                date!(2025 - 05 - 05),
                IjPaymentState::Planned,
            ),
        ]
    );
}

#[tokio::test]
async fn under_subrogation_the_first_days_go_to_the_employer() {
    let w = world().await;
    let (nir, member) = covered_member(&w, true).await;
    accepted(&w, &[subrogated("S1", nir.as_str())]).await;
    let rows = schedule(&w, member).await;
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.payment.from,
                r.payment.to,
                r.payment.payee,
                r.payment.amounts.net,
                r.due_on,
            )
        })
        .collect();
    // 7 × 32.88 = 230.16 € gross; CSG 14.27, CRDS 1.15.
    assert_eq!(
        got,
        [
            (
                date!(2025 - 04 - 10),
                date!(2025 - 04 - 16),
                IjPayee::Employer,
                cents(21_474),
                date!(2025 - 04 - 17)
            ),
            (
                date!(2025 - 04 - 17),
                date!(2025 - 04 - 23),
                IjPayee::Member,
                cents(21_474),
                date!(2025 - 04 - 24)
            ),
            (
                date!(2025 - 04 - 24),
                date!(2025 - 05 - 04),
                IjPayee::Member,
                cents(33_745),
                date!(2025 - 05 - 05)
            ),
        ]
    );
    let stored = arrets::of_member(&w.t.db, member).await.unwrap();
    assert_eq!(
        stored[0].employer_name.as_deref(),
        Some("Boulangerie Martin SARL")
    );
}

#[tokio::test]
async fn ij_are_paid_to_the_member_and_the_employer_on_their_due_days_and_never_twice() {
    let w = paying_world().await;
    let caisse = CaisseCode::parse(FUND).unwrap();
    let (a_nir, a) = covered_member(&w, true).await;
    let (b_nir, b) = covered_member(&w, true).await;
    let (c_nir, c) = covered_member(&w, false).await;
    accepted(
        &w,
        &[
            plain("A1", a_nir.as_str()),
            subrogated("B1", b_nir.as_str()),
            plain("C1", c_nir.as_str()),
        ],
    )
    .await;

    // 16 April: nothing is due yet.
    let run = pay_ij(&w.t.db, date!(2025 - 04 - 16), NOW).await.unwrap();
    assert_eq!((run.payments, run.sheets), (0, 0));

    // 23 April: the employer's days (due 17 April).
    let run = pay_ij(&w.t.db, date!(2025 - 04 - 23), NOW).await.unwrap();
    assert_eq!((run.payments, run.sheets, run.waiting), (1, 1, 0));
    let day = payments::of_day(&w.t.db, caisse, date!(2025 - 04 - 23))
        .await
        .unwrap();
    assert_eq!(day.len(), 1);
    assert_eq!(day[0].payee, Payee::Employer);
    assert_eq!(day[0].iban.as_str(), EMPLOYER_IBAN);
    assert_eq!(day[0].payee_name, "Boulangerie Martin SARL");
    assert_eq!(day[0].amount, cents(21_474));
    assert_eq!(day[0].member_id, None);

    // 24 April: the members' first periods; C has no IBAN and waits.
    let run = pay_ij(&w.t.db, date!(2025 - 04 - 24), NOW).await.unwrap();
    assert_eq!((run.payments, run.sheets, run.waiting), (2, 2, 1));
    assert_eq!(run.transferred, cents(42_948 + 21_474));
    let again = pay_ij(&w.t.db, date!(2025 - 04 - 24), NOW).await.unwrap();
    assert_eq!((again.payments, again.sheets, again.waiting), (0, 0, 1));

    // 5 May: the second periods, paid once.
    let run = pay_ij(&w.t.db, date!(2025 - 05 - 05), NOW).await.unwrap();
    assert_eq!((run.payments, run.sheets), (2, 2));
    let again = pay_ij(&w.t.db, date!(2025 - 05 - 05), NOW).await.unwrap();
    assert_eq!((again.payments, again.sheets), (0, 0));

    let of_a = payments::of_member(&w.t.db, a).await.unwrap();
    let amounts: Vec<(time::Date, AmountCents)> = of_a.iter().map(|p| (p.day, p.amount)).collect();
    assert_eq!(
        amounts,
        [
            (date!(2025 - 05 - 05), cents(33_745)),
            (date!(2025 - 04 - 24), cents(42_948)),
        ]
    );
    assert_eq!(payments::of_member(&w.t.db, b).await.unwrap().len(), 2);
    assert!(payments::of_member(&w.t.db, c).await.unwrap().is_empty());
    let paid = schedule(&w, a).await;
    assert!(paid.iter().all(|p| p.state == IjPaymentState::Paid));
    assert_eq!(
        paid[0].paid_by.map(|(_, day)| day),
        Some(date!(2025 - 04 - 24))
    );
    let waiting = schedule(&w, c).await;
    assert!(waiting.iter().all(|p| p.state == IjPaymentState::Planned));
}

#[tokio::test]
async fn ij_join_the_members_payment_of_the_day() {
    let w = paying_world().await;
    let caisse = CaisseCode::parse(FUND).unwrap();
    let (nir, member) = covered_member(&w, true).await;
    accepted(&w, &[plain("A1", nir.as_str())]).await;
    let day = date!(2025 - 04 - 24);
    // An earlier arrêt received after the first run: its period, due by then, joins the
    // member's payment of the day, not yet exported.
    pay_ij(&w.t.db, day, NOW).await.unwrap();
    let other = arret("A0", nir.as_str(), 1, "2025-03-10", "2025-03-20", "");
    accepted(&w, &[other]).await;
    let run = pay_ij(&w.t.db, day, NOW).await.unwrap();
    assert_eq!((run.payments, run.sheets), (0, 1));
    let of_day = payments::of_day(&w.t.db, caisse, day).await.unwrap();
    assert_eq!(of_day.len(), 1);
    assert_eq!(of_day[0].member_id, Some(member));
    assert!(of_day[0].amount.cents() > 42_948);
}

/// The subjects of the mails queued to `email`.
async fn subjects_to(w: &World, email: &str) -> Vec<String> {
    let caisse = CaisseCode::parse(FUND).unwrap();
    let (queued, _) = caisse_store::outbox::list(&w.t.db, &caisse, None, 0, 100)
        .await
        .unwrap();
    queued
        .into_iter()
        .filter(|m| m.recipient.as_str() == email)
        .map(|m| m.subject)
        .collect()
}

#[tokio::test]
async fn paid_ij_tell_the_member_by_mail_without_amount_when_their_account_asks() {
    let w = paying_world().await;
    let with_account = |email: &'static str, reference: &'static str, subrogation: bool| {
        let w = &w;
        async move {
            let (nir, id) = covered_member_reached_at(w, true, Some(email)).await;
            caisse_store::members::create_account(
                &w.t.db,
                id,
                "hash".to_owned(),
                caisse_domain::AccountStatus::Active,
                NOW,
            )
            .await
            .unwrap();
            let line = if subrogation {
                subrogated(reference, nir.as_str())
            } else {
                plain(reference, nir.as_str())
            };
            (line, id)
        }
    };
    let (own, _) = with_account("ij.assure@exemple.fr", "P1", false).await;
    let (employer, _) = with_account("ij.subroge@exemple.fr", "S1", true).await;
    let (quiet, quiet_id) = with_account("ij.silence@exemple.fr", "P2", false).await;
    caisse_store::members::set_notifications(&w.t.db, quiet_id, false, false, NOW)
        .await
        .unwrap();
    accepted(&w, &[own, employer, quiet]).await;

    // 23 April: the employer is paid the subrogated days: its employee is told.
    pay_ij(&w.t.db, date!(2025 - 04 - 23), NOW).await.unwrap();
    assert_eq!(
        subjects_to(&w, "ij.subroge@exemple.fr").await,
        ["Information de paiement"]
    );
    assert!(subjects_to(&w, "ij.assure@exemple.fr").await.is_empty());

    // 24 April: the members' own first payments; the one who asked for no mail gets none.
    pay_ij(&w.t.db, date!(2025 - 04 - 24), NOW).await.unwrap();
    assert_eq!(
        subjects_to(&w, "ij.assure@exemple.fr").await,
        ["Information de paiement"]
    );
    assert!(subjects_to(&w, "ij.silence@exemple.fr").await.is_empty());
    let caisse = CaisseCode::parse(FUND).unwrap();
    let (queued, _) = caisse_store::outbox::list(&w.t.db, &caisse, None, 0, 100)
        .await
        .unwrap();
    assert!(queued.iter().all(|m| !m.body_text.contains('€')));
}
