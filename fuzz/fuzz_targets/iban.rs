//! IBAN parsing: never panics; a parsed IBAN reads back as itself from its printed forms.
#![no_main]

use caisse_domain::Iban;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(iban) = Iban::parse(raw) else { return };
    assert_eq!(Iban::parse(iban.as_str()).as_ref(), Ok(&iban));
    assert_eq!(Iban::parse(&iban.formatted()).as_ref(), Ok(&iban));
    assert!(iban.as_str().starts_with(iban.country_code()));
    let masked = iban.masked();
    assert!(
        Iban::parse(&masked).is_err(),
        "a masked IBAN must not be usable"
    );
});
