//! Properties of the IJ schedule over random arrêts, with the repository's reference files:
//! every start date since the maternité and AT/MP rows begin finds its rows, no amount is
//! negative, the payments cover the paid days one after the other in periods of at most the
//! file's payment period, and net = gross − CSG − CRDS.

use caisse_domain::AmountCents;
use caisse_domain::claims::{ArretDeTravail, ArretKind, IjPayee, Siret, Subrogation, ij_schedule};
use proptest::prelude::*;
use time::Duration;
use time::macros::date;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn ij_schedules_hold_their_invariants_over_the_reference_files(
        kind in prop::sample::select(ArretKind::ALL.to_vec()),
        start_offset in 0_i64..900,
        length in 0_i64..500,
        salaries in prop::array::uniform3(0_i64..3_000_000),
        until in prop::option::of(-5_i64..520),
        carence_applies: bool,
        ald: bool,
    ) {
        let tables = super::reference_tables();
        let start = date!(2025 - 02 - 01) + Duration::days(start_offset);
        let arret = ArretDeTravail {
            kind,
            start,
            end: start + Duration::days(length),
            employer: Siret::parse("73282932000074").unwrap(),
            gross_salaries: salaries.map(AmountCents::new),
            subrogation: until.map(|d| Subrogation { until: start + Duration::days(d) }),
            carence_applies,
            ald,
        };
        let schedule = ij_schedule(&arret, &tables).unwrap();
        let period = tables.ij_charges(start).unwrap().payment_period_days;
        prop_assert_eq!(schedule.payments.iter().map(|p| p.days).sum::<u32>(), schedule.paid_days);
        let mut next = schedule.payments.first().map(|p| p.from);
        for p in &schedule.payments {
            prop_assert!(p.days >= 1 && p.days <= period);
            prop_assert_eq!(Some(p.from), next);
            next = p.to.next_day();
            let a = p.amounts;
            for amount in [a.gross, a.csg, a.crds, a.net, a.taxable] {
                prop_assert!(amount.cents() >= 0, "{:?}", p);
            }
            prop_assert_eq!(a.net.cents(), a.gross.cents() - a.csg.cents() - a.crds.cents());
            let employer = arret.subrogation.is_some_and(|s| p.to <= s.until);
            prop_assert_eq!(p.payee == IjPayee::Employer, employer);
        }
        if let Some(last) = schedule.payments.last() {
            prop_assert_eq!(last.to, arret.end);
        }
    }
}
