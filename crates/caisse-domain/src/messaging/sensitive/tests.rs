use proptest::prelude::*;

use super::*;

const OWN: &str = "1 85 05 78 006 084 91";

fn own() -> Nir {
    Nir::parse(OWN).unwrap()
}

fn warnings(text: &str) -> Vec<Warning> {
    sensitive_data_warnings(text, Some(&own()))
}

/// `prefix` followed by its Luhn check digit.
fn with_luhn_digit(prefix: &str) -> String {
    let sum = luhn_sum(format!("{prefix}0").as_bytes());
    format!("{prefix}{}", (10 - sum % 10) % 10)
}

#[test]
fn an_iban_is_found_however_it_is_written() {
    for text in [
        "Mon IBAN est FR76 3000 6000 0112 3456 7890 189, merci.",
        "FR7630006000011234567890189",
        "iban : fr76 3000 6000 0112 3456 7890 189",
        "Nouveau compte FR76-3000-6000-0112-3456-7890-189 à compter de mai",
        "FR76\u{a0}3000\u{a0}6000\u{a0}0112\u{a0}3456\u{a0}7890\u{a0}189",
        "RIB (FR76 3000 6000 0112 3456 7890 189)",
        "Compte allemand DE89 3704 0044 0532 0130 00 depuis mon déménagement",
        "GB29 NWBK 6016 1331 9268 19",
        "BE68 5390 0754 7034 ou NO93 8601 1117 947",
        // A valid IBAN outside SEPA is bank data just as much.
        "TR33 0006 1005 1978 6457 8413 26",
    ] {
        assert_eq!(warnings(text), [Warning::BankAccount], "{text}");
    }
}

#[test]
fn a_mistyped_iban_raises_nothing_not_even_a_card() {
    for text in [
        "FR76 3000 6000 0112 3456 7890 188",
        "FR67 3000 6000 0112 3456 7890 189",
        "FR76 3000 6000 0112 3456 7890 18",
        // A line break ends a number.
        "FR76 3000 6000\n0112 3456 7890 189",
    ] {
        assert_eq!(warnings(text), [], "{text}");
    }
}

#[test]
fn a_card_number_is_found_however_it_is_grouped() {
    let maestro19 = with_luhn_digit("675964982643845302");
    let grouped19 = format!(
        "{} {} {} {} {}",
        &maestro19[..4],
        &maestro19[4..8],
        &maestro19[8..12],
        &maestro19[12..16],
        &maestro19[16..]
    );
    for text in [
        "Ma carte 4111 1111 1111 1111 a été débitée deux fois",
        "4111-1111-1111-1111",
        "4111111111111111",
        "CB 5555 5555 5555 4444 exp 12/27",
        "carte n° 12 4111 1111 1111 1111",
        "4111 1111 1111 1111 12 27 cryptogramme 123",
        "Amex 3782 822463 10005",
        "2223 0031 2200 3222",
        grouped19.as_str(),
        maestro19.as_str(),
    ] {
        assert_eq!(warnings(text), [Warning::PaymentCard], "{text}");
    }
}

#[test]
fn numbers_that_fail_a_card_rule_are_not_cards() {
    for text in [
        "4111 1111 1111 1112",     // Luhn
        "0000 0000 0000 0000",     // no card network starts with 0
        "8111 1111 1111 1113",     // nor with 8
        "41 11 11 11 11 11 11 11", // grouped in pairs
        "4111111111111111111111",  // one run of 22 digits…
        "4111 1111 1111",          // … and 12 digits
    ] {
        assert_eq!(warnings(text), [], "{text}");
    }
    // Groups that go on past a card number still hold one.
    assert_eq!(warnings("4111 1111 1111 1111 0000"), [Warning::PaymentCard]);
    assert_eq!(
        warnings("4111 1111 1111 1111 1111 1111"),
        [Warning::PaymentCard]
    );
}

#[test]
fn phone_numbers_dates_amounts_and_references_raise_nothing() {
    for text in [
        "Rappelez-moi au 06 12 34 56 78 ou au 01 23 45 67 89.",
        "06.12.34.56.78",
        "0612345678 / 0123456789",
        "+33 6 12 34 56 78",
        "0033 6 12 34 56 78",
        "Soins du 12/05/2026 et du 2026-05-14, rendez-vous le 3 juin 2026 à 14h30.",
        "12 05 2026",
        "Montant : 1 234,56 € remboursé le 03.04.2026, reste 45,80 €.",
        "1.234.567,89 euros",
        "Dossier n° 2026-000123, facture 458 721 369, SIRET 123 456 789 00012.",
        "36 46",
        "12 rue de la Paix, 75002 Paris",
        "Mon numéro de sécurité sociale est le 1 23 45 67 890 123 4.",
        "Bonjour, je vous contacte au sujet de ma feuille de soins.",
        "",
    ] {
        assert_eq!(warnings(text), [], "{text}");
    }
}

#[test]
fn the_members_own_nir_raises_nothing_with_or_without_key() {
    for text in [
        "Mon numéro : 1 85 05 78 006 084 91.",
        "185057800608491",
        "1 85 05 78 006 084",
        "1850578006084 clé 91",
        "1.85.05.78.006.084.91",
    ] {
        assert_eq!(warnings(text), [], "{text}");
    }
    // Without an own NIR, every NIR is someone else's.
    assert_eq!(
        sensitive_data_warnings("185057800608491", None),
        [Warning::OtherPersonNir]
    );
}

#[test]
fn another_persons_nir_is_found_with_or_without_key() {
    for text in [
        "Pour ma fille, numéro 2 55 08 14 168 025 38.",
        "255081416802538",
        "2 55 08 14 168 025",
        "2 53 07 2A 073 004 43",
        "2 53 07 2b 073 004 70",
        "1 88 11 971 12 345 63",
        "ma fille 2 55 08 14 168 025 38 et moi 1 85 05 78 006 084 91",
    ] {
        assert_eq!(warnings(text), [Warning::OtherPersonNir], "{text}");
    }
    for text in [
        "2 55 08 14 168 025 39",  // wrong key
        "2 55 08 14 168 025 3",   // 14 characters
        "5 55 08 14 168 025",     // no NIR starts with 5
        "2 55 13 14 168 025",     // month 13
        "2 55 08 14 168 025 999", // a keyless 13 must be the whole number
    ] {
        let found = warnings(text);
        assert!(
            !found.contains(&Warning::OtherPersonNir),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn a_nir_that_passes_the_luhn_check_is_still_a_nir() {
    // A NIR whose 15 digits happen to be a valid card number.
    let nir = (1..1000)
        .map(|order| {
            let body = format!("2550814168{order:03}");
            format!("{body}{:02}", compute_key(&body).unwrap())
        })
        .find(|nir| is_card_number(nir))
        .unwrap();
    assert_eq!(warnings(&nir), [Warning::OtherPersonNir]);
    assert_eq!(
        sensitive_data_warnings(&nir, Nir::parse(&nir).ok().as_ref()),
        []
    );
    // 4222 2222 2222 2 is both Visa's 13-digit test card and a well-formed NIR body.
    assert_eq!(warnings("4222222222222"), [Warning::OtherPersonNir]);
}

#[test]
fn every_kind_is_reported_once_in_a_fixed_order() {
    let text = "NIR 2 55 08 14 168 025 38, carte 4111 1111 1111 1111, \
                IBAN FR76 3000 6000 0112 3456 7890 189, autre carte 5555 5555 5555 4444, \
                autre NIR 2 53 07 2A 073 004 43.";
    let found = warnings(text);
    assert_eq!(
        found,
        [
            Warning::BankAccount,
            Warning::PaymentCard,
            Warning::OtherPersonNir
        ]
    );
    // Debug names the kinds only, never a digit of what was found.
    let debug = format!("{found:?}");
    assert_eq!(debug, "[BankAccount, PaymentCard, OtherPersonNir]");
}

#[test]
fn warnings_have_codes_and_french_sentences() {
    assert_eq!(Warning::BankAccount.code(), "iban");
    assert_eq!(Warning::PaymentCard.code(), "carte_bancaire");
    assert_eq!(Warning::OtherPersonNir.code(), "nir_tiers");
    assert!(
        Warning::BankAccount
            .message_fr()
            .contains("Ne divulguez pas vos coordonnées bancaires complètes")
    );
    assert!(Warning::PaymentCard.message_fr().contains("carte bancaire"));
    assert!(
        Warning::OtherPersonNir
            .message_fr()
            .contains("numéro de sécurité sociale d'une autre personne")
    );
}

/// Words that cannot join the number inserted among them: letters, punctuation, and
/// numbers closed by a character that is not a joiner.
const FILLER: &[&str] = &[
    "Bonjour",
    "madame",
    "monsieur",
    "je",
    "vous",
    "écris",
    "au",
    "sujet",
    "de",
    "ma",
    "carte",
    "IBAN",
    "RIB",
    "CB",
    "mon",
    "compte",
    "le",
    "la",
    "merci",
    ",",
    ".",
    ":",
    "?",
    "(12/05/2026)",
    "(45,80 €)",
    "(06 12 34 56 78)",
    "n°",
    "l'Assurance",
    "Maladie",
    "é",
    "\n",
];

fn filler() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FILLER), 0..12).prop_map(|words| words.join(" "))
}

/// IBAN formats from the registry (ISO 13616), as (length, 'n' digit | 'a' letter |
/// 'c' either) groups.
const IBAN_FORMATS: &[(&str, &[(usize, char)])] = &[
    ("FR", &[(5, 'n'), (5, 'n'), (11, 'c'), (2, 'n')]),
    ("MC", &[(5, 'n'), (5, 'n'), (11, 'c'), (2, 'n')]),
    ("DE", &[(8, 'n'), (10, 'n')]),
    ("BE", &[(3, 'n'), (7, 'n'), (2, 'n')]),
    ("NL", &[(4, 'a'), (10, 'n')]),
    ("GB", &[(4, 'a'), (6, 'n'), (8, 'n')]),
    ("IT", &[(1, 'a'), (5, 'n'), (5, 'n'), (12, 'c')]),
    ("ES", &[(20, 'n')]),
    ("AT", &[(5, 'n'), (11, 'n')]),
    ("NO", &[(4, 'n'), (6, 'n'), (1, 'n')]),
];

/// A valid IBAN in electronic form.
fn iban() -> impl Strategy<Value = String> {
    (
        prop::sample::select(IBAN_FORMATS),
        prop::collection::vec(0_u8..36, 34),
    )
        .prop_map(|((country, format), random)| {
            let mut random = random.into_iter();
            let mut bban = String::new();
            for &(count, kind) in format {
                for value in random.by_ref().take(count) {
                    let digit = char::from(b'0' + value % 10);
                    let letter = char::from(b'A' + value % 26);
                    bban.push(match (kind, value) {
                        ('n', _) => digit,
                        ('a', _) => letter,
                        (_, 0..=9) => digit,
                        _ => char::from(b'A' + (value - 10)),
                    });
                }
            }
            // Check digits: 98 − (BBAN + country + "00", letters as 10–35) mod 97.
            let rearranged = format!("{bban}{country}00");
            let remainder = rearranged.chars().fold(0_u32, |acc, c| {
                let value = c.to_digit(36).unwrap();
                if value < 10 {
                    (acc * 10 + value) % 97
                } else {
                    (acc * 100 + value) % 97
                }
            });
            format!("{country}{:02}{bban}", 98 - remainder)
        })
}

/// Writes `number` as is, in groups of `size` joined by `joiner`, or in lower case.
fn spelled(number: &str, size: usize, joiner: &str, lower: bool) -> String {
    let groups: Vec<String> = number
        .as_bytes()
        .chunks(size)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect();
    let text = groups.join(joiner);
    if lower { text.to_lowercase() } else { text }
}

proptest! {
    // About one generated card in fifteen is also a well-formed NIR and is rejected.
    #![proptest_config(ProptestConfig {
        max_global_rejects: 100_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_valid_iban_in_random_text_is_always_found(
        iban in iban(),
        size in prop::sample::select(&[4_usize, 34][..]),
        joiner in prop::sample::select(&[" ", "-", "\u{a0}", " - "][..]),
        lower in any::<bool>(),
        before in filler(),
        after in filler(),
    ) {
        prop_assert!(Iban::parse(&iban).is_ok(), "{}", iban);
        let text = format!("{before} {} {after}", spelled(&iban, size, joiner, lower));
        prop_assert!(warnings(&text).contains(&Warning::BankAccount), "{}", text);
    }

    #[test]
    fn a_luhn_valid_card_in_random_text_is_always_found(
        first in 2_u8..=6,
        rest in prop::collection::vec(0_u8..10, 11..=17),
        size in prop::sample::select(&[4_usize, 19][..]),
        joiner in prop::sample::select(&[" ", "-", "\u{a0}"][..]),
        before in filler(),
        after in filler(),
    ) {
        let prefix: String = std::iter::once(first)
            .chain(rest)
            .map(|d| char::from(b'0' + d))
            .collect();
        let card = with_luhn_digit(&prefix);
        // A card number that is also a well-formed NIR is reported as a NIR (module
        // documentation); such numbers are not this property's subject.
        prop_assume!(Nir::parse(&card).is_err() && keyless_nir(&card).is_none());
        let text = format!("{before} {} {after}", spelled(&card, size, joiner, false));
        prop_assert!(warnings(&text).contains(&Warning::PaymentCard), "{}", text);
    }

    #[test]
    fn text_without_a_checked_number_raises_nothing(text in filler()) {
        prop_assert_eq!(warnings(&text), []);
    }
}

#[test]
fn masking_hides_ibans_and_cards_but_their_last_four_characters() {
    let text = "Mon IBAN FR76 3000 6000 0112 3456 7890 189 et ma carte 5555-5555-5555-4444 ?";
    let masked = mask_bank_data(text).unwrap();
    assert_eq!(
        masked,
        "Mon IBAN •••• •••• •••• •••• •••• •••0 189 et ma carte ••••-••••-••••-4444 ?"
    );
    assert_eq!(sensitive_data_warnings(&masked, None), []);
    assert_eq!(mask_bank_data(&masked), None);
}

#[test]
fn masking_leaves_nirs_and_plain_text_alone() {
    assert_eq!(
        mask_bank_data("Rien à cacher, appel au 01 23 45 67 89."),
        None
    );
    assert_eq!(mask_bank_data("Mon fils : 1 85 05 78 006 084 91"), None);
}
