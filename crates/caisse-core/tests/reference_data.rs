//! Loading the claims reference data: the repository's files go in whole and read back as
//! parsed, with a record and an audit event; a broken file loads nothing and the data in
//! force stays.

use caisse_core::claims::reference_data::{self, LoadOutcome, digest, spans};
use caisse_core::claims::{ReferenceFiles, parse_reference_files};
use caisse_core::demo::REFERENCE_FILES;
use caisse_domain::claims::Table;
use caisse_domain::{ActorKind, AuditAction};
use caisse_store::{audit, now_utc};
use caisse_test_support::TestDb;
use time::macros::date;

#[tokio::test]
async fn the_repository_files_load_whole_and_read_back_as_parsed() {
    let t = TestDb::new().await;
    let parsed = parse_reference_files(&REFERENCE_FILES).unwrap();
    let LoadOutcome::Loaded(summary) = reference_data::load(&t.db, &REFERENCE_FILES, now_utc())
        .await
        .unwrap()
    else {
        panic!("the repository's files are refused");
    };
    assert_eq!(summary.rows, parsed.row_counts());
    assert_eq!(summary.digest, digest(&REFERENCE_FILES));
    assert_eq!(summary.digest.len(), 64);
    assert_eq!(reference_data::current(&t.db).await.unwrap(), parsed);
    let latest = reference_data::latest_load(&t.db).await.unwrap().unwrap();
    assert_eq!((latest.digest, latest.rows), (summary.digest, summary.rows));

    let spans = spans(&parsed);
    assert_eq!(spans[0].table, Table::Tariffs);
    assert_eq!(
        spans[0].from,
        parsed.tariffs().iter().map(|r| r.validity.from()).min()
    );
    assert!(spans[0].from <= Some(date!(2024 - 01 - 01)));
    // Today's tariffs have no end yet.
    assert_eq!(spans[0].to, None);
    assert!(spans.iter().all(|s| s.rows > 0));

    // A second load of the same files replaces them: no row twice.
    reference_data::load(&t.db, &REFERENCE_FILES, now_utc())
        .await
        .unwrap();
    assert_eq!(reference_data::current(&t.db).await.unwrap(), parsed);
}

#[tokio::test]
async fn a_broken_file_loads_nothing_and_the_data_in_force_stays() {
    let t = TestDb::new().await;
    let before = now_utc();
    reference_data::load(&t.db, &REFERENCE_FILES, before)
        .await
        .unwrap();
    let in_force = reference_data::current(&t.db).await.unwrap();
    let first = reference_data::latest_load(&t.db).await.unwrap().unwrap();

    let broken_tariffs = REFERENCE_FILES.tariffs.replacen(",2650,", ",26.50,", 1);
    assert_ne!(broken_tariffs, REFERENCE_FILES.tariffs);
    let broken = ReferenceFiles {
        tariffs: &broken_tariffs,
        ..REFERENCE_FILES
    };
    let LoadOutcome::Refused(error) = reference_data::load(&t.db, &broken, now_utc())
        .await
        .unwrap()
    else {
        panic!("a broken file was loaded");
    };
    let message = error.message_fr();
    assert!(
        message.starts_with("tariffs.csv, ligne 6, colonne « base_cents »"),
        "{message}"
    );
    assert_eq!(reference_data::current(&t.db).await.unwrap(), in_force);
    assert_eq!(
        reference_data::latest_load(&t.db).await.unwrap().unwrap(),
        first
    );
}

#[tokio::test]
async fn each_load_is_audited_as_the_system() {
    let t = TestDb::new().await;
    let LoadOutcome::Loaded(summary) = reference_data::load(&t.db, &REFERENCE_FILES, now_utc())
        .await
        .unwrap()
    else {
        panic!("the repository's files are refused");
    };
    let events = audit::for_subject(&t.db, "reference_load", summary.load_id, 10)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, AuditAction::ReferenceLoaded);
    assert_eq!(events[0].action.code(), "reference.loaded");
    assert_eq!(events[0].actor_kind, ActorKind::System);
    assert!(events[0].details.contains(&summary.digest));
}
