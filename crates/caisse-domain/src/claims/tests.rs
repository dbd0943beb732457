use time::macros::date;

use super::*;
use crate::rights::{Period, PeriodError};
use crate::{AmountCents, Nir, compute_key};

fn validity(from: time::Date, to: Option<time::Date>) -> Period {
    Period::new(from, to).unwrap()
}

fn g(base: i64, from: time::Date, to: Option<time::Date>) -> Tariff {
    Tariff {
        code: ActCode::parse("G").unwrap(),
        category: ActCategory::MedecinGeneraliste,
        base: TariffBase::Fixed(AmountCents::new(base)),
        price_limit: None,
        validity: validity(from, to),
    }
}

fn tables() -> ReferenceTables {
    let since = date!(2024 - 01 - 01);
    ReferenceTables::new(
        vec![
            g(2650, since, Some(date!(2024 - 12 - 21))),
            g(3000, date!(2024 - 12 - 22), None),
        ],
        vec![CategoryRule {
            category: ActCategory::MedecinGeneraliste,
            rate: BasisPoints::new(7000).unwrap(),
            hors_parcours_rate: Some(BasisPoints::new(3000).unwrap()),
            deduction: Some(DeductionKind::ParticipationForfaitaire),
            validity: validity(since, None),
        }],
        vec![RegimeLocalRule {
            category: ActCategory::MedecinGeneraliste,
            rate: BasisPoints::new(9000).unwrap(),
            validity: validity(since, None),
        }],
        vec![DeductionRule {
            kind: DeductionKind::ParticipationForfaitaire,
            unit: AmountCents::new(200),
            daily_cap: Some(DailyCap {
                amount: AmountCents::new(800),
                scope: DailyCapScope::PerProfessional,
            }),
            annual_group: AnnualCapGroup::ParticipationsForfaitaires,
            annual_cap: AmountCents::new(5000),
            validity: validity(since, None),
        }],
        vec![IjParameters {
            smic_mensuel: AmountCents::new(180_180),
            ceiling_smic_hundredths: 140,
            rate: BasisPoints::new(5000).unwrap(),
            divisor_hundredths: 9125,
            waiting_days: 3,
            validity: validity(date!(2025 - 04 - 01), None),
        }],
    )
    .unwrap()
}

fn nir() -> Nir {
    let body = "1800575123456";
    Nir::parse(&format!("{body}{:02}", compute_key(body).unwrap())).unwrap()
}

fn sheet(day: time::Date, lines: usize) -> CareSheet {
    CareSheet {
        nir: nir(),
        rank: 1,
        professional: ProfessionalId::rpps("10003456789").unwrap(),
        prescriber: None,
        date_of_care: day,
        tiers_payant: false,
        parcours: Parcours::MedecinTraitant,
        lines: (0..lines)
            .map(|_| CareLine {
                code: ActCode::parse("G").unwrap(),
                quantity: Quantity::ONE,
                coefficient: Coefficient::ONE,
                charged: AmountCents::new(3000),
                ald: false,
                at_mp: false,
            })
            .collect(),
    }
}

fn adult() -> Situation {
    Situation {
        birth_date: date!(1980 - 05 - 01),
        ald: false,
        maternity: None,
        c2s: false,
        ame: false,
        at_mp: false,
        invalidite: false,
        regime_local: false,
        medecin_traitant_declared: true,
    }
}

#[test]
fn a_validity_contains_its_bounds_and_detects_overlaps() {
    let v = validity(date!(2024 - 12 - 22), Some(date!(2025 - 01 - 31)));
    assert!(v.covers(date!(2024 - 12 - 22)) && v.covers(date!(2025 - 01 - 31)));
    assert!(!v.covers(date!(2024 - 12 - 21)) && !v.covers(date!(2025 - 02 - 01)));
    let open = validity(date!(2025 - 01 - 31), None);
    assert!(v.overlaps(&open) && open.overlaps(&v));
    assert!(!v.overlaps(&validity(date!(2025 - 02 - 01), None)));
    assert_eq!(
        Period::new(date!(2025 - 01 - 02), Some(date!(2025 - 01 - 01))),
        Err(PeriodError::EndsBeforeStart)
    );
}

#[test]
fn codes_quantities_and_coefficients_are_parsed() {
    assert_eq!(ActCode::parse(" AMI ").unwrap().as_str(), "AMI");
    assert_eq!(ActCode::parse("3400930000000").unwrap().as_str().len(), 13);
    for bad in ["", "ami", "G-1", "12345678901234"] {
        assert_eq!(ActCode::parse(bad), Err(CodeError::ActCode), "{bad}");
    }
    assert_eq!(Quantity::parse("3").unwrap().get(), 3);
    assert!(Quantity::parse("0").is_err() && Quantity::parse("1000").is_err());
    assert_eq!(Coefficient::parse("1,5").unwrap().hundredths(), 150);
    assert_eq!(Coefficient::parse("7.25").unwrap().hundredths(), 725);
    assert_eq!(Coefficient::parse("70").unwrap().hundredths(), 7000);
    for bad in ["", "0", "1.", ".5", "1.234", "-1", "a"] {
        assert!(Coefficient::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn professional_numbers_have_their_shapes() {
    assert!(ProfessionalId::rpps("10003456789").is_ok());
    assert_eq!(
        ProfessionalId::rpps("1000345678"),
        Err(ProfessionalIdError::Rpps)
    );
    assert!(ProfessionalId::adeli("751234567").is_ok());
    assert!(ProfessionalId::adeli("75123456A").is_err());
    assert_eq!(
        ProfessionalId::finess("2a0000001").unwrap().as_str(),
        "2A0000001"
    );
    assert!(ProfessionalId::finess("750000001").is_ok());
    assert!(ProfessionalId::finess("2C0000001").is_err());
}

#[test]
fn rates_apply_with_one_rounding_half_up() {
    let seventy = BasisPoints::new(7000).unwrap();
    assert_eq!(seventy.apply(3000), 2100);
    assert_eq!(BasisPoints::new(6000).unwrap().apply(473), 284); // 283.8
    assert_eq!(BasisPoints::new(5000).unwrap().apply(1), 1); // 0.5 goes up
    assert_eq!(BasisPoints::new(5000).unwrap().apply(3), 2); // 1.5 goes up
    assert_eq!(BasisPoints::new(1500).unwrap().apply(2), 0); // 0.3 goes down
    assert!(BasisPoints::new(10_001).is_err());
    assert_eq!(seventy.label_fr(), "70\u{a0}%");
    assert_eq!(BasisPoints::new(6250).unwrap().label_fr(), "62,5\u{a0}%");
}

#[test]
fn the_maternity_window_runs_to_twelve_days_after_birth() {
    let w = MaternityWindow::from_pregnancy(date!(2025 - 01 - 01), date!(2025 - 05 - 20)).unwrap();
    assert!(w.contains(date!(2025 - 01 - 01)) && w.contains(date!(2025 - 06 - 01)));
    assert!(!w.contains(date!(2024 - 12 - 31)) && !w.contains(date!(2025 - 06 - 02)));
    assert!(MaternityWindow::new(date!(2025 - 01 - 02), date!(2025 - 01 - 01)).is_err());
}

#[test]
fn age_counts_whole_years_and_situation_hides_itself() {
    let mut s = adult();
    s.birth_date = date!(2008 - 02 - 29);
    assert_eq!(s.age_on(date!(2026 - 02 - 28)), 17);
    assert_eq!(s.age_on(date!(2026 - 03 - 01)), 18);
    assert_eq!(format!("{s:?}"), "Situation { .. }");
}

#[test]
fn tables_answer_the_row_of_a_date_and_refuse_overlaps() {
    let t = tables();
    let code = ActCode::parse("G").unwrap();
    let base = |d| t.tariff(&code, d).unwrap().base;
    assert_eq!(
        base(date!(2024 - 12 - 21)),
        TariffBase::Fixed(AmountCents::new(2650))
    );
    assert_eq!(
        base(date!(2024 - 12 - 22)),
        TariffBase::Fixed(AmountCents::new(3000))
    );
    let missing = t.tariff(&code, date!(2023 - 12 - 31)).unwrap_err();
    assert_eq!(
        missing.message_fr(),
        "Aucune ligne de tariffs.csv ne s'applique à « G » le 31/12/2023."
    );
    assert!(t.ij(date!(2025 - 03 - 31)).is_err());
    let overlap = ReferenceTables::new(
        vec![
            g(2650, date!(2024 - 01 - 01), Some(date!(2024 - 12 - 22))),
            g(3000, date!(2024 - 12 - 22), None),
        ],
        vec![],
        vec![],
        vec![],
        vec![],
    )
    .unwrap_err();
    assert!(
        matches!(overlap, ReferenceError::Overlap { table: Table::Tariffs, ref key, .. } if key == "G")
    );
}

#[test]
fn a_g_in_the_parcours_pays_19_euros_and_records_why() {
    let liq = liquidate(
        &sheet(date!(2025 - 03 - 10), 1),
        &adult(),
        &tables(),
        &Counters::new(),
    )
    .unwrap();
    let line = &liq.lines[0];
    assert_eq!(
        (line.base.cents(), line.amo.cents(), line.rate_rule),
        (3000, 2100, RateRule::Common)
    );
    let d = line.deduction.unwrap();
    assert_eq!((d.applied.cents(), d.limit), (200, DeductionLimit::None));
    assert_eq!(
        (liq.paid.cents(), liq.member_debt.cents(), liq.payee),
        (1900, 0, Payee::Member)
    );
    let year = liq
        .counters
        .annual(2025, AnnualCapGroup::ParticipationsForfaitaires);
    assert_eq!(year.cents(), 200);
}

#[test]
fn the_regime_local_adds_its_part_and_the_pf_its_limits() {
    let mut s = adult();
    s.regime_local = true;
    let liq = liquidate(
        &sheet(date!(2025 - 03 - 10), 5),
        &s,
        &tables(),
        &Counters::new(),
    )
    .unwrap();
    assert_eq!(liq.lines[0].regime_local.unwrap().amount.cents(), 600);
    assert_eq!(
        liq.lines[4].deduction.unwrap().limit,
        DeductionLimit::DailyCap
    );
    assert_eq!(liq.paid.cents(), 5 * 2700 - 800);
    // Charged 30 €: 21 € AMO + 6 € régime local, 3 € left before the complementary.
    assert_eq!(liq.lines[0].before_complementary().cents(), 300);
}

#[test]
fn what_is_left_before_the_complementary_excludes_the_amo_and_counts_the_excess() {
    let mut care = sheet(date!(2025 - 03 - 10), 1);
    care.lines[0].charged = AmountCents::new(5000);
    let liq = liquidate(&care, &adult(), &tables(), &Counters::new()).unwrap();
    // 50 € charged, 21 € AMO on the 30 € base: 9 € ticket modérateur + 20 € dépassement.
    assert_eq!(liq.lines[0].before_complementary().cents(), 2900);
    let mut c2s = adult();
    c2s.c2s = true;
    let liq = liquidate(
        &sheet(date!(2025 - 03 - 10), 1),
        &c2s,
        &tables(),
        &Counters::new(),
    )
    .unwrap();
    assert_eq!(liq.lines[0].before_complementary().cents(), 0);
}

#[test]
fn sheets_that_cannot_be_liquidated_say_why() {
    let t = tables();
    let day = date!(2025 - 03 - 10);
    let none = liquidate(&sheet(day, 0), &adult(), &t, &Counters::new());
    assert_eq!(none, Err(LiquidationError::NoLines));
    let mut negative = sheet(day, 1);
    negative.lines[0].charged = AmountCents::new(-1);
    assert_eq!(
        liquidate(&negative, &adult(), &t, &Counters::new()),
        Err(LiquidationError::NegativeCharge { line_no: 1 })
    );
    let mut unborn = adult();
    unborn.birth_date = date!(2025 - 03 - 11);
    assert_eq!(
        liquidate(&sheet(day, 1), &unborn, &t, &Counters::new()),
        Err(LiquidationError::BornAfterCare)
    );
    let too_early = liquidate(
        &sheet(date!(2023 - 06 - 01), 1),
        &adult(),
        &t,
        &Counters::new(),
    )
    .unwrap_err();
    assert_eq!(
        too_early.message_fr(),
        "Ligne 1 : Aucune ligne de tariffs.csv ne s'applique à « G » le 01/06/2023."
    );
}

#[test]
fn the_daily_ij_is_half_the_daily_salary_within_the_ceiling() {
    let t = tables();
    let month = |c| AmountCents::new(c);
    let ij = ij_daily_amount([month(400_000); 3], date!(2025 - 05 - 01), &t).unwrap();
    assert_eq!(
        (
            ij.daily.cents(),
            ij.monthly_ceiling.cents(),
            ij.months_capped
        ),
        (4147, 252_252, 3)
    );
    assert_eq!(
        ij_daily_amount([month(-1), month(0), month(0)], date!(2025 - 05 - 01), &t),
        Err(IjError::NegativeSalary)
    );
    assert!(matches!(
        ij_daily_amount([month(0); 3], date!(2025 - 01 - 01), &t),
        Err(IjError::NoParameters(_))
    ));
    assert_eq!(
        ij_paid_days(date!(2025 - 05 - 01), date!(2025 - 05 - 01), true, &t),
        Ok(0)
    );
    assert_eq!(
        ij_paid_days(date!(2025 - 05 - 02), date!(2025 - 05 - 01), true, &t),
        Err(IjError::EndsBeforeStart)
    );
}

#[test]
fn every_rule_and_limit_has_a_french_label() {
    let rules = [
        RateRule::Common,
        RateRule::HorsParcours,
        RateRule::Maternite,
        RateRule::AtMp,
        RateRule::Ald,
        RateRule::Invalidite,
        RateRule::C2s,
    ];
    let limits = [
        DeductionLimit::None,
        DeductionLimit::DailyCap,
        DeductionLimit::AnnualCap,
        DeductionLimit::Exempt(DeductionExemption::Mineur),
        DeductionLimit::Exempt(DeductionExemption::Maternite),
        DeductionLimit::Exempt(DeductionExemption::C2s),
        DeductionLimit::Exempt(DeductionExemption::Ame),
    ];
    let labels = rules
        .iter()
        .map(|r| r.label_fr())
        .chain(limits.iter().map(|l| l.label_fr()))
        .chain(DeductionKind::ALL.iter().map(|k| k.label_fr()))
        .chain(ActCategory::ALL.iter().map(|c| c.label_fr()))
        .chain([
            Payee::Member.label_fr(),
            Payee::Professional.label_fr(),
            Payee::Employer.label_fr(),
        ]);
    for label in labels {
        assert!(!label.is_empty());
    }
    for c in ActCategory::ALL {
        assert_eq!(ActCategory::parse(c.code()), Ok(c));
    }
    for k in DeductionKind::ALL {
        assert_eq!(DeductionKind::parse(k.code()), Ok(k));
    }
}

#[test]
fn a_care_sheet_and_its_liquidation_show_no_nir_in_debug() {
    let s = sheet(date!(2025 - 03 - 10), 1);
    let liq = liquidate(&s, &adult(), &tables(), &Counters::new()).unwrap();
    for text in [
        format!("{s:?}"),
        format!("{liq:?}"),
        format!("{:?}", adult()),
    ] {
        assert!(!text.contains("1800575123456"), "{text}");
        assert!(!text.contains("1980"), "{text}");
    }
}
