use time::macros::date;

use super::*;

const GOOD: &str = "Kx7!rTq2mLpz";

fn check(candidate: &str) -> Result<(), PasswordError> {
    PasswordPolicy::default().check(candidate, &PasswordContext::default())
}

#[test]
fn a_long_mixed_password_is_accepted() {
    assert_eq!(check(GOOD), Ok(()));
    // Letters and specials only, no digit: allowed ("digit or special").
    assert_eq!(check("Vert-Gazon;Pluie"), Ok(()));
    // Letters and digits only.
    assert_eq!(check("Tk4Wb9Zq2Lrm"), Ok(()));
    // € and £ are single characters and allowed.
    assert_eq!(check("Prix€£Hvqxmb"), Ok(()));
}

#[test]
fn length_is_counted_in_characters() {
    assert_eq!(
        check("Kx7!rTq2mLp"),
        Err(PasswordError::TooShort { min: 12 })
    );
    let policy = PasswordPolicy {
        min_length: 8,
        max_length: 16,
    };
    let ctx = PasswordContext::default();
    assert_eq!(policy.check("Kx7!rTq2", &ctx), Ok(()));
    assert_eq!(
        policy.check("Kx7!rTq2mLpzWvbnQ", &ctx),
        Err(PasswordError::TooLong { max: 16 })
    );
    // Nine € are 27 bytes but 9 characters.
    let euros = format!("Ab{}", "€".repeat(9));
    assert_eq!(policy.check(&euros, &ctx), Ok(()));
}

#[test]
fn character_classes_follow_ameli() {
    assert_eq!(check("kx7!rtq2mlpz"), Err(PasswordError::MissingUppercase));
    assert_eq!(check("KX7!RTQ2MLPZ"), Err(PasswordError::MissingLowercase));
    assert_eq!(
        check("KxhbrTqwmLpz"),
        Err(PasswordError::MissingDigitOrSpecial)
    );
    for forbidden in [
        "Kx7!rTq2mLpz#",
        "Kx7 rTq2mLpz",
        "Kx7!rTq2mLpé",
        "Kx7!rTq2mLp~",
        "Kx7!rTq2mL\"z",
    ] {
        assert_eq!(
            check(forbidden),
            Err(PasswordError::ForbiddenCharacter),
            "{forbidden}"
        );
    }
    for special in ALLOWED_SPECIALS {
        let candidate = format!("KxhbrTqwmLpz{special}");
        assert_eq!(check(&candidate), Ok(()), "{special}");
    }
    assert_eq!(ALLOWED_SPECIALS.len(), 21);
}

#[test]
fn violations_lists_every_broken_rule() {
    let all = PasswordPolicy::default().violations("abc", &PasswordContext::default());
    assert_eq!(
        all,
        [
            PasswordError::TooShort { min: 12 },
            PasswordError::MissingUppercase,
            PasswordError::MissingDigitOrSpecial,
            PasswordError::TooCommon,
        ]
    );
    assert!(
        PasswordPolicy::default()
            .violations(GOOD, &PasswordContext::default())
            .is_empty()
    );
}

#[test]
fn the_nir_is_refused_with_or_without_key_and_separators() {
    let nir = Nir::parse("2 93 12 2A 004 123 17").unwrap();
    let ctx = PasswordContext {
        nir: Some(&nir),
        ..PasswordContext::default()
    };
    let policy = PasswordPolicy::default();
    for candidate in [
        "Ab!293122A004123",
        "Ab!293122a00412317",
        "Ab!2.93.12.2A.004.123.17",
        "293122A004123-Zz",
    ] {
        assert_eq!(
            policy.check(candidate, &ctx),
            Err(PasswordError::ContainsNir),
            "{candidate}"
        );
    }
    assert_eq!(policy.check(GOOD, &ctx), Ok(()));
}

#[test]
fn the_birth_date_is_refused_in_usual_forms() {
    let ctx = PasswordContext {
        birth_date: Some(date!(1985 - 05 - 01)),
        ..PasswordContext::default()
    };
    let policy = PasswordPolicy::default();
    for candidate in [
        "Kxqbrt01051985",
        "Kxqbrt19850501",
        "Kxqbrt05011985",
        "Kxqbrt!010585",
        "Kxqbrt!850501",
        "Kxqbrt01/05/1985",
        "Kxqbrt1985-05-01",
    ] {
        assert_eq!(
            policy.check(candidate, &ctx),
            Err(PasswordError::ContainsBirthDate),
            "{candidate}"
        );
    }
    assert_eq!(
        policy.check("Kxqbrt!1985zz", &ctx),
        Ok(()),
        "the year alone is allowed"
    );
}

#[test]
fn the_email_local_part_and_its_pieces_are_refused() {
    let email = Email::parse("Jean-Marc.Dupont+ameli@example.fr").unwrap();
    let ctx = PasswordContext {
        email: Some(&email),
        ..PasswordContext::default()
    };
    let policy = PasswordPolicy::default();
    for candidate in [
        "Xq7!DUPONTxyzw",
        "Xq7!jean-marc.dupont+ameli",
        "Xq7!AmeliWxyzk",
    ] {
        assert_eq!(
            policy.check(candidate, &ctx),
            Err(PasswordError::ContainsEmail),
            "{candidate}"
        );
    }
    // "jean" is a 4-letter piece; "al" of a short address is not checked.
    assert_eq!(
        policy.check("Xq7!Jeanzzzzzz", &ctx),
        Err(PasswordError::ContainsEmail)
    );
    let short = Email::parse("al@example.fr").unwrap();
    let ctx = PasswordContext {
        email: Some(&short),
        ..PasswordContext::default()
    };
    assert_eq!(policy.check("Xq7!Alzzzzzzzz", &ctx), Ok(()));
}

#[test]
fn common_passwords_are_refused_even_decorated() {
    for candidate in [
        "Azerty123456!",
        "MotDePasse2024!",
        "Marseille13!!!",
        "!!Soleil2025??",
        "P@ssw0rd12345",
        "Doudou12345678",
        "Qwertyuiop123",
        "1Qaz2wsx3edc!",
    ] {
        assert_eq!(
            check(candidate),
            Err(PasswordError::TooCommon),
            "{candidate}"
        );
    }
    // A common word inside a longer phrase is not refused here (zxcvbn judges strength).
    assert_eq!(check("SoleilDeMinuit7"), Ok(()));
}

#[test]
fn the_common_list_is_clean_and_large_enough() {
    let entries: Vec<&str> = COMMON_PASSWORDS.lines().collect();
    assert!(entries.len() >= 1000, "{}", entries.len());
    let mut sorted = entries.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), entries.len(), "duplicates in the list");
    for entry in &entries {
        assert!(!entry.trim().is_empty());
        assert_eq!(*entry, entry.to_lowercase(), "{entry}");
        assert_eq!(*entry, entry.trim(), "{entry:?}");
    }
    for french in [
        "azerty",
        "motdepasse",
        "soleil",
        "doudou",
        "marseille",
        "chouchou",
    ] {
        assert!(entries.contains(&french), "{french}");
    }
}

#[test]
fn a_password_keeps_the_candidate_and_hides_it() {
    let password = Password::parse(
        GOOD,
        &PasswordPolicy::default(),
        &PasswordContext::default(),
    )
    .unwrap();
    assert_eq!(password.expose_secret(), GOOD);
    assert_eq!(format!("{password:?}"), "Password(***)");
    assert!(matches!(
        Password::parse(
            "azerty",
            &PasswordPolicy::default(),
            &PasswordContext::default()
        ),
        Err(PasswordError::TooShort { .. })
    ));
}

#[test]
fn every_error_has_a_french_message() {
    for e in PasswordPolicy::default().violations("é", &PasswordContext::default()) {
        assert!(e.message_fr().contains("mot de passe"), "{e:?}");
    }
    assert!(
        PasswordError::TooCommon
            .message_fr()
            .contains("mot de passe")
    );
}
