//! An uploaded file's first checks (name, size, kind by its first bytes) and the tidied
//! name: never panics; an accepted name is never hostile and tidying it again changes
//! nothing.
#![no_main]

use caisse_domain::messaging::attachment::{AttachmentKind, AttachmentLimits, FileName};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &[u8])| {
    let (name, bytes) = input;
    let limits = AttachmentLimits::default();
    match limits.check_file(name, bytes) {
        Ok((kind, tidy)) => {
            assert_eq!(AttachmentKind::sniff(bytes), Some(kind));
            let shown = tidy.as_str();
            assert!(!shown.contains(['/', '\\', '\0']) && !shown.contains(".."));
            assert!(!shown.chars().any(char::is_control));
            assert!(shown.ends_with(kind.extension()) || shown.ends_with(".jpeg"));
            assert!(shown.chars().count() <= limits.max_name_chars);
            let again = FileName::parse(shown, kind, &limits).expect("a tidied name parses");
            assert_eq!(again.as_str(), shown);
        }
        Err(error) => {
            let _ = error.message_fr(name);
        }
    }
    for kind in AttachmentKind::ALL {
        let _ = FileName::parse(name, kind, &limits);
    }
});
