//! PDFs that members and visitors send, read with `lopdf`: rewritten without what a reader
//! could run or hide ([`sanitise`]), and the keywords of an attestation ([`keywords`]).
//!
//! A PDF is never stored as received: it is parsed and written anew, which drops whatever
//! lies outside its objects (anything before `%PDF-` or after the last `%%EOF`, comments:
//! what makes a PDF/HTML polyglot) and every object nothing references. Before writing, the
//! sanitiser removes:
//! - actions run on opening or on events: the catalogue's `/OpenAction`, every `/AA`
//!   (additional actions) of the catalogue, pages, annotations and fields;
//! - every action but an internal `/GoTo` (links within the document): `/JavaScript`,
//!   `/Launch`, `/URI`, `/SubmitForm`, `/ImportData`, `/GoToR`, `/GoToE`, `/Rendition`…;
//! - JavaScript and embedded files of the name tree (`/Names` → `/JavaScript`,
//!   `/EmbeddedFiles`), embedded file streams (`/EF` of file specifications) and file
//!   attachment annotations;
//! - forms: `/AcroForm` (with its `/XFA`) and the widget annotations of its fields, and
//!   multimedia annotations (`/Screen`, `/Movie`, `/Sound`, `/RichMedia`, `/3D`);
//! - the document information (`/Info`: author, software) and the XMP `/Metadata` of the
//!   catalogue: the member's, like an image's EXIF;
//! - from the trailer, every key but `/Root`, `/Size` and `/ID`.
//!
//! A PDF that does not parse, or that is protected by a password, is refused: the caller
//! names the file. Parsing is bounded: no stream may inflate past 16 MiB while loading.

use lopdf::{Dictionary, Document, LoadOptions, Object};

/// Largest size a stream may inflate to while a PDF loads (object and cross-reference
/// streams): far above a real document's, far below a bomb's.
const MAX_INFLATED_STREAM: usize = 16 * 1024 * 1024;

/// Why a PDF was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// It does not parse as a PDF (or a stream would inflate past the limit).
    #[error("the PDF cannot be read")]
    Unreadable,
    /// It needs a password to be read.
    #[error("the PDF is protected by a password")]
    Protected,
}

/// Actions a reader may follow without running anything: a jump within the document.
const HARMLESS_ACTIONS: &[&[u8]] = &[b"GoTo"];

/// Every other action kind of the PDF specification (ISO 32000-2, 12.6.4), with the ones of
/// extensions: removed wherever they are.
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

/// Keys that carry a program, a file or a form wherever they appear: removed from every
/// dictionary, not only where the specification puts them.
const ACTIVE_KEYS: &[&[u8]] = &[
    b"AA",
    b"OpenAction",
    b"JS",
    b"JavaScript",
    b"EmbeddedFiles",
    b"EF",
    b"RF",
    b"XFA",
    b"AcroForm",
];

/// What a rewritten file's trailer keeps: the catalogue, the object count and the file's id.
const TRAILER_KEYS: &[&[u8]] = &[b"Root", b"Size", b"ID"];

/// Annotations that carry a program, a file, a form or media: removed with their content.
const ACTIVE_ANNOTATIONS: &[&[u8]] = &[
    b"FileAttachment",
    b"Widget",
    b"Screen",
    b"Movie",
    b"Sound",
    b"RichMedia",
    b"3D",
];

/// Parses `bytes` as a PDF, bounded.
///
/// # Errors
/// [`PdfError::Protected`] for a file that needs a password, [`PdfError::Unreadable`]
/// otherwise.
pub fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_INFLATED_STREAM),
        ..LoadOptions::default()
    };
    let document =
        Document::load_mem_with_options(bytes, options).map_err(|error| match error {
            lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => PdfError::Protected,
            _ => PdfError::Unreadable,
        })?;
    if document.is_encrypted() {
        return Err(PdfError::Protected);
    }
    Ok(document)
}

/// Returns `bytes` rewritten without active or hidden content (see the module
/// documentation).
///
/// # Errors
/// [`PdfError`] for a PDF that does not parse or needs a password.
pub fn sanitise(bytes: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut document = load(bytes)?;
    let pages = document.get_pages().len();
    // The trailer keeps what locates the document and nothing else: `/Encrypt` (decrypted on
    // loading, an empty password: written in clear), `/Info`, and whatever a damaged file's
    // recovery put there (a catalogue's `/AcroForm`, found by the `pdf` fuzz target) go.
    document
        .trailer
        .as_hashmap_mut()
        .retain(|key, _| TRAILER_KEYS.contains(&key.as_slice()));
    let catalog = document.catalog_mut().map_err(|_| PdfError::Unreadable)?;
    for key in [&b"OpenAction"[..], b"AA", b"AcroForm", b"Metadata", b"URI"] {
        catalog.remove(key);
    }
    if let Ok(Object::Dictionary(names)) = catalog.get_mut(b"Names") {
        names.remove(b"JavaScript");
        names.remove(b"EmbeddedFiles");
    }
    for object in document.objects.values_mut() {
        clean(object);
    }
    document.prune_objects();
    document.renumber_objects();
    let mut out = Vec::new();
    document
        .save_to(&mut out)
        .map_err(|_| PdfError::Unreadable)?;
    // What is stored must open with every page: a file whose catalogue or pages were lost on
    // the way (a catalogue pointing nowhere readable) is refused rather than kept broken.
    // Every page must be one: lopdf counts a page-tree entry that points nowhere, and such a
    // file (found by the `pdf` fuzz target) lost its page, and would not rewrite again.
    let written = load(&out)?;
    if written.catalog().is_err() || intact_pages(&written) != Some(pages) {
        return Err(PdfError::Unreadable);
    }
    Ok(out)
}

/// The number of pages of `document` when every entry of its page tree is a page dictionary.
fn intact_pages(document: &Document) -> Option<usize> {
    let pages = document.get_pages();
    pages
        .values()
        .all(|id| {
            document
                .get_dictionary(*id)
                .is_ok_and(|page| page.has_type(b"Page"))
        })
        .then_some(pages.len())
}

/// Cleans one object and everything it holds directly.
fn clean(object: &mut Object) {
    match object {
        Object::Dictionary(dictionary) => clean_dictionary(dictionary),
        Object::Stream(stream) => clean_dictionary(&mut stream.dict),
        Object::Array(items) => items.iter_mut().for_each(clean),
        _ => {}
    }
}

fn clean_dictionary(dictionary: &mut Dictionary) {
    for key in ACTIVE_KEYS {
        dictionary.remove(key);
    }
    // An action dictionary: keep only the harmless kinds, emptied of anything else.
    if is_active_action(dictionary) {
        dictionary.remove(b"S");
        dictionary.remove(b"JS");
        dictionary.remove(b"F");
        dictionary.remove(b"URI");
        dictionary.remove(b"Next");
        dictionary.set("S", Object::Name(b"GoTo".to_vec()));
        dictionary.set("D", Object::Array(Vec::new()));
    }
    if let Ok(Object::Dictionary(action)) = dictionary.get(b"A")
        && is_active_action(action)
    {
        dictionary.remove(b"A");
    }
    // Active annotations are emptied of what they carry and hidden (file specifications
    // lost their embedded streams above).
    if dictionary
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|subtype| ACTIVE_ANNOTATIONS.contains(&subtype))
    {
        for key in [
            &b"FS"[..],
            b"Parent",
            b"Kids",
            b"V",
            b"AP",
            b"RichMediaContent",
        ] {
            dictionary.remove(key);
        }
        dictionary.set("Subtype", Object::Name(b"Text".to_vec()));
        // Hidden (bit 2) and no view (bit 6).
        dictionary.set("F", Object::Integer(2 | 32));
    }
    for (_, value) in dictionary.iter_mut() {
        clean(value);
    }
}

/// True for an action other than a jump within the document: a dictionary typed `/Action`,
/// or whose `/S` names one of the PDF action kinds, whatever else it holds (a reader goes by
/// `/S` alone, so an extra `/Subtype` or `/Type` must not hide an action).
fn is_active_action(dictionary: &Dictionary) -> bool {
    let Ok(kind) = dictionary.get(b"S").and_then(Object::as_name) else {
        return false;
    };
    !HARMLESS_ACTIONS.contains(&kind)
        && (dictionary.has_type(b"Action") || ACTION_KINDS.contains(&kind))
}

/// The keywords of a PDF's document information (`/Info` → `/Keywords`), as text: where the
/// portal writes an attestation's signed statement. `None` when the file has none.
///
/// # Errors
/// [`PdfError`] for a file that is not a readable PDF.
pub fn keywords(bytes: &[u8]) -> Result<Option<String>, PdfError> {
    let document = load(bytes)?;
    let info = match document.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => document.get_object(*id).ok(),
        Ok(direct) => Some(direct),
        Err(_) => None,
    };
    let keywords = info
        .and_then(|info| info.as_dict().ok())
        .and_then(|info| info.get(b"Keywords").ok())
        .and_then(|value| value.as_str().ok())
        .map(|raw| lopdf::decode_text_string(&Object::string_literal(raw)))
        .and_then(Result::ok);
    Ok(keywords)
}

#[cfg(test)]
mod tests;
