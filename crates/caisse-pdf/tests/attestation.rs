//! The attestations, read back with the PDF tools: text against the golden file with every
//! field of domain.md §9.1, a valid tagged A4 file, the QR code as a Figure with its
//! alternative text, and the signed statement readable from the metadata.
//!
//! Regenerate the golden file after a deliberate change of wording or layout with
//! `UPDATE_GOLDEN=1 cargo test -p caisse-pdf --test attestation`, then review the diff.

mod support;

use std::path::PathBuf;

use caisse_pdf::{
    AttestationKind, Block, Document, PdfError, render_attestation, render_documents,
};
use support::{
    SAMPLE_QR, collapse, layout_text, page_count, path_str, run, sample_attestation, sender,
    tagged_words, write_pdf,
};

#[test]
fn the_attestation_text_matches_the_golden_file() {
    let pdf = render_attestation(&sample_attestation()).unwrap();
    let text = layout_text(&write_pdf("attestation-golden", &pdf));
    let golden =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/attestation_droits.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&golden, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden)
        .expect("tests/golden/attestation_droits.txt exists (UPDATE_GOLDEN=1 writes it)");
    assert!(
        text == expected,
        "the attestation's text changed; if on purpose, rerun with UPDATE_GOLDEN=1 and review \
         the diff.\n--- expected\n{expected}\n--- got\n{text}"
    );
}

#[test]
fn every_field_of_the_attestation_de_droits_is_printed() {
    let pdf = render_attestation(&sample_attestation()).unwrap();
    let text = tagged_words(&write_pdf("attestation-fields", &pdf));
    // domain.md §9.1: the insured person (name, usage name, birth date, NIR), the period, the
    // fund and its code, the régime and code de gestion, the beneficiaries with birth date,
    // rank and declared doctor, the exemptions with nature, rate and period, the régime local
    // (90 %) and the C2S; then the issue date and how to verify.
    for field in [
        "Nom WEBER (nom d’usage : KLEIN)",
        "Prénom Sophie",
        "Date de naissance 21/12/1982",
        "Numéro de sécurité sociale (NIR) 2 82 12 67 482 023 55",
        "Période de validité du 22/11/2026 au 21/11/2027",
        "Organisme de rattachement CPAM du Bas-Rhin (code 01 671)",
        "Régime Régime général (01)",
        "Code de gestion 10",
        "Nom et prénom Né(e) le Rang Médecin traitant Exonération",
        "Sophie KLEIN 21/12/1982 01 déclaré ALD à 100 %, du 01/03/2024 au 28/02/2029",
        "Emma WEBER 04/06/2012 02 non déclaré aucune",
        "Régime local d’Alsace-Moselle oui, honoraires pris en charge à 90 %",
        "Complémentaire santé solidaire sans participation financière, du 01/04/2026 au \
         31/03/2027",
        "7K3M-Q9TX-2BCF",
        "éditée le 22 novembre 2026",
        "https://portail.example.fr/verifier",
    ] {
        assert!(
            text.contains(&collapse(field)),
            "« {field} » missing in:\n{text}"
        );
    }
}

#[test]
fn the_attestation_is_one_valid_tagged_a4_page_with_a_described_qr_code() {
    let pdf = render_attestation(&sample_attestation()).unwrap();
    let path = write_pdf("attestation-check", &pdf);
    let check = run("qpdf", &["--check", path_str(&path)]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    assert_eq!(page_count(&path), 1);

    let info = run("pdfinfo", &[path_str(&path)]);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Attestation de droits à l’assurance maladie"),
        "{info}"
    );
    let fonts = run("pdffonts", &[path_str(&path)]);
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "every font embedded:\n{fonts}"
    );

    let structure = run("pdfinfo", &["-struct", path_str(&path)]);
    assert!(structure.contains("Figure"), "{structure}");
    assert!(structure.contains("Table"), "{structure}");
    let figures = structure.matches("Figure").count();
    assert_eq!(figures, 1, "{structure}");
}

#[test]
fn the_signed_statement_is_in_the_metadata_uncompressed() {
    let pdf = render_attestation(&sample_attestation()).unwrap();
    let haystack = String::from_utf8_lossy(&pdf);
    assert!(
        haystack.contains(SAMPLE_QR),
        "the QR data is readable in the raw file"
    );
    let info = run("pdfinfo", &[path_str(&write_pdf("attestation-meta", &pdf))]);
    assert!(info.contains("CAISSE-ATT1:"), "{info}");
}

#[test]
fn the_carte_vitale_attestation_prints_the_serial_number() {
    let mut attestation = sample_attestation();
    attestation.kind = AttestationKind::CarteVitale {
        serial: Some("674820042".to_owned()),
    };
    let pdf = render_attestation(&attestation).unwrap();
    let text = tagged_words(&write_pdf("attestation-vitale", &pdf));
    assert!(text.contains("Attestation de carte Vitale"), "{text}");
    assert!(
        text.contains("Numéro de série de la carte 674820042"),
        "{text}"
    );
    assert!(text.contains("Exonération"), "{text}");
}

#[test]
fn without_mentions_the_attestation_says_so_and_holds_no_health_data() {
    let mut attestation = sample_attestation();
    attestation.mentions = None;
    let pdf = render_attestation(&attestation).unwrap();
    let text = tagged_words(&write_pdf("attestation-plain", &pdf));
    assert!(text.contains("sans les mentions complémentaires"), "{text}");
    assert!(!text.contains("ALD"), "{text}");
    assert!(
        !text.contains("Complémentaire santé solidaire sans"),
        "{text}"
    );
}

#[test]
fn a_qr_code_without_alternative_text_is_refused() {
    let document = Document {
        title: "QR".to_owned(),
        sender: sender(),
        blocks: vec![Block::QrCode {
            data: "CAISSE".to_owned(),
            alt_text: "  ".to_owned(),
            caption: vec![],
        }],
    };
    assert_eq!(
        render_documents("QR", &[document]),
        Err(PdfError::MissingAltText)
    );
    let too_long = Document {
        title: "QR".to_owned(),
        sender: sender(),
        blocks: vec![Block::QrCode {
            data: "A".repeat(5000),
            alt_text: "Code".to_owned(),
            caption: vec![],
        }],
    };
    assert_eq!(
        render_documents("QR", &[too_long]),
        Err(PdfError::QrCodeTooLong)
    );
}
