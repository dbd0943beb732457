use caisse_pdf::{Block, Document as PdfDocument, FileInfo, HeadingLevel, Sender};
use caisse_test_support::files::{
    HOSTILE_PDF_MARKERS, HOSTILE_PDF_TEXT, contains, hostile_pdf, pdf,
};
use caisse_test_support::pdf::checked_text;

use super::*;

/// Names of active or hidden content that no sanitised file may hold.
const ACTIVE_NAMES: &[&str] = &[
    "/JavaScript",
    "/JS",
    "/Launch",
    "/URI",
    "/OpenAction",
    "/AA",
    "/EmbeddedFile",
    "/EF",
    "/XFA",
    "/AcroForm",
    "/FileAttachment",
    "<html",
];

/// A PDF of the portal's own making (krilla: object streams, compressed cross-references),
/// with a keyword.
fn portal_pdf() -> Vec<u8> {
    let document = PdfDocument {
        title: "Relevé".to_owned(),
        sender: Sender {
            organisation: "CPAM de test".to_owned(),
            address_lines: vec!["1 rue de la Paix".to_owned(), "75002 PARIS".to_owned()],
            phone: "36 46".to_owned(),
            website: "portail.example.fr".to_owned(),
        },
        blocks: vec![Block::Heading {
            level: HeadingLevel::Title,
            text: "Relevé de remboursements".to_owned(),
        }],
    };
    caisse_pdf::render_documents_with(
        "Relevé",
        &[document],
        &FileInfo {
            keywords: vec!["CAISSE-ATT1:ABCDEF234567".to_owned()],
            ..FileInfo::default()
        },
    )
    .unwrap()
}

#[test]
fn a_hostile_pdf_loses_every_active_and_hidden_part_and_keeps_its_page() {
    let hostile = hostile_pdf();
    for marker in HOSTILE_PDF_MARKERS {
        assert!(
            contains(&hostile, marker.as_bytes()),
            "the test file holds {marker}"
        );
    }
    assert!(
        checked_text(&hostile).contains(HOSTILE_PDF_TEXT),
        "the test file is a valid PDF"
    );
    let clean = sanitise(&hostile).unwrap();
    for marker in HOSTILE_PDF_MARKERS {
        assert!(!contains(&clean, marker.as_bytes()), "{marker} is gone");
    }
    for name in ACTIVE_NAMES {
        assert!(!contains(&clean, name.as_bytes()), "{name} is gone");
    }
    assert!(!contains(&clean, b"Julien Martin"), "the author is gone");
    assert!(clean.starts_with(b"%PDF-"));
    assert!(clean.trim_ascii_end().ends_with(b"%%EOF"));
    assert!(
        checked_text(&clean).contains(HOSTILE_PDF_TEXT),
        "the page is kept"
    );
}

#[test]
fn a_clean_pdf_still_opens_with_its_text() {
    let clean = sanitise(&portal_pdf()).unwrap();
    assert!(checked_text(&clean).contains("Relevé de remboursements"));
    assert!(sanitise(&pdf()).is_ok(), "the smallest PDF too");
}

#[test]
fn what_is_not_a_pdf_is_refused() {
    for broken in [
        &b"%PDF-1.7\nnot a pdf at all"[..],
        b"%PDF-",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
    ] {
        assert_eq!(sanitise(broken), Err(PdfError::Unreadable), "{broken:?}");
    }
}

#[test]
fn the_keywords_are_read_where_the_portal_writes_them() {
    assert_eq!(
        keywords(&portal_pdf()).unwrap().as_deref(),
        Some("CAISSE-ATT1:ABCDEF234567")
    );
    assert_eq!(keywords(&pdf()).unwrap(), None);
    assert_eq!(keywords(b"CAISSE-ATT1:ABCDEF"), Err(PdfError::Unreadable));
}

#[test]
fn a_pdf_whose_pages_would_be_lost_is_refused_not_stored_empty() {
    // Found by the `pdf` fuzz target: the catalogue is found on loading, but nothing it
    // points to survives the rewriting, which wrote a PDF without a single object.
    let lost = include_bytes!("lost_pages.pdf");
    assert_eq!(sanitise(lost), Err(PdfError::Unreadable));
}

#[test]
fn what_the_sanitiser_writes_can_be_sanitised_again() {
    for original in [hostile_pdf(), pdf(), portal_pdf()] {
        let once = sanitise(&original).unwrap();
        let twice = sanitise(&once).unwrap();
        assert_eq!(
            load(&twice).unwrap().get_pages().len(),
            load(&original).unwrap().get_pages().len()
        );
    }
}

#[test]
fn an_action_is_removed_whatever_else_its_dictionary_holds_and_wherever_it_is() {
    // Found by the `pdf` fuzz target: an action with an extra `/Subtype`, referenced from a
    // link (a reader goes by `/S` alone), and a `/JS` key outside any action.
    use lopdf::{Document, Object, Stream, dictionary};
    let mut document = Document::with_version("1.7");
    let pages_id = document.new_object_id();
    let script = document.add_object(dictionary! {
        "S" => "JavaScript",
        "Subtype" => "Hidden",
        "JS" => Object::string_literal("app.alert('CAISSE-SUBTYPE-JS')"),
    });
    let link = document.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Link",
        "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
        "A" => script,
        "JS" => Object::string_literal("CAISSE-STRAY-JS"),
    });
    let content = document.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
    let page = document.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content,
        "Annots" => vec![link.into()],
    });
    document.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();

    let clean = sanitise(&bytes).unwrap();
    for marker in ["CAISSE-SUBTYPE-JS", "CAISSE-STRAY-JS", "/JavaScript", "/JS"] {
        assert!(!contains(&clean, marker.as_bytes()), "{marker} survived");
    }
    assert_eq!(load(&clean).unwrap().get_pages().len(), 1);
}

#[test]
fn no_active_key_survives_anywhere_in_the_rewritten_file() {
    // Found by the `pdf` fuzz target: a form kept after the rewriting.
    // It was in the trailer, where the recovery of a damaged file had put the catalogue's keys.
    let original = include_bytes!("form_survives.pdf");
    let clean = sanitise(original).unwrap();
    let written = load(&clean).unwrap();
    let mut holders = Vec::new();
    for (id, object) in &written.objects {
        if format!("{object:?}").contains("AcroForm") {
            holders.push(format!("{id:?}: {object:?}"));
        }
    }
    if format!("{:?}", written.trailer).contains("AcroForm") {
        holders.push(format!("trailer: {:?}", written.trailer));
    }
    assert!(holders.is_empty(), "{holders:#?}");
}

#[test]
fn a_file_whose_page_tree_points_nowhere_is_refused() {
    // Found by the `pdf` fuzz target: the page tree's only entry pointed to no object after
    // the rewriting (lopdf still counted it as a page); the file written had no page and was
    // refused when sanitised again.
    let broken = include_bytes!("dangling_page.pdf");
    assert_eq!(sanitise(broken), Err(PdfError::Unreadable));
}
