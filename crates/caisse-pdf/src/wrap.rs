//! Line breaking: runs of text in, lines that fit a width out.
//!
//! Greedy, at spaces only, no hyphenation (a French letter set ragged right reads well without
//! it). Widths come from the same shaping as the drawn glyphs. Pure: no page, no position.

use crate::document::Span;
use crate::fonts::{Fonts, Weight};

/// One wrapped line: runs of one weight each, and the width of the visible text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line {
    pub(crate) segments: Vec<(Weight, String)>,
    pub(crate) width: f32,
}

struct Word {
    pieces: Vec<(Weight, String)>,
    width: f32,
}

/// Only these break lines; a no-break space (U+00A0, U+202F) keeps its words together.
fn is_break(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Wraps `spans` greedily into lines no wider than `max_width` at `size`. A word wider than a
/// whole line (a long web address) is cut between characters. Every line but the last keeps
/// its trailing space in its text, so extracted text and screen readers get the word break.
pub(crate) fn wrap(fonts: &Fonts, spans: &[Span], size: f32, max_width: f32) -> Vec<Line> {
    let mut words: Vec<Word> = Vec::new();
    let mut pending_break = true;
    for span in spans {
        let weight = if span.bold {
            Weight::Bold
        } else {
            Weight::Regular
        };
        for c in span.text.chars() {
            if is_break(c) {
                pending_break = true;
                continue;
            }
            if pending_break {
                words.push(Word {
                    pieces: Vec::new(),
                    width: 0.0,
                });
                pending_break = false;
            }
            if let Some(word) = words.last_mut() {
                match word.pieces.last_mut() {
                    Some((w, text)) if *w == weight => text.push(c),
                    _ => word.pieces.push((weight, c.to_string())),
                }
            }
        }
    }
    let mut fitted = Vec::with_capacity(words.len());
    for mut word in words {
        word.width = word
            .pieces
            .iter()
            .map(|(w, t)| fonts.face(*w).width(t, size))
            .sum();
        if word.width > max_width {
            fitted.extend(cut_word(fonts, word, size, max_width));
        } else {
            fitted.push(word);
        }
    }

    let space = fonts.face(Weight::Regular).width(" ", size);
    let mut lines: Vec<(Vec<Word>, f32)> = Vec::new();
    for word in fitted {
        match lines.last_mut() {
            Some((line, width)) if *width + space + word.width <= max_width => {
                *width += space + word.width;
                line.push(word);
            }
            _ => {
                let width = word.width;
                lines.push((vec![word], width));
            }
        }
    }
    let count = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(index, (words, width))| {
            let mut segments: Vec<(Weight, String)> = Vec::new();
            for (n, word) in words.into_iter().enumerate() {
                if n > 0
                    && let Some((_, text)) = segments.last_mut()
                {
                    text.push(' ');
                }
                for (weight, piece) in word.pieces {
                    match segments.last_mut() {
                        Some((w, text)) if *w == weight => text.push_str(&piece),
                        _ => segments.push((weight, piece)),
                    }
                }
            }
            if index + 1 < count
                && let Some((_, text)) = segments.last_mut()
            {
                text.push(' ');
            }
            Line { segments, width }
        })
        .collect()
}

/// Cuts a word wider than `max_width` into pieces that fit, between characters.
fn cut_word(fonts: &Fonts, word: Word, size: f32, max_width: f32) -> Vec<Word> {
    let mut out = vec![Word {
        pieces: Vec::new(),
        width: 0.0,
    }];
    for (weight, piece) in word.pieces {
        let face = fonts.face(weight);
        for c in piece.chars() {
            let mut buf = [0u8; 4];
            let advance = face.width(c.encode_utf8(&mut buf), size);
            let needs_new = out
                .last()
                .is_some_and(|w| !w.pieces.is_empty() && w.width + advance > max_width);
            if needs_new {
                out.push(Word {
                    pieces: Vec::new(),
                    width: 0.0,
                });
            }
            if let Some(current) = out.last_mut() {
                current.width += advance;
                match current.pieces.last_mut() {
                    Some((w, text)) if *w == weight => text.push(c),
                    _ => current.pieces.push((weight, c.to_string())),
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    fn text_of(line: &Line) -> String {
        line.segments.iter().map(|(_, t)| t.as_str()).collect()
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let fonts = fonts();
        let text = "Ce code est valable jusqu’au 6 décembre 2026 inclus et ne peut servir \
                    qu’une seule fois. Passé cette date, demandez-en un nouveau.";
        let lines = wrap(&fonts, &[Span::plain(text)], 10.0, 150.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(
                line.width <= 150.0,
                "{} is {} wide",
                text_of(line),
                line.width
            );
        }
        let joined: String = lines.iter().map(text_of).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn no_break_spaces_hold_words_together() {
        let fonts = fonts();
        let lines = wrap(&fonts, &[Span::plain("aaaa bbbb\u{a0}cccc")], 10.0, 60.0);
        let texts: Vec<String> = lines.iter().map(text_of).collect();
        assert_eq!(texts, ["aaaa ", "bbbb\u{a0}cccc"]);
    }

    #[test]
    fn weights_stay_with_their_runs() {
        let fonts = fonts();
        let lines = wrap(
            &fonts,
            &[
                Span::plain("Votre code : "),
                Span::bold("K7M4-Q9TX"),
                Span::plain("."),
            ],
            10.0,
            500.0,
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0].segments,
            [
                (Weight::Regular, "Votre code : ".to_owned()),
                (Weight::Bold, "K7M4-Q9TX".to_owned()),
                (Weight::Regular, ".".to_owned()),
            ]
        );
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        let fonts = fonts();
        let url = "https://portail.example.fr/un/tres/long/chemin/qui/ne/tient/pas";
        let lines = wrap(&fonts, &[Span::plain(url)], 10.0, 100.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 100.0));
        let joined: String = lines.iter().map(text_of).collect::<Vec<_>>().join("");
        assert_eq!(joined.replace(' ', ""), url);
    }

    #[test]
    fn empty_text_has_no_line() {
        let fonts = fonts();
        assert!(wrap(&fonts, &[Span::plain("  \n ")], 10.0, 100.0).is_empty());
    }
}
