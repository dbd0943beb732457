//! The attestations a member downloads: the *attestation de droits* (domain.md §9.1: who is
//! covered, by which fund, under which régime and code de gestion, for which period, with the
//! optional complementary mentions) and the *attestation de carte Vitale* (what the card
//! holds). Both end with a verification box: a QR code carrying the signed statement and the
//! short code to type on the verification page.
//!
//! Like the letters, this only turns plain data into blocks, in French; the caller decides
//! what is attested, signs it and formats names and numbers.

use time::Date;

use crate::document::{Block, Document, FileInfo, HeadingLevel, Sender, Span};
use crate::error::PdfError;
use crate::render::render_documents_with;
use caisse_domain::french::{letter_date, numeric_date, numeric_period};

/// Which attestation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttestationKind {
    /// *Attestation de droits*: for a mutuelle, an employer, a hospital.
    Droits,
    /// *Attestation de carte Vitale*: what the holder's card carries.
    CarteVitale {
        /// The card's serial number, when the file holds it.
        serial: Option<String>,
    },
}

/// The insured person, under whose NIR everyone listed is covered.
#[derive(Clone, PartialEq, Eq)]
pub struct InsuredIdentity {
    /// Birth name, e.g. « WEBER ».
    pub last_name: String,
    /// Usage name, when different.
    pub usage_name: Option<String>,
    /// First name.
    pub first_name: String,
    /// Birth date.
    pub birth_date: Date,
    /// The NIR as printed, 15 characters in groups: « 2 82 12 67 482 023 55 ».
    pub nir: String,
}

/// The fund and the rules that cover the family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// The fund's name, e.g. « CPAM du Bas-Rhin ».
    pub fund_name: String,
    /// The code of the organisme de rattachement as printed, e.g. « 01 671 » (régime and
    /// fund).
    pub organisme_code: String,
    /// « Régime général (01) ».
    pub regime: String,
    /// Two digits, e.g. « 10 ».
    pub code_gestion: String,
    /// First day attested.
    pub valid_from: Date,
    /// Last day attested.
    pub valid_to: Date,
}

/// One person covered.
#[derive(Clone, PartialEq, Eq)]
pub struct AttestedPerson {
    /// As printed: « Emma WEBER ».
    pub name: String,
    /// Birth date.
    pub birth_date: Date,
    /// 1 for the insured person, 2–19 for ayants droit.
    pub rank: u8,
    /// Whether a médecin traitant is declared.
    pub doctor_declared: bool,
}

/// An exemption of the ticket modérateur, as printed.
#[derive(Clone, PartialEq, Eq)]
pub struct AttestedExemption {
    /// Who, as in [`AttestedPerson::name`]: « Kévin HOARAU ».
    pub person: String,
    /// « ALD », « Maternité »…
    pub nature: String,
    /// « 100 % ».
    pub rate: String,
    /// First day.
    pub from: Date,
    /// Last day, when known.
    pub to: Option<Date>,
}

/// The complementary mentions (*mentions complémentaires*), printed when asked for.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// Exemptions in force.
    pub exemptions: Vec<AttestedExemption>,
    /// The Alsace-Moselle local regime's rate on doctors' fees, when it applies (90 %).
    pub local_regime_rate: Option<String>,
    /// The C2S in force: its form (« sans participation financière ») and period.
    pub c2s: Option<(String, Date, Option<Date>)>,
}

/// How anyone checks the attestation.
#[derive(Clone, PartialEq, Eq)]
pub struct Verification {
    /// What the QR code carries: the verification page's URL holding the signed statement
    /// (`https://…/verifier?a=CAISSE-ATT1:…`), which a phone's camera opens.
    pub qr_data: String,
    /// The signed statement itself (`CAISSE-ATT1:…`): the document's keywords, where programs
    /// and the verification of an uploaded file read it.
    pub statement: String,
    /// The short code, as printed: « 7K3M-Q9TX-2BCF ».
    pub code: String,
    /// The public verification page, e.g. `https://portail.example.fr/verifier`.
    pub url: String,
}

/// One attestation, ready to print.
#[derive(Clone, PartialEq, Eq)]
pub struct Attestation {
    /// Droits or carte Vitale.
    pub kind: AttestationKind,
    /// The fund issuing it (letterhead and footer).
    pub sender: Sender,
    /// The insured person's postal address, one line each (shown in the envelope window).
    pub recipient_lines: Vec<String>,
    /// Day of issue.
    pub issued_on: Date,
    /// The insured person.
    pub insured: InsuredIdentity,
    /// Fund, régime, code de gestion, period.
    pub coverage: Coverage,
    /// The people attested, the insured person first when listed.
    pub people: Vec<AttestedPerson>,
    /// The complementary mentions, when asked for (always for a carte Vitale attestation:
    /// the card carries them).
    pub mentions: Option<Mentions>,
    /// The verification box.
    pub verification: Verification,
}

/// Masks the NIR, names and health data: an attestation in a log must not give them away.
impl std::fmt::Debug for Attestation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attestation")
            .field("kind", &self.kind)
            .field("issued_on", &self.issued_on)
            .field("people", &self.people.len())
            .field("code", &self.verification.code)
            .finish_non_exhaustive()
    }
}

impl AttestationKind {
    fn title(&self) -> &'static str {
        match self {
            AttestationKind::Droits => "Attestation de droits à l’assurance maladie",
            AttestationKind::CarteVitale { .. } => "Attestation de carte Vitale",
        }
    }
}

impl Attestation {
    /// The attestation as a document of blocks, on one A4 page for a family with every mention.
    pub fn to_document(&self) -> Document {
        let nbsp = '\u{a0}';
        let title = self.kind.title();
        let organisation = self.sender.organisation.trim();
        let coverage = &self.coverage;
        let validity = numeric_period(coverage.valid_from, Some(coverage.valid_to));
        let mut blocks = vec![
            Block::AddressWindow {
                lines: self.recipient_lines.clone(),
            },
            Block::heading(HeadingLevel::Title, title),
            Block::paragraph(match self.kind {
                AttestationKind::Droits => format!(
                    "{organisation} atteste les droits à l’assurance maladie des personnes \
                     ci-dessous pour la période de validité indiquée, sauf changement de \
                     situation."
                ),
                AttestationKind::CarteVitale { .. } => format!(
                    "{organisation} atteste que la carte Vitale de l’assuré(e) ci-dessous porte \
                     les informations suivantes."
                ),
            }),
            Block::heading(HeadingLevel::Section, "Assuré(e) et organisme"),
        ];
        let insured = &self.insured;
        let mut rows = vec![
            (
                "Nom".to_owned(),
                match &insured.usage_name {
                    Some(usage) => format!("{} (nom d’usage{nbsp}: {usage})", insured.last_name),
                    None => insured.last_name.clone(),
                },
            ),
            ("Prénom".to_owned(), insured.first_name.clone()),
        ];
        rows.push((
            "Date de naissance".to_owned(),
            numeric_date(insured.birth_date),
        ));
        rows.push((
            "Numéro de sécurité sociale (NIR)".to_owned(),
            insured.nir.clone(),
        ));
        if let AttestationKind::CarteVitale { serial } = &self.kind {
            rows.push((
                "Numéro de série de la carte".to_owned(),
                serial
                    .clone()
                    .unwrap_or_else(|| "non communiqué".to_owned()),
            ));
        }
        rows.push((
            "Organisme de rattachement".to_owned(),
            format!("{} (code {})", coverage.fund_name, coverage.organisme_code),
        ));
        rows.push(("Régime".to_owned(), coverage.regime.clone()));
        rows.push(("Code de gestion".to_owned(), coverage.code_gestion.clone()));
        rows.push(("Période de validité".to_owned(), validity));
        if let Some(mentions) = &self.mentions {
            rows.push((
                "Régime local d’Alsace-Moselle".to_owned(),
                match &mentions.local_regime_rate {
                    Some(rate) => format!("oui, honoraires pris en charge à {rate}"),
                    None => "non".to_owned(),
                },
            ));
            rows.push((
                "Complémentaire santé solidaire".to_owned(),
                match &mentions.c2s {
                    Some((label, from, to)) => format!("{label}, {}", numeric_period(*from, *to)),
                    None => "non".to_owned(),
                },
            ));
        }
        blocks.push(Block::KeyValueTable { rows });

        blocks.push(Block::heading(
            HeadingLevel::Section,
            if self.mentions.is_some() {
                "Bénéficiaires et exonérations du ticket modérateur"
            } else {
                "Bénéficiaires"
            },
        ));
        blocks.push(self.people_table());
        if self.mentions.is_none() {
            blocks.push(Block::SmallPrint(format!(
                "Attestation éditée sans les mentions complémentaires (exonération du ticket \
                 modérateur, régime local d’Alsace-Moselle, Complémentaire santé solidaire){nbsp}\
                 : demandez-la avec ces mentions si votre interlocuteur en a besoin."
            )));
        }

        let v = &self.verification;
        blocks.push(Block::QrCode {
            data: v.qr_data.clone(),
            alt_text: format!(
                "Code QR de vérification. Il contient la déclaration signée par la caisse{nbsp}: \
                 personnes couvertes, caisse, période de validité et date d’édition. Code à \
                 saisir{nbsp}: {}.",
                v.code
            ),
            caption: vec![
                vec![Span::bold("Vérifier cette attestation")],
                vec![
                    Span::plain(format!(
                        "Elle est signée électroniquement par votre caisse. Toute personne peut \
                         la vérifier, sans compte, sur {} avec le code ",
                        v.url
                    )),
                    Span::bold(v.code.as_str()),
                    Span::plain(" ou en scannant ce code QR."),
                ],
                vec![Span::plain(format!(
                    "Attestation n°{nbsp}{}, éditée le {}.",
                    v.code,
                    letter_date(self.issued_on)
                ))],
            ],
        });

        Document {
            title: title.to_owned(),
            sender: self.sender.clone(),
            blocks,
        }
    }

    /// The people attested, with their exemptions in a last column when the mentions are
    /// asked for.
    fn people_table(&self) -> Block {
        let mut headers = vec![
            "Nom et prénom".to_owned(),
            "Né(e) le".to_owned(),
            "Rang".to_owned(),
            "Médecin traitant".to_owned(),
        ];
        let mut weights = vec![5, 3, 2, 3];
        if self.mentions.is_some() {
            headers.push("Exonération".to_owned());
            weights = vec![11, 6, 3, 10, 15];
        }
        let rows = self
            .people
            .iter()
            .map(|p| {
                let mut row = vec![
                    p.name.clone(),
                    numeric_date(p.birth_date),
                    format!("{:02}", p.rank),
                    if p.doctor_declared {
                        "déclaré".to_owned()
                    } else {
                        "non déclaré".to_owned()
                    },
                ];
                if let Some(mentions) = &self.mentions {
                    let exemptions: Vec<String> = mentions
                        .exemptions
                        .iter()
                        .filter(|e| e.person == p.name)
                        .map(|e| {
                            format!(
                                "{} à {}, {}",
                                e.nature,
                                e.rate,
                                numeric_period(e.from, e.to)
                            )
                        })
                        .collect();
                    row.push(if exemptions.is_empty() {
                        "aucune".to_owned()
                    } else {
                        exemptions.join(" ; ")
                    });
                }
                row
            })
            .collect();
        Block::Table {
            headers,
            weights,
            rows,
        }
    }
}

/// Renders one attestation as a PDF. The QR code's data is also written as a keyword of the
/// file's metadata, so a program can read the signed statement back from the file without
/// decoding the picture.
///
/// Errors: [`PdfError::UnsupportedCharacter`] when a field holds a character the embedded fonts
/// cannot draw, [`PdfError::QrCodeTooLong`] when the statement does not fit a QR code.
pub fn render_attestation(attestation: &Attestation) -> Result<Vec<u8>, PdfError> {
    let document = attestation.to_document();
    let info = FileInfo {
        subject: Some(format!(
            "{}, code de vérification {}",
            attestation.kind.title(),
            attestation.verification.code
        )),
        keywords: vec![attestation.verification.statement.clone()],
    };
    render_documents_with(&document.title.clone(), &[document], &info)
}
