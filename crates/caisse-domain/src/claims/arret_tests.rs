//! The IJ schedule on hand-made tables: payments, subrogation, AT/MP day 29, and properties
//! over random arrêts. The worked cases against `reference/` are in core's
//! `tests/claims/ij_cases.txt`.

use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::AmountCents;
use crate::rights::Period;

fn bp(n: u16) -> BasisPoints {
    BasisPoints::new(n).unwrap()
}

fn since(from: time::Date) -> Period {
    Period::new(from, None).unwrap()
}

fn tables() -> ReferenceTables {
    ReferenceTables::new(
        vec![],
        vec![],
        vec![],
        vec![],
        vec![IjParameters {
            smic_mensuel: AmountCents::new(182_303),
            ceiling_smic_hundredths: 140,
            rate: bp(5000),
            divisor_hundredths: 9125,
            waiting_days: 3,
            validity: since(date!(2026 - 02 - 01)),
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
            validity: since(date!(2026 - 02 - 01)),
        }],
        vec![IjAtMpParameters {
            pass: AmountCents::new(4_806_000),
            sjb_cap_pass_100000ths: 834,
            divisor_hundredths: 3042,
            rate: bp(6000),
            increased_rate: bp(8000),
            increased_from_day: 29,
            validity: since(date!(2026 - 02 - 01)),
        }],
        vec![IjChargesParameters {
            csg: bp(620),
            csg_deductible: bp(380),
            crds: bp(50),
            payment_period_days: 14,
            taxable_maladie: bp(10_000),
            taxable_maternite: bp(10_000),
            taxable_at_mp: bp(5000),
            taxable_ald: bp(0),
            validity: since(date!(2026 - 02 - 01)),
        }],
    )
    .unwrap()
}

fn arret(kind: ArretKind, start: time::Date, end: time::Date, salary: i64) -> ArretDeTravail {
    ArretDeTravail {
        kind,
        start,
        end,
        employer: Siret::parse("73282932000074").unwrap(),
        gross_salaries: [AmountCents::new(salary); 3],
        subrogation: None,
        carence_applies: true,
        ald: false,
    }
}

#[test]
fn maladie_skips_three_days_and_pays_every_fourteen_days() {
    // 2 000 € a month: 6 000 × 50 % ÷ 91.25 = 32.876… → 32.88 €.
    let a = arret(
        ArretKind::Maladie,
        date!(2026 - 03 - 02),
        date!(2026 - 04 - 03),
        200_000,
    );
    let s = ij_schedule(&a, &tables()).unwrap();
    assert_eq!((s.days, s.waiting_days, s.paid_days), (33, 3, 30));
    assert_eq!(s.spans[0].daily, AmountCents::new(3288));
    let periods: Vec<_> = s.payments.iter().map(|p| (p.from, p.to, p.days)).collect();
    assert_eq!(
        periods,
        [
            (date!(2026 - 03 - 05), date!(2026 - 03 - 18), 14),
            (date!(2026 - 03 - 19), date!(2026 - 04 - 01), 14),
            (date!(2026 - 04 - 02), date!(2026 - 04 - 03), 2),
        ]
    );
    let first = s.payments[0].amounts;
    // 14 × 32.88 = 460.32; CSG 6.2 % = 28.5398 → 28.54; CRDS 0.5 % = 2.3016 → 2.30.
    assert_eq!(first.gross, AmountCents::new(46_032));
    assert_eq!(first.csg, AmountCents::new(2854));
    assert_eq!(first.crds, AmountCents::new(230));
    assert_eq!(first.net, AmountCents::new(46_032 - 2854 - 230));
    // Taxable: 460.32 − 3.8 % (17.49) = 442.83.
    assert_eq!(first.taxable, AmountCents::new(44_283));
    assert_eq!(s.total.gross, AmountCents::new(3288 * 30));
}

#[test]
fn an_arret_within_the_waiting_days_pays_nothing() {
    let a = arret(
        ArretKind::Maladie,
        date!(2026 - 03 - 02),
        date!(2026 - 03 - 03),
        200_000,
    );
    let s = ij_schedule(&a, &tables()).unwrap();
    assert_eq!((s.days, s.waiting_days, s.paid_days), (2, 2, 0));
    assert!(s.payments.is_empty() && s.spans.is_empty());
    assert_eq!(s.total, IjAmounts::default());
}

#[test]
fn a_period_straddling_the_end_of_subrogation_is_split() {
    let mut a = arret(
        ArretKind::Maladie,
        date!(2026 - 03 - 02),
        date!(2026 - 03 - 31),
        200_000,
    );
    a.subrogation = Some(Subrogation {
        until: date!(2026 - 03 - 10),
    });
    let s = ij_schedule(&a, &tables()).unwrap();
    let periods: Vec<_> = s
        .payments
        .iter()
        .map(|p| (p.from, p.to, p.days, p.payee))
        .collect();
    assert_eq!(
        periods,
        [
            (
                date!(2026 - 03 - 05),
                date!(2026 - 03 - 10),
                6,
                IjPayee::Employer
            ),
            (
                date!(2026 - 03 - 11),
                date!(2026 - 03 - 18),
                8,
                IjPayee::Member
            ),
            (
                date!(2026 - 03 - 19),
                date!(2026 - 03 - 31),
                13,
                IjPayee::Member
            ),
        ]
    );
}

#[test]
fn at_mp_pays_sixty_then_eighty_percent_from_day_29_without_waiting_days() {
    // 3 000 € ÷ 30.42 = 98.619… → 98.62 €; 60 % = 59.172 → 59.17; 80 % = 78.896 → 78.90.
    let mut a = arret(
        ArretKind::AtMp,
        date!(2026 - 03 - 01),
        date!(2026 - 04 - 09),
        0,
    );
    a.gross_salaries[0] = AmountCents::new(300_000);
    let s = ij_schedule(&a, &tables()).unwrap();
    let IjBasis::AtMp(daily) = s.basis else {
        panic!("{:?}", s.basis)
    };
    assert_eq!(daily.sjb, AmountCents::new(9862));
    assert_eq!(daily.increased_from, date!(2026 - 03 - 29));
    assert_eq!((s.waiting_days, s.paid_days), (0, 40));
    assert_eq!(
        s.spans,
        [
            IjDailySpan {
                from: date!(2026 - 03 - 01),
                to: date!(2026 - 03 - 28),
                daily: AmountCents::new(5917),
            },
            IjDailySpan {
                from: date!(2026 - 03 - 29),
                to: date!(2026 - 04 - 09),
                daily: AmountCents::new(7890),
            },
        ]
    );
    // The third payment, 29 March to 9 April, is all at 80 %; taxable at 50 %.
    assert_eq!(s.payments[2].amounts.gross, AmountCents::new(7890 * 12));
    assert_eq!(s.payments[2].taxable_share, bp(5000));
    assert_eq!(s.total.gross, AmountCents::new(5917 * 28 + 7890 * 12));
}

#[test]
fn ald_ij_are_not_taxable() {
    let mut a = arret(
        ArretKind::Maladie,
        date!(2026 - 03 - 02),
        date!(2026 - 03 - 20),
        200_000,
    );
    a.ald = true;
    let s = ij_schedule(&a, &tables()).unwrap();
    assert!(s.payments.iter().all(|p| p.amounts.taxable.cents() == 0));
    assert!(s.total.net.cents() > 0);
}

#[test]
fn errors_say_what_is_wrong_in_french() {
    let mut a = arret(
        ArretKind::Maternite,
        date!(2026 - 03 - 02),
        date!(2026 - 03 - 01),
        200_000,
    );
    assert_eq!(ij_schedule(&a, &tables()), Err(IjError::EndsBeforeStart));
    a.start = date!(2025 - 03 - 01);
    let e = ij_schedule(&a, &tables()).unwrap_err();
    assert!(
        e.message_fr().contains("ij_maternite.csv"),
        "{}",
        e.message_fr()
    );
    assert_eq!(ArretKind::parse("maternite"), Ok(ArretKind::Maternite));
    assert!(ArretKind::parse("conge").is_err());
}

#[test]
fn debug_masks_the_salaries() {
    let a = arret(
        ArretKind::Maladie,
        date!(2026 - 03 - 02),
        date!(2026 - 03 - 20),
        212_345,
    );
    let shown = format!("{a:?}");
    assert!(
        !shown.contains("212345") && shown.contains("masqué"),
        "{shown}"
    );
}

proptest! {
    #[test]
    fn schedules_hold_their_invariants(
        kind in prop::sample::select(ArretKind::ALL.to_vec()),
        start_offset in 0_i64..700,
        length in 0_i64..400,
        salaries in prop::array::uniform3(0_i64..2_000_000),
        subrogation in prop::option::of(-10_i64..420),
        carence_applies: bool,
        ald: bool,
    ) {
        let start = date!(2026 - 02 - 01) + time::Duration::days(start_offset);
        let a = ArretDeTravail {
            kind,
            start,
            end: start + time::Duration::days(length),
            employer: Siret::parse("73282932000074").unwrap(),
            gross_salaries: salaries.map(AmountCents::new),
            subrogation: subrogation.map(|d| Subrogation { until: start + time::Duration::days(d) }),
            carence_applies,
            ald,
        };
        let s = ij_schedule(&a, &tables()).unwrap();
        prop_assert_eq!(s.payments.iter().map(|p| p.days).sum::<u32>(), s.paid_days);
        prop_assert_eq!(s.paid_days + s.waiting_days, s.days);
        let mut next = s.payments.first().map(|p| p.from);
        for p in &s.payments {
            prop_assert!(p.days >= 1 && p.days <= 14);
            prop_assert_eq!(Some(p.from), next);
            next = p.to.next_day();
            let m = p.amounts;
            for amount in [m.gross, m.csg, m.crds, m.net, m.taxable] {
                prop_assert!(amount.cents() >= 0);
            }
            prop_assert_eq!(m.net.cents(), m.gross.cents() - m.csg.cents() - m.crds.cents());
            prop_assert!(m.taxable <= m.gross);
            if let Some(sub) = a.subrogation {
                let expected = if p.to <= sub.until { IjPayee::Employer } else { IjPayee::Member };
                prop_assert_eq!(p.payee, expected);
                prop_assert!(!(p.from <= sub.until && sub.until < p.to));
            } else {
                prop_assert_eq!(p.payee, IjPayee::Member);
            }
        }
        prop_assert_eq!(s.payments.last().map(|p| p.to), s.payments.last().map(|_| a.end));
        let span_gross: i64 = s.spans.iter().map(|sp| {
            sp.daily.cents() * i64::from(u32::try_from((sp.to - sp.from).whole_days() + 1).unwrap())
        }).sum();
        prop_assert_eq!(span_gross, s.total.gross.cents());
    }
}

#[test]
fn the_stored_codes_of_payees_and_states_read_back() {
    for p in [IjPayee::Member, IjPayee::Employer] {
        assert_eq!(IjPayee::from_code(p.code()), Some(p));
    }
    for s in IjPaymentState::ALL {
        assert_eq!(IjPaymentState::from_code(s.code()), Some(s));
        assert!(!s.label_fr().is_empty());
    }
    assert_eq!(IjPaymentState::from_code("paye"), None);
}
