//! The worked cases of `cases.txt` through the real engine on the test database (SQLite, or
//! PostgreSQL with TEST_DATABASE_URL): each case's situation written as a member's rights,
//! its counters stored, its sheets imported as one lot, liquidated by the worker's batches and
//! read back as the member pages read them (`statements::sheet_detail`), then checked against
//! the same expectations as the pure run.

use std::collections::HashMap;
use std::io::Cursor;
use std::time::Instant;

use caisse_core::claims::import::{ImportOutcome, Submitter, import_lot};
use caisse_core::claims::liquidation::liquidate_batch;
use caisse_core::claims::statements::{SheetDetail, sheet_detail};
use caisse_domain::claims::{Counters, LineLiquidation};
use caisse_domain::rights::{C2sKind, CodeGestion, ExemptionNature, Period, Rate, RegimeCode};
use caisse_domain::{CaisseCode, Iban, Nir};
use caisse_store::claims::lots::LotSource;
use caisse_store::claims::{counters, sheets};
use caisse_store::rights::{C2s, Coverage, Doctor, Exemption, Rights};
use caisse_store::{members, rights};
use caisse_test_support::fixtures::{new_member, next_nir};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use time::macros::{date, time};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::cases::{self, Case, Fields, SheetSpec, Totals};
use super::engine::{FUND, NOW, World, header, world};

/// What a run of the cases on the database did.
#[derive(Debug, Default)]
pub struct DbRun {
    /// Cases whose sheets went through the engine.
    pub ran: usize,
    /// Cases without sheets (IJ only), left to the pure run.
    pub without_sheets: usize,
    /// Cases whose situation the member file cannot express (AME).
    pub skipped_ame: Vec<String>,
    /// Cases whose sheets are the same care twice, which the import rejects as duplicates.
    pub skipped_duplicates: Vec<String>,
    /// What did not hold.
    pub failures: Vec<String>,
}

/// Since when every case's member is covered (and their exemptions run).
const COVERED_FROM: Date = date!(2020 - 01 - 01);

/// Runs every case with sheets, one member per case, one lot per case.
pub async fn run(w: &World, cases: &[Case]) -> DbRun {
    let mut out = DbRun::default();
    for (index, case) in cases.iter().enumerate() {
        if case.sheets.is_empty() {
            out.without_sheets += 1;
            continue;
        }
        let who = case.situation.as_ref().expect("a situation before a sheet");
        if who.flag("ame") {
            // AME beneficiaries are not insured members: the member file holds none.
            out.skipped_ame.push(case.name.clone());
            continue;
        }
        if has_duplicate_sheets(case) {
            // The import would reject the repeated sheet as a duplicate (same beneficiary,
            // professional, day and acts): the engine is right, the case is for the pure run.
            out.skipped_duplicates.push(case.name.clone());
            continue;
        }
        let lot = u32::try_from(index + 1).unwrap();
        match run_case(w, case, lot).await {
            Ok(()) => {}
            Err(failures) => out.failures.extend(failures),
        }
        out.ran += 1;
    }
    out
}

/// Two sheets of the case are the same care (the import's fingerprint).
fn has_duplicate_sheets(case: &Case) -> bool {
    let keys: Vec<String> = case.sheets.iter().map(|s| sheet_json(s, "", 0)).collect();
    keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k))
}

async fn run_case(w: &World, case: &Case, lot: u32) -> Result<(), Vec<String>> {
    let name = case.name.as_str();
    let who = case.situation.as_ref().expect("a situation");
    let (nir, member) = member_of(w, who).await;
    let initial = case.initial_counters();
    if initial != Counters::new() {
        counters::save(&w.t.db, &[((member, 1), &Counters::new(), &initial)])
            .await
            .unwrap();
    }
    let mut text = header(lot);
    for (i, spec) in case.sheets.iter().enumerate() {
        text.push('\n');
        text.push_str(&sheet_json(spec, nir.as_str(), i + 1));
    }
    let last_day = case.sheets.iter().map(SheetSpec::date).max().unwrap();
    let now = OffsetDateTime::new_utc(last_day + Duration::days(1), time!(10:00));
    let bytes = text.into_bytes();
    let outcome = import_lot(
        &w.t.db,
        &w.tables,
        || Ok(Cursor::new(bytes.clone())),
        None,
        Submitter::Key(&w.sender),
        LotSource::Api,
        now,
    )
    .await
    .unwrap();
    let ImportOutcome::Accepted(ack) = outcome else {
        return Err(vec![format!(
            "{name}: the lot was not accepted: {outcome:?}"
        )]);
    };
    if ack.sheets_rejected > 0 {
        return Err(vec![format!("{name}: sheets rejected: {:?}", ack.rejected)]);
    }
    loop {
        let report = liquidate_batch(&w.t.db, &w.tables, 100, now).await.unwrap();
        if report.rejected > 0 {
            return Err(vec![format!(
                "{name}: a sheet was rejected by the liquidation"
            )]);
        }
        if report.sheets() == 0 {
            break;
        }
    }

    // Read back as the member pages read them, each sheet by its number in the lot.
    let mut by_number: HashMap<u32, SheetDetail> = HashMap::new();
    for id in sheets::ids_of_member(&w.t.db, member, 1_000).await.unwrap() {
        let detail = sheet_detail(&w.t.db, id).await.unwrap().unwrap();
        by_number.insert(detail.number, detail);
    }
    let mut failures = Vec::new();
    for expectation in &case.expectations {
        let number = u32::try_from(expectation.sheet + 1).unwrap();
        let Some(liquidation) = by_number.get(&number).and_then(|d| d.liquidation.as_ref()) else {
            failures.push(format!("{name}: sheet {number} not liquidated"));
            continue;
        };
        let lines: Vec<&LineLiquidation> =
            liquidation.lines.iter().map(|l| &l.liquidation).collect();
        let t = liquidation.totals;
        let totals = Totals {
            payee: t.payee,
            base: t.base,
            amo: t.amo,
            regime_local: t.regime_local,
            deductions: t.deductions,
            paid: t.paid,
            withheld: t.withheld,
            member_debt: t.member_debt,
        };
        cases::check(name, expectation, &lines, &totals, &mut failures);
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures)
    }
}

/// A member of the fund whose rights say what the situation line says: their NIR and id.
pub async fn member_of(w: &World, who: &Fields) -> (Nir, Uuid) {
    let nir = next_nir();
    let mut member = new_member(&nir, FUND, None);
    member.birth_date = cases::date(who.get("born").expect("born="));
    member.iban = Some(Iban::parse("FR7630006000011234567890189").unwrap());
    let id = members::insert(&w.t.db, member, Vec::new(), NOW)
        .await
        .unwrap();
    rights::insert(&w.t.db, id, rights_of(who)).await.unwrap();
    (Nir::parse(&nir).unwrap(), id)
}

/// The rights of rank 1 that the situation's flags stand for.
pub fn rights_of(who: &Fields) -> Rights {
    let open = Period::new(COVERED_FROM, None).unwrap();
    let exemption = |nature, period| Exemption {
        rank: 1,
        nature,
        rate: Rate::FULL,
        period,
    };
    let mut exemptions = Vec::new();
    for (flag, nature) in [
        ("ald", ExemptionNature::Ald),
        ("atmp", ExemptionNature::AtMp),
        ("invalidite", ExemptionNature::Invalidite),
    ] {
        if who.flag(flag) {
            exemptions.push(exemption(nature, open));
        }
    }
    if let Some(window) = who.get("maternite") {
        let (sixth, birth) = window.split_once("..").expect("maternite=A..B");
        let to = cases::date(birth) + Duration::days(12);
        exemptions.push(exemption(
            ExemptionNature::Maternite,
            Period::new(cases::date(sixth), Some(to)).unwrap(),
        ));
    }
    Rights {
        coverages: vec![Coverage {
            regime: RegimeCode::parse("01").unwrap(),
            code_gestion: CodeGestion::parse("10").unwrap(),
            caisse: CaisseCode::parse(FUND).unwrap(),
            period: open,
            local_regime: who.flag("alsace"),
        }],
        exemptions,
        doctors: if who.flag("mt") {
            vec![Doctor {
                rank: 1,
                name: "Dr Anne MARTIN".to_owned(),
                declared_on: Some(COVERED_FROM),
            }]
        } else {
            Vec::new()
        },
        c2s: if who.flag("c2s") {
            vec![C2s {
                kind: C2sKind::SansParticipation,
                period: open,
            }]
        } else {
            Vec::new()
        },
    }
}

/// A sheet of the case as a JSON line of the lot (`docs/claims-format.md`).
pub fn sheet_json(spec: &SheetSpec, nir: &str, number: usize) -> String {
    let f = &spec.fields;
    let professional = cases::professional(f.get("pro").unwrap_or("rpps:10003456789")).code();
    let (kind, id) = professional.split_once(':').unwrap();
    let parcours = cases::parcours(f.get("parcours").unwrap_or("mt")).code();
    let acts: Vec<String> = spec
        .lines
        .iter()
        .map(|(code, l)| {
            format!(
                r#"{{"code_acte": "{code}", "quantite": {}, "coefficient": {}, "montant_cents": {}, "ald": {}, "at_mp": {}}}"#,
                l.get("qty").unwrap_or("1"),
                l.get("coef").unwrap_or("1"),
                l.cents("charged").expect("charged="),
                l.flag("ald"),
                l.flag("atmp"),
            )
        })
        .collect();
    format!(
        r#"{{"numero_feuille": {number}, "nir": "{nir}", "rang": 1, "type_professionnel": "{kind}", "professionnel": "{id}", "date_soins": "{}", "tiers_payant": {}, "part_complementaire": false, "parcours": "{parcours}", "actes": [{}]}}"#,
        f.get("date").expect("date="),
        f.flag("tp"),
        acts.join(", "),
    )
}

#[tokio::test]
async fn the_worked_cases_hold_on_the_database() {
    let w = world().await;
    let cases = cases::parse(include_str!("cases.txt"));
    let started = Instant::now();
    let run = run(&w, &cases).await;
    eprintln!(
        "{} worked cases through the engine on the database in {:.1} s ({} skipped for AME, {} \
         for duplicate sheets, {} without sheets)",
        run.ran,
        started.elapsed().as_secs_f64(),
        run.skipped_ame.len(),
        run.skipped_duplicates.len(),
        run.without_sheets,
    );
    assert!(run.failures.is_empty(), "{}", run.failures.join("\n"));
    // The member file holds no AME beneficiary (see the core's `situation`).
    assert_eq!(run.skipped_ame, vec!["AME: no participation"]);
    // Five identical sheets (same doctor, day and act): the import takes the first and
    // rejects the four others as duplicates, so the case holds for the pure run only.
    assert_eq!(
        run.skipped_duplicates,
        vec!["fifth act of the day on a fifth sheet, same doctor"]
    );
    assert_eq!(
        run.ran + run.without_sheets + run.skipped_ame.len() + run.skipped_duplicates.len(),
        cases.len()
    );
    assert!(run.ran >= 55, "only {} cases ran", run.ran);
}

/// A random situation (AME left out: the member file cannot say it) and random sheets, as
/// the lines of `cases.txt` would write them.
fn random_case() -> impl Strategy<Value = Case> {
    let sheet = (
        0_i64..150,
        0_u8..3,
        0_usize..5,
        any::<bool>(),
        proptest::collection::vec(super::properties::line(), 1..5),
    );
    (
        proptest::collection::vec(any::<bool>(), 7),
        0_i64..30_000,
        0_i64..=5_000,
        0_i64..=5_000,
        proptest::collection::vec(sheet, 1..12),
    )
        .prop_map(|(flags, age_days, pf, franchises, sheets)| {
            let first_day = date!(2025 - 01 - 01);
            let words = |pairs: Vec<(&str, Option<String>)>| {
                Fields(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            };
            let mut situation = vec![(
                "born",
                Some((first_day - Duration::days(age_days)).to_string()),
            )];
            for (flag, name) in
                flags
                    .iter()
                    .zip(["mt", "ald", "c2s", "atmp", "invalidite", "alsace"])
            {
                if *flag {
                    situation.push((name, None));
                }
            }
            if flags[6] {
                situation.push(("maternite", Some("2025-02-01..2025-04-15".to_owned())));
            }
            let parcours = ["mt", "oriente", "direct", "urgence", "hors"];
            let sheets = sheets
                .into_iter()
                .map(|(day, pro, parcours_index, tp, lines)| {
                    let mut fields = vec![
                        ("date", Some((first_day + Duration::days(day)).to_string())),
                        ("pro", Some(format!("rpps:1000000000{pro}"))),
                        ("parcours", Some(parcours[parcours_index].to_owned())),
                    ];
                    if tp {
                        fields.push(("tp", None));
                    }
                    SheetSpec {
                        fields: words(fields),
                        lines: lines
                            .into_iter()
                            .map(|l| {
                                let c = l.coefficient.hundredths();
                                let mut f = vec![
                                    ("charged", Some(l.charged.cents().to_string())),
                                    ("qty", Some(l.quantity.get().to_string())),
                                    ("coef", Some(format!("{}.{:02}", c / 100, c % 100))),
                                ];
                                if l.ald {
                                    f.push(("ald", None));
                                }
                                if l.at_mp {
                                    f.push(("atmp", None));
                                }
                                (l.code.as_str().to_owned(), words(f))
                            })
                            .collect(),
                    }
                })
                .collect();
            Case {
                name: "random".to_owned(),
                situation: Some(words(situation)),
                counters: vec![words(vec![
                    ("year", Some("2025".to_owned())),
                    ("pf", Some(pf.to_string())),
                    ("franchises", Some(franchises.to_string())),
                ])],
                sheets,
                ..Case::default()
            }
        })
}

/// Imports `case`'s sheets for a new member as lot `lot`: the member's id.
async fn import_for_new_member(w: &World, case: &Case, lot: u32) -> Uuid {
    let who = case.situation.as_ref().unwrap();
    let (nir, member) = member_of(w, who).await;
    let initial = case.initial_counters();
    counters::save(&w.t.db, &[((member, 1), &Counters::new(), &initial)])
        .await
        .unwrap();
    let mut text = header(lot);
    for (i, spec) in case.sheets.iter().enumerate() {
        text.push('\n');
        text.push_str(&sheet_json(spec, nir.as_str(), i + 1));
    }
    let bytes = text.into_bytes();
    let outcome = import_lot(
        &w.t.db,
        &w.tables,
        || Ok(Cursor::new(bytes.clone())),
        None,
        Submitter::Key(&w.sender),
        LotSource::Api,
        NOW,
    )
    .await
    .unwrap();
    assert!(matches!(outcome, ImportOutcome::Accepted(_)), "{outcome:?}");
    member
}

async fn details_by_number(w: &World, member: Uuid) -> Vec<(u32, SheetDetail)> {
    let mut details = Vec::new();
    for id in sheets::ids_of_member(&w.t.db, member, 1_000).await.unwrap() {
        let detail = sheet_detail(&w.t.db, id).await.unwrap().unwrap();
        details.push((detail.number, detail));
    }
    details.sort_by_key(|(n, _)| *n);
    details
}

#[tokio::test]
async fn the_same_sheets_liquidate_the_same_on_two_members_within_their_bases() {
    let w = world().await;
    let started = Instant::now();
    let mut runner = TestRunner::deterministic();
    let strategy = random_case();
    let mut sheets_checked = 0;
    for round in 0..16_u32 {
        let mut case = strategy.new_tree(&mut runner).unwrap().current();
        // Some acts have tariffs only from 22/12/2024; the lot would reject the sheet.
        for spec in &mut case.sheets {
            let day = spec.date();
            spec.lines.retain(|(code, _)| {
                let code = caisse_domain::claims::ActCode::parse(code).unwrap();
                w.tables.tariff(&code, day).is_ok()
            });
        }
        case.sheets.retain(|s| !s.lines.is_empty());
        if case.sheets.is_empty() {
            continue;
        }
        let first = import_for_new_member(&w, &case, 1_000 + 2 * round).await;
        let second = import_for_new_member(&w, &case, 1_001 + 2 * round).await;
        while liquidate_batch(&w.t.db, &w.tables, 7, NOW)
            .await
            .unwrap()
            .sheets()
            > 0
        {}
        let one = details_by_number(&w, first).await;
        let two = details_by_number(&w, second).await;
        assert_eq!(one.len(), two.len());
        for ((n, a), (m, b)) in one.iter().zip(&two) {
            assert_eq!(n, m);
            assert_eq!(a.state, b.state, "sheet {n}");
            assert_eq!(a.liquidation, b.liquidation, "sheet {n}");
            let Some(liquidation) = &a.liquidation else {
                continue;
            };
            sheets_checked += 1;
            for line in &liquidation.lines {
                let l = &line.liquidation;
                let (base, amo) = (l.base.cents(), l.amo.cents());
                let rl = l.regime_local.map_or(0, |r| r.amount.cents());
                assert!(0 <= base && base <= l.charged.cents(), "{l:?}");
                assert!(0 <= amo && 0 <= rl && amo + rl <= base, "{l:?}");
                assert!(0 <= l.c2s.cents() && amo + l.c2s.cents() <= base, "{l:?}");
                if let Some(d) = l.deduction {
                    assert!(0 <= d.applied.cents() && d.applied <= d.due, "{d:?}");
                }
            }
            let t = liquidation.totals;
            for amount in [
                t.base,
                t.amo,
                t.regime_local,
                t.deductions,
                t.paid,
                t.withheld,
                t.member_debt,
            ] {
                assert!(amount.cents() >= 0, "{t:?}");
            }
            assert!(
                t.amo.cents() + t.regime_local.cents() <= t.base.cents(),
                "{t:?}"
            );
            assert!(
                t.paid.cents() <= t.amo.cents() + t.regime_local.cents(),
                "{t:?}"
            );
        }
    }
    assert!(
        sheets_checked >= 10,
        "only {sheets_checked} sheets liquidated"
    );
    eprintln!(
        "{sheets_checked} random sheets liquidated twice on the database in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[tokio::test]
async fn a_sheet_reads_back_received_then_liquidated_then_paid() {
    let w = world().await;
    assert!(
        sheet_detail(&w.t.db, Uuid::now_v7())
            .await
            .unwrap()
            .is_none()
    );
    let (nir, member) = super::engine::covered_member(&w, true).await;
    let lot = [
        header(30),
        super::engine::sheet_line(
            7,
            nir.as_str(),
            1,
            "2025-05-20",
            false,
            &super::engine::g(3000),
        ),
    ]
    .join("\n");
    assert!(matches!(
        super::engine::import(&w, &lot).await,
        ImportOutcome::Accepted(_)
    ));
    let [id] = sheets::ids_of_member(&w.t.db, member, 10).await.unwrap()[..] else {
        panic!("one sheet");
    };
    let received = sheet_detail(&w.t.db, id).await.unwrap().unwrap();
    assert_eq!((received.number, received.member_id), (7, member));
    assert_eq!(received.state, caisse_domain::claims::SheetState::Recue);
    assert_eq!(received.charged.cents(), 3000);
    assert!(received.liquidation.is_none() && received.payment_id.is_none());

    liquidate_batch(&w.t.db, &w.tables, 10, NOW).await.unwrap();
    let liquidated = sheet_detail(&w.t.db, id).await.unwrap().unwrap();
    assert_eq!(
        liquidated.state,
        caisse_domain::claims::SheetState::Liquidee
    );
    let liquidation = liquidated.liquidation.unwrap();
    assert_eq!(liquidation.totals.paid.cents(), 1900);
    assert_eq!(liquidation.lines.len(), 1);
    let line = &liquidation.lines[0];
    assert_eq!(line.quantity.get(), 1);
    assert_eq!(line.coefficient.hundredths(), 100);
    assert_eq!(line.liquidation.code.as_str(), "G");
    assert_eq!(
        line.liquidation.deduction.map(|d| d.kind),
        Some(caisse_domain::claims::DeductionKind::ParticipationForfaitaire)
    );

    caisse_core::claims::payments::make_payments(&w.t.db, date!(2025 - 06 - 02), NOW)
        .await
        .unwrap();
    let paid = sheet_detail(&w.t.db, id).await.unwrap().unwrap();
    assert_eq!(paid.state, caisse_domain::claims::SheetState::Payee);
    assert!(paid.payment_id.is_some());
    assert_eq!(paid.liquidation.map(|l| l.totals), Some(liquidation.totals));
}
