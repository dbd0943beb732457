//! A message thread of « Ma messagerie » as a PDF the member downloads (or a staff member prints for
//! them): what the thread is about, where it stands, and every message in order with its
//! author and attachments.
//!
//! It only turns the caller's data into blocks, in French. The caller decides what the reader
//! may see: labels are given already in the reader's terms (« Vous », « Votre conseiller »),
//! instants already in their legal time, and internal notes are never handed in. Text typed by
//! people goes through [`replace_unsupported`], so an emoji never prevents the download.

use time::{Date, PrimitiveDateTime};

use crate::document::{Block, Document, HeadingLevel, ListStyle, Sender, Span};
use crate::error::PdfError;
use crate::printable::replace_unsupported;
use crate::render::render_documents;
use caisse_domain::french::{letter_date, letter_date_time};

/// One message of the thread, as the reader sees it.
#[derive(Clone, PartialEq, Eq)]
pub struct TranscriptMessage {
    /// Who wrote it, in the reader's terms: « Vous », « Votre conseiller »…
    pub author: String,
    /// When, in the reader's legal time.
    pub written_at: PrimitiveDateTime,
    /// The text; line breaks are kept (each line is a paragraph).
    pub body: String,
    /// File names of its attachments, in order; none printed when empty.
    pub attachments: Vec<String>,
}

/// A thread and its messages, oldest first.
#[derive(Clone, PartialEq, Eq)]
pub struct ThreadTranscript {
    /// The fund (letterhead and footer).
    pub sender: Sender,
    /// Reference quoted on the phone, e.g. « M-2026-K7Q3-9DXA ».
    pub reference: String,
    /// Subject line written by the member.
    pub subject: String,
    /// Objet label, e.g. « Feuille de soins ».
    pub objet: String,
    /// Nature label, e.g. « Demande de renseignements ».
    pub nature: String,
    /// Status label, e.g. « En cours d'instruction ».
    pub status: String,
    /// When the first message was sent.
    pub opened_at: PrimitiveDateTime,
    /// Last activity.
    pub updated_at: PrimitiveDateTime,
    /// Date by which an answer is due.
    pub due_on: Date,
    /// When it was closed (« Traité »), if it is.
    pub closed_at: Option<PrimitiveDateTime>,
    /// When this copy is made.
    pub printed_at: PrimitiveDateTime,
    /// The messages, oldest first.
    pub messages: Vec<TranscriptMessage>,
}

/// Shows the reference and counts only: subjects and messages hold health data.
impl std::fmt::Debug for ThreadTranscript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadTranscript")
            .field("sender", &self.sender.organisation)
            .field("reference", &self.reference)
            .field("messages", &self.messages.len())
            .finish_non_exhaustive()
    }
}

/// Shows the author and the date only.
impl std::fmt::Debug for TranscriptMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TranscriptMessage")
            .field("author", &self.author)
            .field("written_at", &self.written_at)
            .field("attachments", &self.attachments.len())
            .finish_non_exhaustive()
    }
}

impl ThreadTranscript {
    /// The PDF's title: « Message M-2026-K7Q3-9DXA ».
    pub fn title(&self) -> String {
        format!("Message {}", self.reference)
    }

    /// The thread as a document of blocks. Text is as given: [`render_thread`] makes it
    /// printable.
    pub fn to_document(&self) -> Document {
        let nbsp = '\u{a0}';
        let mut rows = vec![
            ("Référence".to_owned(), self.reference.clone()),
            ("Thème".to_owned(), self.objet.clone()),
            ("Nature".to_owned(), self.nature.clone()),
            ("Statut".to_owned(), self.status.clone()),
            ("Envoyé le".to_owned(), letter_date_time(self.opened_at)),
            (
                "Dernière activité le".to_owned(),
                letter_date_time(self.updated_at),
            ),
            ("Réponse attendue le".to_owned(), letter_date(self.due_on)),
        ];
        if let Some(closed_at) = self.closed_at {
            rows.push(("Traité le".to_owned(), letter_date_time(closed_at)));
        }
        let mut blocks = vec![
            Block::right(format!("Édité le {}", letter_date_time(self.printed_at))),
            Block::heading(HeadingLevel::Title, self.subject.as_str()),
            Block::KeyValueTable { rows },
            Block::heading(
                HeadingLevel::Section,
                match self.messages.len() {
                    1 => "Échanges (1 message)".to_owned(),
                    n => format!("Échanges ({n} messages)"),
                },
            ),
        ];
        for message in &self.messages {
            blocks.push(Block::heading(
                HeadingLevel::Subsection,
                format!(
                    "{}, le {}",
                    message.author,
                    letter_date_time(message.written_at)
                ),
            ));
            blocks.extend(
                message
                    .body
                    .lines()
                    .map(str::trim_end)
                    .filter(|line| !line.trim().is_empty())
                    .map(Block::paragraph),
            );
            if !message.attachments.is_empty() {
                blocks.push(Block::rich(vec![Span::bold(format!(
                    "Pièces jointes{nbsp}:"
                ))]));
                blocks.push(Block::List {
                    style: ListStyle::Bulleted,
                    items: message
                        .attachments
                        .iter()
                        .map(|name| vec![Span::plain(name.as_str())])
                        .collect(),
                });
            }
        }
        let mut note = format!(
            "Copie de votre échange avec {}, éditée le {}.",
            self.sender.organisation.trim(),
            letter_date(self.printed_at.date()),
        );
        if self.messages.iter().any(|m| !m.attachments.is_empty()) {
            note.push_str(&format!(
                " Les pièces jointes ne sont pas reproduites ici{nbsp}: elles se téléchargent \
                 depuis votre espace."
            ));
        }
        blocks.push(Block::SmallPrint(note));
        Document {
            title: self.title(),
            sender: self.sender.clone(),
            blocks,
        }
    }
}

/// Renders the thread as one tagged PDF (title « Message `<reference>` »). Characters the fonts
/// cannot draw, in what people typed, print as « � » instead of failing.
///
/// Errors: [`PdfError::Rendering`] when krilla refuses the file.
pub fn render_thread(transcript: &ThreadTranscript) -> Result<Vec<u8>, PdfError> {
    let mut document = transcript.to_document();
    replace_unsupported(&mut document)?;
    render_documents(&document.title.clone(), &[document])
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn transcript() -> ThreadTranscript {
        ThreadTranscript {
            sender: Sender {
                organisation: "Caisse d’exemple".to_owned(),
                address_lines: Vec::new(),
                phone: "36 46".to_owned(),
                website: "exemple.fr".to_owned(),
            },
            reference: "M-2026-K7Q3-9DXA".to_owned(),
            subject: "Feuille de soins".to_owned(),
            objet: "Mes remboursements".to_owned(),
            nature: "Demande de renseignements".to_owned(),
            status: "Traité".to_owned(),
            opened_at: datetime!(2026-11-03 10:12),
            updated_at: datetime!(2026-11-05 09:00),
            due_on: date!(2026 - 11 - 05),
            closed_at: None,
            printed_at: datetime!(2026-11-22 16:04),
            messages: vec![TranscriptMessage {
                author: "Vous".to_owned(),
                written_at: datetime!(2026-11-03 10:12),
                body: "Bonjour,\n\nma feuille de soins du 3 novembre.\n".to_owned(),
                attachments: Vec::new(),
            }],
        }
    }

    #[test]
    fn debug_hides_the_subject_and_the_messages() {
        let shown = format!("{:?}", transcript());
        assert!(shown.contains("M-2026-K7Q3-9DXA"));
        assert!(!shown.contains("Feuille"));
        assert!(!shown.contains("novembre"));
        assert!(!format!("{:?}", transcript().messages[0]).contains("Bonjour"));
    }

    #[test]
    fn each_line_of_a_message_is_a_paragraph_and_blank_lines_are_dropped() {
        let blocks = transcript().to_document().blocks;
        let paragraphs: Vec<&Block> = blocks
            .iter()
            .skip_while(|b| {
                !matches!(
                    b,
                    Block::Heading {
                        level: HeadingLevel::Subsection,
                        ..
                    }
                )
            })
            .skip(1)
            .take_while(|b| !matches!(b, Block::SmallPrint(_)))
            .collect();
        assert_eq!(
            paragraphs,
            [
                &Block::paragraph("Bonjour,"),
                &Block::paragraph("ma feuille de soins du 3 novembre.")
            ]
        );
    }

    #[test]
    fn the_closing_date_shows_only_once_closed() {
        let rows = |t: &ThreadTranscript| match &t.to_document().blocks[2] {
            Block::KeyValueTable { rows } => rows.iter().map(|(k, _)| k.clone()).collect(),
            _ => Vec::new(),
        };
        assert!(!rows(&transcript()).contains(&"Traité le".to_owned()));
        let closed = ThreadTranscript {
            closed_at: Some(datetime!(2026-11-05 09:00)),
            ..transcript()
        };
        assert!(rows(&closed).contains(&"Traité le".to_owned()));
    }
}
