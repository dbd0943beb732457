//! The one PDF module of the portal: plain data in, PDF bytes out.
//!
//! Every document the portal prints or lets a member download goes through here, so they all
//! share one layout: A4 pages, a letterhead with the fund's details (white-label, given by
//! the caller), a page footer, embedded DejaVu fonts, and PDF/UA-1 tagging that krilla itself
//! checks (document language `fr-FR`, a title shown by viewers, headings, paragraphs, lists and
//! tables in the structure tree, decoration and page furniture marked as artifacts).
//!
//! Two levels of API:
//!
//! - the building blocks ([`Document`], [`Block`], [`render_documents`]): a document is a list
//!   of blocks (heading, paragraph, list, key/value table, highlighted box, address window,
//!   small print) that the layout wraps into lines and breaks into pages;
//! - the documents of the portal, built from those blocks: the provisional-code letter
//!   ([`ProvisionalCodeLetter`], [`render_letters`]), the printed *avis de sommes à payer*
//!   ([`DebtNoticeLetter`]) and print batches mixing both ([`render_postal_batch`]), a
//!   message thread of « Ma messagerie »
//!   ([`ThreadTranscript`], [`render_thread`]), and the attestations de droits and de carte
//!   Vitale ([`Attestation`], [`render_attestation`]), and the payment documents: the monthly
//!   statement of reimbursements ([`MonthlyStatement`]), the attestation de paiement des
//!   indemnités journalières ([`IjAttestation`]) and their yearly relevé fiscal
//!   ([`IjTaxStatement`]), and for « Mes démarches » the letter notifying the decision on a
//!   dossier ([`DossierDecisionLetter`], [`render_dossier_decision`]) and the certificat
//!   provisoire de remplacement of the European Health Insurance Card
//!   ([`ProvisionalReplacementCertificate`], [`render_ceam_certificate`]).
//!
//! This crate must not do I/O (the fonts are compiled in with `include_bytes!`), must not know
//! the database or the web, and depends on no other workspace crate but `caisse-domain` (its
//! French dates, [`caisse_domain::french`]), so `caisse-core` can use it with plain data.

mod attestation;
mod ceam_certificate;
mod debt_notice;
mod document;
mod dossier_decision;
mod error;
mod fonts;
mod layout;
mod letters;
mod payments;
mod printable;
mod qr;
mod render;
mod thread;
mod wrap;

pub use attestation::{
    Attestation, AttestationKind, AttestedExemption, AttestedPerson, Coverage, InsuredIdentity,
    Mentions, Verification, render_attestation,
};
pub use ceam_certificate::{ProvisionalReplacementCertificate, render_ceam_certificate};
pub use debt_notice::{DebtNoticeLetter, OwedAmount, TransferAccount};
pub use document::{Align, Block, Document, FileInfo, HeadingLevel, ListStyle, Sender, Span};
pub use dossier_decision::{
    DecisionOutcome, DossierDecisionLetter, default_recourse_text, render_dossier_decision,
};
pub use error::PdfError;
pub use letters::{
    CodePurpose, PostalLetter, ProvisionalCodeLetter, render_letters, render_postal_batch,
};
pub use payments::{
    Addressee, IjAttestation, IjRow, IjTaxCategory, IjTaxRow, IjTaxStatement, MonthlyStatement,
    StatementBeneficiary, StatementDeduction, StatementLine, StatementPayment, StatementTotals,
    render_ij_attestation, render_ij_tax_statement, render_monthly_statement,
};
pub use printable::replace_unsupported;
pub use render::{render_documents, render_documents_with};
pub use thread::{ThreadTranscript, TranscriptMessage, render_thread};
