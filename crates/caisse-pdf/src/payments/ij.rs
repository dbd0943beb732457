//! The attestation de paiement des indemnités journalières (domain.md §9.2): every payment of
//! IJ made in the period the member chose, with its days, daily amount, gross, CSG, CRDS and
//! net, and the totals. The monthly statement prints the same rows ([`IjRow`]).

use time::Date;

use super::{Addressee, euros, opening, render};
use crate::document::{Block, Document, HeadingLevel, Sender};
use crate::error::PdfError;
use caisse_domain::AmountCents;
use caisse_domain::french::{numeric_date, numeric_period};

/// One payment of indemnités journalières. `Debug` shows the period only.
#[derive(Clone, PartialEq, Eq)]
pub struct IjRow {
    /// The day it was paid.
    pub paid_on: Date,
    /// First day it covers.
    pub from: Date,
    /// Last day it covers.
    pub to: Date,
    /// Days covered.
    pub days: u32,
    /// The gross daily amount.
    pub daily: AmountCents,
    /// Gross.
    pub gross: AmountCents,
    /// CSG withheld.
    pub csg: AmountCents,
    /// CRDS withheld.
    pub crds: AmountCents,
    /// Net paid.
    pub net: AmountCents,
    /// Paid to the employer under subrogation rather than to the member.
    pub to_employer: bool,
}

impl std::fmt::Debug for IjRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IjRow")
            .field("from", &self.from)
            .field("to", &self.to)
            .finish_non_exhaustive()
    }
}

/// The attestation for a period. `Debug` shows the period only.
#[derive(Clone, PartialEq, Eq)]
pub struct IjAttestation {
    /// The fund (letterhead and footer).
    pub sender: Sender,
    /// The insured member.
    pub addressee: Addressee,
    /// Day of issue.
    pub issued_on: Date,
    /// First day of the period chosen.
    pub from: Date,
    /// Last day of the period chosen.
    pub to: Date,
    /// The payments made in the period, oldest first.
    pub rows: Vec<IjRow>,
}

impl std::fmt::Debug for IjAttestation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IjAttestation")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("rows", &self.rows.len())
            .finish_non_exhaustive()
    }
}

const TITLE: &str = "Attestation de paiement des indemnités journalières";

/// The table of IJ payments, with a last row of totals.
pub(super) fn ij_table(rows: &[IjRow]) -> Block {
    let sum = |f: fn(&IjRow) -> AmountCents| {
        AmountCents::new(rows.iter().map(|r| f(r).cents()).sum::<i64>())
    };
    let mut cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                format!(
                    "{}, versées le {}{}",
                    numeric_period(r.from, Some(r.to)),
                    numeric_date(r.paid_on),
                    if r.to_employer {
                        " à votre employeur (subrogation)"
                    } else {
                        " sur votre compte"
                    }
                ),
                r.days.to_string(),
                euros(r.daily),
                euros(r.gross),
                euros(r.csg),
                euros(r.crds),
                euros(r.net),
            ]
        })
        .collect();
    cells.push(vec![
        "Total".to_owned(),
        rows.iter().map(|r| r.days).sum::<u32>().to_string(),
        String::new(),
        euros(sum(|r| r.gross)),
        euros(sum(|r| r.csg)),
        euros(sum(|r| r.crds)),
        euros(sum(|r| r.net)),
    ]);
    Block::Table {
        headers: [
            "Période indemnisée",
            "Jours",
            "Par jour (brut)",
            "Brut",
            "CSG",
            "CRDS",
            "Net",
        ]
        .map(str::to_owned)
        .to_vec(),
        weights: vec![9, 3, 4, 4, 4, 4, 4],
        rows: cells,
    }
}

impl IjAttestation {
    /// The attestation as a document of blocks.
    pub fn to_document(&self) -> Document {
        let nbsp = '\u{a0}';
        let period = numeric_period(self.from, Some(self.to));
        let mut blocks = opening(
            &self.addressee,
            self.issued_on,
            TITLE,
            format!(
                "{} atteste avoir versé les indemnités journalières ci-dessous {period}, \
                 au titre des arrêts de travail de l’assuré(e).",
                self.sender.organisation.trim()
            ),
            vec![("Période".to_owned(), period.clone())],
        );
        blocks.push(Block::heading(
            HeadingLevel::Section,
            "Indemnités journalières versées",
        ));
        if self.rows.is_empty() {
            blocks.push(Block::paragraph(format!(
                "Aucune indemnité journalière n’a été versée {period}."
            )));
        } else {
            blocks.push(ij_table(&self.rows));
        }
        blocks.push(Block::SmallPrint(format!(
            "Montants en euros. Le net est le brut moins la CSG et la CRDS prélevées sur chaque \
             versement{nbsp}; les indemnités versées à votre employeur (subrogation) lui sont \
             payées pendant le maintien de votre salaire."
        )));
        Document {
            title: TITLE.to_owned(),
            sender: self.sender.clone(),
            blocks,
        }
    }
}

/// Renders the attestation as one tagged PDF.
///
/// Errors: [`PdfError::Rendering`] when krilla refuses the file.
pub fn render_ij_attestation(attestation: &IjAttestation) -> Result<Vec<u8>, PdfError> {
    render(attestation.to_document())
}
