use proptest::prelude::*;

use super::*;

const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

fn limits() -> AttachmentLimits {
    AttachmentLimits::default()
}

#[test]
fn the_kind_comes_from_the_first_bytes_only() {
    assert_eq!(AttachmentKind::sniff(PDF), Some(AttachmentKind::Pdf));
    assert_eq!(AttachmentKind::sniff(JPEG), Some(AttachmentKind::Jpeg));
    assert_eq!(AttachmentKind::sniff(PNG), Some(AttachmentKind::Png));
    for other in [
        &b"MZ\x90\x00\x03\x00\x00\x00"[..], // a Windows program
        b"\x7FELF\x02\x01\x01",             // a Linux program
        b"PK\x03\x04",                      // a zip, a .docx
        b"GIF89a",
        b" %PDF-1.4", // the signature must come first
        b"%PDF",      // cut short
        &[0xFF, 0xD8],
        &PNG[..7],
        b"",
    ] {
        assert_eq!(AttachmentKind::sniff(other), None, "{other:?}");
    }
}

#[test]
fn kinds_know_their_media_type_extension_and_french_label() {
    for kind in AttachmentKind::ALL {
        assert_eq!(
            AttachmentKind::from_content_type(kind.content_type()),
            Some(kind)
        );
    }
    assert_eq!(
        AttachmentKind::from_content_type("application/x-msdownload"),
        None
    );
    assert_eq!(AttachmentKind::Jpeg.extension(), "jpg");
    assert_eq!(AttachmentKind::Pdf.label_fr(), "PDF");
    assert!(AttachmentKind::Png.is_image() && !AttachmentKind::Pdf.is_image());
}

#[test]
fn a_good_file_passes_with_its_kind_and_tidy_name() {
    let (kind, name) = limits()
        .check_file("  Facture  pharmacie.PDF ", PDF)
        .unwrap();
    assert_eq!(kind, AttachmentKind::Pdf);
    assert_eq!(name.as_str(), "Facture pharmacie.pdf");
    assert_eq!(format!("{name:?}"), "FileName(21 chars)");
}

#[test]
fn every_refusal_has_its_reason_in_that_order() {
    let limits = limits();
    let cases: [(&str, Vec<u8>, AttachmentError); 6] = [
        (
            "../../etc/passwd",
            PDF.to_vec(),
            AttachmentError::HostileName,
        ),
        ("vide.pdf", Vec::new(), AttachmentError::Empty),
        (
            "gros.pdf",
            [PDF, &vec![b'x'; 5 * MIB + 1 - PDF.len()]].concat(),
            AttachmentError::TooLarge { max_bytes: 5 * MIB },
        ),
        (
            "facture.pdf",
            b"MZ\x90\x00 this program cannot be run in DOS mode".to_vec(),
            AttachmentError::UnsupportedKind,
        ),
        (
            "photo.jpg",
            b"not a jpeg at all".to_vec(),
            AttachmentError::UnsupportedKind,
        ),
        // A hostile name is refused before anything else is looked at.
        ("a\\b.exe", b"MZ".to_vec(), AttachmentError::HostileName),
    ];
    for (name, bytes, expected) in cases {
        assert_eq!(
            limits.check_file(name, &bytes).unwrap_err(),
            expected,
            "{name}"
        );
    }
    let exactly_the_limit = [PDF, &vec![b'x'; 5 * MIB - PDF.len()]].concat();
    assert!(limits.check_file("juste.pdf", &exactly_the_limit).is_ok());
}

#[test]
fn names_with_a_path_or_invisible_characters_are_hostile() {
    for raw in [
        "../secret.pdf",
        "..",
        "dossier/facture.pdf",
        "C:\\Users\\facture.pdf",
        "facture..pdf",
        "fac\u{0}ture.pdf",
        "facture\n.pdf",
        "facture\u{7f}.pdf",
        "photo\u{202E}gpj.exe",
        "a\u{2066}b.png",
    ] {
        assert_eq!(
            FileName::parse(raw, AttachmentKind::Pdf, &limits()),
            Err(AttachmentError::HostileName),
            "{raw:?}"
        );
    }
}

#[test]
fn names_are_tidied_and_take_the_extension_of_their_content() {
    let limits = limits();
    for (raw, kind, expected) in [
        (
            "Relevé de soins.pdf",
            AttachmentKind::Pdf,
            "Relevé de soins.pdf",
        ),
        ("scan.exe", AttachmentKind::Pdf, "scan.pdf"),
        ("IMG_2041.JPEG", AttachmentKind::Jpeg, "IMG_2041.jpeg"),
        ("IMG_2041.png", AttachmentKind::Jpeg, "IMG_2041.jpg"),
        ("capture", AttachmentKind::Png, "capture.png"),
        ("  a \u{a0}  b   c .png", AttachmentKind::Png, "a b c.png"),
        (
            "lettre d'avis (2).pdf",
            AttachmentKind::Pdf,
            "lettre d'avis (2).pdf",
        ),
        (
            "<b>alert(1)<b>.pdf",
            AttachmentKind::Pdf,
            "b_alert(1)_b.pdf",
        ),
        (
            "facture#12&13;\"x\".pdf",
            AttachmentKind::Pdf,
            "facture_12_13_x.pdf",
        ),
        (".cache.pdf", AttachmentKind::Pdf, "cache.pdf"),
        ("???.pdf", AttachmentKind::Pdf, "piece-jointe.pdf"),
        ("", AttachmentKind::Png, "piece-jointe.png"),
        (
            "rapport.final.v2.pdf",
            AttachmentKind::Pdf,
            "rapport.final.v2.pdf",
        ),
    ] {
        assert_eq!(
            FileName::parse(raw, kind, &limits).unwrap().as_str(),
            expected,
            "{raw:?}"
        );
    }
}

#[test]
fn long_names_are_cut_to_the_limit_extension_included() {
    let limits = limits();
    let name = FileName::parse(
        &format!("{}.pdf", "é".repeat(300)),
        AttachmentKind::Pdf,
        &limits,
    )
    .unwrap();
    assert_eq!(name.as_str().chars().count(), 100);
    assert!(name.as_str().ends_with("éé.pdf"));
    let short = AttachmentLimits {
        max_name_chars: 12,
        ..limits
    };
    assert_eq!(
        FileName::parse("compte rendu opératoire.pdf", AttachmentKind::Pdf, &short)
            .unwrap()
            .as_str(),
        "compte r.pdf"
    );
}

#[test]
fn the_count_stops_at_the_limit() {
    let limits = limits();
    assert!(limits.check_count(0).is_ok());
    assert!(limits.check_count(4).is_ok());
    assert_eq!(
        limits.check_count(5),
        Err(AttachmentError::TooMany { max_files: 5 })
    );
}

#[test]
fn dimensions_are_capped_by_side_and_by_pixels() {
    let limits = limits();
    assert!(limits.check_dimensions(4000, 3000).is_ok());
    assert!(limits.check_dimensions(6000, 4000).is_ok(), "exactly 24 MP");
    let too_large = Err(AttachmentError::ImageTooLarge {
        max_pixels: 24_000_000,
    });
    assert_eq!(limits.check_dimensions(6000, 4001), too_large);
    assert_eq!(limits.check_dimensions(100_000, 100_000), too_large);
    assert_eq!(limits.check_dimensions(20_001, 10), too_large);
    assert_eq!(limits.check_dimensions(u32::MAX, u32::MAX), too_large);
    assert_eq!(
        limits.check_dimensions(0, 10),
        Err(AttachmentError::UnreadableImage)
    );
}

#[test]
fn decoded_bytes_count_the_bytes_of_each_pixel() {
    let limits = limits();
    let too_large = Err(AttachmentError::ImageTooLarge {
        max_pixels: 24_000_000,
    });
    // 24 megapixels of 8-bit RGB fit, not in 16 bits nor with transparency.
    assert!(limits.check_decoded_size(6000, 4000, 3).is_ok());
    assert_eq!(limits.check_decoded_size(6000, 4000, 4), too_large);
    assert_eq!(limits.check_decoded_size(6000, 4000, 6), too_large);
    // The pentest's 6000×6000 in 16-bit RGB: 216 MB decoded.
    assert_eq!(limits.check_decoded_size(6000, 6000, 6), too_large);
    // 9.4 megapixels of 16-bit RGBA still fit.
    assert!(limits.check_decoded_size(3000, 3000, 8).is_ok());
    assert_eq!(limits.check_decoded_size(u32::MAX, 1, 8), too_large);
}

#[test]
fn refusals_name_the_file_in_french() {
    assert_eq!(
        AttachmentError::UnsupportedKind.message_fr("facture.exe"),
        "« facture.exe » n'est pas un PDF, un JPEG ou un PNG."
    );
    assert!(
        AttachmentError::TooLarge { max_bytes: 5 * MIB }
            .message_fr("scan.pdf")
            .starts_with("« scan.pdf » dépasse 5 Mo")
    );
    assert_eq!(
        AttachmentError::TooMany { max_files: 5 }.message_fr("f6.png"),
        "« f6.png » n'a pas été joint : 5 fichiers au plus par message."
    );
    assert!(
        AttachmentError::ImageTooLarge {
            max_pixels: 24_000_000
        }
        .message_fr("bombe.png")
        .contains("24 mégapixels")
    );
    assert!(
        AttachmentError::HostileName
            .message_fr("../x.pdf")
            .starts_with("Le nom du fichier « ../x.pdf » n'est pas accepté")
    );
}

#[test]
fn refused_names_are_quoted_visibly_and_briefly() {
    assert_eq!(shown_name(" facture.pdf "), "facture.pdf");
    assert_eq!(shown_name("a\u{0}b\u{202E}c"), "a\u{FFFD}b\u{FFFD}c");
    assert_eq!(shown_name("  "), "sans nom");
    let long = shown_name(&"x".repeat(200));
    assert_eq!(long.chars().count(), 60);
    assert!(long.ends_with('…'));
}

#[test]
fn sizes_read_as_french() {
    assert_eq!(size_fr(0), "0 octets");
    assert_eq!(size_fr(1), "1 octet");
    assert_eq!(size_fr(1023), "1023 octets");
    assert_eq!(size_fr(1024), "1 ko");
    assert_eq!(size_fr(348_160), "340 ko");
    assert_eq!(size_fr(1_258_291), "1,2 Mo");
    assert_eq!(size_fr(5 * MIB as u64), "5 Mo");
}

proptest! {
    #[test]
    fn a_tidy_name_is_never_hostile_never_empty_and_within_the_limit(raw in "\\PC{0,300}") {
        let limits = limits();
        if let Ok(name) = FileName::parse(&raw, AttachmentKind::Png, &limits) {
            let name = name.as_str();
            prop_assert!(!is_hostile(name));
            prop_assert!(name.ends_with(".png"));
            prop_assert!(name.len() > ".png".len());
            prop_assert!(name.chars().count() <= limits.max_name_chars);
            prop_assert!(!name.contains("  "));
            prop_assert!(!name.contains('"'));
        }
    }
}
