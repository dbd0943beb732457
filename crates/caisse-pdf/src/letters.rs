//! The provisional-code letter: the paper letter that carries a one-time code to a member who
//! cannot receive it otherwise (first activation, lost access, reactivation).
//!
//! It only turns the letter's data into blocks, in French; the layout and the PDF are shared
//! with every other document. It decides nothing about the code (its format, its lifetime):
//! the caller does.

use time::Date;

use crate::debt_notice::{self, DebtNoticeLetter};
use crate::document::{Block, Document, HeadingLevel, ListStyle, Sender, Span};
use crate::error::PdfError;
use crate::render::render_documents;
use caisse_domain::french::letter_date;

/// Why the member asked for a provisional code; it changes the wording of the letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodePurpose {
    /// First connection: create and activate the online account.
    Activation,
    /// Lost password or access: get back into the account.
    Recovery,
    /// The account was deactivated: reactivate it.
    Reactivation,
}

impl CodePurpose {
    /// The letter's title.
    fn title(self) -> &'static str {
        match self {
            CodePurpose::Activation => "Votre code pour activer votre compte",
            CodePurpose::Recovery => "Votre code pour retrouver l’accès à votre compte",
            CodePurpose::Reactivation => "Votre code pour réactiver votre compte",
        }
    }

    /// « … pour {this} », completing the letter's first sentence.
    fn goal(self) -> &'static str {
        match self {
            CodePurpose::Activation => "créer et activer votre compte en ligne",
            CodePurpose::Recovery => "retrouver l’accès à votre compte en ligne",
            CodePurpose::Reactivation => "réactiver votre compte en ligne",
        }
    }
}

/// One letter carrying a provisional code to one member.
///
/// Every field is printed as given: the caller formats names, addresses and the masked NIR.
/// The letter is in French.
#[derive(Clone, PartialEq, Eq)]
pub struct ProvisionalCodeLetter {
    /// The fund sending the letter (letterhead, footer, phone number to call).
    pub sender: Sender,
    /// The postal address, one line each: « Madame Sophie WEBER », street, « 67000 STRASBOURG ».
    /// Printed where a DL window envelope shows it.
    pub recipient_lines: Vec<String>,
    /// Name used to greet the member: « Bonjour Sophie WEBER, ». When blank, the letter opens
    /// with « Madame, Monsieur, ».
    pub salutation_name: String,
    /// Date of the letter, printed « Le 22 novembre 2026 ».
    pub issued_on: Date,
    /// The provisional code, printed large in a box, e.g. « K7M4-Q9TX ».
    pub code: String,
    /// Last day on which the code works (inclusive).
    pub valid_until: Date,
    /// Why the member asked for the code.
    pub purpose: CodePurpose,
    /// Where to enter the code, e.g. `https://portail.example.fr/code-provisoire`.
    pub portal_url: String,
    /// The member's NIR, already masked by the caller, e.g. « 1 85 05 78 *** *** ** »; shown
    /// as a reference.
    pub nir_masked: String,
}

/// Masks the code, the NIR and the address: a letter in a log must not give the code away.
impl std::fmt::Debug for ProvisionalCodeLetter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProvisionalCodeLetter")
            .field("sender", &self.sender.organisation)
            .field("issued_on", &self.issued_on)
            .field("valid_until", &self.valid_until)
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

impl ProvisionalCodeLetter {
    /// The letter as a document of blocks (title « Votre code provisoire »), to render alone or
    /// with other documents.
    pub fn to_document(&self) -> Document {
        let nbsp = '\u{a0}';
        let phone = self.sender.phone.trim();
        let organisation = self.sender.organisation.trim();
        let valid_until = letter_date(self.valid_until);
        let mut blocks = opening(&self.recipient_lines, self.issued_on, self.purpose.title());
        blocks.extend([
            Block::KeyValueTable {
                rows: vec![
                    (
                        "Votre numéro de sécurité sociale".to_owned(),
                        self.nir_masked.clone(),
                    ),
                    (
                        "Code valable jusqu’au".to_owned(),
                        format!("{valid_until} inclus"),
                    ),
                ],
            },
            salutation(&self.salutation_name),
            Block::paragraph(format!(
                "Vous avez demandé un code provisoire pour {}. Le voici{nbsp}: il vous permet \
                 de vous connecter une seule fois, le temps de choisir votre mot de passe.",
                self.purpose.goal()
            )),
            Block::Highlight {
                label: "Votre code provisoire".to_owned(),
                value: self.code.clone(),
                note: Some(format!(
                    "Valable jusqu’au {valid_until} inclus, pour une seule connexion"
                )),
            },
            Block::heading(HeadingLevel::Section, "Comment utiliser ce code"),
            Block::List {
                style: ListStyle::Numbered,
                items: vec![
                    vec![
                        Span::plain("Rendez-vous sur "),
                        Span::bold(self.portal_url.as_str()),
                        Span::plain("."),
                    ],
                    vec![Span::plain(
                        "Saisissez votre numéro de sécurité sociale (NIR) puis ce code provisoire.",
                    )],
                    vec![Span::plain(
                        "Choisissez ensuite votre mot de passe définitif. C’est lui qui vous \
                         servira pour vos prochaines connexions.",
                    )],
                ],
            },
            Block::paragraph(format!(
                "Ce code est valable jusqu’au {valid_until} inclus et ne fonctionne qu’une \
                 fois. Passé cette date, ou une fois utilisé, il ne sert plus{nbsp}: vous \
                 pourrez alors en demander un nouveau."
            )),
            Block::heading(HeadingLevel::Section, "Votre sécurité"),
            Block::rich(vec![
                Span::plain(format!(
                    "Ce code est personnel{nbsp}: ne le communiquez à personne. "
                )),
                Span::bold(
                    "Nous ne vous demanderons jamais ce code, ni votre mot de passe, par \
                     téléphone ou par e-mail.",
                ),
            ]),
        ]);
        let alert = if phone.is_empty() {
            format!(
                "Vous n’avez pas demandé ce code{nbsp}? Ne l’utilisez pas et contactez \
                 {organisation}{nbsp}: quelqu’un a peut-être tenté d’accéder à votre compte."
            )
        } else {
            format!(
                "Vous n’avez pas demandé ce code{nbsp}? Ne l’utilisez pas et appelez-nous au \
                 {phone}{nbsp}: quelqu’un a peut-être tenté d’accéder à votre compte."
            )
        };
        blocks.push(Block::paragraph(alert));
        blocks.extend(closing(
            organisation,
            format!(
                "Ce courrier a été édité automatiquement à votre demande{nbsp}; il ne porte \
                 pas de signature."
            ),
        ));

        Document {
            title: "Votre code provisoire".to_owned(),
            sender: self.sender.clone(),
            blocks,
        }
    }
}

/// The opening of a letter: the address where a DL window envelope shows it, the date, the
/// title.
pub(crate) fn opening(recipient_lines: &[String], issued_on: Date, title: &str) -> Vec<Block> {
    vec![
        Block::AddressWindow {
            lines: recipient_lines.to_vec(),
        },
        Block::right(format!("Le {}", letter_date(issued_on))),
        Block::heading(HeadingLevel::Title, title),
    ]
}

/// « Bonjour Sophie WEBER, », or « Madame, Monsieur, » when the name is blank.
pub(crate) fn salutation(name: &str) -> Block {
    let name = name.trim();
    if name.is_empty() {
        Block::paragraph("Madame, Monsieur,")
    } else {
        Block::paragraph(format!("Bonjour {name},"))
    }
}

/// The end of a letter: the courtesy formula, the fund's name, then `small_print`.
pub(crate) fn closing(organisation: &str, small_print: String) -> [Block; 3] {
    [
        Block::paragraph("Nous vous prions d’agréer l’expression de nos salutations distinguées."),
        Block::rich(vec![Span::bold(organisation)]),
        Block::SmallPrint(small_print),
    ]
}

/// A letter of the print queue, whatever it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostalLetter {
    /// A provisional code.
    ProvisionalCode(ProvisionalCodeLetter),
    /// An *avis de sommes à payer*.
    DebtNotice(DebtNoticeLetter),
}

impl PostalLetter {
    /// The letter as a document of blocks.
    pub fn to_document(&self) -> Document {
        match self {
            PostalLetter::ProvisionalCode(letter) => letter.to_document(),
            PostalLetter::DebtNotice(letter) => letter.to_document(),
        }
    }
}

/// Renders a print batch of provisional-code letters: [`render_postal_batch`].
///
/// # Errors
/// As [`render_postal_batch`].
pub fn render_letters(letters: &[ProvisionalCodeLetter]) -> Result<Vec<u8>, PdfError> {
    let batch: Vec<PostalLetter> = letters
        .iter()
        .cloned()
        .map(PostalLetter::ProvisionalCode)
        .collect();
    render_postal_batch(&batch)
}

/// Renders a print batch: one PDF holding every letter, each starting on a new page. Its
/// title names the kind of letters when they are all of one kind.
///
/// Errors: [`PdfError::NoLetters`] when `letters` is empty; [`PdfError::UnsupportedCharacter`]
/// when a field holds a character the embedded fonts cannot draw.
pub fn render_postal_batch(letters: &[PostalLetter]) -> Result<Vec<u8>, PdfError> {
    let codes = letters
        .iter()
        .all(|l| matches!(l, PostalLetter::ProvisionalCode(_)));
    let notices = letters
        .iter()
        .all(|l| matches!(l, PostalLetter::DebtNotice(_)));
    let title = match (letters.len(), codes, notices) {
        (0, _, _) => return Err(PdfError::NoLetters),
        (1, true, _) => "Votre code provisoire".to_owned(),
        (1, _, _) => debt_notice::TITLE.to_owned(),
        (n, true, _) => format!("Codes provisoires\u{a0}: lot de {n} courriers"),
        (n, _, true) => format!("Avis de sommes à payer\u{a0}: lot de {n} courriers"),
        (n, _, _) => format!("Courriers\u{a0}: lot de {n} courriers"),
    };
    let documents: Vec<Document> = letters.iter().map(PostalLetter::to_document).collect();
    render_documents(&title, &documents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn letter() -> ProvisionalCodeLetter {
        ProvisionalCodeLetter {
            sender: Sender {
                organisation: "Caisse d’exemple".to_owned(),
                address_lines: vec!["1 rue de l’Exemple".to_owned()],
                phone: "01 23 45 67 89".to_owned(),
                website: "exemple.fr".to_owned(),
            },
            recipient_lines: vec!["Madame Sophie WEBER".to_owned()],
            salutation_name: String::new(),
            issued_on: date!(2026 - 11 - 22),
            code: "K7M4-Q9TX".to_owned(),
            valid_until: date!(2026 - 12 - 06),
            purpose: CodePurpose::Recovery,
            portal_url: "https://portail.example.fr/code-provisoire".to_owned(),
            nir_masked: "1 85 05 78 *** *** **".to_owned(),
        }
    }

    #[test]
    fn debug_hides_the_code_and_the_nir() {
        let shown = format!("{:?}", letter());
        assert!(!shown.contains("K7M4"));
        assert!(!shown.contains("85 05"));
        assert!(!shown.contains("WEBER"));
    }

    #[test]
    fn blank_salutation_name_opens_with_madame_monsieur() {
        let document = letter().to_document();
        assert!(
            document
                .blocks
                .contains(&Block::paragraph("Madame, Monsieur,"))
        );
        let named = ProvisionalCodeLetter {
            salutation_name: "Sophie WEBER".to_owned(),
            ..letter()
        };
        assert!(
            named
                .to_document()
                .blocks
                .contains(&Block::paragraph("Bonjour Sophie WEBER,"))
        );
    }

    #[test]
    fn each_purpose_has_its_own_title() {
        let titles: Vec<Block> = [
            CodePurpose::Activation,
            CodePurpose::Recovery,
            CodePurpose::Reactivation,
        ]
        .into_iter()
        .map(|purpose| {
            let document = ProvisionalCodeLetter {
                purpose,
                ..letter()
            }
            .to_document();
            document.blocks[2].clone()
        })
        .collect();
        assert_eq!(
            titles,
            [
                Block::heading(HeadingLevel::Title, "Votre code pour activer votre compte"),
                Block::heading(
                    HeadingLevel::Title,
                    "Votre code pour retrouver l’accès à votre compte"
                ),
                Block::heading(
                    HeadingLevel::Title,
                    "Votre code pour réactiver votre compte"
                ),
            ]
        );
    }

    #[test]
    fn an_empty_batch_is_refused() {
        assert_eq!(render_letters(&[]), Err(PdfError::NoLetters));
    }
}
