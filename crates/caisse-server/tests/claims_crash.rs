//! Killing the claims worker in the middle of its work loses and doubles nothing: after a
//! restart every sheet is liquidated once and paid once, and every total equals a clean run
//! of the same lot on another database (the crash-safety contract of ARCHITECTURE.md: each
//! batch is one transaction, and a rolled-back batch is done again from the same state).
//!
//! The test runs the real `caisse worker` binary, kills it with SIGKILL once some sheets are
//! liquidated and others not, restarts it, and compares the stored results.
//! (6,000 sheets by batches of 100: the kill lands mid-way on either database.)

use std::io::Cursor;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use caisse_core::claims::import::{ImportOutcome, Submitter, import_lot};
use caisse_core::claims::worker::{ClaimsWorker, ClaimsWorkerSettings};
use caisse_core::claims::{reference_data, senders};
use caisse_core::clock::SystemClock;
use caisse_core::demo::REFERENCE_FILES;
use caisse_domain::claims::{ProfessionalId, SheetState};
use caisse_domain::rights::{CodeGestion, Period, RegimeCode};
use caisse_domain::{CaisseCode, Iban};
use caisse_store::claims::lots::LotSource;
use caisse_store::claims::sheets;
use caisse_store::rights::{Coverage, Doctor, Rights};
use caisse_store::{ConnectionTrait, Db, members, rights};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::new_member;
use caisse_test_support::polling::wait_until;
use time::macros::date;

const FUND: &str = "781";
const SENDER: &str = "10003456789";
const MEMBERS: u32 = 200;
const SHEETS: u32 = 6_000;

fn nir(i: u32) -> String {
    let body = format!("2850678{:03}{:03}", 1 + i / 999, 1 + i % 999);
    let key = caisse_domain::compute_key(&body).unwrap();
    format!("{body}{key:02}")
}

/// The same members, sender key and lot on `db`.
async fn prepare(db: &Db) {
    let now = caisse_store::now_utc();
    reference_data::load(db, &REFERENCE_FILES, now)
        .await
        .unwrap();
    let caisse = CaisseCode::parse(FUND).unwrap();
    let iban = Iban::parse("FR7630006000011234567890189").unwrap();
    let pro = ProfessionalId::rpps(SENDER).unwrap();
    senders::add(db, caisse, &pro, "Centre de santé", &iban, now)
        .await
        .unwrap();
    for i in 0..MEMBERS {
        let mut member = new_member(&nir(i), FUND, None);
        member.iban = Some(iban.clone());
        let id = members::insert(db, member, Vec::new(), now).await.unwrap();
        rights::insert(
            db,
            id,
            Rights {
                coverages: vec![Coverage {
                    regime: RegimeCode::parse("01").unwrap(),
                    code_gestion: CodeGestion::parse("10").unwrap(),
                    caisse,
                    period: Period::new(date!(2020 - 01 - 01), None).unwrap(),
                    local_regime: i % 7 == 0,
                }],
                doctors: if i % 3 == 0 {
                    Vec::new()
                } else {
                    vec![Doctor {
                        rank: 1,
                        name: "Dr MARTIN".to_owned(),
                        declared_on: None,
                    }]
                },
                ..Rights::default()
            },
        )
        .await
        .unwrap();
    }
    let mut lot = format!(
        "{{\"lot\": {{\"type_emetteur\": \"rpps\", \"emetteur\": \"{SENDER}\", \"numero_lot\": 1}}}}\n"
    );
    for n in 1..=SHEETS {
        let member = n % MEMBERS;
        // Spread over the year so caps are reached, one day per sheet of a member.
        let day = date!(2025 - 01 - 01) + time::Duration::days(i64::from(n / MEMBERS));
        let tp = n % 4 == 0;
        let acts = match n % 3 {
            0 => r#"{"code_acte": "G", "quantite": 1, "coefficient": 1, "montant_cents": 3000, "ald": false, "at_mp": false}"#.to_owned(),
            1 => r#"{"code_acte": "AMI", "quantite": 2, "coefficient": "1,5", "montant_cents": 945, "ald": false, "at_mp": false}, {"code_acte": "PH7", "quantite": 3, "coefficient": 1, "montant_cents": 1250, "ald": false, "at_mp": false}"#.to_owned(),
            _ => r#"{"code_acte": "B", "quantite": 1, "coefficient": "70", "montant_cents": 1890, "ald": false, "at_mp": false}"#.to_owned(),
        };
        lot.push_str(&format!(
            "{{\"numero_feuille\": {n}, \"nir\": \"{}\", \"rang\": 1, \"type_professionnel\": \"rpps\", \"professionnel\": \"{SENDER}\", \"date_soins\": \"{day}\", \"tiers_payant\": {tp}, \"part_complementaire\": false, \"parcours\": \"medecin_traitant\", \"actes\": [{acts}]}}\n",
            nir(member)
        ));
    }
    let tables = reference_data::current(db).await.unwrap();
    let sender = senders::registered(db, caisse, &pro)
        .await
        .unwrap()
        .unwrap();
    let outcome = import_lot(
        db,
        &tables,
        || Ok(Cursor::new(lot.as_bytes())),
        None,
        Submitter::Key(&sender),
        LotSource::File,
        now,
    )
    .await
    .unwrap();
    let ImportOutcome::Accepted(ack) = outcome else {
        panic!("the lot was refused: {outcome:?}");
    };
    assert_eq!(
        ack.sheets_accepted,
        u64::from(SHEETS),
        "{:?}",
        ack.rejected.first()
    );
}

/// Every stored total that must not depend on crashes (sums cast back to BIGINT: PostgreSQL
/// sums a BIGINT as a NUMERIC).
async fn totals(db: &Db) -> Vec<(String, i64)> {
    let mut all = Vec::new();
    for (name, sql) in [
        (
            "sheets liquidated or paid",
            "SELECT COUNT(*) FROM care_sheets WHERE liquidated_at IS NOT NULL",
        ),
        ("care lines", "SELECT COUNT(*) FROM care_lines"),
        (
            "AMO",
            "SELECT CAST(COALESCE(SUM(amo_cents), 0) AS BIGINT) FROM care_sheets",
        ),
        (
            "deductions",
            "SELECT CAST(COALESCE(SUM(deductions_cents), 0) AS BIGINT) FROM care_sheets",
        ),
        (
            "paid on sheets",
            "SELECT CAST(COALESCE(SUM(paid_cents), 0) AS BIGINT) FROM care_sheets",
        ),
        (
            "member debts",
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM member_debts",
        ),
        (
            "transferred",
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM payments",
        ),
        (
            "recovered",
            "SELECT CAST(COALESCE(SUM(recovered_cents), 0) AS BIGINT) FROM payments",
        ),
        ("payments", "SELECT COUNT(*) FROM payments"),
        (
            "counters",
            "SELECT CAST(COALESCE(SUM(cents), 0) AS BIGINT) FROM deduction_counters",
        ),
    ] {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap();
        let value: i64 = row.try_get_by_index(0).unwrap();
        all.push((name.to_owned(), value));
    }
    all
}

fn start_worker(database_url: &str, data_dir: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_caisse"))
        .arg("worker")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("CAISSE_DATA_DIR", data_dir)
        .env(
            "CAISSE_SECRET_KEY",
            "claims-crash-secret-key-0123456789abcdef",
        )
        .env("CAISSE_CLAIMS_BATCH_SIZE", "100")
        .env("CAISSE_CLAIMS_POLL_INTERVAL_MS", "100")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start caisse worker")
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(future))
}

fn count(db: &Db, state: SheetState) -> u64 {
    block_on(sheets::count_by_state(db))
        .unwrap()
        .into_iter()
        .find(|(s, _)| *s == state)
        .map_or(0, |(_, n)| n)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_killed_mid_batch_liquidates_and_pays_every_sheet_once_after_restart() {
    let clean = TestDb::new().await;
    prepare(&clean.db).await;
    let worker = ClaimsWorker::new(
        clean.db.clone(),
        std::sync::Arc::new(SystemClock),
        ClaimsWorkerSettings::default(),
    );
    worker.pass().await.unwrap();
    let expected = totals(&clean.db).await;
    assert_eq!(
        expected[0].1,
        i64::from(SHEETS),
        "the clean run liquidated every sheet"
    );

    let crashed = TestDb::new().await;
    prepare(&crashed.db).await;
    let data_dir =
        std::env::temp_dir().join(format!("caisse-claims-crash-{}", uuid::Uuid::new_v4()));
    let mut first = start_worker(&crashed.url, &data_dir);
    let mid_way = wait_until(Duration::from_secs(120), || {
        count(&crashed.db, SheetState::Liquidee) + count(&crashed.db, SheetState::Payee) > 0
    });
    first.kill().expect("SIGKILL the worker");
    first.wait().ok();
    assert!(mid_way, "the first worker liquidated nothing");
    let left = count(&crashed.db, SheetState::Recue);
    assert!(
        left > 0,
        "the kill must land before every sheet is liquidated"
    );

    let mut second = start_worker(&crashed.url, &data_dir);
    let finished = wait_until(Duration::from_secs(300), || {
        count(&crashed.db, SheetState::Recue) == 0 && count(&crashed.db, SheetState::Liquidee) == 0
    });
    second.kill().ok();
    second.wait().ok();
    std::fs::remove_dir_all(&data_dir).ok();
    assert!(finished, "the restarted worker did not finish");
    assert_eq!(count(&crashed.db, SheetState::Payee), u64::from(SHEETS));
    assert_eq!(totals(&crashed.db).await, expected);
    eprintln!("left received at the kill: {left} of {SHEETS}; totals: {expected:?}");
}
