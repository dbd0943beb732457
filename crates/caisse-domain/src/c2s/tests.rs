use time::Date;
use time::macros::date;

use super::*;
use crate::AmountCents;
use crate::rights::Period;

fn euros(e: i64) -> AmountCents {
    AmountCents::new(e * 100)
}

fn tier(up_to_four: [i64; 4], extra: i64) -> TierCeilings {
    TierCeilings {
        up_to_four: up_to_four.map(euros),
        per_extra_person: euros(extra),
    }
}

fn period(from: Date, to: Option<Date>) -> Period {
    Period::new(from, to).unwrap()
}

/// The rows of `reference/c2s_ceilings.csv` and `reference/c2s_participation.csv` (sources
/// there): métropole and Guadeloupe for 2024-04-01 and 2025-04-01.
fn real_table() -> C2sTable {
    let y2024 = period(date!(2024 - 04 - 01), Some(date!(2025 - 03 - 31)));
    let y2025 = period(date!(2025 - 04 - 01), None);
    let ceilings = vec![
        CeilingsRow {
            territory: Territory::Metropole,
            free: tier([10_166, 15_249, 18_298, 21_348], 4_066),
            with_participation: tier([13_724, 20_586, 24_703, 28_820], 5_490),
            validity: y2024,
        },
        CeilingsRow {
            territory: Territory::Metropole,
            free: tier([10_339, 15_508, 18_609, 21_711], 4_135),
            with_participation: tier([13_957, 20_936, 25_123, 29_311], 5_583),
            validity: y2025,
        },
        CeilingsRow {
            territory: Territory::Guadeloupe,
            free: tier([11_315, 16_972, 20_366, 23_760], 4_526),
            with_participation: tier([15_275, 22_912, 27_494, 32_077], 6_110),
            validity: y2024,
        },
        CeilingsRow {
            territory: Territory::Guadeloupe,
            free: tier([11_507, 17_260, 20_712, 24_164], 4_602),
            with_participation: tier([15_534, 23_302, 27_962, 32_623], 6_214),
            validity: y2025,
        },
    ];
    let since_2019 = period(date!(2019 - 11 - 01), None);
    let band = |min_age, max_age, monthly| ParticipationBand {
        min_age,
        max_age,
        monthly: euros(monthly),
        validity: since_2019,
    };
    let bands = vec![
        band(0, Some(29), 8),
        band(30, Some(49), 14),
        band(50, Some(59), 21),
        band(60, Some(69), 25),
        band(70, None, 30),
    ];
    C2sTable::new(ceilings, bands).unwrap()
}

fn applicant(birth_date: Date) -> HouseholdMember {
    HouseholdMember::new(HouseholdRole::Applicant, birth_date)
}

fn decide(
    on: Date,
    territory: Territory,
    household: &[HouseholdMember],
    resources: AmountCents,
) -> Result<C2sDecision, C2sError> {
    eligibility(&real_table(), on, on, territory, household, resources)
}

const APRIL_2025: Date = date!(2025 - 04 - 15);

#[test]
fn one_person_just_under_the_ceiling_is_free() {
    let decision = decide(
        APRIL_2025,
        Territory::Metropole,
        &[applicant(date!(1990 - 06 - 01))],
        AmountCents::new(1_033_899),
    )
    .unwrap();
    assert_eq!(decision.outcome, C2sOutcome::Free);
    assert_eq!(decision.ceilings.free, euros(10_339));
    assert_eq!(decision.ceilings.with_participation, euros(13_957));
    assert_eq!(decision.ceilings.in_force_from, date!(2025 - 04 - 01));
    assert_eq!(
        decision.rights,
        Some(C2sRights {
            valid_from: date!(2025 - 05 - 01),
            valid_to: date!(2026 - 04 - 30),
        })
    );
    assert_eq!(
        decision.outcome.kind().label_fr(),
        "C2S sans participation financière"
    );
}

#[test]
fn resources_equal_to_the_ceiling_stay_under_it() {
    let decision = decide(
        APRIL_2025,
        Territory::Metropole,
        &[applicant(date!(1990 - 06 - 01))],
        euros(10_339),
    )
    .unwrap();
    assert_eq!(decision.outcome, C2sOutcome::Free);
}

#[test]
fn one_euro_above_the_free_ceiling_pays_a_participation() {
    let decision = decide(
        APRIL_2025,
        Territory::Metropole,
        &[applicant(date!(1990 - 06 - 01))],
        euros(10_340),
    )
    .unwrap();
    // 34 on 1 January 2025.
    assert_eq!(
        decision.outcome,
        C2sOutcome::WithParticipation {
            per_member: vec![MemberParticipation {
                member: 0,
                monthly: euros(14)
            }],
            monthly_total: euros(14),
        }
    );
    assert_eq!(
        decision.outcome.kind().label_fr(),
        "C2S avec participation financière"
    );
    assert!(decision.rights.is_some());
}

#[test]
fn above_the_higher_ceiling_is_refused() {
    let decision = decide(
        APRIL_2025,
        Territory::Metropole,
        &[applicant(date!(1990 - 06 - 01))],
        euros(13_958),
    )
    .unwrap();
    assert_eq!(
        decision.outcome,
        C2sOutcome::Refused {
            ceiling: euros(13_957),
            exceeded_by: euros(1),
        }
    );
    assert_eq!(decision.rights, None);
    assert_eq!(decision.outcome.kind().label_fr(), "Refus");
}

fn family(size: usize) -> Vec<HouseholdMember> {
    let mut members = vec![
        applicant(date!(1985 - 03 - 10)),
        HouseholdMember::new(HouseholdRole::Spouse, date!(1987 - 11 - 02)),
    ];
    let children = [
        date!(2010 - 01 - 05),
        date!(2012 - 07 - 20),
        date!(2015 - 02 - 14),
        date!(2018 - 09 - 30),
    ];
    for birth_date in children.into_iter().take(size - 2) {
        members.push(HouseholdMember::new(HouseholdRole::Child, birth_date));
    }
    members
}

#[test]
fn a_household_of_four_uses_the_published_four_person_ceilings() {
    let household = family(4);
    let free = decide(APRIL_2025, Territory::Metropole, &household, euros(21_711)).unwrap();
    assert_eq!(free.outcome, C2sOutcome::Free);
    assert_eq!(free.ceilings.household_size, 4);
    assert_eq!(free.ceilings.with_participation, euros(29_311));

    let paying = decide(APRIL_2025, Territory::Metropole, &household, euros(21_712)).unwrap();
    // Two adults of 39 and 37, two children of 15 and 12 on 1 January 2025.
    assert_eq!(
        paying.outcome,
        C2sOutcome::WithParticipation {
            per_member: vec![
                MemberParticipation {
                    member: 0,
                    monthly: euros(14)
                },
                MemberParticipation {
                    member: 1,
                    monthly: euros(14)
                },
                MemberParticipation {
                    member: 2,
                    monthly: euros(8)
                },
                MemberParticipation {
                    member: 3,
                    monthly: euros(8)
                },
            ],
            monthly_total: euros(44),
        }
    );
}

#[test]
fn a_household_of_six_adds_the_per_person_amount_twice() {
    let household = family(6);
    let decision = decide(APRIL_2025, Territory::Metropole, &household, euros(29_981)).unwrap();
    // 21 711 + 2 × 4 135 and 29 311 + 2 × 5 583.
    assert_eq!(decision.ceilings.free, euros(29_981));
    assert_eq!(decision.ceilings.with_participation, euros(40_477));
    assert_eq!(decision.outcome, C2sOutcome::Free);
    let refused = decide(APRIL_2025, Territory::Metropole, &household, euros(40_478)).unwrap();
    assert_eq!(refused.outcome.kind(), C2sDecisionKind::Refused);
}

#[test]
fn overseas_ceilings_are_higher() {
    let household = [applicant(date!(1990 - 06 - 01))];
    // Refused in métropole, free in Guadeloupe.
    let metropole = decide(APRIL_2025, Territory::Metropole, &household, euros(11_000)).unwrap();
    assert_eq!(metropole.outcome.kind(), C2sDecisionKind::WithParticipation);
    let guadeloupe = decide(APRIL_2025, Territory::Guadeloupe, &household, euros(11_000)).unwrap();
    assert_eq!(guadeloupe.outcome, C2sOutcome::Free);
    assert_eq!(guadeloupe.ceilings.free, euros(11_507));
    assert_eq!(guadeloupe.ceilings.territory, Territory::Guadeloupe);
    // A territory without rows is an error, not the métropole figures.
    assert_eq!(
        decide(APRIL_2025, Territory::Mayotte, &household, euros(11_000)),
        Err(C2sError::NoCeilingsInForce {
            territory: Territory::Mayotte,
            on: APRIL_2025
        })
    );
}

#[test]
fn participation_follows_the_age_on_the_first_of_january_at_the_band_edges() {
    // Application on 15 April 2025, ages on 1 January 2025.
    let cases = [
        (date!(1995 - 01 - 02), 8),  // 29
        (date!(1995 - 01 - 01), 14), // 30
        (date!(1975 - 01 - 02), 14), // 49
        (date!(1975 - 01 - 01), 21), // 50
        (date!(1965 - 01 - 02), 21), // 59
        (date!(1965 - 01 - 01), 25), // 60
        (date!(1955 - 01 - 02), 25), // 69
        (date!(1955 - 01 - 01), 30), // 70
        // 30 by the application date but 29 on 1 January: still 8 €.
        (date!(1995 - 03 - 01), 8),
    ];
    for (birth_date, monthly) in cases {
        let decision = decide(
            APRIL_2025,
            Territory::Metropole,
            &[applicant(birth_date)],
            euros(12_000),
        )
        .unwrap();
        assert_eq!(
            decision.outcome,
            C2sOutcome::WithParticipation {
                per_member: vec![MemberParticipation {
                    member: 0,
                    monthly: euros(monthly)
                }],
                monthly_total: euros(monthly),
            },
            "{birth_date}"
        );
    }
}

#[test]
fn the_table_switches_on_the_first_of_april() {
    let household = [applicant(date!(1990 - 06 - 01))];
    // 10 300 € is above the 2024 ceiling (10 166) and under the 2025 one (10 339).
    let march = decide(
        date!(2025 - 03 - 31),
        Territory::Metropole,
        &household,
        euros(10_300),
    )
    .unwrap();
    assert_eq!(march.outcome.kind(), C2sDecisionKind::WithParticipation);
    assert_eq!(march.ceilings.free, euros(10_166));
    assert_eq!(march.ceilings.in_force_from, date!(2024 - 04 - 01));
    let april = decide(
        date!(2025 - 04 - 01),
        Territory::Metropole,
        &household,
        euros(10_300),
    )
    .unwrap();
    assert_eq!(april.outcome, C2sOutcome::Free);
    assert_eq!(april.ceilings.free, euros(10_339));
}

#[test]
fn a_date_before_the_first_row_is_an_error() {
    let on = date!(2024 - 03 - 31);
    assert_eq!(
        decide(
            on,
            Territory::Metropole,
            &[applicant(date!(1990 - 06 - 01))],
            euros(5_000)
        ),
        Err(C2sError::NoCeilingsInForce {
            territory: Territory::Metropole,
            on
        })
    );
}

#[test]
fn malformed_households_are_refused_with_a_reason() {
    let adult = date!(1980 - 01 - 01);
    let cases: [(Vec<HouseholdMember>, C2sError); 5] = [
        (vec![], C2sError::EmptyHousehold),
        (
            vec![HouseholdMember::new(HouseholdRole::Spouse, adult)],
            C2sError::NoApplicant,
        ),
        (
            vec![applicant(adult), applicant(adult)],
            C2sError::SeveralApplicants,
        ),
        (
            vec![
                applicant(adult),
                HouseholdMember::new(HouseholdRole::Child, date!(2000 - 04 - 15)),
            ],
            C2sError::ChildTooOld { member: 1 },
        ),
        (
            vec![
                applicant(adult),
                HouseholdMember::new(HouseholdRole::Child, date!(2025 - 05 - 01)),
            ],
            C2sError::BornAfterApplication { member: 1 },
        ),
    ];
    for (household, error) in cases {
        assert_eq!(
            decide(APRIL_2025, Territory::Metropole, &household, euros(1_000)),
            Err(error)
        );
        assert!(!error.message_fr().is_empty());
    }
    // A child of 24 still counts.
    let young = [
        applicant(adult),
        HouseholdMember::new(HouseholdRole::Child, date!(2000 - 04 - 16)),
    ];
    assert!(decide(APRIL_2025, Territory::Metropole, &young, euros(1_000)).is_ok());
    assert_eq!(
        decide(
            APRIL_2025,
            Territory::Metropole,
            &[applicant(adult)],
            AmountCents::new(-1)
        ),
        Err(C2sError::NegativeResources)
    );
    assert_eq!(
        eligibility(
            &real_table(),
            APRIL_2025,
            date!(2025 - 04 - 14),
            Territory::Metropole,
            &[applicant(adult)],
            euros(1_000)
        ),
        Err(C2sError::DecisionBeforeApplication)
    );
}

#[test]
fn rights_run_twelve_months_from_the_month_after_the_decision() {
    let decision = eligibility(
        &real_table(),
        date!(2025 - 11 - 20),
        date!(2025 - 12 - 31),
        Territory::Metropole,
        &[applicant(date!(1990 - 06 - 01))],
        euros(1_000),
    )
    .unwrap();
    assert_eq!(
        decision.rights,
        Some(C2sRights {
            valid_from: date!(2026 - 01 - 01),
            valid_to: date!(2026 - 12 - 31),
        })
    );
}

#[test]
fn a_renewal_may_be_asked_only_in_the_last_four_months() {
    let rights = C2sRights {
        valid_from: date!(2025 - 06 - 01),
        valid_to: date!(2026 - 05 - 31),
    };
    let window = renewal_window(&rights);
    assert_eq!(window.opens, date!(2026 - 02 - 01));
    assert_eq!(window.advised_by, date!(2026 - 03 - 31));
    assert_eq!(window.closes, date!(2026 - 05 - 31));
    assert!(!window.is_open(date!(2026 - 01 - 31)));
    assert!(window.is_open(date!(2026 - 02 - 01)));
    assert!(window.is_open(date!(2026 - 05 - 31)));
    assert!(!window.is_open(date!(2026 - 06 - 01)));
}

#[test]
fn the_reference_months_are_the_twelve_before_the_month_preceding_the_application() {
    assert_eq!(
        reference_months(date!(2025 - 04 - 15)),
        ReferenceMonths {
            first_day: date!(2024 - 03 - 01),
            last_day: date!(2025 - 02 - 28),
        }
    );
    assert_eq!(
        reference_months(date!(2025 - 01 - 31)),
        ReferenceMonths {
            first_day: date!(2023 - 12 - 01),
            last_day: date!(2024 - 11 - 30),
        }
    );
}

#[test]
fn declared_resources_add_up_and_hide_in_debug() {
    let resources = DeclaredResources {
        salaries: euros(6_000),
        pensions: euros(1_200),
        unemployment: euros(900),
        daily_allowances: AmountCents::new(45_050),
        family_benefits: euros(1_100),
        grants: euros(300),
        alimony: euros(600),
        self_employed_turnover: euros(250),
        other: AmountCents::new(1),
    };
    assert_eq!(resources.total(), AmountCents::new(1_080_051));
    assert_eq!(DeclaredResources::default().total(), AmountCents::new(0));
    assert_eq!(format!("{resources:?}"), "DeclaredResources(**)");
    let member = applicant(date!(1990 - 06 - 01));
    let shown = format!("{member:?}");
    assert!(!shown.contains("1990"), "{shown}");
}

#[test]
fn overlapping_or_inconsistent_rows_are_refused() {
    let table = real_table();
    let mut ceilings = table.ceilings_rows().to_vec();
    let mut overlapping = ceilings[1];
    overlapping.validity = period(date!(2025 - 10 - 01), None);
    ceilings.push(overlapping);
    assert_eq!(
        C2sTable::new(ceilings, table.participation_bands().to_vec()),
        Err(C2sTableError::OverlappingCeilings {
            territory: Territory::Metropole,
            from: date!(2025 - 10 - 01),
        })
    );

    let mut inverted = table.ceilings_rows()[0];
    inverted.free.up_to_four[0] = euros(20_000);
    assert!(matches!(
        C2sTable::new(vec![inverted], vec![]),
        Err(C2sTableError::InconsistentCeilings { .. })
    ));

    let mut bands = table.participation_bands().to_vec();
    let mut double = bands[0];
    double.min_age = 25;
    bands.push(double);
    assert_eq!(
        C2sTable::new(vec![], bands),
        Err(C2sTableError::OverlappingBands {
            min_age: 25,
            from: date!(2019 - 11 - 01),
        })
    );
}

#[test]
fn territories_read_back_from_their_codes() {
    for territory in Territory::ALL {
        assert_eq!(Territory::from_code(territory.code()), Some(territory));
    }
    assert_eq!(Territory::from_code("corse"), None);
}
