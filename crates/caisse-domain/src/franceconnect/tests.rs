use time::macros::date;

use super::*;
use crate::compute_key;

/// A NIR from its 13-character body, with the key computed.
fn nir(body: &str) -> Nir {
    let key = compute_key(body).unwrap();
    Nir::parse(&format!("{body}{key:02}")).unwrap()
}

/// Claims as FranceConnect sends them for someone born in France.
fn claims_fr<'a>(
    family: &'a str,
    given: &'a str,
    birthdate: &'a str,
    gender: &'a str,
    commune: &'a str,
) -> PivotClaims<'a> {
    PivotClaims {
        family_name: Some(family),
        given_name: Some(given),
        birthdate: Some(birthdate),
        gender: Some(gender),
        birthplace: Some(commune),
        birthcountry: Some("99100"),
    }
}

fn pivot(claims: PivotClaims<'_>) -> PivotIdentity {
    PivotIdentity::parse(&claims).unwrap()
}

/// Demo member Julien MARTIN: male, 1985-05-14, Yvelines 78006.
fn julien() -> (Nir, PivotIdentity) {
    (
        nir("1850578006084"),
        pivot(claims_fr(
            "MARTIN",
            "Julien Pierre",
            "1985-05-14",
            "male",
            "78006",
        )),
    )
}

fn julien_member(nir: &Nir) -> MemberIdentity<'_> {
    MemberIdentity {
        nir,
        birth_name: "Martin",
        first_name: "Julien",
        birth_date: date!(1985 - 05 - 14),
        sex: Sex::Male,
    }
}

#[test]
fn the_three_demo_members_match_their_franceconnect_identity() {
    let (martin_nir, martin) = julien();
    assert_eq!(martin.matches(&julien_member(&martin_nir)), Ok(()));

    let rossi_nir = nir("293122A004123");
    assert_eq!(rossi_nir.key(), 17);
    let rossi = pivot(claims_fr(
        "ROSSI",
        "Camille",
        "1993-12-02",
        "female",
        "2A004",
    ));
    let member = MemberIdentity {
        nir: &rossi_nir,
        birth_name: "ROSSI",
        first_name: "Camille",
        birth_date: date!(1993 - 12 - 02),
        sex: Sex::Female,
    };
    assert_eq!(rossi.matches(&member), Ok(()));

    let hoarau_nir = nir("1900397411056");
    let hoarau = pivot(claims_fr("HOARAU", "Kevin", "1990-03-08", "male", "97411"));
    let member = MemberIdentity {
        nir: &hoarau_nir,
        birth_name: "Hoarau",
        first_name: "Kévin",
        birth_date: date!(1990 - 03 - 08),
        sex: Sex::Male,
    };
    assert_eq!(hoarau.matches(&member), Ok(()));
}

#[test]
fn a_member_born_abroad_matches_on_the_country_code() {
    let nir = nir("2880799350012");
    let claims = PivotClaims {
        family_name: Some("EL AMRANI"),
        given_name: Some("Fatima Zahra"),
        birthdate: Some("1988-07-23"),
        gender: Some("female"),
        birthplace: Some(""),
        birthcountry: Some("99350"),
    };
    let identity = pivot(claims);
    assert_eq!(
        identity.birthplace,
        BirthPlace::Abroad {
            country: "99350".into()
        }
    );
    let member = MemberIdentity {
        nir: &nir,
        birth_name: "El Amrani",
        first_name: "Fatima Zahra",
        birth_date: date!(1988 - 07 - 23),
        sex: Sex::Female,
    };
    assert_eq!(identity.matches(&member), Ok(()));

    // An absent birthplace claim means the same as an empty one.
    let absent = pivot(PivotClaims {
        birthplace: None,
        ..claims
    });
    assert_eq!(absent, identity);

    // Another country (Spain, 99134) does not match the Moroccan NIR.
    let spain = pivot(PivotClaims {
        birthcountry: Some("99134"),
        ..claims
    });
    assert_eq!(spain.matches(&member), Err(Mismatch::NirBirthPlace));

    // Born abroad per FranceConnect, in France per the NIR, and the other way round.
    let french_nir = self::nir("2880778006084");
    assert_eq!(
        identity.nir_consistent(&french_nir),
        Err(Mismatch::NirBirthPlace)
    );
    let born_in_france = pivot(claims_fr(
        "EL AMRANI",
        "Fatima",
        "1988-07-23",
        "female",
        "78006",
    ));
    assert_eq!(
        born_in_france.nir_consistent(&nir),
        Err(Mismatch::NirBirthPlace)
    );
}

#[test]
fn each_trait_that_differs_gives_its_own_mismatch() {
    let (nir, identity) = julien();
    let member = julien_member(&nir);

    let other_name = MemberIdentity {
        birth_name: "MARTINEZ",
        ..member
    };
    assert_eq!(identity.matches(&other_name), Err(Mismatch::BirthName));

    let other_first = MemberIdentity {
        first_name: "Pierre",
        ..member
    };
    assert_eq!(identity.matches(&other_first), Err(Mismatch::FirstName));

    let other_date = MemberIdentity {
        birth_date: date!(1985 - 05 - 15),
        ..member
    };
    assert_eq!(identity.matches(&other_date), Err(Mismatch::BirthDate));

    let other_sex = MemberIdentity {
        sex: Sex::Female,
        ..member
    };
    assert_eq!(identity.matches(&other_sex), Err(Mismatch::Sex));

    // The member file agrees with FranceConnect but its NIR does not.
    let female_nir = self::nir("2850578006084");
    assert_eq!(
        identity.matches(&MemberIdentity {
            nir: &female_nir,
            ..member
        }),
        Err(Mismatch::NirSex)
    );
    let year_nir = self::nir("1860578006084");
    assert_eq!(
        identity.matches(&MemberIdentity {
            nir: &year_nir,
            ..member
        }),
        Err(Mismatch::NirBirthYear)
    );
    let month_nir = self::nir("1850678006084");
    assert_eq!(
        identity.matches(&MemberIdentity {
            nir: &month_nir,
            ..member
        }),
        Err(Mismatch::NirBirthMonth)
    );
    let place_nir = self::nir("1850578007084");
    assert_eq!(
        identity.matches(&MemberIdentity {
            nir: &place_nir,
            ..member
        }),
        Err(Mismatch::NirBirthPlace)
    );
}

#[test]
fn the_first_name_is_the_first_given_name_or_all_of_them() {
    let (nir, identity) = julien();
    for first_name in ["Julien", "JULIEN", "Julien Pierre", "julien  pierre"] {
        let member = MemberIdentity {
            first_name,
            ..julien_member(&nir)
        };
        assert_eq!(identity.matches(&member), Ok(()), "{first_name}");
    }
    for first_name in ["Pierre", "Pierre Julien", "Julien P", "", "  "] {
        let member = MemberIdentity {
            first_name,
            ..julien_member(&nir)
        };
        assert_eq!(
            identity.matches(&member),
            Err(Mismatch::FirstName),
            "{first_name:?}"
        );
    }
}

#[test]
fn names_compare_without_case_accents_hyphens_apostrophes_or_extra_spaces() {
    assert_eq!(normalized_name("Jean-Pierre"), "JEAN PIERRE");
    assert_eq!(normalized_name("  JEAN   PIERRE "), "JEAN PIERRE");
    assert_eq!(normalized_name("D'ARC"), "D ARC");
    assert_eq!(normalized_name("d’Arc"), "D ARC");
    assert_eq!(normalized_name("Kévin"), "KEVIN");
    assert_eq!(normalized_name("Ke\u{301}vin"), "KEVIN");
    assert_eq!(normalized_name("Hélène-Françoise"), "HELENE FRANCOISE");
    assert_eq!(normalized_name("LÆTITIA Œuvrard"), "LAETITIA OEUVRARD");
    assert_eq!(normalized_name("Jean\u{a0}-\u{a0}Luc"), "JEAN LUC");
    assert_eq!(normalized_name("-'-"), "");

    let nir = nir("1850578006084");
    let identity = pivot(claims_fr(
        "D'ARC-SAINT-ÉLOI",
        "Jean-Pierre Marie",
        "1985-05-14",
        "male",
        "78006",
    ));
    let member = MemberIdentity {
        nir: &nir,
        birth_name: "d arc saint eloi",
        first_name: "JEAN PIERRE",
        birth_date: date!(1985 - 05 - 14),
        sex: Sex::Male,
    };
    assert_eq!(identity.matches(&member), Ok(()));
    assert_eq!(identity.given_names, ["Jean-Pierre", "Marie"]);
    // "Jean" alone is not the first given name "Jean-Pierre".
    let jean = MemberIdentity {
        first_name: "Jean",
        ..member
    };
    assert_eq!(identity.matches(&jean), Err(Mismatch::FirstName));
}

#[test]
fn a_year_only_birthdate_matches_any_day_of_that_year() {
    let identity = pivot(claims_fr("MARTIN", "Julien", "1985-01-01", "male", "78006"));
    assert_eq!(
        identity.birthdate,
        PartialDate {
            year: 1985,
            month: None,
            day: None
        }
    );
    let nir = nir("1850578006084");
    for birth_date in [
        date!(1985 - 01 - 01),
        date!(1985 - 05 - 14),
        date!(1985 - 12 - 31),
    ] {
        let member = MemberIdentity {
            birth_date,
            ..julien_member(&nir)
        };
        assert_eq!(identity.matches(&member), Ok(()), "{birth_date}");
    }
    let member = MemberIdentity {
        birth_date: date!(1986 - 01 - 01),
        ..julien_member(&nir)
    };
    assert_eq!(identity.matches(&member), Err(Mismatch::BirthDate));
    // The month is unknown, so the NIR month is not compared.
    assert_eq!(identity.nir_consistent(&self::nir("1851178006084")), Ok(()));
    assert_eq!(
        identity.lookup_key(),
        (
            "MARTIN".to_owned(),
            date!(1985 - 01 - 01),
            date!(1985 - 12 - 31)
        )
    );
}

#[test]
fn a_year_and_month_birthdate_matches_any_day_of_that_month() {
    let identity = pivot(claims_fr("MARTIN", "Julien", "1985-05-01", "male", "78006"));
    assert_eq!(identity.birthdate.month, Some(5));
    assert_eq!(identity.birthdate.day, None);
    let nir = nir("1850578006084");
    for (birth_date, expected) in [
        (date!(1985 - 05 - 01), Ok(())),
        (date!(1985 - 05 - 14), Ok(())),
        (date!(1985 - 05 - 31), Ok(())),
        (date!(1985 - 06 - 01), Err(Mismatch::BirthDate)),
        (date!(1985 - 04 - 30), Err(Mismatch::BirthDate)),
    ] {
        let member = MemberIdentity {
            birth_date,
            ..julien_member(&nir)
        };
        assert_eq!(identity.matches(&member), expected, "{birth_date}");
    }
    assert_eq!(
        identity.lookup_key(),
        (
            "MARTIN".to_owned(),
            date!(1985 - 05 - 01),
            date!(1985 - 05 - 31)
        )
    );
    let leap = PartialDate {
        year: 2000,
        month: Some(2),
        day: None,
    };
    assert_eq!(leap.last_day(), date!(2000 - 02 - 29));
}

#[test]
fn a_full_birthdate_covers_its_day_only() {
    let (_, identity) = julien();
    assert_eq!(
        identity.birthdate,
        PartialDate {
            year: 1985,
            month: Some(5),
            day: Some(14)
        }
    );
    assert_eq!(
        identity.lookup_key(),
        (
            "MARTIN".to_owned(),
            date!(1985 - 05 - 14),
            date!(1985 - 05 - 14)
        )
    );
    assert!(identity.birthdate.covers(date!(1985 - 05 - 14)));
    assert!(!identity.birthdate.covers(date!(1985 - 05 - 13)));
    // 31 December is a real day, not a convention.
    let december = pivot(claims_fr("A", "B", "1985-12-31", "male", "78006"));
    assert_eq!(december.birthdate.day, Some(31));
}

#[test]
fn out_of_range_partial_dates_are_clamped_not_panicking() {
    let odd = PartialDate {
        year: 1985,
        month: Some(13),
        day: Some(40),
    };
    assert_eq!(odd.first_day(), date!(1985 - 12 - 31));
    let day_without_month = PartialDate {
        year: 1985,
        month: None,
        day: Some(14),
    };
    assert_eq!(day_without_month.first_day(), date!(1985 - 01 - 01));
    assert_eq!(day_without_month.last_day(), date!(1985 - 12 - 31));
    let far = PartialDate {
        year: i32::MAX,
        month: None,
        day: None,
    };
    assert_eq!(far.last_day(), Date::MAX);
}

#[test]
fn a_fictitious_nir_month_is_not_compared() {
    let (_, identity) = julien();
    // 20–30 and 50–99 fictitious, 31–42 pseudo-fictitious: all skipped.
    for body in [
        "1852078006084",
        "1853578006084",
        "1854278006084",
        "1855078006084",
    ] {
        assert_eq!(identity.nir_consistent(&nir(body)), Ok(()), "{body}");
    }
    assert_eq!(
        identity.nir_consistent(&nir("1851278006084")),
        Err(Mismatch::NirBirthMonth)
    );
}

#[test]
fn a_corsican_nir_with_the_pre_1976_department_20_matches_2a_and_2b() {
    // Haute-Corse, Bastia 2B033, born in March 1972: NIR department "20".
    let old_nir = nir("1720320033051");
    let identity = pivot(claims_fr("CASANOVA", "Paul", "1972-03-10", "male", "2B033"));
    let member = MemberIdentity {
        nir: &old_nir,
        birth_name: "Casanova",
        first_name: "Paul",
        birth_date: date!(1972 - 03 - 10),
        sex: Sex::Male,
    };
    assert_eq!(identity.matches(&member), Ok(()));
    // The same NIR written with 2B matches too, and so does a "20033" birthplace.
    assert_eq!(identity.nir_consistent(&nir("172032B033051")), Ok(()));
    let old_code = pivot(claims_fr("CASANOVA", "Paul", "1972-03-10", "male", "20033"));
    assert_eq!(old_code.nir_consistent(&nir("172032B033051")), Ok(()));
    assert_eq!(old_code.nir_consistent(&old_nir), Ok(()));
    // Corse-du-Sud 2A, another commune number, or 2A vs 2B: no match.
    let south = pivot(claims_fr("CASANOVA", "Paul", "1972-03-10", "male", "2A033"));
    assert_eq!(south.nir_consistent(&old_nir), Ok(()));
    assert_eq!(
        south.nir_consistent(&nir("172032B033051")),
        Err(Mismatch::NirBirthPlace)
    );
    assert_eq!(
        identity.nir_consistent(&nir("1720320034051")),
        Err(Mismatch::NirBirthPlace)
    );
    // Department 20 is not a wildcard for other departments.
    let other = pivot(claims_fr("CASANOVA", "Paul", "1972-03-10", "male", "21033"));
    assert_eq!(other.nir_consistent(&old_nir), Err(Mismatch::NirBirthPlace));
}

#[test]
fn an_overseas_birthplace_compares_department_and_commune() {
    let identity = pivot(claims_fr("HOARAU", "Kévin", "1990-03-08", "male", "97411"));
    assert_eq!(identity.nir_consistent(&nir("1900397411056")), Ok(()));
    assert_eq!(
        identity.nir_consistent(&nir("1900397412056")),
        Err(Mismatch::NirBirthPlace)
    );
    assert_eq!(
        identity.nir_consistent(&nir("1900397111056")),
        Err(Mismatch::NirBirthPlace)
    );
}

#[test]
fn a_temporary_nir_skips_the_sex_check_only() {
    // Provisional number, sex digit 8, February 1999, born in Spain (domain.md §1.3).
    let temporary = nir("8990299134001");
    assert!(temporary.is_temporary());
    let claims = PivotClaims {
        family_name: Some("GARCIA"),
        given_name: Some("Lucia"),
        birthdate: Some("1999-02-17"),
        gender: Some("female"),
        birthplace: Some(""),
        birthcountry: Some("99134"),
    };
    let female = pivot(claims);
    assert_eq!(female.nir_consistent(&temporary), Ok(()));
    let male = pivot(PivotClaims {
        gender: Some("male"),
        ..claims
    });
    assert_eq!(male.nir_consistent(&temporary), Ok(()));
    assert_eq!(
        male.nir_consistent(&nir("2990299134001")),
        Err(Mismatch::NirSex)
    );
    // Year, month and place are still compared.
    assert_eq!(
        female.nir_consistent(&nir("8980299134001")),
        Err(Mismatch::NirBirthYear)
    );
    assert_eq!(
        female.nir_consistent(&nir("8990399134001")),
        Err(Mismatch::NirBirthMonth)
    );
    assert_eq!(
        female.nir_consistent(&nir("8990299350001")),
        Err(Mismatch::NirBirthPlace)
    );
}

#[test]
fn the_nir_year_is_compared_without_the_century() {
    let identity = pivot(claims_fr("MARTIN", "Julien", "1885-05-14", "male", "78006"));
    assert_eq!(identity.nir_consistent(&nir("1850578006084")), Ok(()));
    let identity = pivot(claims_fr("MARTIN", "Julien", "2005-05-14", "male", "78006"));
    assert_eq!(identity.nir_consistent(&nir("1050578006084")), Ok(()));
    assert_eq!(
        identity.nir_consistent(&nir("1500578006084")),
        Err(Mismatch::NirBirthYear)
    );
}

#[test]
fn claims_are_parsed_into_a_pivot_identity() {
    let identity = pivot(PivotClaims {
        family_name: Some("  MARTIN "),
        given_name: Some(" Julien  Pierre "),
        birthdate: Some("1985-05-14"),
        gender: Some("male"),
        birthplace: Some("78006"),
        birthcountry: Some("99100"),
    });
    assert_eq!(identity.family_name, "MARTIN");
    assert_eq!(identity.given_names, ["Julien", "Pierre"]);
    assert_eq!(identity.gender, Sex::Male);
    assert_eq!(
        identity.birthplace,
        BirthPlace::France {
            commune: "78006".into()
        }
    );
    let corsica = pivot(claims_fr(
        "ROSSI",
        "Camille",
        "1993-12-02",
        "female",
        "2A004",
    ));
    assert_eq!(corsica.gender, Sex::Female);
    assert_eq!(
        corsica.birthplace,
        BirthPlace::France {
            commune: "2A004".into()
        }
    );
}

#[test]
fn a_missing_claim_is_named() {
    let full = claims_fr("MARTIN", "Julien", "1985-05-14", "male", "78006");
    let cases = [
        (
            PivotClaims {
                family_name: None,
                ..full
            },
            "family_name",
        ),
        (
            PivotClaims {
                given_name: None,
                ..full
            },
            "given_name",
        ),
        (
            PivotClaims {
                birthdate: None,
                ..full
            },
            "birthdate",
        ),
        (
            PivotClaims {
                gender: None,
                ..full
            },
            "gender",
        ),
        (
            PivotClaims {
                birthcountry: None,
                ..full
            },
            "birthcountry",
        ),
    ];
    for (claims, name) in cases {
        assert_eq!(
            PivotIdentity::parse(&claims),
            Err(PivotError::MissingClaim(name))
        );
    }
    // Born in France without a birthplace: the claim contradicts the country.
    assert_eq!(
        PivotIdentity::parse(&PivotClaims {
            birthplace: None,
            ..full
        }),
        Err(PivotError::InvalidClaim("birthplace"))
    );
    assert_eq!(
        PivotIdentity::parse(&PivotClaims::default()),
        Err(PivotError::MissingClaim("family_name"))
    );
}

#[test]
fn an_invalid_claim_is_named() {
    let full = claims_fr("MARTIN", "Julien", "1985-05-14", "male", "78006");
    let long = "A".repeat(101);
    let max = "A".repeat(100);
    assert!(
        PivotIdentity::parse(&PivotClaims {
            family_name: Some(&max),
            ..full
        })
        .is_ok()
    );
    let invalid = |claims: PivotClaims<'_>, name: &'static str| {
        assert_eq!(
            PivotIdentity::parse(&claims),
            Err(PivotError::InvalidClaim(name)),
            "{name}"
        );
    };
    for bad in ["", "   ", "-", long.as_str(), "MAR\u{0}TIN", "MAR\nTIN"] {
        invalid(
            PivotClaims {
                family_name: Some(bad),
                ..full
            },
            "family_name",
        );
        invalid(
            PivotClaims {
                given_name: Some(bad),
                ..full
            },
            "given_name",
        );
    }
    for bad in [
        "1985-5-14",
        "85-05-14",
        "1985-02-30",
        "1985-13-01",
        "1985-00-10",
        "14/05/1985",
        "1985-05-14T00:00:00Z",
        "1985/05/14",
        "+985-05-14",
        "",
    ] {
        invalid(
            PivotClaims {
                birthdate: Some(bad),
                ..full
            },
            "birthdate",
        );
    }
    for bad in ["Male", "FEMALE", "m", "other", "unspecified", ""] {
        invalid(
            PivotClaims {
                gender: Some(bad),
                ..full
            },
            "gender",
        );
    }
    for bad in ["", "9910", "991000", "12345", "99 10", "9910A"] {
        invalid(
            PivotClaims {
                birthcountry: Some(bad),
                ..full
            },
            "birthcountry",
        );
    }
    for bad in [
        "", "7800", "780066", "2C004", "2a004", "A2004", "99350", "78O06",
    ] {
        invalid(
            PivotClaims {
                birthplace: Some(bad),
                ..full
            },
            "birthplace",
        );
    }
    // A birthplace for someone born abroad.
    invalid(
        PivotClaims {
            birthcountry: Some("99350"),
            ..full
        },
        "birthplace",
    );
}

#[test]
fn debug_output_shows_no_personal_data() {
    let (nir, identity) = julien();
    assert_eq!(format!("{identity:?}"), "PivotIdentity { .. }");
    assert_eq!(
        format!("{:?}", identity.birthdate),
        "PartialDate(****-**-**)"
    );
    let year_only = PartialDate {
        year: 1985,
        month: None,
        day: None,
    };
    assert_eq!(format!("{year_only:?}"), "PartialDate(****-??-??)");
    assert_eq!(
        format!("{:?}", identity.birthplace),
        "BirthPlace::France { .. }"
    );
    let claims = claims_fr("MARTIN", "Julien", "1985-05-14", "male", "78006");
    assert_eq!(format!("{claims:?}"), "PivotClaims { .. }");
    let member = format!("{:?}", julien_member(&nir));
    assert!(
        !member.contains("Martin") && !member.contains("1985"),
        "{member}"
    );
    assert_eq!(
        PivotError::InvalidClaim("gender").to_string(),
        "the FranceConnect claim gender is invalid"
    );
    assert!(!PivotError::MissingClaim("gender").message_fr().is_empty());
}
