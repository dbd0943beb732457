//! The payment documents a member downloads from « Mes paiements »: the monthly statement of
//! reimbursements ([`MonthlyStatement`]), the attestation de paiement des indemnités
//! journalières for a period ([`IjAttestation`]) and the yearly relevé fiscal of the IJ
//! ([`IjTaxStatement`]).
//!
//! Like the attestations, this only turns plain data into blocks, in French: the caller reads
//! the payments, decides what belongs to the document and sums the totals; amounts are cents
//! formatted here with [`caisse_domain::french::amount`], the one French formatting.

mod ij;
mod monthly;
mod tax;

pub use ij::{IjAttestation, IjRow, render_ij_attestation};
pub use monthly::{
    MonthlyStatement, StatementBeneficiary, StatementDeduction, StatementLine, StatementPayment,
    StatementTotals, render_monthly_statement,
};
pub use tax::{IjTaxCategory, IjTaxRow, IjTaxStatement, render_ij_tax_statement};

use time::Date;

use crate::document::{Block, Document, HeadingLevel};
use crate::error::PdfError;
use crate::printable::replace_unsupported;
use crate::render::render_documents;
use caisse_domain::AmountCents;
use caisse_domain::french::{amount, letter_date};

/// Whom a payment document is for: the insured member. `Debug` shows nothing of them.
#[derive(Clone, PartialEq, Eq)]
pub struct Addressee {
    /// Their postal address, one line each (shown in the envelope window).
    pub recipient_lines: Vec<String>,
    /// As printed: « Sophie WEBER ».
    pub name: String,
    /// The NIR as printed, in groups: « 2 82 12 67 482 023 55 ».
    pub nir: String,
}

impl std::fmt::Debug for Addressee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Addressee").finish_non_exhaustive()
    }
}

/// The first blocks of every payment document: the address window, the date, the title, a
/// sentence saying what the document holds, and who it is about (with `extra` rows, e.g.
/// the period).
fn opening(
    addressee: &Addressee,
    issued_on: Date,
    title: &str,
    intro: String,
    extra: Vec<(String, String)>,
) -> Vec<Block> {
    let mut rows = vec![
        ("Assuré(e)".to_owned(), addressee.name.clone()),
        (
            "Numéro de sécurité sociale".to_owned(),
            addressee.nir.clone(),
        ),
    ];
    rows.extend(extra);
    vec![
        Block::AddressWindow {
            lines: addressee.recipient_lines.clone(),
        },
        Block::right(format!("Édité le {}", letter_date(issued_on))),
        Block::heading(HeadingLevel::Title, title),
        Block::paragraph(intro),
        Block::KeyValueTable { rows },
    ]
}

/// « 1 234,56 € ».
fn euros(value: AmountCents) -> String {
    amount(value)
}

/// Renders one document. Names come from the member file and the professionals' senders: a
/// character the fonts cannot draw prints as « � » rather than failing the download.
fn render(mut document: Document) -> Result<Vec<u8>, PdfError> {
    replace_unsupported(&mut document)?;
    render_documents(&document.title.clone(), &[document])
}
