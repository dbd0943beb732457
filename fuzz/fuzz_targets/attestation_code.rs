//! The 12-character attestation short code: never panics; one changed character is always
//! refused (the Luhn mod 32 check catches every single substitution).
#![no_main]

use caisse_domain::AttestationCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, [u8; 7], u8, u8)| {
    let (raw, random, position, replacement) = input;
    if let Ok(code) = AttestationCode::parse(raw) {
        assert_eq!(AttestationCode::parse(code.as_str()).as_ref(), Ok(&code));
    }
    let code = AttestationCode::from_random(random);
    assert_eq!(AttestationCode::parse(code.as_str()).as_ref(), Ok(&code));
    // Change one character of the canonical spelling (without its dashes) to another one.
    let compact: Vec<char> = code.as_str().chars().filter(|c| *c != '-').collect();
    let at = usize::from(position) % compact.len();
    let alphabet: Vec<char> = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".chars().collect();
    let new = alphabet[usize::from(replacement) % alphabet.len()];
    if new != compact[at] {
        let mut changed = compact.clone();
        changed[at] = new;
        let changed: String = changed.into_iter().collect();
        assert!(
            AttestationCode::parse(&changed).is_err(),
            "one changed character must be refused"
        );
    }
});
