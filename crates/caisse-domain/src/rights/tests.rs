use time::macros::date;

use super::*;

#[test]
fn codes_have_two_digits_and_a_dropped_zero_comes_back() {
    assert_eq!(CodeGestion::parse("10").unwrap().as_str(), "10");
    assert_eq!(CodeGestion::parse(" 5 ").unwrap().as_str(), "05");
    assert_eq!(RegimeCode::parse("1").unwrap(), RegimeCode::GENERAL);
    assert_eq!(RegimeCode::GENERAL.label_fr(), "Régime général");
    assert_eq!(
        RegimeCode::parse("02").unwrap().label_fr(),
        "Régime agricole"
    );
    for bad in ["", "100", "1a", "-1", "１０"] {
        assert_eq!(
            CodeGestion::parse(bad),
            Err(RightsCodeError::NotTwoDigits),
            "{bad}"
        );
        assert!(RegimeCode::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn rates_are_whole_percentages_up_to_100() {
    assert_eq!(Rate::parse("100").unwrap(), Rate::FULL);
    assert_eq!(Rate::parse("90 %").unwrap().percent(), 90);
    assert_eq!(Rate::parse("80%").unwrap().percent(), 80);
    assert_eq!(Rate::parse("0").unwrap().percent(), 0);
    assert_eq!(Rate::FULL.label_fr(), "100\u{a0}%");
    for bad in ["", "101", "1000", "9.5", "-5", "%", "cent"] {
        assert_eq!(Rate::parse(bad), Err(RateError::OutOfRange), "{bad}");
    }
}

#[test]
fn natures_read_their_codes_with_or_without_accents() {
    assert_eq!(ExemptionNature::parse("ALD").unwrap(), ExemptionNature::Ald);
    assert_eq!(
        ExemptionNature::parse("Maternité").unwrap(),
        ExemptionNature::Maternite
    );
    assert_eq!(
        ExemptionNature::parse("at-mp").unwrap(),
        ExemptionNature::AtMp
    );
    for nature in ExemptionNature::ALL {
        assert_eq!(ExemptionNature::parse(nature.code()).unwrap(), nature);
    }
    assert!(ExemptionNature::parse("grossesse").is_err());
    assert_eq!(
        C2sKind::parse("gratuite").unwrap(),
        C2sKind::SansParticipation
    );
    assert_eq!(
        C2sKind::parse("Participation").unwrap(),
        C2sKind::AvecParticipation
    );
    assert!(C2sKind::parse("oui").is_err());
}

#[test]
fn a_period_never_ends_before_it_starts() {
    assert_eq!(
        Period::new(date!(2026 - 05 - 02), Some(date!(2026 - 05 - 01))),
        Err(PeriodError::EndsBeforeStart)
    );
    let one_day = Period::new(date!(2026 - 05 - 01), Some(date!(2026 - 05 - 01))).unwrap();
    assert!(one_day.covers(date!(2026 - 05 - 01)));
    assert!(!one_day.covers(date!(2026 - 05 - 02)));
    let open = Period::new(date!(2020 - 01 - 01), None).unwrap();
    assert!(open.covers(date!(2099 - 12 - 31)));
    assert!(!open.covers(date!(2019 - 12 - 31)));
}

#[test]
fn an_attestation_lasts_a_year_unless_the_rights_end_sooner() {
    let open = Period::new(date!(2020 - 01 - 01), None).unwrap();
    let validity = attestation_validity(date!(2026 - 11 - 22), &open).unwrap();
    assert_eq!(validity.from(), date!(2026 - 11 - 22));
    assert_eq!(validity.to(), Some(date!(2027 - 11 - 21)));

    let ending = Period::new(date!(2020 - 01 - 01), Some(date!(2027 - 03 - 31))).unwrap();
    let validity = attestation_validity(date!(2026 - 11 - 22), &ending).unwrap();
    assert_eq!(validity.to(), Some(date!(2027 - 03 - 31)));

    // Issued on the 29th of February: valid until the 27th of February of the next year.
    let leap = attestation_validity(date!(2028 - 02 - 29), &open).unwrap();
    assert_eq!(leap.to(), Some(date!(2029 - 02 - 27)));

    let closed = Period::new(date!(2020 - 01 - 01), Some(date!(2026 - 01 - 31))).unwrap();
    assert_eq!(attestation_validity(date!(2026 - 11 - 22), &closed), None);
    let future = Period::new(date!(2027 - 01 - 01), None).unwrap();
    assert_eq!(attestation_validity(date!(2026 - 11 - 22), &future), None);
    assert!(
        (validity.to().unwrap() - validity.from()).whole_days() < ATTESTATION_MAX_DAYS,
        "never a year or more"
    );
}
