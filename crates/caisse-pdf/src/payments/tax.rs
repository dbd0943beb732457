//! The yearly relevé fiscal of the indemnités journalières (*justificatif des sommes à
//! déclarer*, domain.md §9.2, domain-2.md § Documents): the montant net fiscal of the IJ paid in
//! a civil year, by category with its taxable share (maladie, AT/MP, an exonerating ALD…),
//! each payment, and the total the fund declares to the tax administration.

use time::Date;

use super::{Addressee, euros, opening, render};
use crate::document::{Block, Document, HeadingLevel, Sender};
use crate::error::PdfError;
use caisse_domain::AmountCents;
use caisse_domain::french::{numeric_date, numeric_period};

/// The IJ of one category paid in the year. `Debug` shows nothing: the category tells of
/// health (an ALD, an accident du travail).
#[derive(Clone, PartialEq, Eq)]
pub struct IjTaxCategory {
    /// « Maladie », « Accident du travail ou maladie professionnelle »…
    pub label: String,
    /// The taxable share, as printed: « 50 % ».
    pub share: String,
    /// Gross paid.
    pub gross: AmountCents,
    /// Net paid (after CSG and CRDS).
    pub net: AmountCents,
    /// The montant net fiscal: (gross − deductible CSG) × the share.
    pub taxable: AmountCents,
}

impl std::fmt::Debug for IjTaxCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IjTaxCategory").finish_non_exhaustive()
    }
}

/// One payment of the year. `Debug` shows the day only.
#[derive(Clone, PartialEq, Eq)]
pub struct IjTaxRow {
    /// The day it was paid.
    pub paid_on: Date,
    /// First day covered.
    pub from: Date,
    /// Last day covered.
    pub to: Date,
    /// Its category's label.
    pub category: String,
    /// Gross.
    pub gross: AmountCents,
    /// Its montant net fiscal.
    pub taxable: AmountCents,
}

impl std::fmt::Debug for IjTaxRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IjTaxRow")
            .field("paid_on", &self.paid_on)
            .finish_non_exhaustive()
    }
}

/// The relevé fiscal of one year. `Debug` shows the year only.
#[derive(Clone, PartialEq, Eq)]
pub struct IjTaxStatement {
    /// The fund (letterhead and footer).
    pub sender: Sender,
    /// The insured member.
    pub addressee: Addressee,
    /// Day of issue.
    pub issued_on: Date,
    /// The civil year of the payments.
    pub year: i32,
    /// By category, in the caller's order.
    pub categories: Vec<IjTaxCategory>,
    /// Every payment of the year, oldest first.
    pub rows: Vec<IjTaxRow>,
    /// The sum of the categories' taxable amounts.
    pub total_taxable: AmountCents,
}

impl std::fmt::Debug for IjTaxStatement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IjTaxStatement")
            .field("year", &self.year)
            .field("rows", &self.rows.len())
            .finish_non_exhaustive()
    }
}

impl IjTaxStatement {
    /// « Relevé fiscal des indemnités journalières 2026 ».
    pub fn title(&self) -> String {
        format!("Relevé fiscal des indemnités journalières {}", self.year)
    }

    /// The statement as a document of blocks.
    pub fn to_document(&self) -> Document {
        let nbsp = '\u{a0}';
        let year = self.year;
        let mut blocks = opening(
            &self.addressee,
            self.issued_on,
            &self.title(),
            format!(
                "{} a versé en {year}, à vous ou à votre employeur, les indemnités journalières \
                 ci-dessous. Votre caisse transmet leur montant imposable directement à \
                 l’administration fiscale{nbsp}: ce relevé vous permet de vérifier le montant \
                 prérempli sur votre déclaration de revenus.",
                self.sender.organisation.trim()
            ),
            vec![("Année des versements".to_owned(), year.to_string())],
        );
        blocks.push(Block::heading(HeadingLevel::Section, "Montant à déclarer"));
        let mut rows: Vec<Vec<String>> = self
            .categories
            .iter()
            .map(|c| {
                vec![
                    c.label.clone(),
                    c.share.clone(),
                    euros(c.gross),
                    euros(c.net),
                    euros(c.taxable),
                ]
            })
            .collect();
        rows.push(vec![
            "Total imposable".to_owned(),
            String::new(),
            String::new(),
            String::new(),
            euros(self.total_taxable),
        ]);
        blocks.push(Block::Table {
            headers: [
                "Nature des indemnités",
                "Part imposable",
                "Brut versé",
                "Net versé",
                "Net imposable",
            ]
            .map(str::to_owned)
            .to_vec(),
            weights: vec![8, 4, 4, 4, 4],
            rows,
        });
        blocks.push(Block::KeyValueTable {
            rows: vec![(
                format!("Montant net imposable {year}"),
                euros(self.total_taxable),
            )],
        });
        if !self.rows.is_empty() {
            blocks.push(Block::heading(
                HeadingLevel::Section,
                "Détail des versements",
            ));
            blocks.push(Block::Table {
                headers: [
                    "Versé le",
                    "Période indemnisée",
                    "Nature",
                    "Brut",
                    "Net imposable",
                ]
                .map(str::to_owned)
                .to_vec(),
                weights: vec![3, 6, 6, 3, 4],
                rows: self
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            numeric_date(r.paid_on),
                            numeric_period(r.from, Some(r.to)),
                            r.category.clone(),
                            euros(r.gross),
                            euros(r.taxable),
                        ]
                    })
                    .collect(),
            });
        }
        blocks.push(Block::SmallPrint(format!(
            "Le montant net imposable de chaque versement est le brut moins la part déductible \
             de la CSG, multiplié par la part imposable de sa nature indiquée ci-dessus{nbsp}; \
             il compte pour l’année du versement."
        )));
        Document {
            title: self.title(),
            sender: self.sender.clone(),
            blocks,
        }
    }
}

/// Renders the relevé as one tagged PDF.
///
/// Errors: [`PdfError::Rendering`] when krilla refuses the file.
pub fn render_ij_tax_statement(statement: &IjTaxStatement) -> Result<Vec<u8>, PdfError> {
    render(statement.to_document())
}
