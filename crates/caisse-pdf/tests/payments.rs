//! The payment documents (monthly statement, attestation de paiement des IJ, relevé fiscal),
//! read back with the PDF tools: text against the golden files, a valid tagged A4 file, and
//! every line and total of the statement in its text.
//!
//! Regenerate the golden files after a deliberate change of wording or layout with
//! `UPDATE_GOLDEN=1 cargo test -p caisse-pdf --test payments`, then review the diff.

mod support;

use caisse_domain::AmountCents;
use caisse_pdf::{
    Addressee, IjAttestation, IjRow, IjTaxCategory, IjTaxRow, IjTaxStatement, MonthlyStatement,
    StatementBeneficiary, StatementDeduction, StatementLine, StatementPayment, StatementTotals,
    render_ij_attestation, render_ij_tax_statement, render_monthly_statement,
};
use support::{
    assert_golden, checked_info, collapse, layout_text, path_str, run, sender, tagged_words,
    write_pdf,
};
use time::macros::date;

fn cents(n: i64) -> AmountCents {
    AmountCents::new(n)
}

fn addressee() -> Addressee {
    Addressee {
        recipient_lines: vec![
            "Madame Sophie WEBER".to_owned(),
            "8 quai des Bateliers".to_owned(),
            "67000 STRASBOURG".to_owned(),
        ],
        name: "Sophie WEBER".to_owned(),
        nir: "2 82 12 67 482 023 55".to_owned(),
    }
}

fn ij_row() -> IjRow {
    IjRow {
        paid_on: date!(2026 - 03 - 15),
        from: date!(2026 - 03 - 01),
        to: date!(2026 - 03 - 14),
        days: 14,
        daily: cents(3_512),
        gross: cents(49_168),
        csg: cents(3_048),
        crds: cents(246),
        net: cents(45_874),
        to_employer: false,
    }
}

/// The statement of the golden file: change it only with the golden file.
fn statement() -> MonthlyStatement {
    let line =
        |act: &str, day, professional: &str, charged, base, rate: &str, paid, tp| StatementLine {
            act: act.to_owned(),
            date_of_care: day,
            professional: professional.to_owned(),
            charged: cents(charged),
            base: cents(base),
            rate: rate.to_owned(),
            reimbursed: cents(paid),
            tiers_payant: tp,
        };
    MonthlyStatement {
        sender: sender(),
        addressee: addressee(),
        issued_on: date!(2026 - 11 - 22),
        month: date!(2026 - 03 - 01),
        payments: vec![
            StatementPayment {
                day: date!(2026 - 03 - 10),
                payee: "Pharmacie du Dôme".to_owned(),
                kind: "Paiement au professionnel".to_owned(),
                amount: cents(1_820),
            },
            StatementPayment {
                day: date!(2026 - 03 - 15),
                payee: "Vous".to_owned(),
                kind: "Soins et indemnités journalières".to_owned(),
                amount: cents(48_574),
            },
        ],
        beneficiaries: vec![
            StatementBeneficiary {
                name: "Sophie WEBER".to_owned(),
                lines: vec![
                    line(
                        "Consultation de médecin généraliste (G)",
                        date!(2026 - 03 - 03),
                        "Dr Claire MULLER",
                        3_000,
                        3_000,
                        "90\u{a0}%",
                        2_500,
                        false,
                    ),
                    line(
                        "Médicaments remboursés à 65 %",
                        date!(2026 - 03 - 04),
                        "Pharmacie du Dôme",
                        2_900,
                        2_900,
                        "65\u{a0}%",
                        1_820,
                        true,
                    ),
                ],
            },
            StatementBeneficiary {
                name: "Emma WEBER".to_owned(),
                lines: vec![line(
                    "Consultation de médecin généraliste (G)",
                    date!(2026 - 03 - 05),
                    "Dr Claire MULLER",
                    3_000,
                    3_000,
                    "90\u{a0}%",
                    2_700,
                    false,
                )],
            },
        ],
        ij: vec![ij_row()],
        deductions: vec![
            StatementDeduction {
                beneficiary: "Sophie WEBER".to_owned(),
                label: "Participation forfaitaire".to_owned(),
                date_of_care: date!(2026 - 03 - 03),
                amount: cents(200),
            },
            StatementDeduction {
                beneficiary: "Sophie WEBER".to_owned(),
                label: "Franchise médicale sur les médicaments".to_owned(),
                date_of_care: date!(2026 - 03 - 04),
                amount: cents(65),
            },
        ],
        totals: StatementTotals {
            to_member: cents(48_574),
            to_professionals: cents(1_820),
            to_employer: cents(0),
            deductions: cents(265),
            recovered: cents(500),
        },
    }
}

fn attestation() -> IjAttestation {
    IjAttestation {
        sender: sender(),
        addressee: addressee(),
        issued_on: date!(2026 - 11 - 22),
        from: date!(2026 - 03 - 01),
        to: date!(2026 - 04 - 30),
        rows: vec![
            ij_row(),
            IjRow {
                paid_on: date!(2026 - 03 - 29),
                from: date!(2026 - 03 - 15),
                to: date!(2026 - 03 - 20),
                days: 6,
                gross: cents(21_072),
                csg: cents(1_306),
                crds: cents(105),
                net: cents(19_661),
                to_employer: true,
                ..ij_row()
            },
        ],
    }
}

fn tax_statement() -> IjTaxStatement {
    IjTaxStatement {
        sender: sender(),
        addressee: addressee(),
        issued_on: date!(2027 - 01 - 20),
        year: 2026,
        categories: vec![
            IjTaxCategory {
                label: "Maladie".to_owned(),
                share: "100\u{a0}%".to_owned(),
                gross: cents(49_168),
                net: cents(45_874),
                taxable: cents(47_300),
            },
            IjTaxCategory {
                label: "Accident du travail ou maladie professionnelle".to_owned(),
                share: "50\u{a0}%".to_owned(),
                gross: cents(21_072),
                net: cents(19_661),
                taxable: cents(10_136),
            },
        ],
        rows: vec![
            IjTaxRow {
                paid_on: date!(2026 - 03 - 15),
                from: date!(2026 - 03 - 01),
                to: date!(2026 - 03 - 14),
                category: "Maladie".to_owned(),
                gross: cents(49_168),
                taxable: cents(47_300),
            },
            IjTaxRow {
                paid_on: date!(2026 - 03 - 29),
                from: date!(2026 - 03 - 15),
                to: date!(2026 - 03 - 20),
                category: "Accident du travail ou maladie professionnelle".to_owned(),
                gross: cents(21_072),
                taxable: cents(10_136),
            },
        ],
        total_taxable: cents(57_436),
    }
}

/// qpdf finds no error, and the file is a tagged A4 document with `title` and a table.
fn assert_valid(name: &str, pdf: &[u8], title: &str) {
    let path = write_pdf(name, pdf);
    let (info, field) = checked_info(&path);
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert_eq!(field("Title:"), title, "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let fonts = run("pdffonts", &[path_str(&path)]);
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "every font embedded:\n{fonts}"
    );
    let tree = run("pdfinfo", &["-struct", path_str(&path)]);
    for tag in ["H1", "H2", "Table", "TH", "TD"] {
        assert!(tree.contains(tag), "no {tag} in:\n{tree}");
    }
}

#[test]
fn the_monthly_statement_text_matches_the_golden_file() {
    let pdf = render_monthly_statement(&statement()).unwrap();
    assert_golden(
        "monthly_statement.txt",
        &layout_text(&write_pdf("statement-golden", &pdf)),
    );
}

#[test]
fn a_beneficiary_heading_stays_with_the_start_of_its_table() {
    // The sample fills the first page down to Emma's heading: her table starts on the next.
    let pdf = render_monthly_statement(&statement()).unwrap();
    let text = layout_text(&write_pdf("statement-pages", &pdf));
    let page = text
        .split("<<< saut de page >>>")
        .find(|page| page.contains("Bénéficiaire : Emma WEBER"))
        .expect("Emma's heading is printed");
    assert!(page.contains("05/03/2026"), "{page}");
}

#[test]
fn the_monthly_statement_is_a_valid_tagged_pdf() {
    let pdf = render_monthly_statement(&statement()).unwrap();
    assert_valid(
        "statement-check",
        &pdf,
        "Relevé mensuel de remboursements — mars 2026",
    );
}

#[test]
fn the_monthly_statement_prints_every_line_and_total() {
    let pdf = render_monthly_statement(&statement()).unwrap();
    let text = tagged_words(&write_pdf("statement-lines", &pdf));
    for expected in [
        "Bénéficiaire : Sophie WEBER",
        "Consultation de médecin généraliste (G) 03/03/2026 Dr Claire MULLER 30,00 € 30,00 € 90 % \
         25,00 €",
        "Médicaments remboursés à 65 % 04/03/2026 Pharmacie du Dôme 29,00 € 29,00 € 65 % 18,20 €, \
         payé directement au professionnel",
        "Bénéficiaire : Emma WEBER",
        "05/03/2026 Dr Claire MULLER 30,00 € 30,00 € 90 % 27,00 €",
        "Sophie WEBER Participation forfaitaire 03/03/2026 2,00 €",
        "Franchise médicale sur les médicaments 04/03/2026 0,65 €",
        "Versé sur votre compte 485,74 €",
        "Payé directement aux professionnels de santé 18,20 €",
        "Participations forfaitaires et franchises à votre charge 2,65 €",
        "Retenu pour vos sommes à payer 5,00 €",
        "du 01/03/2026 au 14/03/2026, versées le 15/03/2026 sur votre compte 14 35,12 € 491,68 € \
         30,48 € 2,46 € 458,74 €",
    ] {
        assert!(
            text.contains(&collapse(expected)),
            "« {expected} » missing in:\n{text}"
        );
    }
    // Without anything paid to the employer, the statement does not mention it.
    assert!(!text.contains("employeur"), "{text}");
}

#[test]
fn the_ij_attestation_text_matches_the_golden_file() {
    let pdf = render_ij_attestation(&attestation()).unwrap();
    assert_golden(
        "ij_attestation.txt",
        &layout_text(&write_pdf("ij-attestation-golden", &pdf)),
    );
}

#[test]
fn the_ij_attestation_is_valid_and_totals_its_payments() {
    let pdf = render_ij_attestation(&attestation()).unwrap();
    assert_valid(
        "ij-attestation-check",
        &pdf,
        "Attestation de paiement des indemnités journalières",
    );
    let text = tagged_words(&write_pdf("ij-attestation-words", &pdf));
    for expected in [
        "Période du 01/03/2026 au 30/04/2026",
        "versées le 29/03/2026 à votre employeur (subrogation) 6 35,12 € 210,72 € 13,06 € 1,05 € \
         196,61 €",
        "Total 20 702,40 € 43,54 € 3,51 € 655,35 €",
    ] {
        assert!(
            text.contains(&collapse(expected)),
            "« {expected} » missing in:\n{text}"
        );
    }
}

#[test]
fn an_ij_attestation_without_payments_says_so() {
    let pdf = render_ij_attestation(&IjAttestation {
        rows: Vec::new(),
        ..attestation()
    })
    .unwrap();
    let text = tagged_words(&write_pdf("ij-attestation-empty", &pdf));
    assert!(
        text.contains("Aucune indemnité journalière n’a été versée du 01/03/2026 au 30/04/2026."),
        "{text}"
    );
}

#[test]
fn the_tax_statement_text_matches_the_golden_file() {
    let pdf = render_ij_tax_statement(&tax_statement()).unwrap();
    assert_golden(
        "ij_tax_statement.txt",
        &layout_text(&write_pdf("ij-tax-golden", &pdf)),
    );
}

#[test]
fn the_tax_statement_is_valid_and_shows_the_taxable_total() {
    let pdf = render_ij_tax_statement(&tax_statement()).unwrap();
    assert_valid(
        "ij-tax-check",
        &pdf,
        "Relevé fiscal des indemnités journalières 2026",
    );
    let text = tagged_words(&write_pdf("ij-tax-words", &pdf));
    for expected in [
        "Maladie 100 % 491,68 € 458,74 € 473,00 €",
        "Accident du travail ou maladie professionnelle 50 % 210,72 € 196,61 € 101,36 €",
        "Total imposable 574,36 €",
        "Montant net imposable 2026 574,36 €",
    ] {
        assert!(
            text.contains(&collapse(expected)),
            "« {expected} » missing in:\n{text}"
        );
    }
}

#[test]
fn debug_shows_no_name_nor_amount() {
    let shown = format!(
        "{:?} {:?} {:?}",
        statement(),
        attestation(),
        tax_statement()
    );
    assert!(!shown.contains("WEBER"), "{shown}");
    assert!(!shown.contains("48574"), "{shown}");
    assert!(!shown.contains("Pharmacie"), "{shown}");
}
