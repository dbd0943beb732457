//! The printed *avis de sommes à payer*: the paper letter that tells a member with no email
//! address which participations and franchises are still owed, how to pay them and by when.
//!
//! Like the provisional-code letter it only turns data into blocks, in French; the caller
//! decides what is owed, the deadline and the references.

use caisse_domain::AmountCents;
use caisse_domain::french::{amount, letter_date, numeric_date};
use time::Date;

use crate::document::{Block, Document, HeadingLevel, ListStyle, Sender, Span};
use crate::letters::{closing, opening, salutation};

/// One amount owed: the care it comes from and the reference a transfer quotes.
#[derive(Clone, PartialEq, Eq)]
pub struct OwedAmount {
    /// The day of the care.
    pub date_of_care: Date,
    /// What is left to pay.
    pub left: AmountCents,
    /// The creditor reference to quote on a transfer, grouped by 4, e.g. « RF18 5390 0754 ».
    pub reference: String,
}

/// The fund's account for transfers, as printed.
#[derive(Clone, PartialEq, Eq)]
pub struct TransferAccount {
    /// The account holder, e.g. « CPAM du Bas-Rhin ».
    pub holder: String,
    /// The IBAN, grouped by 4.
    pub iban: String,
    /// The BIC.
    pub bic: String,
}

/// One *avis de sommes à payer* to one member.
#[derive(Clone, PartialEq, Eq)]
pub struct DebtNoticeLetter {
    /// The fund sending it.
    pub sender: Sender,
    /// The postal address, one line each, printed where a DL window envelope shows it.
    pub recipient_lines: Vec<String>,
    /// Name used to greet the member; blank opens with « Madame, Monsieur, ».
    pub salutation_name: String,
    /// The member's NIR, already masked by the caller, as a reference.
    pub nir_masked: String,
    /// Date of the letter.
    pub issued_on: Date,
    /// The last day to pay.
    pub deadline: Date,
    /// What is owed, one entry per care.
    pub owed: Vec<OwedAmount>,
    /// Where to pay or contest online, e.g. `https://portail.example.fr/paiements/sommes-a-payer`.
    pub portal_url: String,
    /// The fund's account; `None` when the fund takes no transfers (card and recovery only).
    pub account: Option<TransferAccount>,
}

/// The address, the NIR, the amounts and the references stay out of logs.
impl std::fmt::Debug for DebtNoticeLetter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DebtNoticeLetter")
            .field("sender", &self.sender.organisation)
            .field("issued_on", &self.issued_on)
            .field("deadline", &self.deadline)
            .field("owed", &self.owed.len())
            .finish_non_exhaustive()
    }
}

/// The letter's short title (outline, continuation pages, a batch of one).
pub(crate) const TITLE: &str = "Avis de sommes à payer";

impl DebtNoticeLetter {
    /// What is left to pay, in all.
    pub fn total(&self) -> AmountCents {
        AmountCents::new(self.owed.iter().map(|o| o.left.cents()).sum())
    }

    /// The letter as a document of blocks.
    pub fn to_document(&self) -> Document {
        let nbsp = '\u{a0}';
        let organisation = self.sender.organisation.trim();
        let deadline = letter_date(self.deadline);
        let mut blocks = opening(&self.recipient_lines, self.issued_on, TITLE);
        blocks.extend([
            Block::KeyValueTable {
                rows: vec![
                    (
                        "Votre numéro de sécurité sociale".to_owned(),
                        self.nir_masked.clone(),
                    ),
                    ("Montant restant dû".to_owned(), amount(self.total())),
                    ("À régler avant le".to_owned(), deadline.clone()),
                ],
            },
            salutation(&self.salutation_name),
            Block::paragraph(format!(
                "Des participations forfaitaires et franchises médicales restent à votre \
                 charge{nbsp}: elles n’ont pas pu être déduites de vos remboursements (soins \
                 payés directement au professionnel de santé, en tiers payant, ou remboursements \
                 trop faibles)."
            )),
            Block::heading(HeadingLevel::Section, "Le détail des sommes dues"),
            Block::Table {
                headers: vec![
                    "Soins du".to_owned(),
                    "Montant restant dû".to_owned(),
                    "Référence à indiquer".to_owned(),
                ],
                weights: vec![2, 2, 3],
                rows: self
                    .owed
                    .iter()
                    .map(|o| {
                        vec![
                            numeric_date(o.date_of_care),
                            amount(o.left),
                            o.reference.replace(' ', "\u{a0}"),
                        ]
                    })
                    .collect(),
            },
            Block::heading(HeadingLevel::Section, "Comment régler"),
        ]);
        let mut ways = vec![vec![Span::plain(format!(
            "Sans rien faire{nbsp}: ces sommes seront déduites de vos prochains remboursements. \
             Si elles ne le sont pas avant le {deadline}, réglez-les par l’un des moyens \
             ci-dessous."
        ))]];
        ways.push(vec![
            Span::plain("Par carte bancaire, depuis votre compte en ligne sur "),
            Span::bold(self.portal_url.as_str()),
            Span::plain("."),
        ]);
        if let Some(account) = &self.account {
            ways.push(vec![
                Span::plain(format!(
                    "Par virement sur le compte «{nbsp}{}{nbsp}»{nbsp}: IBAN ",
                    account.holder.trim()
                )),
                // Kept on one line: an IBAN split across lines is easily mistyped.
                Span::bold(account.iban.replace(' ', "\u{a0}")),
                Span::plain(format!(", BIC {}, en indiquant ", account.bic)),
                Span::bold("la référence de chaque somme"),
                Span::plain(format!(
                    " ci-dessus{nbsp}: c’est elle qui permet de rapprocher votre virement."
                )),
            ]);
        }
        blocks.push(Block::List {
            style: ListStyle::Bulleted,
            items: ways,
        });
        blocks.push(Block::heading(
            HeadingLevel::Section,
            "Vous n’êtes pas d’accord",
        ));
        blocks.push(Block::paragraph(format!(
            "Vous pouvez contester une somme depuis votre compte en ligne, ou en écrivant à \
             {organisation}{nbsp}: sa récupération est suspendue pendant l’examen de votre \
             réclamation."
        )));
        blocks.extend(closing(
            organisation,
            format!(
                "Courrier édité automatiquement, sans signature{nbsp}; envoyé par la poste \
                 faute d’adresse e-mail connue (vous pouvez en indiquer une en ligne)."
            ),
        ));
        Document {
            title: TITLE.to_owned(),
            sender: self.sender.clone(),
            blocks,
        }
    }
}
