//! The pure parts: the statement's bytes, signing and verifying with rotating keys, reading a
//! statement back from a PDF.

use caisse_domain::rights::{CodeGestion, RegimeCode};
use caisse_domain::{AttestationCode, CaisseCode, Nir};
use time::macros::{date, datetime};

use super::seal::{
    AttestationKeys, KeyConfigError, PREFIX, VerifyError, find_in_pdf, key_entry, sealed_text,
    verification_url,
};
use super::statement::{AttestationKind, Statement, StatementError, StatementPerson};

fn statement() -> Statement {
    Statement {
        kind: AttestationKind::Droits,
        code: AttestationCode::from_random([1, 2, 3, 4, 5, 6, 7]),
        issued_at: datetime!(2026-11-22 15:04:09 UTC),
        caisse: CaisseCode::parse("671").unwrap(),
        regime: RegimeCode::GENERAL,
        code_gestion: CodeGestion::GENERAL,
        valid_from: date!(2026 - 11 - 22),
        valid_to: date!(2027 - 11 - 21),
        nir: Nir::parse("282126748202355").unwrap(),
        insured_name: "Sophie WEBER".to_owned(),
        people: vec![
            StatementPerson {
                rank: 1,
                name: "Sophie WEBER".to_owned(),
                birth_date: date!(1982 - 12 - 21),
            },
            StatementPerson {
                rank: 2,
                name: "Emma WEBER".to_owned(),
                birth_date: date!(2012 - 06 - 04),
            },
        ],
    }
}

fn keys(config: &str) -> AttestationKeys {
    AttestationKeys::parse(config).unwrap()
}

const KEY_A: &str = "2026-a:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const KEY_B: &str = "2025-b:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8";

#[test]
fn a_statement_reads_back_field_for_field() {
    let bytes = statement().encode().unwrap();
    assert_eq!(bytes[0], 1, "version first");
    assert_eq!(Statement::decode(&bytes).unwrap(), statement());
    // Four people with usual names stay well within a QR code.
    assert!(bytes.len() < 120, "{} bytes", bytes.len());
}

#[test]
fn malformed_statements_are_refused() {
    let bytes = statement().encode().unwrap();
    assert_eq!(
        Statement::decode(&bytes[..bytes.len() - 1]),
        Err(StatementError::Truncated)
    );
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        Statement::decode(&longer),
        Err(StatementError::TrailingBytes)
    );
    let mut version = bytes.clone();
    version[0] = 9;
    assert_eq!(Statement::decode(&version), Err(StatementError::Version(9)));
    let mut kind = bytes.clone();
    kind[1] = 7;
    assert_eq!(Statement::decode(&kind), Err(StatementError::Field("kind")));
    let mut code = bytes;
    code[2] = b'U';
    assert_eq!(Statement::decode(&code), Err(StatementError::Field("code")));
    let nobody = Statement {
        people: Vec::new(),
        ..statement()
    };
    assert!(nobody.encode().is_err());
}

#[test]
fn a_sealed_statement_verifies_and_names_its_key() {
    let keys = keys(KEY_A);
    let sealed = keys.seal(&statement()).unwrap();
    assert!(sealed.starts_with(PREFIX));
    // What a QR code's alphanumeric mode holds.
    assert!(
        sealed
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "-:".contains(c))
    );
    assert!(sealed.len() < 400, "{}", sealed.len());
    assert_eq!(keys.verify(&sealed).unwrap(), statement());
    // Copied with line breaks, spaces or in lower case, it still reads.
    let spaced: String = sealed
        .to_lowercase()
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            if i % 40 == 39 {
                vec![c, '\n']
            } else {
                vec![c, ' ']
            }
        })
        .collect();
    assert_eq!(keys.verify(&spaced).unwrap(), statement());
}

#[test]
fn the_qr_codes_url_and_the_bare_text_verify_alike() {
    let keys = keys(KEY_A);
    let sealed = keys.seal(&statement()).unwrap();
    let url = verification_url("https://portail.example.fr/", &sealed);
    assert_eq!(
        url,
        format!("https://portail.example.fr/verifier?a={sealed}")
    );
    // Nothing to percent-encode: an offline reader takes the parameter as it is.
    let value = url.split_once("?a=").unwrap().1;
    assert_eq!(value, sealed);
    assert_eq!(keys.verify(&url).unwrap(), statement());
    // The text alone, what attestations printed before the URL carry, still verifies.
    assert_eq!(keys.verify(&sealed).unwrap(), statement());
    // Other parameters, a fragment, an encoded colon or a reader's lower case change nothing.
    let encoded = sealed.replacen(':', "%3A", 1).to_lowercase();
    for given in [
        format!("https://portail.example.fr/verifier?x=1&a={sealed}#haut"),
        format!("HTTPS://PORTAIL.EXAMPLE.FR/verifier?a={encoded}"),
    ] {
        assert_eq!(
            sealed_text(&given).as_deref(),
            Some(sealed.as_str()),
            "{given}"
        );
        assert_eq!(keys.verify(&given).unwrap(), statement());
    }
    // A changed character in the URL is refused like in the text.
    let mut chars: Vec<char> = url.chars().collect();
    let i = chars.len() - 30;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    let changed: String = chars.into_iter().collect();
    assert!(keys.verify(&changed).is_err());
    for not_ours in [
        "https://portail.example.fr/verifier",
        "https://portail.example.fr/verifier?a=bonjour",
        "https://portail.example.fr/verifier?b=CAISSE-ATT1:AAAA",
    ] {
        assert_eq!(sealed_text(not_ours), None, "{not_ours}");
        assert_eq!(keys.verify(not_ours), Err(VerifyError::NotSealed));
    }
}

#[test]
fn any_changed_character_is_refused() {
    let keys = keys(KEY_A);
    let sealed = keys.seal(&statement()).unwrap();
    for position in PREFIX.len()..sealed.len() {
        let mut chars: Vec<char> = sealed.chars().collect();
        chars[position] = if chars[position] == 'A' { 'B' } else { 'A' };
        let changed: String = chars.into_iter().collect();
        assert!(keys.verify(&changed).is_err(), "position {position}");
    }
    assert_eq!(keys.verify("bonjour"), Err(VerifyError::NotSealed));
    assert_eq!(
        keys.verify(&format!("{PREFIX}ABC")),
        Err(VerifyError::Malformed)
    );
}

#[test]
fn another_key_is_refused_and_a_rotated_key_still_verifies() {
    let sealed_by_b = keys(KEY_B).seal(&statement()).unwrap();
    assert_eq!(
        keys(KEY_A).verify(&sealed_by_b),
        Err(VerifyError::UnknownKey)
    );

    // A forged statement naming our key id but signed with another key.
    let impostor = keys(&KEY_B.replace("2025-b", "2026-a"))
        .seal(&statement())
        .unwrap();
    assert_eq!(
        keys(KEY_A).verify(&impostor),
        Err(VerifyError::BadSignature)
    );

    // Rotation: A signs now, B (retired, public half only) still verifies what it signed.
    let b_public = keys(KEY_B).public_keys()[0].1.to_vec();
    let public_b = format!(
        "2025-b:public:{}",
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, b_public)
    );
    let rotated = keys(&format!("{KEY_A},{public_b}"));
    assert_eq!(rotated.signing_key_id(), "2026-a");
    assert_eq!(rotated.verify(&sealed_by_b).unwrap(), statement());
    let sealed_now = rotated.seal(&statement()).unwrap();
    assert_eq!(keys(KEY_A).verify(&sealed_now).unwrap(), statement());
    assert_eq!(rotated.public_keys().len(), 2);
}

#[test]
fn the_key_configuration_names_the_faulty_entry_never_the_key() {
    assert_eq!(
        AttestationKeys::parse(" , ").unwrap_err(),
        KeyConfigError::Empty
    );
    assert_eq!(
        AttestationKeys::parse("justakey").unwrap_err(),
        KeyConfigError::Entry(1)
    );
    assert_eq!(
        AttestationKeys::parse(&format!("{KEY_A},Bad_Id:AAAA")).unwrap_err(),
        KeyConfigError::KeyId(2)
    );
    assert_eq!(
        AttestationKeys::parse(&format!("{KEY_A},{KEY_A}")).unwrap_err(),
        KeyConfigError::KeyId(2)
    );
    assert_eq!(
        AttestationKeys::parse("k:AAAA").unwrap_err(),
        KeyConfigError::Key(1)
    );
    let public_first = format!("k:public:{}", KEY_A.split(':').nth(1).unwrap());
    assert_eq!(
        AttestationKeys::parse(&public_first).unwrap_err(),
        KeyConfigError::FirstIsPublic
    );
    let message = KeyConfigError::Key(3).to_string();
    assert!(!message.contains("AAEC"), "{message}");
    assert!(!format!("{:?}", keys(KEY_A)).contains("AAEC"));
    assert_eq!(
        key_entry("2027-a", [7; 32]),
        "2027-a:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc"
    );
}

#[test]
fn a_derived_key_is_stable_and_differs_per_secret() {
    let a = AttestationKeys::derive(b"0123456789abcdef0123456789abcdef");
    let again = AttestationKeys::derive(b"0123456789abcdef0123456789abcdef");
    let other = AttestationKeys::derive(b"another secret key of 32 bytes!!");
    assert!(a.signing_key_id().starts_with("auto-"));
    assert_eq!(a.signing_key_id(), again.signing_key_id());
    assert_ne!(a.signing_key_id(), other.signing_key_id());
    let sealed = a.seal(&statement()).unwrap();
    assert!(again.verify(&sealed).is_ok());
    assert_eq!(other.verify(&sealed), Err(VerifyError::UnknownKey));
}

#[test]
fn the_statement_is_found_in_a_pdf_and_nowhere_else() {
    let sealed = keys(KEY_A).seal(&statement()).unwrap();
    let pdf = format!("%PDF-1.7\n1 0 obj << /Keywords ({sealed}) >>\nendobj\n");
    assert_eq!(
        find_in_pdf(pdf.as_bytes()).as_deref(),
        Some(sealed.as_str())
    );
    let xmp = format!("<pdf:Keywords>{sealed}</pdf:Keywords>");
    assert_eq!(
        find_in_pdf(xmp.as_bytes()).as_deref(),
        Some(sealed.as_str())
    );
    assert_eq!(find_in_pdf(b"%PDF-1.7 nothing here"), None);
    assert_eq!(find_in_pdf(b"CAISSE-ATT1:)"), None);
}

#[test]
fn children_under_16_are_on_a_parent_card() {
    assert_eq!(
        super::service::age(date!(2010 - 11 - 23), date!(2026 - 11 - 22)),
        15
    );
    assert_eq!(
        super::service::age(date!(2010 - 11 - 22), date!(2026 - 11 - 22)),
        16
    );
}
