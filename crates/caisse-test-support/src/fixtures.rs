//! Rows the suites create again and again.

use std::sync::atomic::{AtomicU32, Ordering};

use caisse_domain::{CaisseCode, Email, Nir, Sex, compute_key};
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
