//! The provisional-code letter, read back with the PDF tools: its text against the golden
//! file, and the file itself (valid, A4, tagged, titled, fonts embedded).
//!
//! Regenerate the golden file after a deliberate change of wording or layout with
//! `UPDATE_GOLDEN=1 cargo test -p caisse-pdf --test letters`, then review the diff.

mod support;

use caisse_pdf::{CodePurpose, PdfError, ProvisionalCodeLetter, Sender, render_letters};
use support::{
    assert_golden, checked_info, layout_text, page_count, path_str, run, sample_letter,
    tagged_text, write_pdf,
};

#[test]
fn the_letter_text_matches_the_golden_file() {
    let pdf = render_letters(&[sample_letter()]).unwrap();
    let text = layout_text(&write_pdf("golden", &pdf));

    assert_golden("provisional_code_letter.txt", &text);
}

fn batch_of_three() -> Vec<ProvisionalCodeLetter> {
    let second = ProvisionalCodeLetter {
        code: "P3RW-77HC".to_owned(),
        purpose: CodePurpose::Recovery,
        salutation_name: String::new(),
        recipient_lines: vec![
            "Monsieur Jean-Luc SCHMITT".to_owned(),
            "Appartement 12, bâtiment B".to_owned(),
            "3 place de l’Étoile".to_owned(),
            "67100 STRASBOURG".to_owned(),
        ],
        ..sample_letter()
    };
    let third = ProvisionalCodeLetter {
        code: "ZZ9A-4BQE".to_owned(),
        purpose: CodePurpose::Reactivation,
        sender: Sender {
            organisation: "Caisse générale de sécurité sociale de la Martinique".to_owned(),
            address_lines: vec!["Place d’Armes".to_owned(), "97210 LE LAMENTIN".to_owned()],
            phone: "0596 00 00 00".to_owned(),
            website: "www.example.mq".to_owned(),
        },
        ..sample_letter()
    };
    vec![sample_letter(), second, third]
}

#[test]
fn a_batch_of_three_letters_is_a_valid_tagged_a4_pdf_with_embedded_fonts() {
    let pdf = render_letters(&batch_of_three()).unwrap();
    let path = write_pdf("batch", &pdf);

    let (info, field) = checked_info(&path);
    assert!(page_count(&path) >= 3, "{info}");
    assert_eq!(field("Page size:"), "595.276 x 841.89 pts (A4)", "{info}");
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert_eq!(
        field("Title:"),
        "Codes provisoires : lot de 3 courriers",
        "{info}"
    );

    let fonts = run("pdffonts", &[path_str(&path)]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "regular and bold: {fonts}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert!(row.contains("DejaVuSans"), "{fonts}");
        // name, type (2 words), encoding, then emb sub uni.
        assert_eq!(&columns[4..7], ["yes", "yes", "yes"], "{fonts}");
    }
}

#[test]
fn each_letter_of_a_batch_starts_on_a_new_page_with_its_own_sender() {
    let letters = batch_of_three();
    let pdf = render_letters(&letters).unwrap();
    let path = write_pdf("pages", &pdf);
    let text = layout_text(&path);
    let pages: Vec<&str> = text.split("<<< saut de page >>>\n").collect();
    assert_eq!(pages.len(), page_count(&path));

    let mut first_pages = Vec::new();
    for letter in &letters {
        let page = pages
            .iter()
            .position(|p| p.contains(&letter.code))
            .unwrap_or_else(|| panic!("code {} printed", letter.code));
        let first_line = pages[page].lines().find(|l| !l.trim().is_empty()).unwrap();
        let first_word = letter.sender.organisation.split(' ').next().unwrap();
        assert!(
            first_line.trim_start().starts_with(first_word),
            "page {page} opens with the letterhead: {first_line}"
        );
        assert!(pages[page].contains("Page 1 sur"));
        first_pages.push(page);
    }
    assert_eq!(first_pages[0], 0);
    assert!(first_pages.windows(2).all(|w| w[0] < w[1]));

    // White-label: the third letter names its own fund and phone number, not the first one's.
    let third = pages[first_pages[2]];
    assert!(third.contains("0596 00 00 00"));
    assert!(third.contains("Martinique"));
    assert!(!third.contains("Bas-Rhin"));
    assert!(!third.contains("36 46"));
}

#[test]
fn the_letter_explains_the_code_in_french() {
    let letters = batch_of_three();
    let pdf = render_letters(&letters).unwrap();
    let text = tagged_text(&write_pdf("wording", &pdf));
    for expected in [
        // Purpose, one per letter.
        "pour créer et activer votre compte en ligne",
        "pour retrouver l’accès à votre compte en ligne",
        "pour réactiver votre compte en ligne",
        // Greeting, named or not.
        "Bonjour Sophie WEBER,",
        "Madame, Monsieur,",
        // How to use it.
        "Rendez-vous sur https://portail.example.fr/code-provisoire.",
        "Saisissez votre numéro de sécurité sociale (NIR) puis ce code provisoire.",
        "Choisissez ensuite votre mot de passe définitif.",
        // Validity and single use.
        "Ce code est valable jusqu’au 6 décembre 2026 inclus et ne fonctionne qu’une fois.",
        // Never asked for by phone or email.
        "Nous ne vous demanderons jamais ce code, ni votre mot de passe, par téléphone ou par e-mail.",
        // Not requested: call the fund.
        "Vous n’avez pas demandé ce code ? Ne l’utilisez pas et appelez-nous au 36 46 :",
        "appelez-nous au 0596 00 00 00 :",
        // Reference and date.
        "2 85 05 67 *** *** **",
        "Le 22 novembre 2026",
    ] {
        assert!(
            text.contains(expected),
            "missing « {expected} » in:\n{text}"
        );
    }
}

#[test]
fn headings_tables_and_lists_are_tagged() {
    let pdf = render_letters(&[sample_letter()]).unwrap();
    let tree = run(
        "pdfinfo",
        &["-struct", path_str(&write_pdf("struct", &pdf))],
    );
    let tags: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|t| t.trim_end_matches(':'))
        .collect();
    for tag in [
        "Document", "Art", "H1", "H2", "P", "Table", "TR", "TH", "TD", "L", "LI", "Lbl", "LBody",
    ] {
        assert!(
            tags.contains(&tag),
            "no {tag} in the structure tree:\n{tree}"
        );
    }
    // The footer is an artifact: it is printed but not part of the tagged text.
    let text = tagged_text(&write_pdf("struct-text", &pdf));
    assert!(!text.contains("Page 1 sur 1"), "{text}");
}

#[test]
fn an_empty_batch_is_an_error() {
    assert_eq!(render_letters(&[]), Err(PdfError::NoLetters));
}

#[test]
fn a_character_the_fonts_cannot_draw_is_an_error_not_a_blank() {
    let letter = ProvisionalCodeLetter {
        recipient_lines: vec!["Monsieur 王 WANG".to_owned()],
        ..sample_letter()
    };
    assert_eq!(
        render_letters(&[letter]),
        Err(PdfError::UnsupportedCharacter('王'))
    );
}
