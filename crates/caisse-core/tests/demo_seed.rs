//! `caisse demo`'s data on a real database (SQLite, or PostgreSQL with `TEST_DATABASE_URL`):
//! the staff's fixed TOTP secrets stay usable when the database outlives the server key.

use caisse_core::demo::{DEMO_STAFF_TOTP_SECRETS, demo_totp_secret, seed};
use caisse_core::passwords::{HashParams, PasswordHasherPool};
use caisse_core::staff_totp::SealingKey;
use caisse_domain::CaisseCode;
use caisse_store::{Db, now_utc, staff};
use caisse_test_support::TestDb;

fn hasher() -> PasswordHasherPool {
    let params = HashParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };
    PasswordHasherPool::new(params, 1).unwrap()
}

/// The base32 secret `login` holds, opened with `key`, if it opens.
async fn opened(db: &Db, key: &SealingKey, login: &str) -> Option<String> {
    let row = staff::by_login(db, login).await.unwrap().unwrap();
    let sealed = row.totp_secret?;
    key.open(&sealed, row.id).ok().map(|s| s.base32())
}

#[tokio::test]
async fn demo_staff_secrets_are_sealed_and_resealed_under_a_new_server_key() {
    let test_db = TestDb::new().await;
    let db = &test_db.db;
    let first = SealingKey::derive(b"first server key, 32 characters!").unwrap();
    let summary = seed(db, &hasher(), &first, now_utc()).await.unwrap();
    assert!(summary.created);
    for (login, secret) in DEMO_STAFF_TOTP_SECRETS {
        assert_eq!(opened(db, &first, login).await.as_deref(), Some(*secret));
        let shown = summary
            .staff
            .iter()
            .find(|l| l.identifier == *login)
            .and_then(|l| l.totp_secret.clone());
        assert_eq!(
            shown,
            demo_totp_secret(login).map(|s| s.base32_grouped()),
            "the banner shows the key"
        );
    }

    // An administrator cleared one; then the server restarts with another key.
    caisse_store::staff::clear_totp(db, "conseiller")
        .await
        .unwrap();
    let second = SealingKey::derive(b"second server key, 32 characters").unwrap();
    let again = seed(db, &hasher(), &second, now_utc()).await.unwrap();
    assert!(!again.created);
    assert_eq!(
        opened(db, &second, "admin").await.as_deref(),
        Some("ADMINDEMOCAISSEDEUXMILLEVINGTSIX")
    );
    assert_eq!(opened(db, &first, "admin").await, None);
    assert_eq!(
        opened(db, &second, "conseiller").await,
        None,
        "stays cleared"
    );
    // The repository's reference data came with the first seed, once.
    let load = caisse_core::claims::reference_data::latest_load(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        load.digest,
        caisse_core::claims::reference_data::digest(&caisse_core::demo::REFERENCE_FILES)
    );
}

#[tokio::test]
async fn the_demo_fund_has_teams_with_the_demo_staff_and_canned_answers() {
    let test_db = TestDb::new().await;
    let db = &test_db.db;
    let key = SealingKey::derive(b"first server key, 32 characters!").unwrap();
    let summary = seed(db, &hasher(), &key, now_utc()).await.unwrap();
    let teams = caisse_core::messaging::teams::list(db, Some(CaisseCode::parse("781").unwrap()))
        .await
        .unwrap();
    let codes: Vec<&str> = teams.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, ["droits", "ij", "prestations"]);
    assert!(teams.iter().all(|t| !t.objets.is_empty()));
    let conseiller_teams = teams
        .iter()
        .filter(|t| t.staff.iter().any(|s| s == "conseiller"))
        .count();
    assert_eq!(conseiller_teams, 2);
    let shown = summary
        .staff
        .iter()
        .find(|l| l.identifier == "conseiller")
        .unwrap();
    assert_eq!(
        shown.teams,
        ["Service prestations", "Droits et affiliation"]
    );
    let canned = caisse_store::canned_answers::of_fund(db, CaisseCode::parse("781").unwrap(), true)
        .await
        .unwrap();
    assert!(canned.len() >= 3);
    assert!(canned.iter().all(|c| c.text.body.contains("{prenom}")));
    // A second start changes nothing.
    seed(db, &hasher(), &key, now_utc()).await.unwrap();
    assert_eq!(
        caisse_core::messaging::teams::list(db, Some(CaisseCode::parse("781").unwrap()))
            .await
            .unwrap()
            .len(),
        3
    );
}

/// Every rate rule the sheets of a demo member's year of care were liquidated with, and
/// whether all were paid.
async fn year_of_care(db: &Db, nir: &str) -> (usize, Vec<caisse_domain::claims::RateRule>, bool) {
    use caisse_core::claims::statements::sheet_detail;
    let member = caisse_store::members::find_by_nir(db, &caisse_domain::Nir::parse(nir).unwrap())
        .await
        .unwrap()
        .unwrap();
    let ids = caisse_store::claims::sheets::ids_of_member(db, member.id, 1000)
        .await
        .unwrap();
    let mut rules = Vec::new();
    let mut all_paid = true;
    for id in &ids {
        let detail = sheet_detail(db, *id).await.unwrap().unwrap();
        all_paid &= detail.state == caisse_domain::claims::SheetState::Payee;
        for line in detail.liquidation.unwrap().lines {
            if !rules.contains(&line.liquidation.rate_rule) {
                rules.push(line.liquidation.rate_rule);
            }
        }
    }
    (ids.len(), rules, all_paid)
}

#[tokio::test]
async fn the_demo_families_have_a_year_of_care_liquidated_and_paid_by_the_engine() {
    use caisse_domain::claims::RateRule;
    let test_db = TestDb::new().await;
    let db = &test_db.db;
    let key = SealingKey::derive(b"first server key, 32 characters!").unwrap();
    seed(db, &hasher(), &key, now_utc()).await.unwrap();
    let sheets = caisse_core::demo::seed_care(db, now_utc()).await.unwrap();
    assert!(sheets > 100, "{sheets} sheets");
    assert_eq!(
        caisse_core::demo::seed_care(db, now_utc()).await.unwrap(),
        0
    );

    // Julien MARTIN: two children, pharmacy in tiers payant.
    let (sheets, rules, paid) = year_of_care(db, "185057800608491").await;
    assert!(sheets >= 24 + 8, "{sheets} sheets");
    assert_eq!(rules, vec![RateRule::Common]);
    assert!(paid);
    // Kévin HOARAU: ALD care at 100 %.
    let kevin = caisse_domain::compute_key("1900397411056").unwrap();
    let (_, rules, _) = year_of_care(db, &format!("1900397411056{kevin:02}")).await;
    assert!(rules.contains(&RateRule::Ald), "{rules:?}");
    // Camille ROSSI: the C2S of the last months.
    let camille = caisse_domain::compute_key("293122A004123").unwrap();
    let (_, rules, _) = year_of_care(db, &format!("293122A004123{camille:02}")).await;
    assert!(rules.contains(&RateRule::C2s), "{rules:?}");

    let payments = caisse_store::claims::payments::of_member(
        db,
        caisse_store::members::find_by_nir(
            db,
            &caisse_domain::Nir::parse("185057800608491").unwrap(),
        )
        .await
        .unwrap()
        .unwrap()
        .id,
    )
    .await
    .unwrap();
    let days: std::collections::BTreeSet<_> = payments.iter().map(|p| p.day).collect();
    assert!(days.len() >= 12, "payments on {} days", days.len());
    assert!(
        payments.iter().any(|p| p.recovered.cents() > 0),
        "no franchise recovered"
    );

    // Sophie WEBER's last pharmacy visit came after her last reimbursement: its franchises
    // are still owed, to pay online.
    let sophie = caisse_store::members::find_by_nir(
        db,
        &caisse_domain::Nir::parse("282126748202355").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let open = caisse_store::claims::debts::open_of(db, sophie.id)
        .await
        .unwrap();
    assert_eq!(open.len(), 1, "{open:?}");
}
