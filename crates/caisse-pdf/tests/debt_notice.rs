//! The printed *avis de sommes à payer*, read back with the PDF tools: its text against the
//! golden file, and a print batch mixing it with a provisional-code letter (valid, tagged,
//! titled, each letter on its own pages).
//!
//! Regenerate the golden file after a deliberate change of wording or layout with
//! `UPDATE_GOLDEN=1 cargo test -p caisse-pdf --test debt_notice`, then review the diff.

mod support;

use caisse_domain::AmountCents;
use caisse_pdf::{
    DebtNoticeLetter, OwedAmount, PostalLetter, TransferAccount, render_postal_batch,
};
use support::{
    assert_golden, checked_info, layout_text, page_count, sample_letter, sender, tagged_text,
    write_pdf,
};
use time::macros::date;

fn sample_notice() -> DebtNoticeLetter {
    DebtNoticeLetter {
        sender: sender(),
        recipient_lines: vec![
            "Monsieur Kévin HOARAU".to_owned(),
            "12 rue des Tisserands".to_owned(),
            "67000 STRASBOURG".to_owned(),
        ],
        salutation_name: "Kévin HOARAU".to_owned(),
        nir_masked: "1 90 03 67 *** *** **".to_owned(),
        issued_on: date!(2026 - 12 - 05),
        deadline: date!(2027 - 01 - 04),
        owed: vec![
            OwedAmount {
                date_of_care: date!(2026 - 08 - 03),
                left: AmountCents::new(200),
                reference: "RF18 5390 0754 7034".to_owned(),
            },
            OwedAmount {
                date_of_care: date!(2026 - 08 - 17),
                left: AmountCents::new(450),
                reference: "RF71 2001 5593 4400".to_owned(),
            },
        ],
        portal_url: "https://portail.example.fr/paiements/sommes-a-payer".to_owned(),
        account: Some(TransferAccount {
            holder: "Agent comptable de la CPAM du Bas-Rhin".to_owned(),
            iban: "FR76 1751 5900 0008 7654 3210 957".to_owned(),
            bic: "BDFEFRPP".to_owned(),
        }),
    }
}

#[test]
fn the_notice_text_matches_the_golden_file() {
    let pdf = render_postal_batch(&[PostalLetter::DebtNotice(sample_notice())]).unwrap();
    let text = layout_text(&write_pdf("debt_notice", &pdf));

    assert_golden("debt_notice.txt", &text);
}

#[test]
fn the_notice_names_every_amount_its_reference_the_total_and_how_to_pay() {
    let pdf = render_postal_batch(&[PostalLetter::DebtNotice(sample_notice())]).unwrap();
    let text = tagged_text(&write_pdf("debt_notice_words", &pdf)).replace('\u{a0}', " ");
    for expected in [
        "Avis de sommes à payer",
        "03/08/2026",
        "2,00 €",
        "RF18 5390 0754 7034",
        "17/08/2026",
        "4,50 €",
        "RF71 2001 5593 4400",
        "6,50 €",
        "4 janvier 2027",
        "FR76 1751 5900 0008 7654 3210 957",
        "https://portail.example.fr/paiements/sommes-a-payer",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
}

#[test]
fn a_batch_mixing_kinds_is_a_valid_tagged_pdf_with_each_letter_on_its_own_pages() {
    let batch = [
        PostalLetter::ProvisionalCode(sample_letter()),
        PostalLetter::DebtNotice(sample_notice()),
    ];
    let pdf = render_postal_batch(&batch).unwrap();
    let path = write_pdf("mixed_batch", &pdf);

    let (info, field) = checked_info(&path);
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert_eq!(field("Title:"), "Courriers : lot de 2 courriers", "{info}");
    let text = layout_text(&path);
    let pages: Vec<&str> = text.split("<<< saut de page >>>\n").collect();
    assert_eq!(pages.len(), page_count(&path));
    let code_page = pages
        .iter()
        .position(|p| p.contains(&sample_letter().code))
        .unwrap();
    let notice_page = pages
        .iter()
        .position(|p| p.contains("RF18 5390 0754 7034"))
        .unwrap();
    assert!(code_page < notice_page);
    assert!(pages[notice_page].contains("Page 1 sur"));
}

#[test]
fn debug_hides_the_address_the_nir_and_the_references() {
    let shown = format!("{:?}", sample_notice());
    assert!(!shown.contains("HOARAU"));
    assert!(!shown.contains("90 03"));
    assert!(!shown.contains("RF18"));
    assert_eq!(sample_notice().total(), AmountCents::new(650));
}

#[test]
fn the_transfer_is_offered_only_when_the_fund_takes_transfers() {
    let without = DebtNoticeLetter {
        account: None,
        ..sample_notice()
    };
    let pdf = render_postal_batch(&[PostalLetter::DebtNotice(without)]).unwrap();
    let text = tagged_text(&write_pdf("debt_notice_no_account", &pdf));
    assert!(!text.contains("IBAN"), "{text}");
    assert!(text.contains("Par carte bancaire"), "{text}");
}
