//! Rows the suites create again and again.

use std::sync::atomic::{AtomicU32, Ordering};

use caisse_domain::{CaisseCode, Email, Iban, Nir, PhoneNumber, Sex, compute_key};
use caisse_store::members::NewMember;
use time::macros::date;

/// A valid NIR of a man born in May 1985 in the Yvelines, different at each call in the
/// process (up to 989,010 of them): for suites that need many members.
pub fn next_nir() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed) % 989_010;
    let body = format!("1850578{:03}{:03}", 1 + n / 999, 1 + n % 999);
    let key = compute_key(&body).expect("a 13-character body");
    format!("{body}{key:02}")
}

/// A member of fund `caisse` (Alex TEST, born 14/05/1985, in Versailles) with the NIR `nir`
/// and the email `email`, if any; no phone, no bank details. Panics on a value that does not
/// parse: the suites pass their own constants.
pub fn new_member(nir: &str, caisse: &str, email: Option<&str>) -> NewMember {
    NewMember {
        nir: Nir::parse(nir).expect("a test NIR"),
        last_name: "TEST".to_owned(),
        usage_name: None,
        first_name: "Alex".to_owned(),
        birth_date: date!(1985 - 05 - 14),
        sex: Sex::Male,
        caisse_code: CaisseCode::parse(caisse).expect("a test fund code"),
        vitale_serial: None,
        address_line1: "1 rue Haute".to_owned(),
        address_line2: None,
        postal_code: "78000".to_owned(),
        city: "VERSAILLES".to_owned(),
        email: email.map(|e| Email::parse(e).expect("a test email address")),
        phone: None,
        iban: None,
    }
}

/// The demo member Julien MARTIN's personal data, as the demo data holds it.
pub mod julien {
    /// His NIR.
    pub const NIR: &str = "185057800608491";
    /// His email address.
    pub const EMAIL: &str = "julien.martin@exemple.fr";
    /// His mobile number.
    pub const PHONE: &str = "+33612345678";
    /// His bank details.
    pub const IBAN: &str = "FR7630006000011234567890189";
}

/// Every spelling of Julien's personal data a `Debug` could show: NIR (plain, formatted,
/// body), email (and its local part), mobile (E.164, national, digits), IBAN (plain,
/// formatted, account digits).
pub fn julien_spellings() -> Vec<String> {
    let nir = Nir::parse(julien::NIR).expect("the demo NIR");
    let phone = PhoneNumber::parse(julien::PHONE).expect("the demo mobile");
    let iban = Iban::parse(julien::IBAN).expect("the demo IBAN");
    vec![
        julien::NIR.to_owned(),
        nir.formatted(),
        nir.body().to_owned(),
        julien::EMAIL.to_owned(),
        "julien.martin".to_owned(),
        julien::PHONE.to_owned(),
        phone.formatted_national().to_owned(),
        "612345678".to_owned(),
        julien::IBAN.to_owned(),
        iban.formatted(),
        "1234567890189".to_owned(),
    ]
}

/// Panics when a `Debug` text holds one of Julien's [`julien_spellings`].
pub fn assert_no_personal_data(texts: &[String]) {
    let spellings = julien_spellings();
    for text in texts {
        for spelling in &spellings {
            assert!(
                !text.contains(spelling.as_str()),
                "personal data in a Debug: {text}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "personal data in a Debug")]
    fn the_check_catches_a_plain_debug() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Leaky {
            email: &'static str,
        }
        assert_no_personal_data(&[format!(
            "{:?}",
            Leaky {
                email: julien::EMAIL
            }
        )]);
    }

    #[test]
    fn the_check_lets_a_masked_debug_pass() {
        let email = Email::parse(julien::EMAIL).unwrap();
        assert_no_personal_data(&[format!("{email:?}")]);
    }

    #[test]
    fn numbered_nirs_are_valid_and_distinct() {
        let (a, b) = (next_nir(), next_nir());
        assert_ne!(a, b);
        assert!(Nir::parse(&a).is_ok() && Nir::parse(&b).is_ok());
    }
}
