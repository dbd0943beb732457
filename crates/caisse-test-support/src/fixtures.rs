//! Rows the suites create again and again.

use caisse_store::members::NewMember;
use time::macros::date;

/// A member of fund `caisse` (Alex TEST, born 14/05/1985, in Versailles) with the NIR `nir`
/// and the email `email`, if any; no phone, no bank details.
pub fn new_member(nir: &str, caisse: &str, email: Option<&str>) -> NewMember {
    NewMember {
        nir: nir.to_owned(),
        last_name: "TEST".to_owned(),
        usage_name: None,
        first_name: "Alex".to_owned(),
        birth_date: date!(1985 - 05 - 14),
        sex: "1".to_owned(),
        caisse_code: caisse.to_owned(),
        vitale_serial: None,
        address_line1: "1 rue Haute".to_owned(),
        address_line2: None,
        postal_code: "78000".to_owned(),
        city: "VERSAILLES".to_owned(),
        email: email.map(str::to_owned),
        phone: None,
        iban: None,
    }
}
