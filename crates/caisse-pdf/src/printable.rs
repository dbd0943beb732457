//! Text that people typed, made printable: the rendering refuses a character the embedded
//! fonts cannot draw (PDF/UA forbids a blank `.notdef` glyph), which is right for the portal's
//! own wording but would make a member's message with an emoji or a Chinese name impossible to
//! download. Such documents pass their blocks through [`replace_unsupported`] first.

use crate::document::{Block, Document, Span};
use crate::error::PdfError;
use crate::fonts::{Fonts, Weight};

/// What stands for a character the fonts cannot draw.
const REPLACEMENT: char = '\u{FFFD}';

/// Invisible characters that only shape their neighbours (variation selectors, zero-width
/// joiners, the byte-order mark): dropped rather than shown as a replacement mark, so
/// « ❤️ » gives one mark, not two.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

struct Cleaner {
    fonts: Fonts,
}

impl Cleaner {
    fn drawable(&self, c: char) -> bool {
        // Line breaks and tabs are where lines break; they are never drawn.
        matches!(c, '\n' | '\r' | '\t')
            || [Weight::Regular, Weight::Bold]
                .iter()
                .all(|&w| self.fonts.face(w).check(c.encode_utf8(&mut [0; 4])).is_ok())
    }

    fn clean(&self, text: &mut String) {
        if text.chars().all(|c| self.drawable(c)) {
            return;
        }
        *text = text
            .chars()
            .filter(|&c| !is_invisible_format(c))
            .map(|c| if self.drawable(c) { c } else { REPLACEMENT })
            .collect();
    }

    fn clean_spans(&self, spans: &mut [Span]) {
        for span in spans {
            self.clean(&mut span.text);
        }
    }
}

/// Replaces, in every text of `document`, each character the embedded fonts (both weights)
/// cannot draw by U+FFFD « � », and drops invisible formatting characters around them. Meant
/// for documents that print what people typed; the portal's own wording should not need it.
///
/// Errors: [`PdfError::Rendering`] if the embedded fonts cannot be read.
pub fn replace_unsupported(document: &mut Document) -> Result<(), PdfError> {
    let cleaner = Cleaner {
        fonts: Fonts::load()?,
    };
    cleaner.clean(&mut document.title);
    for block in &mut document.blocks {
        match block {
            Block::Heading { text, .. } | Block::SmallPrint(text) => cleaner.clean(text),
            Block::Paragraph { spans, .. } => cleaner.clean_spans(spans),
            Block::List { items, .. } => {
                for item in items {
                    cleaner.clean_spans(item);
                }
            }
            Block::KeyValueTable { rows } => {
                for (label, value) in rows {
                    cleaner.clean(label);
                    cleaner.clean(value);
                }
            }
            Block::Highlight { label, value, note } => {
                cleaner.clean(label);
                cleaner.clean(value);
                if let Some(note) = note {
                    cleaner.clean(note);
                }
            }
            Block::AddressWindow { lines } => {
                for line in lines {
                    cleaner.clean(line);
                }
            }
            Block::Table { headers, rows, .. } => {
                for text in headers.iter_mut().chain(rows.iter_mut().flatten()) {
                    cleaner.clean(text);
                }
            }
            // The code's data is not drawn as text; its alternative text and caption are.
            Block::QrCode {
                alt_text, caption, ..
            } => {
                cleaner.clean(alt_text);
                for spans in caption {
                    cleaner.clean_spans(spans);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{HeadingLevel, Sender};

    fn document(text: &str) -> Document {
        Document {
            title: text.to_owned(),
            sender: Sender {
                organisation: "Caisse".to_owned(),
                address_lines: Vec::new(),
                phone: String::new(),
                website: String::new(),
            },
            blocks: vec![
                Block::heading(HeadingLevel::Title, text),
                Block::paragraph(text),
                Block::KeyValueTable {
                    rows: vec![(text.to_owned(), text.to_owned())],
                },
            ],
        }
    }

    #[test]
    fn characters_without_glyph_become_a_replacement_mark() {
        let mut doc = document("Merci 🙏 M. 王 ❤\u{FE0F}, à bientôt");
        replace_unsupported(&mut doc).unwrap();
        let expected = "Merci \u{FFFD} M. \u{FFFD} ❤, à bientôt";
        assert_eq!(doc.title, expected);
        assert_eq!(doc, document(expected));
    }

    #[test]
    fn french_text_and_line_breaks_are_left_alone() {
        let text = "Bonjour,\n\tle « 3 novembre », j’ai payé 25,00 € — œuvre, Ÿ.";
        let mut doc = document(text);
        replace_unsupported(&mut doc).unwrap();
        assert_eq!(doc, document(text));
    }
}
