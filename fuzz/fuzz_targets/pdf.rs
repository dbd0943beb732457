//! The PDF rewriting of uploaded files (`pdf_files::sanitise`, lopdf): never panics, and what
//! it writes reads back as a PDF with no action but an internal jump, no JavaScript, no
//! embedded file and no form, and rewrites again.
#![no_main]

use caisse_core::pdf_files::{keywords, load, sanitise};
use libfuzzer_sys::fuzz_target;
use lopdf::{Dictionary, Object};

/// Keys that must never survive the rewriting, wherever they are.
const FORBIDDEN_KEYS: &[&[u8]] = &[
    b"OpenAction",
    b"AA",
    b"JS",
    b"JavaScript",
    b"EmbeddedFiles",
    b"EF",
    b"AcroForm",
    b"XFA",
];

/// Action kinds other than an internal jump (ISO 32000-2, 12.6.4).
const ACTION_KINDS: &[&[u8]] = &[
    b"GoToR",
    b"GoToE",
    b"GoToDp",
    b"Launch",
    b"Thread",
    b"URI",
    b"Sound",
    b"Movie",
    b"Hide",
    b"Named",
    b"SubmitForm",
    b"ResetForm",
    b"ImportData",
    b"JavaScript",
    b"ECMAScript",
    b"SetOCGState",
    b"Rendition",
    b"Trans",
    b"GoTo3DView",
    b"RichMediaExecute",
];

fn check_dictionary(dictionary: &Dictionary) {
    for (key, value) in dictionary.iter() {
        assert!(
            !FORBIDDEN_KEYS.contains(&key.as_slice()),
            "/{} survived the rewriting",
            String::from_utf8_lossy(key)
        );
        if key.as_slice() == b"S"
            && let Ok(kind) = value.as_name()
        {
            let typed_action = dictionary
                .get(b"Type")
                .and_then(Object::as_name)
                .is_ok_and(|t| t == b"Action");
            assert!(
                !ACTION_KINDS.contains(&kind) && (!typed_action || kind == b"GoTo"),
                "an action /{} survived",
                String::from_utf8_lossy(kind)
            );
        }
        check_object(value);
    }
}

fn check_object(object: &Object) {
    match object {
        Object::Dictionary(dictionary) => check_dictionary(dictionary),
        Object::Stream(stream) => check_dictionary(&stream.dict),
        Object::Array(items) => items.iter().for_each(check_object),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = keywords(data);
    let Ok(clean) = sanitise(data) else { return };
    let document = load(&clean).expect("a rewritten PDF reads back");
    for object in document.objects.values() {
        check_object(object);
    }
    check_dictionary(&document.trailer);
    sanitise(&clean).expect("a rewritten PDF rewrites again");
});
