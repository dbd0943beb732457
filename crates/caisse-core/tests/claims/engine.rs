//! The engine on a database (SQLite, or PostgreSQL with TEST_DATABASE_URL): lots imported
//! with their acknowledgement, sheets liquidated by the worker's batches, payments made.

use std::io::Cursor;

use caisse_core::claims::acknowledgement::RejectionReason;
use caisse_core::claims::import::{ImportOutcome, Submitter, import_lot};
use caisse_core::claims::liquidation::{liquidate_all, liquidate_batch};
use caisse_core::claims::payments::make_payments;
use caisse_core::claims::reference_data;
use caisse_core::claims::senders;
use caisse_core::demo::REFERENCE_FILES;
use caisse_domain::claims::{ProfessionalId, SheetState};
use caisse_domain::rights::{CodeGestion, Period, RegimeCode};
use caisse_domain::{CaisseCode, Iban, Nir};
use caisse_store::claims::lots::LotSource;
use caisse_store::claims::{payments, sheets};
use caisse_store::rights::{Coverage, Doctor, Rights};
use caisse_store::{TransactionTrait, members, rights};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::{new_member, next_nir};
use time::OffsetDateTime;
use time::macros::{date, datetime};
use uuid::Uuid;

pub const FUND: &str = "781";
pub const SENDER: &str = "10003456789";
pub const NOW: OffsetDateTime = datetime!(2025-06-02 10:00 UTC);

pub struct World {
    pub t: TestDb,
    pub tables: caisse_domain::claims::ReferenceTables,
    pub sender: caisse_store::claims::senders::ClaimSender,
}

pub async fn world() -> World {
    let t = TestDb::new().await;
    reference_data::load(&t.db, &REFERENCE_FILES, NOW)
        .await
        .unwrap();
    let tables = reference_data::current(&t.db).await.unwrap();
    let caisse = CaisseCode::parse(FUND).unwrap();
    let pro = ProfessionalId::rpps(SENDER).unwrap();
    let iban = Iban::parse("FR7630006000011234567890189").unwrap();
    let key = senders::add(&t.db, caisse, &pro, "Dr Anne MARTIN", &iban, NOW)
        .await
        .unwrap();
    let sender = senders::authenticate(&t.db, &key.key)
        .await
        .unwrap()
        .unwrap();
    World { t, tables, sender }
}

/// A member of the fund covered since 2020, with a médecin traitant and, if `iban`, bank
/// details: their NIR and id.
pub async fn covered_member(w: &World, iban: bool) -> (Nir, Uuid) {
    covered_member_reached_at(w, iban, None).await
}

/// The same, with an email address on file.
pub async fn covered_member_reached_at(w: &World, iban: bool, email: Option<&str>) -> (Nir, Uuid) {
    let nir = next_nir();
    let mut member = new_member(&nir, FUND, email);
    if iban {
        member.iban = Some(Iban::parse("FR7630006000011234567890189").unwrap());
    }
    let id = members::insert(&w.t.db, member, Vec::new(), NOW)
        .await
        .unwrap();
    rights::insert(
        &w.t.db,
        id,
        Rights {
            coverages: vec![Coverage {
                regime: RegimeCode::parse("01").unwrap(),
                code_gestion: CodeGestion::parse("10").unwrap(),
                caisse: CaisseCode::parse(FUND).unwrap(),
                period: Period::new(date!(2020 - 01 - 01), None).unwrap(),
                local_regime: false,
            }],
            doctors: vec![Doctor {
                rank: 1,
                name: "Dr Anne MARTIN".to_owned(),
                declared_on: Some(date!(2021 - 03 - 01)),
            }],
            ..Rights::default()
        },
    )
    .await
    .unwrap();
    (Nir::parse(&nir).unwrap(), id)
}

pub fn header(lot: u32) -> String {
    format!(
        r#"{{"lot": {{"type_emetteur": "rpps", "emetteur": "{SENDER}", "numero_lot": {lot}}}}}"#
    )
}

pub fn sheet_line(number: u32, nir: &str, rank: u8, day: &str, tp: bool, acts: &str) -> String {
    format!(
        r#"{{"numero_feuille": {number}, "nir": "{nir}", "rang": {rank}, "type_professionnel": "rpps", "professionnel": "{SENDER}", "date_soins": "{day}", "tiers_payant": {tp}, "part_complementaire": false, "parcours": "medecin_traitant", "actes": [{acts}]}}"#
    )
}

pub fn g(charged: i64) -> String {
    format!(
        r#"{{"code_acte": "G", "quantite": 1, "coefficient": 1, "montant_cents": {charged}, "ald": false, "at_mp": false}}"#
    )
}

fn hearing_aids(quantity: u16, charged: i64) -> String {
    format!(
        r#"{{"code_acte": "AUD100", "quantite": {quantity}, "coefficient": 1, "montant_cents": {charged}, "ald": false, "at_mp": false}}"#
    )
}

pub async fn import(w: &World, text: &str) -> ImportOutcome {
    let bytes = text.as_bytes().to_vec();
    import_lot(
        &w.t.db,
        &w.tables,
        || Ok(Cursor::new(bytes.clone())),
        None,
        Submitter::Key(&w.sender),
        LotSource::Api,
        NOW,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_lot_is_accepted_once_with_a_reason_for_each_rejected_sheet() {
    let w = world().await;
    let (nir, _) = covered_member(&w, true).await;
    let nir = nir.as_str();
    let unknown = next_nir();
    let act = r#"{"code_acte": "ZZZ", "quantite": 1, "coefficient": 1, "montant_cents": 100, "ald": false, "at_mp": false}"#;
    let lot = [
        header(7),
        sheet_line(1, nir, 1, "2025-05-20", false, &g(3000)),
        sheet_line(2, &unknown, 1, "2025-05-20", false, &g(3000)),
        sheet_line(3, nir, 4, "2025-05-20", false, &g(3000)),
        sheet_line(
            4,
            nir,
            1,
            "2025-05-21",
            false,
            &format!("{},{act}", g(3000)),
        ),
        sheet_line(5, nir, 1, "2025-06-03", false, &g(3000)),
        sheet_line(6, nir, 1, "2023-06-01", false, &g(3000)),
        sheet_line(7, nir, 1, "2025-05-20", false, &g(3000)),
        sheet_line(8, nir, 1, "2019-12-31", false, &g(3000)),
        // Two hearing aids at their prix limite de vente (950 € each), then one a cent above.
        sheet_line(9, nir, 1, "2025-05-22", false, &hearing_aids(2, 190_000)),
        sheet_line(10, nir, 1, "2025-05-23", false, &hearing_aids(1, 95_001)),
    ]
    .join("\n");
    let ImportOutcome::Accepted(ack) = import(&w, &lot).await else {
        panic!("the lot was not accepted");
    };
    assert_eq!((ack.sheets_accepted, ack.sheets_rejected), (2, 8));
    let reasons: Vec<(u32, RejectionReason, Option<usize>)> = ack
        .rejected
        .iter()
        .map(|r| (r.sheet, r.reason, r.care_line))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (2, RejectionReason::UnknownBeneficiary, None),
            (3, RejectionReason::UnknownRank, None),
            (4, RejectionReason::UnknownAct, Some(2)),
            (5, RejectionReason::FutureDate, None),
            (6, RejectionReason::TooOld, None),
            (7, RejectionReason::Duplicate, None),
            (8, RejectionReason::TooOld, None),
            (10, RejectionReason::AbovePriceLimit, Some(1)),
        ]
    );
    assert!(ack.rejected.iter().all(|r| !r.message.is_empty()));

    // The same lot again: the same acknowledgement, nothing imported twice.
    let ImportOutcome::AlreadyAccepted(again) = import(&w, &lot).await else {
        panic!("the lot was accepted twice");
    };
    assert_eq!(again, ack);
    let states = sheets::count_by_state(&w.t.db).await.unwrap();
    assert_eq!(states, vec![(SheetState::Recue, 2)]);

    // The same sheet in another lot is a duplicate.
    let other = [
        header(8),
        sheet_line(1, nir, 1, "2025-05-20", false, &g(3000)),
    ]
    .join("\n");
    let ImportOutcome::Accepted(ack) = import(&w, &other).await else {
        panic!("the second lot was not accepted");
    };
    assert_eq!(ack.rejected[0].reason, RejectionReason::Duplicate);
}

#[tokio::test]
async fn a_lot_from_another_sender_than_the_key_is_refused() {
    let w = world().await;
    let lot = r#"{"lot": {"type_emetteur": "rpps", "emetteur": "10101234567", "numero_lot": 1}}"#;
    let lot = format!(
        "{lot}\n{}",
        sheet_line(1, &next_nir(), 1, "2025-05-20", false, &g(3000))
    );
    assert!(matches!(
        import(&w, &lot).await,
        ImportOutcome::UnknownSender(_)
    ));
}

#[tokio::test]
async fn a_malformed_lot_is_refused_whole() {
    let w = world().await;
    let (nir, _) = covered_member(&w, true).await;
    let lot = [
        header(9),
        sheet_line(1, nir.as_str(), 1, "2025-05-20", false, &g(3000)),
        "{\"numero_feuille\": 2}".to_owned(),
    ]
    .join("\n");
    let ImportOutcome::Refused(refusal) = import(&w, &lot).await else {
        panic!("a malformed lot was accepted");
    };
    assert!(refusal.errors.iter().all(|e| e.line == 3), "{refusal:?}");
    assert!(sheets::count_by_state(&w.t.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn sheets_are_liquidated_then_paid_and_tiers_payant_debts_are_recovered() {
    let w = world().await;
    let (nir, member) = covered_member(&w, true).await;
    let nir = nir.as_str();
    let lot = [
        header(10),
        // Tiers payant: the professional gets 21.00 €, the member owes 2.00 €.
        sheet_line(1, nir, 1, "2025-05-19", true, &g(3000)),
        // Paid to the member: 21.00 − 2.00 = 19.00 €, then the 2.00 € debt withheld.
        sheet_line(2, nir, 1, "2025-05-20", false, &g(3000)),
    ]
    .join("\n");
    assert!(matches!(import(&w, &lot).await, ImportOutcome::Accepted(_)));
    let report = liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    assert_eq!((report.liquidated, report.rejected), (2, 0));
    // Again: nothing left, nothing done twice.
    let again = liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    assert_eq!(again.sheets(), 0);

    let day = date!(2025 - 06 - 02);
    let run = make_payments(&w.t.db, day, NOW).await.unwrap();
    assert_eq!((run.payments, run.sheets), (2, 2));
    assert_eq!(run.recovered.cents(), 200);
    let caisse = CaisseCode::parse(FUND).unwrap();
    let mut paid: Vec<(i64, i64)> = payments::of_day(&w.t.db, caisse, day)
        .await
        .unwrap()
        .iter()
        .map(|p| (p.amount.cents(), p.recovered.cents()))
        .collect();
    paid.sort_unstable();
    assert_eq!(paid, vec![(1700, 200), (2100, 0)]);
    let debts = caisse_store::claims::debts::open_of(&w.t.db, member)
        .await
        .unwrap();
    assert!(debts.is_empty(), "{debts:?}");
    assert_eq!(
        sheets::count_by_state(&w.t.db).await.unwrap(),
        vec![(SheetState::Payee, 2)]
    );
    let rerun = make_payments(&w.t.db, day, NOW).await.unwrap();
    assert_eq!(rerun.sheets, 0);

    // A sheet liquidated later the same day joins the member's payment of the day.
    let later = [
        header(12),
        sheet_line(1, nir, 1, "2025-05-21", false, &g(3000)),
    ]
    .join("\n");
    assert!(matches!(
        import(&w, &later).await,
        ImportOutcome::Accepted(_)
    ));
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    let run = make_payments(&w.t.db, day, NOW).await.unwrap();
    assert_eq!((run.payments, run.sheets), (0, 1));
    let mut paid: Vec<(i64, u64)> = payments::of_day(&w.t.db, caisse, day)
        .await
        .unwrap()
        .iter()
        .map(|p| (p.amount.cents(), p.sheets))
        .collect();
    paid.sort_unstable();
    assert_eq!(paid, vec![(2100, 1), (1700 + 1900, 2)]);
}

#[tokio::test]
async fn a_member_without_bank_details_waits() {
    let w = world().await;
    let (nir, _) = covered_member(&w, false).await;
    let lot = [
        header(11),
        sheet_line(1, nir.as_str(), 1, "2025-05-20", false, &g(3000)),
    ]
    .join("\n");
    assert!(matches!(import(&w, &lot).await, ImportOutcome::Accepted(_)));
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    let run = make_payments(&w.t.db, date!(2025 - 06 - 02), NOW)
        .await
        .unwrap();
    // Left out of the run: however many wait, they never hide the sheets that can be paid.
    assert_eq!((run.payments, run.sheets), (0, 0));
    assert_eq!(
        sheets::count_by_state(&w.t.db).await.unwrap(),
        vec![(SheetState::Liquidee, 1)]
    );
}

#[tokio::test]
async fn a_debt_left_unrecovered_gets_one_notice_after_the_delay() {
    use caisse_core::claims::debt_notices::issue_debt_notices;
    let w = world().await;
    let (nir, _) = covered_member_reached_at(&w, false, Some("assure@exemple.fr")).await;
    let (other, _) = covered_member(&w, false).await;
    let lot = [
        header(20),
        sheet_line(1, nir.as_str(), 1, "2025-05-19", true, &g(3000)),
        sheet_line(2, other.as_str(), 1, "2025-05-19", true, &g(3000)),
    ]
    .join("\n");
    assert!(matches!(import(&w, &lot).await, ImportOutcome::Accepted(_)));
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    let delay = time::Duration::days(90);
    let early = issue_debt_notices(&w.t.db, delay, None, NOW + time::Duration::days(89))
        .await
        .unwrap();
    assert_eq!((early.mailed, early.posted), (0, 0));
    let due = issue_debt_notices(&w.t.db, delay, None, NOW + time::Duration::days(91))
        .await
        .unwrap();
    assert_eq!((due.mailed, due.posted), (1, 1));
    let again = issue_debt_notices(&w.t.db, delay, None, NOW + time::Duration::days(92))
        .await
        .unwrap();
    assert_eq!((again.mailed, again.posted), (0, 0));
    let (mails, _) =
        caisse_store::outbox::list(&w.t.db, &CaisseCode::parse(FUND).unwrap(), None, 0, 10)
            .await
            .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "Avis de sommes à payer");
    assert!(
        mails[0].body_text.contains("Montant restant dû : 2,00"),
        "{}",
        mails[0].body_text
    );
    assert!(
        mails[0].body_text.contains("soins du 19/05/2025"),
        "{}",
        mails[0].body_text
    );
    // The member with no email address gets the notice by post.
    assert_eq!(
        caisse_store::postal_letters::waiting(&w.t.db, &CaisseCode::parse(FUND).unwrap())
            .await
            .unwrap(),
        1
    );
    // The deadline the debt's page shows: 30 days after the notice.
    assert!(
        mails[0]
            .body_text
            .contains("réglez-les avant le 01/10/2025"),
        "{}",
        mails[0].body_text
    );
}

/// Sum of the deductions of a member's sheets, each found once.
async fn deductions_of(w: &World, member: Uuid) -> (usize, i64) {
    let ids = sheets::ids_of_member(&w.t.db, member, 1_000).await.unwrap();
    let mut total = 0;
    for id in &ids {
        let sheet = sheets::find(&w.t.db, *id).await.unwrap().unwrap();
        assert_eq!(sheet.state, SheetState::Liquidee);
        total += sheet.totals.unwrap().deductions.cents();
    }
    (ids.len(), total)
}

#[tokio::test]
async fn batches_side_by_side_liquidate_every_sheet_once_within_the_caps() {
    let w = world().await;
    let mut members = Vec::new();
    let mut lines = vec![header(30)];
    for m in 0..3u32 {
        let (nir, id) = covered_member(&w, true).await;
        members.push(id);
        // 30 consultations on 30 days: 60 € of participations, capped at 50 € a year.
        for day in 0..30u32 {
            let date = date!(2025 - 04 - 01) + time::Duration::days(i64::from(day));
            lines.push(sheet_line(
                m * 100 + day + 1,
                nir.as_str(),
                1,
                &date.to_string(),
                false,
                &g(3000),
            ));
        }
    }
    assert!(matches!(
        import(&w, &lines.join("\n")).await,
        ImportOutcome::Accepted(_)
    ));
    let report = liquidate_all(&w.t.db, std::sync::Arc::new(w.tables.clone()), 4, 3, NOW)
        .await
        .unwrap();
    assert_eq!((report.liquidated, report.rejected), (90, 0));
    for member in members {
        assert_eq!(deductions_of(&w, member).await, (30, 5_000));
    }
    let again = liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    assert_eq!(again.taken(), 0);
}

#[tokio::test]
async fn a_member_another_batch_holds_is_left_for_later_not_waited_for() {
    let w = world().await;
    if caisse_store::database_backend(&w.t.db) != caisse_store::Backend::Postgres {
        // SQLite has one writer at a time: no batch ever holds a member while another runs.
        return;
    }
    let (held_nir, held) = covered_member(&w, true).await;
    let (free_nir, _) = covered_member(&w, true).await;
    let lot = [
        header(31),
        sheet_line(1, held_nir.as_str(), 1, "2025-05-20", false, &g(3000)),
        sheet_line(2, free_nir.as_str(), 1, "2025-05-20", false, &g(3000)),
    ]
    .join("\n");
    assert!(matches!(import(&w, &lot).await, ImportOutcome::Accepted(_)));
    let other = w.t.db.begin().await.unwrap();
    let taken = caisse_store::claims::try_lock_members(&other, &[held])
        .await
        .unwrap();
    assert!(taken.contains(&held));

    let report = liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    assert_eq!((report.liquidated, report.deferred), (1, 1));
    other.rollback().await.unwrap();
    let report = liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    assert_eq!((report.liquidated, report.deferred), (1, 0));
}

#[tokio::test]
async fn a_debt_withheld_by_two_runs_of_one_day_grows_one_recovery_of_the_same_payment() {
    let w = world().await;
    let (nir, member) = covered_member(&w, true).await;
    let nir = nir.as_str();
    let box_of = |charged: i64| {
        format!(
            r#"{{"code_acte": "PH7", "quantite": 1, "coefficient": 1, "montant_cents": {charged}, "ald": false, "at_mp": false}}"#
        )
    };
    // A 2.00 € debt (tiers payant), then a box whose reimbursement cannot cover it.
    let first = [
        header(40),
        sheet_line(1, nir, 1, "2025-05-19", true, &g(3000)),
        sheet_line(2, nir, 1, "2025-05-20", false, &box_of(300)),
    ]
    .join("\n");
    assert!(matches!(
        import(&w, &first).await,
        ImportOutcome::Accepted(_)
    ));
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    let day = date!(2025 - 06 - 02);
    let run1 = make_payments(&w.t.db, day, NOW).await.unwrap();
    assert!(
        run1.recovered.cents() > 0 && run1.recovered.cents() < 200,
        "{run1:?}"
    );

    // Another box the same day: its run adds to the same payment and withholds the rest.
    let second = [
        header(41),
        sheet_line(1, nir, 1, "2025-05-21", false, &box_of(300)),
    ]
    .join("\n");
    assert!(matches!(
        import(&w, &second).await,
        ImportOutcome::Accepted(_)
    ));
    liquidate_batch(&w.t.db, &w.tables, 100, NOW).await.unwrap();
    let run2 = make_payments(&w.t.db, day, NOW).await.unwrap();
    assert!(run2.recovered.cents() > 0, "{run2:?}");

    let debts = caisse_store::claims::debts::all_of(&w.t.db, member)
        .await
        .unwrap();
    assert_eq!(debts.len(), 1);
    let withheld = run1.recovered.cents() + run2.recovered.cents();
    assert_eq!(debts[0].recovered.cents(), withheld.min(200));
    let recoveries = caisse_store::claims::debt_payments::recoveries(&w.t.db, debts[0].id)
        .await
        .unwrap();
    assert_eq!(
        recoveries.len(),
        1,
        "one payment of the day, one recovery row"
    );
    assert_eq!(recoveries[0].amount.cents(), withheld);
}
