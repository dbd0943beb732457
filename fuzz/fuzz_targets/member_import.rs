//! The member file (CSV) an operator imports: never panics, whatever the bytes; every
//! problem is reported on a line of the file.
#![no_main]

use caisse_core::member_import;
use libfuzzer_sys::fuzz_target;
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = member_import::parse(data, date!(2026 - 12 - 05)) else {
        return;
    };
    let lines = data.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    for error in &parsed.errors {
        assert!(
            error.line >= 1 && error.line <= lines,
            "line {} of {lines}",
            error.line
        );
    }
    let _ = member_import::error_report(&parsed.errors, 20);
});
