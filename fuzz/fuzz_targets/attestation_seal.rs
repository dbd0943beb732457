//! The sealed statement of an attestation (the QR code's text and what `/verifier` reads
//! from a typed text or a PDF): never panics, and only texts signed by a known key verify.
#![no_main]

use caisse_core::attestations::{AttestationKeys, find_in_pdf, verify_with};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static KEYS: LazyLock<AttestationKeys> = LazyLock::new(|| AttestationKeys::derive(b"fuzz"));

fuzz_target!(|data: &[u8]| {
    let keys = KEYS.public_keys();
    if let Ok(text) = std::str::from_utf8(data) {
        // Random input never carries a signature of this key.
        assert!(verify_with(&keys, text).is_err());
        let _ = AttestationKeys::parse(text);
    }
    if let Some(found) = find_in_pdf(data) {
        assert!(found.starts_with("CAISSE-ATT1:"));
        let _ = verify_with(&keys, &found);
    }
});
