//! The certificat provisoire de remplacement of the CEAM, read back with the PDF tools: its
//! text against the golden file, every field of the card with its European number, and one
//! valid tagged A4 page.
//!
//! Regenerate the golden file after a deliberate change of wording or layout with
//! `UPDATE_GOLDEN=1 cargo test -p caisse-pdf --test ceam_certificate`, then review the diff.

mod support;

use caisse_pdf::{ProvisionalReplacementCertificate, render_ceam_certificate};
use support::{
    assert_golden, checked_info, collapse, layout_text, page_count, path_str, run, sender,
    tagged_text, tagged_words, write_pdf,
};
use time::macros::date;

/// The certificate of the golden file: change it only with the golden file.
fn certificate() -> ProvisionalReplacementCertificate {
    ProvisionalReplacementCertificate {
        sender: sender(),
        last_name: "WEBER".to_owned(),
        given_names: "Léa Marie".to_owned(),
        birth_date: date!(2012 - 06 - 04),
        personal_identification_number: "2 12 06 67 482 031 47".to_owned(),
        institution_name: "CPAM du Bas-Rhin".to_owned(),
        institution_code: "01671".to_owned(),
        card_identification: "80250 00001 98765 43210".to_owned(),
        valid_from: date!(2026 - 12 - 05),
        valid_to: date!(2027 - 03 - 04),
        issued_on: date!(2026 - 12 - 05),
    }
}

#[test]
fn the_certificate_text_matches_the_golden_file() {
    let pdf = render_ceam_certificate(&certificate()).unwrap();
    let text = layout_text(&write_pdf("ceam_golden", &pdf));

    assert_golden("ceam_certificate.txt", &text);
}

#[test]
fn every_field_of_the_card_is_printed_with_its_european_number() {
    let pdf = render_ceam_certificate(&certificate()).unwrap();
    let words = tagged_words(&write_pdf("ceam_fields", &pdf));
    for field in [
        "3. Nom WEBER",
        "4. Prénoms Léa Marie",
        "5. Date de naissance 04/06/2012",
        "6. Numéro d’identification personnel 2 12 06 67 482 031 47",
        "7. Numéro d’identification de l’institution 01671 - CPAM du Bas-Rhin",
        "8. Numéro d’identification de la carte 80250 00001 98765 43210",
        "9. Date d’expiration 04/03/2027",
        "Date de délivrance du certificat 05/12/2026",
        "Période de validité du certificat du 05/12/2026 au 04/03/2027",
    ] {
        assert!(
            words.contains(&collapse(field)),
            "« {field} » missing in:\n{words}"
        );
    }
    let text = tagged_text(&write_pdf("ceam_words", &pdf));
    assert!(
        text.contains(
            "Ce certificat remplace provisoirement la carte européenne d’assurance maladie"
        ),
        "{text}"
    );
}

#[test]
fn the_certificate_is_one_valid_tagged_a4_page() {
    let pdf = render_ceam_certificate(&certificate()).unwrap();
    let path = write_pdf("ceam_check", &pdf);

    let (info, field) = checked_info(&path);
    assert_eq!(page_count(&path), 1, "{info}");
    assert_eq!(field("Page size:"), "595.276 x 841.89 pts (A4)", "{info}");
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert_eq!(
        field("Title:"),
        "Certificat provisoire de remplacement de la CEAM",
        "{info}"
    );
    let tree = run("pdfinfo", &["-struct", path_str(&path)]);
    let tags: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|t| t.trim_end_matches(':'))
        .collect();
    for tag in ["H1", "H2", "P", "Table", "TH", "TD", "L", "LI"] {
        assert!(
            tags.contains(&tag),
            "no {tag} in the structure tree:\n{tree}"
        );
    }
}

#[test]
fn long_names_still_fit_on_one_page() {
    let long = ProvisionalReplacementCertificate {
        last_name: "VAN DER BERGHE-MONTMORENCY DE LA TOUR D’AUVERGNE".to_owned(),
        given_names: "Marie-Christine Anne-Sophie Geneviève Éléonore".to_owned(),
        institution_name: "Caisse générale de sécurité sociale de la Martinique".to_owned(),
        ..certificate()
    };
    let pdf = render_ceam_certificate(&long).unwrap();
    assert_eq!(page_count(&write_pdf("ceam_long", &pdf)), 1);
}

#[test]
fn debug_hides_the_holder() {
    let shown = format!("{:?}", certificate());
    for hidden in ["WEBER", "Léa", "482", "98765", "2012"] {
        assert!(!shown.contains(hidden), "{hidden} in {shown}");
    }
}
