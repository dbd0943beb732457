//! The *certificat provisoire de remplacement* (CPR) of the European Health Insurance Card
//! (*carte européenne d'assurance maladie*, CEAM): what a member gets at once when ordering a
//! card, to be covered abroad until the card arrives.
//!
//! It prints the certificate's period of validity, then the fields of the card with their
//! European numbers (3 to 9, the model every Member State's professionals know) and its date
//! of issue, on one page. Like the other documents it only turns data into blocks, in French: the caller
//! computes the period (three months) and formats the names and numbers.

use time::Date;

use crate::document::{Block, Document, HeadingLevel, ListStyle, Sender, Span};
use crate::error::PdfError;
use crate::printable::replace_unsupported;
use crate::render::render_documents;
use caisse_domain::french::{letter_date, numeric_date, numeric_period};

const NBSP: char = '\u{a0}';

/// The certificate's heading, as the European model names it.
const HEADING: &str = "Certificat provisoire de remplacement de la carte européenne d’assurance \
                       maladie";

/// Its short title: the outline entry and the PDF title.
const TITLE: &str = "Certificat provisoire de remplacement de la CEAM";

/// One certificate, for one person (each member of a family, children included, has their
/// own card and so their own certificate).
#[derive(Clone, PartialEq, Eq)]
pub struct ProvisionalReplacementCertificate {
    /// The fund issuing it (letterhead and footer).
    pub sender: Sender,
    /// Field 3, the holder's name: « WEBER ».
    pub last_name: String,
    /// Field 4, the holder's given names: « Léa Marie ».
    pub given_names: String,
    /// Field 5, the holder's birth date.
    pub birth_date: Date,
    /// Field 6, the personal identification number: the NIR, printed as given.
    pub personal_identification_number: String,
    /// Field 7, the competent institution's name: « CPAM du Bas-Rhin ».
    pub institution_name: String,
    /// Field 7, the competent institution's identification code: « 01671 ».
    pub institution_code: String,
    /// Field 8, the certificate's number (it stands for the card's).
    pub card_identification: String,
    /// First day the certificate is valid.
    pub valid_from: Date,
    /// Last day it is valid; also field 9, the expiry date.
    pub valid_to: Date,
    /// Day of issue.
    pub issued_on: Date,
}

/// Shows the dates only: the name, birth date, NIR and numbers identify the holder.
impl std::fmt::Debug for ProvisionalReplacementCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProvisionalReplacementCertificate")
            .field("sender", &self.sender.organisation)
            .field("valid_from", &self.valid_from)
            .field("valid_to", &self.valid_to)
            .field("issued_on", &self.issued_on)
            .finish_non_exhaustive()
    }
}

impl ProvisionalReplacementCertificate {
    /// The certificate as a document of blocks, on one A4 page.
    pub fn to_document(&self) -> Document {
        let organisation = self.sender.organisation.trim();
        let period = numeric_period(self.valid_from, Some(self.valid_to));
        let field =
            |number: &str, label: &str, value: String| (format!("{number}.{NBSP}{label}"), value);
        let blocks = vec![
            Block::heading(HeadingLevel::Title, HEADING),
            Block::paragraph(
                "Ce certificat remplace provisoirement la carte européenne d’assurance maladie \
                 (CEAM) en attendant qu’elle arrive. Il donne les mêmes droits aux soins devenus \
                 nécessaires pendant un séjour temporaire dans un pays de l’Union européenne ou \
                 de l’Espace économique européen, en Suisse ou au Royaume-Uni.",
            ),
            Block::Highlight {
                label: "Période de validité du certificat".to_owned(),
                value: period,
                note: None,
            },
            Block::heading(HeadingLevel::Section, "Les informations de la carte"),
            Block::KeyValueTable {
                rows: vec![
                    // First, as the card shows the issuing state's code before its fields.
                    (
                        "État membre de délivrance".to_owned(),
                        "France (FR)".to_owned(),
                    ),
                    field("3", "Nom", self.last_name.clone()),
                    field("4", "Prénoms", self.given_names.clone()),
                    field("5", "Date de naissance", numeric_date(self.birth_date)),
                    field(
                        "6",
                        "Numéro d’identification personnel",
                        self.personal_identification_number.clone(),
                    ),
                    field(
                        "7",
                        "Numéro d’identification de l’institution",
                        format!(
                            "{} - {}",
                            self.institution_code.trim(),
                            self.institution_name.trim()
                        ),
                    ),
                    field(
                        "8",
                        "Numéro d’identification de la carte",
                        self.card_identification.clone(),
                    ),
                    field("9", "Date d’expiration", numeric_date(self.valid_to)),
                    (
                        "Date de délivrance du certificat".to_owned(),
                        numeric_date(self.issued_on),
                    ),
                ],
            },
            Block::heading(HeadingLevel::Section, "À savoir"),
            Block::List {
                style: ListStyle::Bulleted,
                items: vec![
                    vec![Span::plain(format!(
                        "Ce certificat est personnel{NBSP}: chaque membre de la famille, enfants \
                         compris, a le sien."
                    ))],
                    vec![
                        Span::plain("Il n’est valable que "),
                        Span::bold(format!(
                            "du {} au {}",
                            letter_date(self.valid_from),
                            letter_date(self.valid_to)
                        )),
                        Span::plain(
                            ". Il ne couvre ni les soins programmés à l’étranger, ni le \
                             rapatriement.",
                        ),
                    ],
                    vec![Span::plain(format!(
                        "Selon le pays, vous pourrez avoir à avancer les frais{NBSP}: gardez vos \
                         factures."
                    ))],
                    vec![Span::plain(format!(
                        "Il ne sert pas en France{NBSP}: pour vos soins en France, présentez \
                         votre carte Vitale."
                    ))],
                ],
            },
            Block::SmallPrint(format!(
                "Certificat délivré par l’institution compétente ({organisation}) au titre des \
                 règlements (CE) n°{NBSP}883/2004 et n°{NBSP}987/2009{NBSP}; édité \
                 électroniquement, sans signature manuscrite ni cachet."
            )),
        ];
        Document {
            title: TITLE.to_owned(),
            sender: self.sender.clone(),
            blocks,
        }
    }
}

/// Renders one certificate as a PDF. Names come from the member file: a character the fonts
/// cannot draw prints as « � » rather than failing the download.
///
/// Errors: [`PdfError::Rendering`] if krilla refuses the file.
pub fn render_ceam_certificate(
    certificate: &ProvisionalReplacementCertificate,
) -> Result<Vec<u8>, PdfError> {
    let mut document = certificate.to_document();
    replace_unsupported(&mut document)?;
    render_documents(TITLE, &[document])
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn debug_hides_the_holder_and_the_numbers() {
        let certificate = ProvisionalReplacementCertificate {
            sender: Sender {
                organisation: "Caisse d’exemple".to_owned(),
                address_lines: Vec::new(),
                phone: String::new(),
                website: String::new(),
            },
            last_name: "WEBER".to_owned(),
            given_names: "Léa".to_owned(),
            birth_date: date!(2012 - 06 - 04),
            personal_identification_number: "2 82 12 67 482 023 55".to_owned(),
            institution_name: "CPAM du Bas-Rhin".to_owned(),
            institution_code: "01671".to_owned(),
            card_identification: "80250000019876543210".to_owned(),
            valid_from: date!(2026 - 12 - 05),
            valid_to: date!(2027 - 03 - 04),
            issued_on: date!(2026 - 12 - 05),
        };
        let shown = format!("{certificate:?}");
        for hidden in ["WEBER", "Léa", "2012", "482", "01671", "8025"] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
    }
}
