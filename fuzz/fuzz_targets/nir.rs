//! NIR parsing: never panics, and a parsed NIR reads back as itself in every spelling the
//! portal prints.
#![no_main]

use caisse_domain::{Nir, compute_key};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    for parsed in [Nir::parse(raw), Nir::parse_for_account(raw)] {
        let Ok(nir) = parsed else { continue };
        assert_eq!(nir.as_str().len(), 15);
        assert_eq!(Nir::parse(nir.as_str()).as_ref(), Ok(&nir));
        assert_eq!(Nir::parse(&nir.formatted()).as_ref(), Ok(&nir));
        assert_eq!(compute_key(nir.body()), Some(nir.key()));
        // Every accessor is total on a parsed value.
        let _ = (
            nir.sex(),
            nir.birth_month(),
            nir.department(),
            nir.is_born_abroad(),
        );
        assert!(
            !format!("{nir:?}").contains(nir.body()),
            "Debug must mask the NIR"
        );
    }
    let _ = compute_key(raw);
});
