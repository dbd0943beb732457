//! The claims reference data: replaced whole, read back as loaded, a bad row is `Corrupt`;
//! on SQLite by default and on PostgreSQL with `TEST_DATABASE_URL`.

use caisse_domain::claims::{
    ActCategory, ActCode, AnnualCapGroup, BasisPoints, CategoryRule, DailyCap, DailyCapScope,
    DeductionKind, DeductionRule, IjAtMpParameters, IjChargesParameters, IjMaterniteParameters,
    IjParameters, ReferenceTables, RegimeLocalRule, Tariff, TariffBase,
};
use caisse_domain::rights::Period;
use caisse_domain::{AmountCents, Instant};
use caisse_store::reference::{self, ReferenceLoad};
use caisse_store::{ConnectionTrait, StoreError, TransactionTrait, now_utc};
use caisse_test_support::TestDb;
use sea_orm::Statement;
use time::Date;
use time::macros::date;

fn period(from: Date, to: Option<Date>) -> Period {
    Period::new(from, to).unwrap()
}

fn bp(n: u16) -> BasisPoints {
    BasisPoints::new(n).unwrap()
}

fn tariff(code: &str, cents: Option<i64>, from: Date, to: Option<Date>) -> Tariff {
    Tariff {
        code: ActCode::parse(code).unwrap(),
        category: ActCategory::MedecinGeneraliste,
        base: cents.map_or(TariffBase::AsCharged, |c| {
            TariffBase::Fixed(AmountCents::new(c))
        }),
        price_limit: None,
        validity: period(from, to),
    }
}

/// Every kind of cell: fixed and charged bases, empty and filled options, two dated rows.
fn tables() -> ReferenceTables {
    ReferenceTables::new(
        vec![
            tariff(
                "G",
                Some(2650),
                date!(2024 - 01 - 01),
                Some(date!(2024 - 12 - 21)),
            ),
            tariff("G", Some(3000), date!(2024 - 12 - 22), None),
            tariff("PH7", None, date!(2024 - 01 - 01), None),
        ],
        vec![
            CategoryRule {
                category: ActCategory::MedecinGeneraliste,
                rate: bp(7000),
                hors_parcours_rate: Some(bp(3000)),
                deduction: Some(DeductionKind::ParticipationForfaitaire),
                validity: period(date!(2024 - 01 - 01), None),
            },
            CategoryRule {
                category: ActCategory::Pharmacie100,
                rate: bp(10_000),
                hors_parcours_rate: None,
                deduction: None,
                validity: period(date!(2024 - 01 - 01), None),
            },
        ],
        vec![RegimeLocalRule {
            category: ActCategory::MedecinGeneraliste,
            rate: bp(9000),
            validity: period(date!(2024 - 01 - 01), None),
        }],
        vec![
            DeductionRule {
                kind: DeductionKind::ParticipationForfaitaire,
                unit: AmountCents::new(200),
                daily_cap: Some(DailyCap {
                    amount: AmountCents::new(800),
                    scope: DailyCapScope::PerProfessional,
                }),
                annual_group: AnnualCapGroup::ParticipationsForfaitaires,
                annual_cap: AmountCents::new(5000),
                validity: period(date!(2024 - 01 - 01), None),
            },
            DeductionRule {
                kind: DeductionKind::FranchiseBoite,
                unit: AmountCents::new(100),
                daily_cap: None,
                annual_group: AnnualCapGroup::Franchises,
                annual_cap: AmountCents::new(5000),
                validity: period(date!(2024 - 01 - 01), None),
            },
        ],
        vec![IjParameters {
            smic_mensuel: AmountCents::new(180_220),
            ceiling_smic_hundredths: 140,
            rate: bp(5000),
            divisor_hundredths: 9125,
            waiting_days: 3,
            validity: period(date!(2025 - 04 - 01), None),
        }],
    )
    .unwrap()
    .with_ij_schedule_rows(
        vec![IjMaterniteParameters {
            pmss: AmountCents::new(400_500),
            divisor_hundredths: 9125,
            flat_deduction: bp(2100),
            min_daily: AmountCents::new(1112),
            max_daily: AmountCents::new(10_402),
            validity: period(date!(2026 - 02 - 01), None),
        }],
        vec![
            IjAtMpParameters {
                pass: AmountCents::new(4_710_000),
                sjb_cap_pass_100000ths: 834,
                divisor_hundredths: 3042,
                rate: bp(6000),
                increased_rate: bp(8000),
                increased_from_day: 29,
                validity: period(date!(2025 - 01 - 01), Some(date!(2025 - 12 - 31))),
            },
            IjAtMpParameters {
                pass: AmountCents::new(4_806_000),
                sjb_cap_pass_100000ths: 834,
                divisor_hundredths: 3042,
                rate: bp(6000),
                increased_rate: bp(8000),
                increased_from_day: 29,
                validity: period(date!(2026 - 01 - 01), None),
            },
        ],
        vec![IjChargesParameters {
            csg: bp(620),
            csg_deductible: bp(380),
            crds: bp(50),
            payment_period_days: 14,
            taxable_maladie: bp(10_000),
            taxable_maternite: bp(10_000),
            taxable_at_mp: bp(5000),
            taxable_ald: BasisPoints::ZERO,
            validity: period(date!(2024 - 01 - 01), None),
        }],
    )
    .unwrap()
}

#[tokio::test]
async fn a_load_replaces_the_whole_reference_data_and_reads_back_as_given() {
    let t = TestDb::new().await;
    assert_eq!(
        reference::current(&t.db).await.unwrap(),
        ReferenceTables::default()
    );
    assert_eq!(reference::latest_load(&t.db).await.unwrap(), None);

    let first = tables();
    let txn = t.db.begin().await.unwrap();
    reference::replace(&txn, &first).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(reference::current(&t.db).await.unwrap(), first);

    // A second load with fewer rows leaves nothing of the first.
    let second = ReferenceTables::new(
        vec![tariff("AMI", Some(350), date!(2025 - 01 - 01), None)],
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    )
    .unwrap();
    let txn = t.db.begin().await.unwrap();
    reference::replace(&txn, &second).await.unwrap();
    txn.commit().await.unwrap();
    let read = reference::current(&t.db).await.unwrap();
    assert_eq!(read, second);
    assert_eq!(read.row_counts(), [1, 0, 0, 0, 0, 0, 0, 0]);

    // And back: the same key and date may be loaded again.
    reference::replace(&t.db, &first).await.unwrap();
    assert_eq!(reference::current(&t.db).await.unwrap(), first);
}

#[tokio::test]
async fn each_load_is_recorded_and_the_latest_is_shown() {
    let t = TestDb::new().await;
    let at = Instant::from(now_utc());
    for (digest, rows) in [
        ("a".repeat(64), [3, 2, 1, 2, 1, 1, 2, 1]),
        ("b".repeat(64), [1, 0, 0, 0, 0, 0, 0, 3]),
    ] {
        reference::record_load(
            &t.db,
            &ReferenceLoad {
                loaded_at: at,
                digest,
                rows,
            },
        )
        .await
        .unwrap();
    }
    let latest = reference::latest_load(&t.db).await.unwrap().unwrap();
    assert_eq!(latest.digest, "b".repeat(64));
    assert_eq!(latest.rows, [1, 0, 0, 0, 0, 0, 0, 3]);
    assert_eq!(latest.loaded_at, at);
}

#[tokio::test]
async fn a_row_that_no_longer_parses_is_corrupt_with_its_id() {
    let t = TestDb::new().await;
    reference::replace(&t.db, &tables()).await.unwrap();
    let backend = t.db.get_database_backend();
    for (sql, table, column) in [
        (
            "UPDATE reference_tariffs SET category = 'martien' WHERE id = 2",
            "reference_tariffs",
            "category",
        ),
        (
            "UPDATE reference_rates SET rate_bp = 12000 WHERE id = 2",
            "reference_rates",
            "rate_bp",
        ),
        (
            "UPDATE reference_deductions SET daily_scope = 'professionnel' WHERE id = 2",
            "reference_deductions",
            "daily_scope",
        ),
        (
            "UPDATE reference_ij_at_mp SET increased_rate_bp = 10001 WHERE id = 2",
            "reference_ij_at_mp",
            "increased_rate_bp",
        ),
    ] {
        reference::replace(&t.db, &tables()).await.unwrap();
        t.db.execute_raw(Statement::from_string(backend, sql))
            .await
            .unwrap();
        let error = reference::current(&t.db).await.unwrap_err();
        match error {
            StoreError::Corrupt {
                table: t,
                column: c,
                row,
            } => assert_eq!((t, c, row.as_str()), (table, column, "2"), "{sql}"),
            other => panic!("{sql}: {other:?}"),
        }
    }
}
