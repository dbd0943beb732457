use proptest::prelude::*;

use super::*;

/// domain.md §1.3, "valid" rows.
const VALID: &[&str] = &[
    "2 55 08 14 168 025 38",
    "2 95 10 99 126 111 93",
    "2 53 07 2A 073 004 43",
    "2 53 07 2B 073 004 70",
    "1 85 05 78 006 084 91",
    "2 93 12 2A 004 123 17",
    "1 72 03 2B 033 051 84",
    "2 01 07 99 350 012 67",
    "1 88 11 971 12 345 63",
    "8 99 02 99 134 001 18",
    "2 85 34 75 110 002 70",
];

#[test]
fn every_valid_example_of_the_domain_brief_parses() {
    for raw in VALID {
        let nir = Nir::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(nir.formatted(), *raw);
    }
}

#[test]
fn every_invalid_example_of_the_domain_brief_gives_its_error() {
    let cases = [
        ("2 55 08 14 168 025 39", NirError::KeyMismatch),
        ("18505780060841", NirError::BadLength),
        ("5 85 05 78 006 084 85", NirError::BadSex),
        ("1 85 13 78 006 084 25", NirError::BadMonth),
        ("2 93 12 2A 004 123 87", NirError::KeyMismatch),
        ("2 93 12 2C 004 123 99", NirError::BadFormat),
        ("1 85 05 78 006 000 78", NirError::BadOrder),
    ];
    for (raw, expected) in cases {
        assert_eq!(Nir::parse(raw), Err(expected), "{raw}");
    }
}

#[test]
fn other_structural_errors_are_named() {
    // Keys recomputed so that only the named part is wrong.
    let with_key = |body: &str| format!("{body}{:02}", compute_key(body).unwrap());
    assert_eq!(
        Nir::parse(&with_key("1850500006084")),
        Err(NirError::BadDepartment)
    );
    assert_eq!(
        Nir::parse(&with_key("1881197712345")),
        Err(NirError::BadDepartment)
    );
    assert_eq!(
        Nir::parse(&with_key("1881198912345")),
        Err(NirError::BadDepartment)
    );
    assert_eq!(
        Nir::parse(&with_key("1850578000084")),
        Err(NirError::BadCommune)
    );
    assert_eq!(
        Nir::parse(&with_key("1850578991084")),
        Err(NirError::BadCommune)
    );
    assert_eq!(
        Nir::parse(&with_key("1881197100345")),
        Err(NirError::BadCommune)
    );
    assert_eq!(
        Nir::parse(&with_key("1851978006084")),
        Err(NirError::BadMonth)
    );
    assert_eq!(
        Nir::parse(&with_key("0850578006084")),
        Err(NirError::BadSex)
    );
    assert_eq!(
        Nir::parse("1 85 05 78 006 084 9é"),
        Err(NirError::BadFormat)
    );
    assert_eq!(
        Nir::parse("1 85 05 78 006 084 00"),
        Err(NirError::KeyMismatch)
    );
    assert_eq!(Nir::parse(""), Err(NirError::BadLength));
}

#[test]
fn separators_and_lower_case_are_accepted() {
    let expected = Nir::parse("293122A00412317").unwrap();
    for raw in [
        "2.93.12.2a.004.123.17",
        "2-93-12-2A-004-123-17",
        " 2 93 12 2a 004 123 17 ",
        "2\u{a0}93\u{a0}12\u{a0}2A\u{a0}004\u{a0}123\u{a0}17",
    ] {
        assert_eq!(Nir::parse(raw).unwrap(), expected, "{raw}");
    }
    assert_eq!("293122a00412317".parse::<Nir>().unwrap(), expected);
}

#[test]
fn accessors_read_the_parts() {
    let nir = Nir::parse("1 85 05 78 006 084 91").unwrap();
    assert_eq!(nir.as_str(), "185057800608491");
    assert_eq!(nir.body(), "1850578006084");
    assert_eq!(nir.key(), 91);
    assert_eq!(nir.sex(), Sex::Male);
    assert_eq!(nir.birth_year_two_digits(), 85);
    assert_eq!(nir.birth_month(), Some(5));
    assert_eq!(nir.department(), "78");
    assert!(!nir.is_temporary());
    assert!(!nir.is_born_abroad());

    let overseas = Nir::parse("1 88 11 971 12 345 63").unwrap();
    assert_eq!(overseas.department(), "971");

    let corsica = Nir::parse("2 93 12 2A 004 123 17").unwrap();
    assert_eq!(corsica.department(), "2A");
    assert_eq!(corsica.sex(), Sex::Female);

    let pseudo_fictitious = Nir::parse("2 85 34 75 110 002 70").unwrap();
    assert_eq!(pseudo_fictitious.birth_month(), Some(4));

    let provisional = Nir::parse("8 99 02 99 134 001 18").unwrap();
    assert!(provisional.is_temporary());
    assert!(provisional.is_born_abroad());
    assert_eq!(provisional.sex(), Sex::Female);
    assert_eq!(provisional.department(), "99");
}

#[test]
fn fictitious_months_have_no_month() {
    for month in ["20", "30", "50", "99"] {
        let body = format!("185{month}78006084");
        let nir = Nir::parse(&format!("{body}{:02}", compute_key(&body).unwrap())).unwrap();
        assert_eq!(nir.birth_month(), None, "{month}");
    }
}

#[test]
fn provisional_numbers_cannot_open_an_account() {
    assert_eq!(
        Nir::parse_for_account("8 99 02 99 134 001 18"),
        Err(NirError::TemporaryNumber)
    );
    assert!(Nir::parse_for_account("1 85 05 78 006 084 91").is_ok());
    // A malformed number still reports its own error first.
    assert_eq!(
        Nir::parse_for_account("8 99 02 99 134 001 19"),
        Err(NirError::KeyMismatch)
    );
}

#[test]
fn department_20_is_accepted_but_flagged_after_1976() {
    let body = "1850520006084";
    let nir = Nir::parse(&format!("{body}{:02}", compute_key(body).unwrap())).unwrap();
    assert!(nir.has_suspicious_corsica_code());
    let body = "1500520006084";
    let nir = Nir::parse(&format!("{body}{:02}", compute_key(body).unwrap())).unwrap();
    assert!(!nir.has_suspicious_corsica_code());
}

#[test]
fn debug_masks_everything_but_sex_and_year() {
    let nir = Nir::parse("1 85 05 78 006 084 91").unwrap();
    assert_eq!(format!("{nir:?}"), "Nir(1 85 ** ** *** *** **)");
    let overseas = Nir::parse("1 88 11 971 12 345 63").unwrap();
    assert!(!format!("{overseas:?}").contains("971"));
}

#[test]
fn compute_key_applies_the_corsica_substitution() {
    assert_eq!(compute_key("1850578006084"), Some(91));
    assert_eq!(compute_key("293122A004123"), Some(17));
    assert_eq!(compute_key("293122a004123"), Some(17));
    assert_eq!(compute_key("253072B073004"), Some(70));
    assert_eq!(compute_key("293122C004123"), None);
    assert_eq!(compute_key("185057800608"), None);
    assert_eq!(compute_key("1A50578006084"), None);
}

#[test]
fn every_message_is_french_and_non_empty() {
    for e in [
        NirError::BadLength,
        NirError::BadFormat,
        NirError::BadSex,
        NirError::BadMonth,
        NirError::BadDepartment,
        NirError::BadCommune,
        NirError::BadOrder,
        NirError::KeyMismatch,
        NirError::TemporaryNumber,
    ] {
        assert!(e.message_fr().contains("numéro"), "{e:?}");
    }
}

/// Structurally valid bodies: every sex digit, month range and department shape.
fn valid_body() -> impl Strategy<Value = String> {
    let sex = prop::sample::select(vec!['1', '2', '3', '4', '7', '8']);
    let month = prop_oneof![1u8..=12, 20u8..=42, 50u8..=99];
    let place = prop_oneof![
        (1u8..=96, 1u16..=990).prop_map(|(d, c)| format!("{d:02}{c:03}")),
        (prop::sample::select(vec!["2A", "2B"]), 1u16..=990)
            .prop_map(|(d, c)| format!("{d}{c:03}")),
        (prop_oneof![971u16..=976, 984u16..=988], 1u8..=99).prop_map(|(d, c)| format!("{d}{c:02}")),
        (1u16..=990).prop_map(|c| format!("99{c:03}")),
    ];
    (sex, 0u8..=99, month, place, 1u16..=999)
        .prop_map(|(s, y, m, p, o)| format!("{s}{y:02}{m:02}{p}{o:03}"))
}

fn valid_nir() -> impl Strategy<Value = String> {
    valid_body().prop_map(|body| {
        let key = compute_key(&body).unwrap();
        format!("{body}{key:02}")
    })
}

proptest! {
    #[test]
    fn every_generated_valid_nir_parses(raw in valid_nir()) {
        let nir = Nir::parse(&raw).unwrap();
        prop_assert_eq!(nir.as_str(), raw.as_str());
        prop_assert_eq!(Nir::parse(&nir.formatted()).unwrap(), nir.clone());
        prop_assert_eq!(Nir::parse(&raw.to_lowercase()).unwrap(), nir);
    }

    #[test]
    fn any_single_character_change_is_refused(
        raw in valid_nir(),
        position in 0usize..15,
        replacement in prop::sample::select("0123456789AB".chars().collect::<Vec<_>>()),
    ) {
        let mut chars: Vec<char> = raw.chars().collect();
        prop_assume!(chars[position] != replacement);
        chars[position] = replacement;
        let changed: String = chars.into_iter().collect();
        prop_assert!(Nir::parse(&changed).is_err(), "{} was accepted", changed);
    }
}
