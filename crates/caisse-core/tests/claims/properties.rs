//! Properties of the liquidation over random sheets, situations and counters, against the
//! repository's reference files: no amount negative or above its base, caps never passed,
//! the same input always liquidates to the same output.

use caisse_domain::claims::{
    ActCode, AnnualCapGroup, CareLine, CareSheet, Coefficient, Counters, DailyKey, DeductionKind,
    Liquidation, MaternityWindow, Parcours, ProfessionalId, Quantity, ReferenceTables, Situation,
    liquidate,
};
use caisse_domain::{AmountCents, Nir, compute_key};
use proptest::prelude::*;
use time::{Date, Duration};

const CODES: [&str; 20] = [
    "G", "GS2", "CS", "APC", "COE", "SF", "SC", "AMI", "AMK", "AMO", "PH1", "PH7", "PH4", "PH2",
    "B", "TAX", "VSL", "AMB", "FJ", "OPT100",
];
const PARCOURS: [Parcours; 5] = [
    Parcours::MedecinTraitant,
    Parcours::Oriente,
    Parcours::AccesDirect,
    Parcours::Urgence,
    Parcours::HorsParcours,
];

fn day(offset: i64) -> Date {
    Date::from_calendar_date(2024, time::Month::February, 1).unwrap() + Duration::days(offset)
}

fn nir() -> Nir {
    let body = "2900175123456";
    Nir::parse(&format!("{body}{:02}", compute_key(body).unwrap())).unwrap()
}

pub fn line() -> impl Strategy<Value = CareLine> {
    (
        0..CODES.len(),
        1_u16..6,
        50_u32..400,
        0_i64..30_000,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(code, qty, coef, charged, ald, at_mp)| CareLine {
            code: ActCode::parse(CODES[code]).unwrap(),
            quantity: Quantity::new(qty).unwrap(),
            coefficient: Coefficient::from_hundredths(coef).unwrap(),
            charged: AmountCents::new(charged),
            ald,
            at_mp,
        })
}

prop_compose! {
    fn input()(
        care in 0_i64..1_060,
        age_days in 0_i64..36_500,
        flags in proptest::collection::vec(any::<bool>(), 9),
        maternity_start in -400_i64..100,
        parcours in 0..PARCOURS.len(),
        pro in 0_u8..3,
        lines in proptest::collection::vec(line(), 1..8),
        pf in 0_i64..=5_000,
        franchises in 0_i64..=5_000,
    ) -> (CareSheet, Situation, Counters) {
        let date_of_care = day(care);
        let birth_date = date_of_care - Duration::days(age_days);
        let sixth = date_of_care + Duration::days(maternity_start);
        let situation = Situation {
            birth_date,
            ald: flags[0],
            maternity: flags[1]
                .then(|| MaternityWindow::from_pregnancy(sixth, sixth + Duration::days(120)).unwrap()),
            c2s: flags[2],
            ame: flags[3],
            at_mp: flags[4],
            invalidite: flags[5],
            regime_local: flags[6],
            medecin_traitant_declared: flags[7],
        };
        let sheet = CareSheet {
            nir: nir(),
            rank: 1,
            professional: ProfessionalId::rpps(&format!("1000000000{pro}")).unwrap(),
            prescriber: None,
            date_of_care,
            tiers_payant: flags[8],
            parcours: PARCOURS[parcours],
            lines,
        };
        let year = date_of_care.year();
        let counters = Counters::new()
            .with_annual(year, AnnualCapGroup::ParticipationsForfaitaires, AmountCents::new(pf))
            .with_annual(year, AnnualCapGroup::Franchises, AmountCents::new(franchises));
        (sheet, situation, counters)
    }
}

fn check(liq: &Liquidation, sheet: &CareSheet, tables: &ReferenceTables) {
    let day = sheet.date_of_care;
    for l in &liq.lines {
        let (base, amo) = (l.base.cents(), l.amo.cents());
        let rl = l.regime_local.map_or(0, |r| r.amount.cents());
        assert!(0 <= base && base <= l.charged.cents(), "{l:?}");
        assert!(0 <= amo && amo + rl <= base, "{l:?}");
        assert!(
            rl >= 0 && l.c2s.cents() >= 0 && amo + l.c2s.cents() <= base,
            "{l:?}"
        );
        assert_eq!(l.excess.cents(), l.charged.cents() - base);
        if let Some(d) = l.deduction {
            assert!(0 <= d.applied.cents() && d.applied <= d.due, "{d:?}");
        }
    }
    for amount in [liq.paid, liq.withheld, liq.member_debt, liq.deductions] {
        assert!(amount.cents() >= 0, "{liq:?}");
    }
    assert_eq!(
        liq.withheld.cents() + liq.member_debt.cents(),
        liq.deductions.cents()
    );
    for kind in DeductionKind::ALL {
        let rule = tables.deduction(kind, day).unwrap();
        assert!(liq.counters.annual(day.year(), rule.annual_group) <= rule.annual_cap);
        if let Some(cap) = rule.daily_cap {
            for (d, key, total) in liq.counters.daily_totals() {
                let of_kind = match key {
                    DailyKey::Professional(k, _) | DailyKey::Beneficiary(k) => *k == kind,
                };
                assert!(
                    d != day || !of_kind || total <= cap.amount,
                    "{key:?} {total:?}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        // An integration test has no lib.rs to store regressions beside.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn liquidation_stays_within_bases_and_caps_and_is_deterministic(
        (mut sheet, situation, counters) in input()
    ) {
        let tables = super::reference_tables();
        // Some acts have tariffs only from 22/12/2024.
        sheet.lines.retain(|l| tables.tariff(&l.code, sheet.date_of_care).is_ok());
        prop_assume!(!sheet.lines.is_empty());
        let first = liquidate(&sheet, &situation, &tables, &counters).unwrap();
        check(&first, &sheet, &tables);
        let again = liquidate(&sheet, &situation, &tables, &counters).unwrap();
        prop_assert_eq!(first, again);
    }
}
