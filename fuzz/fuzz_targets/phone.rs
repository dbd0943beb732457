//! Mobile number parsing (libphonenumber's port): never panics; a parsed number reads back
//! as itself from E.164 and from its national spelling.
#![no_main]

use caisse_domain::PhoneNumber;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(phone) = PhoneNumber::parse(raw) else {
        return;
    };
    assert!(phone.as_e164().starts_with('+'));
    let again = PhoneNumber::parse(phone.as_e164()).expect("E.164 form parses");
    assert_eq!(again.as_e164(), phone.as_e164());
    let national = PhoneNumber::parse(phone.formatted_national()).expect("national form parses");
    assert_eq!(national.as_e164(), phone.as_e164());
});
