//! The monthly statement of reimbursements (« Relevé mensuel de remboursements », domain.md
//! §9.2): for one member and one calendar month, the payments made, every line they paid
//! grouped by beneficiary (care, date of care, professional, amount paid, base, rate,
//! reimbursed; tiers payant lines « payé directement au professionnel »), the indemnités
//! journalières, the participations and franchises deducted, and the totals.

use time::Date;

use super::ij::ij_table;
use super::{Addressee, euros, opening, render};
use crate::document::{Block, Document, HeadingLevel, Sender};
use crate::error::PdfError;
use crate::payments::IjRow;
use caisse_domain::AmountCents;
use caisse_domain::french::{month_year, numeric_date};

/// One payment of the month, as « Mes paiements » lists it. `Debug` shows the day only.
#[derive(Clone, PartialEq, Eq)]
pub struct StatementPayment {
    /// The payment day.
    pub day: Date,
    /// « Vous », or the professional's or employer's name.
    pub payee: String,
    /// « Soins », « Paiement au professionnel »…
    pub kind: String,
    /// What it paid for the member (their share of a payment to others).
    pub amount: AmountCents,
}

/// One line of care paid in the month. `Debug` shows the day only.
#[derive(Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// The act, named: « Consultation de médecin généraliste (G) ».
    pub act: String,
    /// The day of care.
    pub date_of_care: Date,
    /// Who gave the care.
    pub professional: String,
    /// What the professional charged.
    pub charged: AmountCents,
    /// The base of reimbursement.
    pub base: AmountCents,
    /// The rate, as printed: « 90 % ».
    pub rate: String,
    /// What the fund paid for it.
    pub reimbursed: AmountCents,
    /// Paid directly to the professional (tiers payant).
    pub tiers_payant: bool,
}

/// The lines of one beneficiary. `Debug` shows the count only.
#[derive(Clone, PartialEq, Eq)]
pub struct StatementBeneficiary {
    /// « Emma WEBER ».
    pub name: String,
    /// The lines, in the order of the payments.
    pub lines: Vec<StatementLine>,
}

/// A participation forfaitaire or franchise deducted. `Debug` shows the day only.
#[derive(Clone, PartialEq, Eq)]
pub struct StatementDeduction {
    /// Whose care.
    pub beneficiary: String,
    /// « Participation forfaitaire », « Franchise médicale sur les médicaments »…
    pub label: String,
    /// The day of the act.
    pub date_of_care: Date,
    /// What was deducted.
    pub amount: AmountCents,
}

/// The month's totals, as the caller summed them from the payments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementTotals {
    /// Transferred to the member's account.
    pub to_member: AmountCents,
    /// Paid for the member to professionals (tiers payant).
    pub to_professionals: AmountCents,
    /// Indemnités journalières paid to the employer (subrogation).
    pub to_employer: AmountCents,
    /// Participations forfaitaires and franchises deducted from the lines.
    pub deductions: AmountCents,
    /// Withheld from the member's payments for their debts.
    pub recovered: AmountCents,
}

/// One member's statement of one month. `Debug` shows the month and counts only.
#[derive(Clone, PartialEq, Eq)]
pub struct MonthlyStatement {
    /// The fund (letterhead and footer).
    pub sender: Sender,
    /// The insured member.
    pub addressee: Addressee,
    /// Day of issue.
    pub issued_on: Date,
    /// Any day of the month.
    pub month: Date,
    /// The month's payments, oldest first.
    pub payments: Vec<StatementPayment>,
    /// The lines paid, by beneficiary (the insured member first).
    pub beneficiaries: Vec<StatementBeneficiary>,
    /// The indemnités journalières paid in the month.
    pub ij: Vec<IjRow>,
    /// The deductions of the lines paid.
    pub deductions: Vec<StatementDeduction>,
    /// The totals.
    pub totals: StatementTotals,
}

macro_rules! debug_day {
    ($type:ident, $field:ident) => {
        impl std::fmt::Debug for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($type))
                    .field(stringify!($field), &self.$field)
                    .finish_non_exhaustive()
            }
        }
    };
}

debug_day!(StatementPayment, day);
debug_day!(StatementLine, date_of_care);
debug_day!(StatementDeduction, date_of_care);

impl std::fmt::Debug for StatementBeneficiary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementBeneficiary")
            .field("lines", &self.lines.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for MonthlyStatement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MonthlyStatement")
            .field("month", &self.month)
            .field("payments", &self.payments.len())
            .finish_non_exhaustive()
    }
}

/// What a tiers payant line's reimbursement says.
const PAID_TO_PROFESSIONAL: &str = "payé directement au professionnel";

impl MonthlyStatement {
    /// « Relevé mensuel de remboursements — novembre 2026 ».
    pub fn title(&self) -> String {
        format!(
            "Relevé mensuel de remboursements — {}",
            month_year(self.month)
        )
    }

    /// The statement as a document of blocks.
    pub fn to_document(&self) -> Document {
        let nbsp = '\u{a0}';
        let month = month_year(self.month);
        let mut blocks = opening(
            &self.addressee,
            self.issued_on,
            "Relevé mensuel de remboursements",
            format!(
                "{} a fait pour vous en {month} les paiements ci-dessous{nbsp}: vos \
                 remboursements de soins, ce qui a été payé directement aux professionnels de \
                 santé (tiers payant) et vos indemnités journalières.",
                self.sender.organisation.trim()
            ),
            vec![("Mois".to_owned(), month.clone())],
        );

        blocks.push(Block::heading(HeadingLevel::Section, "Paiements du mois"));
        blocks.push(Block::Table {
            headers: ["Date", "Payé à", "Type", "Montant"]
                .map(str::to_owned)
                .to_vec(),
            weights: vec![3, 7, 6, 3],
            rows: self
                .payments
                .iter()
                .map(|p| {
                    vec![
                        numeric_date(p.day),
                        p.payee.clone(),
                        p.kind.clone(),
                        euros(p.amount),
                    ]
                })
                .collect(),
        });

        if !self.beneficiaries.is_empty() {
            blocks.push(Block::heading(HeadingLevel::Section, "Détail des soins"));
        }
        for beneficiary in &self.beneficiaries {
            blocks.push(Block::heading(
                HeadingLevel::Subsection,
                format!("Bénéficiaire{nbsp}: {}", beneficiary.name),
            ));
            blocks.push(Block::Table {
                headers: [
                    "Acte",
                    "Date des soins",
                    "Professionnel",
                    "Montant payé",
                    "Base",
                    "Taux",
                    "Remboursé",
                ]
                .map(str::to_owned)
                .to_vec(),
                weights: vec![6, 5, 7, 4, 4, 3, 6],
                rows: beneficiary
                    .lines
                    .iter()
                    .map(|l| {
                        vec![
                            l.act.clone(),
                            numeric_date(l.date_of_care),
                            l.professional.clone(),
                            euros(l.charged),
                            euros(l.base),
                            l.rate.clone(),
                            if l.tiers_payant {
                                format!("{}, {PAID_TO_PROFESSIONAL}", euros(l.reimbursed))
                            } else {
                                euros(l.reimbursed)
                            },
                        ]
                    })
                    .collect(),
            });
        }

        if !self.ij.is_empty() {
            blocks.push(Block::heading(
                HeadingLevel::Section,
                "Indemnités journalières",
            ));
            blocks.push(ij_table(&self.ij));
        }

        if !self.deductions.is_empty() {
            blocks.push(Block::heading(
                HeadingLevel::Section,
                "Participations forfaitaires et franchises",
            ));
            blocks.push(Block::Table {
                headers: ["Bénéficiaire", "Nature", "Date de l’acte", "Montant"]
                    .map(str::to_owned)
                    .to_vec(),
                weights: vec![5, 7, 3, 3],
                rows: self
                    .deductions
                    .iter()
                    .map(|d| {
                        vec![
                            d.beneficiary.clone(),
                            d.label.clone(),
                            numeric_date(d.date_of_care),
                            euros(d.amount),
                        ]
                    })
                    .collect(),
            });
        }

        let t = &self.totals;
        let mut rows = vec![
            ("Versé sur votre compte".to_owned(), euros(t.to_member)),
            (
                "Payé directement aux professionnels de santé".to_owned(),
                euros(t.to_professionals),
            ),
        ];
        if t.to_employer.cents() != 0 {
            rows.push((
                "Versé à votre employeur (subrogation)".to_owned(),
                euros(t.to_employer),
            ));
        }
        rows.push((
            "Participations forfaitaires et franchises à votre charge".to_owned(),
            euros(t.deductions),
        ));
        if t.recovered.cents() != 0 {
            rows.push((
                "Retenu pour vos sommes à payer".to_owned(),
                euros(t.recovered),
            ));
        }
        blocks.push(Block::heading(HeadingLevel::Section, "Totaux du mois"));
        blocks.push(Block::KeyValueTable { rows });
        blocks.push(Block::SmallPrint(format!(
            "Montants en euros. Le détail de chaque paiement et la raison de chaque montant se \
             trouvent dans votre espace, rubrique «{nbsp}Mes paiements{nbsp}»."
        )));
        Document {
            title: self.title(),
            sender: self.sender.clone(),
            blocks,
        }
    }
}

/// Renders the statement as one tagged PDF.
///
/// Errors: [`PdfError::Rendering`] when krilla refuses the file.
pub fn render_monthly_statement(statement: &MonthlyStatement) -> Result<Vec<u8>, PdfError> {
    render(statement.to_document())
}
