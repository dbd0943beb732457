//! The letter that notifies the decision on a dossier of « Mes démarches »: a procedure filed
//! by a member (a birth declaration, a C2S application…) and decided by an advisor, or by the
//! fund's silence when the time to answer ran out.
//!
//! Like the other letters it only turns data into blocks, in French: the caller decides the
//! outcome, writes the reasons and the effects, and chooses the recourse paragraph (usually
//! [`default_recourse_text`]). The one rule enforced here is the one a letter cannot do
//! without: an explicit refusal states its reasons.

use time::Date;

use crate::document::{Block, Document, HeadingLevel, Sender};
use crate::error::PdfError;
use crate::letters::{closing, opening, salutation};
use crate::printable::replace_unsupported;
use crate::render::render_documents;
use caisse_domain::french::letter_date;

const NBSP: char = '\u{a0}';

/// How the dossier was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionOutcome {
    /// Accepted by an advisor.
    Accepted,
    /// Refused by an advisor: the letter must give the reasons.
    Refused,
    /// *Classé sans suite*: closed without a decision on the merits (withdrawn, incomplete…).
    ClosedWithoutFollowUp,
    /// *Accord implicite*: the time to answer ran out and silence means acceptance.
    AcceptedBySilence,
    /// *Rejet implicite*: the time to answer ran out and silence means rejection.
    RefusedBySilence,
}

impl DecisionOutcome {
    /// The letter's heading: the decision, first thing read after the date.
    fn headline(self) -> &'static str {
        match self {
            DecisionOutcome::Accepted => "Votre demande est acceptée",
            DecisionOutcome::Refused => "Votre demande est refusée",
            DecisionOutcome::ClosedWithoutFollowUp => "Votre demande est classée sans suite",
            DecisionOutcome::AcceptedBySilence => "Votre demande est acceptée (accord implicite)",
            DecisionOutcome::RefusedBySilence => "Votre demande est rejetée (rejet implicite)",
        }
    }
}

/// One letter notifying the decision on one dossier to the member who filed it.
///
/// Every text is printed as given, in French. `Debug` shows neither the addressee, the
/// procedure, the reference nor any text of the decision.
#[derive(Clone, PartialEq, Eq)]
pub struct DossierDecisionLetter {
    /// The fund sending the letter (letterhead, footer, phone number to call).
    pub sender: Sender,
    /// The postal address, one line each, printed where a DL window envelope shows it.
    pub recipient_lines: Vec<String>,
    /// Name used to greet the member; blank opens with « Madame, Monsieur, ».
    pub salutation_name: String,
    /// Date of the letter.
    pub issued_on: Date,
    /// The procedure, e.g. « Déclaration de naissance ».
    pub procedure_title: String,
    /// The reference shown to the member, e.g. « D-2026-000123 ».
    pub dossier_reference: String,
    /// The day the member filed the dossier.
    pub filed_on: Date,
    /// Whom the dossier was filed for, when not the member: « Léa WEBER ».
    pub person_concerned: Option<String>,
    /// The outcome.
    pub decision: DecisionOutcome,
    /// The reasons, one paragraph each; required for [`DecisionOutcome::Refused`].
    pub reasons: Vec<String>,
    /// What the decision grants, as label/value rows, e.g. « Période de droits » →
    /// « du 1er janvier 2027 au 31 décembre 2027 ». Empty for none.
    pub details: Vec<(String, String)>,
    /// What follows from the decision, one paragraph each, e.g. « Votre enfant figure
    /// désormais sur votre attestation de droits. ».
    pub effects: Vec<String>,
    /// The recourse paragraph, usually [`default_recourse_text`]; `None` prints none.
    pub recourse: Option<String>,
    /// Who signs, e.g. « Le service des prestations »; blank signs with the fund's name.
    pub signatory: String,
}

/// Shows the outcome and dates only: who filed what is personal, and the texts may say why.
impl std::fmt::Debug for DossierDecisionLetter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DossierDecisionLetter")
            .field("sender", &self.sender.organisation)
            .field("issued_on", &self.issued_on)
            .field("filed_on", &self.filed_on)
            .field("decision", &self.decision)
            .field("reasons", &self.reasons.len())
            .field("effects", &self.effects.len())
            .finish_non_exhaustive()
    }
}

/// The usual recourse paragraph of a decision of a health-insurance fund: the commission de
/// recours amiable within two months (Code de la sécurité sociale, R. 142-1), then the pôle
/// social of the tribunal judiciaire. A refusal that does not state this delay cannot have it
/// held against the member, hence a ready-made text.
pub fn default_recourse_text(fund_name: &str) -> String {
    let fund_name = fund_name.trim();
    let commission = if fund_name.is_empty() {
        "la commission de recours amiable (CRA) de votre caisse".to_owned()
    } else {
        format!("la commission de recours amiable (CRA) de votre caisse, {fund_name},")
    };
    format!(
        "Si vous contestez cette décision, vous pouvez saisir {commission} dans un délai de \
         deux mois à compter de la réception de ce courrier. Adressez-lui votre réclamation par \
         écrit, en expliquant pourquoi vous contestez cette décision et en joignant une copie \
         de ce courrier. Si la commission rejette votre réclamation, ou ne vous a pas répondu \
         dans les deux mois qui suivent sa réception, vous pourrez saisir le pôle social du \
         tribunal judiciaire dans un délai de deux mois."
    )
}

impl DossierDecisionLetter {
    /// The document's title: the outline entry and the PDF title.
    pub fn title(&self) -> String {
        format!(
            "Décision sur votre dossier {}",
            self.dossier_reference.trim()
        )
    }

    /// The letter as a document of blocks.
    ///
    /// Errors: [`PdfError::MissingReasons`] for a refusal without reasons.
    pub fn to_document(&self) -> Result<Document, PdfError> {
        let reasons: Vec<&str> = self
            .reasons
            .iter()
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
            .collect();
        if self.decision == DecisionOutcome::Refused && reasons.is_empty() {
            return Err(PdfError::MissingReasons);
        }
        let organisation = self.sender.organisation.trim();
        let reference = self.dossier_reference.trim();

        let mut blocks = opening(
            &self.recipient_lines,
            self.issued_on,
            self.decision.headline(),
        );
        let mut rows = vec![
            ("Démarche".to_owned(), self.procedure_title.clone()),
            ("Référence du dossier".to_owned(), reference.to_owned()),
            ("Demande déposée le".to_owned(), letter_date(self.filed_on)),
        ];
        if let Some(person) = &self.person_concerned {
            rows.push(("Personne concernée".to_owned(), person.clone()));
        }
        blocks.push(Block::KeyValueTable { rows });
        blocks.push(salutation(&self.salutation_name));
        blocks.push(Block::paragraph(self.announcement(!reasons.is_empty())));

        if !self.details.is_empty() {
            blocks.push(Block::heading(
                HeadingLevel::Section,
                "Le détail de la décision",
            ));
            blocks.push(Block::KeyValueTable {
                rows: self.details.clone(),
            });
        }
        if !reasons.is_empty() {
            blocks.push(Block::heading(
                HeadingLevel::Section,
                "Les motifs de la décision",
            ));
            blocks.extend(reasons.into_iter().map(Block::paragraph));
        } else if self.decision == DecisionOutcome::RefusedBySilence {
            // An implicit rejection carries no reasons, but the member is entitled to them
            // (Code des relations entre le public et l'administration, L. 232-4).
            blocks.push(Block::heading(
                HeadingLevel::Section,
                "Les motifs de la décision",
            ));
            blocks.push(Block::paragraph(format!(
                "Vous pouvez nous demander les motifs de ce rejet implicite tant que le délai de \
                 recours n’est pas écoulé{NBSP}: ils vous seront communiqués dans le mois qui \
                 suit votre demande."
            )));
        }
        if !self.effects.is_empty() {
            blocks.push(Block::heading(
                HeadingLevel::Section,
                "Les suites de cette décision",
            ));
            blocks.extend(self.effects.iter().map(|e| Block::paragraph(e.as_str())));
        }
        if let Some(recourse) = &self.recourse {
            blocks.push(Block::heading(
                HeadingLevel::Section,
                "Vos voies de recours",
            ));
            blocks.push(Block::paragraph(recourse.as_str()));
        }

        let phone = self.sender.phone.trim();
        blocks.push(Block::paragraph(if phone.is_empty() {
            format!(
                "Pour toute question, écrivez à {organisation} en rappelant la référence \
                 {reference}."
            )
        } else {
            format!(
                "Pour toute question, appelez-nous au {phone} en rappelant la référence \
                 {reference}."
            )
        }));
        let signatory = match self.signatory.trim() {
            "" => organisation,
            signatory => signatory,
        };
        let [courtesy, signature, small_print] = closing(
            signatory,
            format!(
                "Courrier édité automatiquement d’après la décision enregistrée{NBSP}; il ne \
                 porte pas de signature manuscrite."
            ),
        );
        blocks.extend([courtesy, signature]);
        if signatory != organisation {
            blocks.push(Block::paragraph(organisation));
        }
        blocks.push(small_print);

        Ok(Document {
            title: self.title(),
            sender: self.sender.clone(),
            blocks,
        })
    }

    /// The sentence that says what was decided on which request.
    fn announcement(&self, with_reasons: bool) -> String {
        let for_whom = match &self.person_concerned {
            Some(person) => format!(" pour {}", person.trim()),
            None => String::new(),
        };
        let request = format!(
            "demande «{NBSP}{}{NBSP}»{for_whom}, déposée le {},",
            self.procedure_title.trim(),
            letter_date(self.filed_on)
        );
        let below = if with_reasons {
            ", pour les motifs indiqués ci-dessous".to_owned()
        } else {
            String::new()
        };
        match self.decision {
            DecisionOutcome::Accepted => {
                format!("Votre {request} a été examinée{NBSP}: elle est acceptée.")
            }
            DecisionOutcome::Refused => format!(
                "Votre {request} a été examinée{NBSP}: nous ne pouvons pas y donner une suite \
                 favorable. Elle est refusée{below}."
            ),
            DecisionOutcome::ClosedWithoutFollowUp => {
                format!("Votre {request} est classée sans suite{below}.")
            }
            DecisionOutcome::AcceptedBySilence => format!(
                "Faute de réponse de notre part dans le délai prévu, votre {request} est \
                 acceptée{NBSP}: c’est un accord implicite. Ce courrier vous le confirme."
            ),
            DecisionOutcome::RefusedBySilence => format!(
                "Faute de réponse de notre part dans le délai prévu, votre {request} est \
                 rejetée{NBSP}: c’est un rejet implicite. Ce courrier vous le confirme."
            ),
        }
    }
}

/// Renders one decision letter as a PDF, alone (to download or to print). Names and texts come
/// from the member file and from advisors: a character the fonts cannot draw prints as « � »
/// rather than holding the decision back.
///
/// Errors: [`PdfError::MissingReasons`] for a refusal without reasons.
pub fn render_dossier_decision(letter: &DossierDecisionLetter) -> Result<Vec<u8>, PdfError> {
    let mut document = letter.to_document()?;
    replace_unsupported(&mut document)?;
    render_documents(&document.title.clone(), &[document])
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn letter(decision: DecisionOutcome) -> DossierDecisionLetter {
        DossierDecisionLetter {
            sender: Sender {
                organisation: "Caisse d’exemple".to_owned(),
                address_lines: vec!["1 rue de l’Exemple".to_owned()],
                phone: "01 23 45 67 89".to_owned(),
                website: "exemple.fr".to_owned(),
            },
            recipient_lines: vec!["Madame Sophie WEBER".to_owned()],
            salutation_name: "Sophie WEBER".to_owned(),
            issued_on: date!(2026 - 12 - 05),
            procedure_title: "Déclaration de naissance".to_owned(),
            dossier_reference: "D-2026-000123".to_owned(),
            filed_on: date!(2026 - 11 - 03),
            person_concerned: Some("Léa WEBER".to_owned()),
            decision,
            reasons: Vec::new(),
            details: Vec::new(),
            effects: Vec::new(),
            recourse: None,
            signatory: "Le service des prestations".to_owned(),
        }
    }

    #[test]
    fn a_refusal_without_reasons_is_refused() {
        let refused = DossierDecisionLetter {
            reasons: vec!["  ".to_owned()],
            ..letter(DecisionOutcome::Refused)
        };
        assert_eq!(refused.to_document(), Err(PdfError::MissingReasons));
        assert_eq!(
            render_dossier_decision(&refused),
            Err(PdfError::MissingReasons)
        );
        // Other outcomes may go without.
        for decision in [
            DecisionOutcome::Accepted,
            DecisionOutcome::ClosedWithoutFollowUp,
            DecisionOutcome::AcceptedBySilence,
            DecisionOutcome::RefusedBySilence,
        ] {
            assert!(letter(decision).to_document().is_ok(), "{decision:?}");
        }
    }

    #[test]
    fn an_implicit_rejection_without_reasons_tells_how_to_get_them() {
        let document = letter(DecisionOutcome::RefusedBySilence)
            .to_document()
            .unwrap();
        assert!(document.blocks.iter().any(|b| matches!(
            b,
            Block::Paragraph { spans, .. } if spans[0].text.contains("demander les motifs")
        )));
    }

    #[test]
    fn each_outcome_has_its_own_headline() {
        let headlines: Vec<Block> = [
            DecisionOutcome::Accepted,
            DecisionOutcome::ClosedWithoutFollowUp,
            DecisionOutcome::AcceptedBySilence,
            DecisionOutcome::RefusedBySilence,
        ]
        .into_iter()
        .map(|decision| letter(decision).to_document().unwrap().blocks[2].clone())
        .collect();
        assert_eq!(
            headlines,
            [
                Block::heading(HeadingLevel::Title, "Votre demande est acceptée"),
                Block::heading(HeadingLevel::Title, "Votre demande est classée sans suite"),
                Block::heading(
                    HeadingLevel::Title,
                    "Votre demande est acceptée (accord implicite)"
                ),
                Block::heading(
                    HeadingLevel::Title,
                    "Votre demande est rejetée (rejet implicite)"
                ),
            ]
        );
    }

    #[test]
    fn a_blank_signatory_signs_with_the_fund_once() {
        let document = DossierDecisionLetter {
            signatory: " ".to_owned(),
            ..letter(DecisionOutcome::Accepted)
        }
        .to_document()
        .unwrap();
        let named = document
            .blocks
            .iter()
            .filter(|b| format!("{b:?}").contains("Caisse d’exemple"))
            .count();
        assert_eq!(named, 1);
    }

    #[test]
    fn the_default_recourse_names_the_commission_the_fund_and_the_delay() {
        let text = default_recourse_text("CPAM du Bas-Rhin");
        assert!(
            text.contains("commission de recours amiable (CRA) de votre caisse, CPAM du Bas-Rhin,")
        );
        assert!(text.contains("deux mois"));
        assert!(text.contains("pôle social du tribunal judiciaire"));
        assert!(default_recourse_text(" ").contains("de votre caisse dans un délai"));
    }

    #[test]
    fn debug_hides_the_addressee_the_procedure_and_the_texts() {
        let shown = format!(
            "{:?}",
            DossierDecisionLetter {
                reasons: vec!["Ressources supérieures au plafond".to_owned()],
                ..letter(DecisionOutcome::Refused)
            }
        );
        for hidden in ["WEBER", "naissance", "D-2026", "Ressources"] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
        assert!(shown.contains("Refused"));
    }
}
