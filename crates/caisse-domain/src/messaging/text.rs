//! The member's subject line and message body, with their length limits.
//!
//! No source gives ameli's limits (domain.md §4.1, §11): 100 characters for the subject
//! and 4,000 for the body (domain.md's suggestion) are defaults of [`MessageLimits`],
//! which the application may change. Lengths count Unicode characters (scalar values),
//! after the body's line breaks are made `\n`, which is what a browser's character
//! counter shows for a `<textarea>`.

use std::fmt;

/// The configurable length limits of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageLimits {
    /// Most characters in a subject line. Default 100.
    pub subject_max_chars: usize,
    /// Most characters in a body. Default 4,000.
    pub body_max_chars: usize,
}

impl Default for MessageLimits {
    fn default() -> MessageLimits {
        MessageLimits {
            subject_max_chars: 100,
            body_max_chars: 4_000,
        }
    }
}

/// A subject line: one line, trimmed, not empty, within the limit, no control character.
///
/// No `Display`, and `Debug` shows only the length: members write health details in
/// subjects too.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Subject(String);

/// A message body: trimmed, line breaks as `\n`, not empty, within the limit, no control
/// character other than line breaks and tabs.
///
/// No `Display`, and `Debug` shows only the length.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Body(String);

/// Why a subject line was refused. Carries no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum SubjectError {
    /// Nothing but spaces.
    #[error("the subject is empty")]
    Empty,
    /// A control character (a line break, a tab…) or a bidirectional-override character.
    #[error("the subject holds a control character")]
    ControlCharacter,
    /// More characters than the limit.
    #[error("the subject is longer than {max} characters")]
    TooLong {
        /// The limit in force.
        max: usize,
    },
}

/// Why a message body was refused. Carries no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum BodyError {
    /// Nothing but spaces and line breaks.
    #[error("the message is empty")]
    Empty,
    /// A control character other than a line break or a tab, or a
    /// bidirectional-override character.
    #[error("the message holds a control character")]
    ControlCharacter,
    /// More characters than the limit.
    #[error("the message is longer than {max} characters")]
    TooLong {
        /// The limit in force.
        max: usize,
    },
}

impl SubjectError {
    /// Returns the sentence shown to the member, in French.
    pub fn message_fr(&self) -> String {
        match self {
            SubjectError::Empty => "Saisissez le sujet de votre message.".to_owned(),
            SubjectError::ControlCharacter => "Le sujet du message doit tenir sur une ligne et \
                                               ne contenir que des caractères imprimables."
                .to_owned(),
            SubjectError::TooLong { max } => format!(
                "Le sujet du message ne doit pas dépasser {} caractères.",
                crate::french::number(*max)
            ),
        }
    }
}

impl BodyError {
    /// Returns the sentence shown to the member, in French.
    pub fn message_fr(&self) -> String {
        match self {
            BodyError::Empty => "Saisissez votre message.".to_owned(),
            BodyError::ControlCharacter => "Votre message contient un caractère non \
                                            imprimable : retirez-le, par exemple en \
                                            recopiant le texte collé."
                .to_owned(),
            BodyError::TooLong { max } => format!(
                "Votre message ne doit pas dépasser {} caractères : raccourcissez-le ou \
                 joignez un document.",
                crate::french::number(*max)
            ),
        }
    }
}

/// What is wrong with a text, before it is named as a subject or a body error.
enum Problem {
    Empty,
    ControlCharacter,
    TooLong,
}

/// Checks `text` (already normalised): not empty, no forbidden character, at most `max`
/// characters, in that order.
fn check(text: &str, max: usize, allowed_control: fn(char) -> bool) -> Result<(), Problem> {
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    if text
        .chars()
        .any(|c| (c.is_control() && !allowed_control(c)) || is_bidi_control(c))
    {
        return Err(Problem::ControlCharacter);
    }
    if text.chars().count() > max {
        return Err(Problem::TooLong);
    }
    Ok(())
}

/// Bidirectional embeddings, overrides and isolates: they can make a staff member's screen
/// show text in another order than it was written.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl Subject {
    /// Parses a subject line: surrounding spaces are removed.
    ///
    /// Returns [`SubjectError::Empty`], [`SubjectError::ControlCharacter`] (any, line
    /// breaks and tabs included) or [`SubjectError::TooLong`] with
    /// `limits.subject_max_chars`, the first that applies in this order.
    pub fn parse(raw: &str, limits: &MessageLimits) -> Result<Subject, SubjectError> {
        let text = raw.trim();
        check(text, limits.subject_max_chars, |_| false).map_err(|problem| match problem {
            Problem::Empty => SubjectError::Empty,
            Problem::ControlCharacter => SubjectError::ControlCharacter,
            Problem::TooLong => SubjectError::TooLong {
                max: limits.subject_max_chars,
            },
        })?;
        Ok(Subject(text.to_owned()))
    }

    /// Returns how many characters of `raw` count against the limit: those [`Subject::parse`]
    /// keeps. A form shows it beside the limit.
    pub fn counted_chars(raw: &str) -> usize {
        raw.trim().chars().count()
    }

    /// Returns the subject line.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Body {
    /// Parses a message body: `\r\n` and lone `\r` become `\n`, then surrounding
    /// whitespace is removed.
    ///
    /// Returns [`BodyError::Empty`], [`BodyError::ControlCharacter`] (line breaks and
    /// tabs are allowed) or [`BodyError::TooLong`] with `limits.body_max_chars`, the
    /// first that applies in this order.
    pub fn parse(raw: &str, limits: &MessageLimits) -> Result<Body, BodyError> {
        let normalised = Body::normalise(raw);
        let text = normalised.trim();
        check(text, limits.body_max_chars, |c| c == '\n' || c == '\t').map_err(|problem| {
            match problem {
                Problem::Empty => BodyError::Empty,
                Problem::ControlCharacter => BodyError::ControlCharacter,
                Problem::TooLong => BodyError::TooLong {
                    max: limits.body_max_chars,
                },
            }
        })?;
        Ok(Body(text.to_owned()))
    }

    /// Returns how many characters of `raw` count against the limit: those [`Body::parse`]
    /// keeps, a line break counting one. A form shows it beside the limit; the live counter of
    /// `static/js/character-count.js` counts the same way.
    pub fn counted_chars(raw: &str) -> usize {
        Body::normalise(raw).trim().chars().count()
    }

    fn normalise(raw: &str) -> String {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    }

    /// Returns the body, lines separated by `\n`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Subject {
    /// Shows the length only, e.g. `Subject(24 chars)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Subject({} chars)", self.0.chars().count())
    }
}

impl fmt::Debug for Body {
    /// Shows the length only, e.g. `Body(812 chars)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Body({} chars)", self.0.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_is_trimmed_and_kept_to_one_printable_line() {
        let limits = MessageLimits::default();
        let subject = Subject::parse("  Demande d'attestation de droits ", &limits).unwrap();
        assert_eq!(subject.as_str(), "Demande d'attestation de droits");
        assert_eq!(format!("{subject:?}"), "Subject(31 chars)");
        for raw in ["", "   ", "\u{a0}"] {
            assert_eq!(
                Subject::parse(raw, &limits),
                Err(SubjectError::Empty),
                "{raw:?}"
            );
        }
        for raw in [
            "ligne\nligne",
            "a\tb",
            "a\u{0}b",
            "a\u{202E}b",
            "a\u{2066}b",
        ] {
            assert_eq!(
                Subject::parse(raw, &limits),
                Err(SubjectError::ControlCharacter),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn a_subject_of_exactly_the_limit_passes_and_one_more_character_does_not() {
        let limits = MessageLimits::default();
        let at_limit = "é".repeat(100);
        assert!(Subject::parse(&at_limit, &limits).is_ok());
        let over = "é".repeat(101);
        assert_eq!(
            Subject::parse(&over, &limits),
            Err(SubjectError::TooLong { max: 100 })
        );
        assert_eq!(
            SubjectError::TooLong { max: 100 }.message_fr(),
            "Le sujet du message ne doit pas dépasser 100 caractères."
        );
        let short = MessageLimits {
            subject_max_chars: 10,
            ..limits
        };
        assert_eq!(
            Subject::parse("onze lettres", &short),
            Err(SubjectError::TooLong { max: 10 })
        );
    }

    #[test]
    fn counted_characters_are_those_the_limit_applies_to() {
        let limits = MessageLimits {
            subject_max_chars: 5,
            body_max_chars: 5,
        };
        assert_eq!(Subject::counted_chars("  héllo  "), 5);
        assert!(Subject::parse("  héllo  ", &limits).is_ok());
        assert_eq!(Body::counted_chars("\r\na\r\nb😀\r\n\n"), 4);
        assert!(Body::parse("\r\na\r\nb😀c\r\n\n", &limits).is_ok());
        assert_eq!(Body::counted_chars("a\r\nb😀cd"), 6);
        assert!(Body::parse("a\r\nb😀cd", &limits).is_err());
    }

    #[test]
    fn a_body_keeps_its_lines_and_tabs_as_newlines() {
        let limits = MessageLimits::default();
        let body = Body::parse("\r\nBonjour,\r\n\r\n\tMerci.\rCordialement\n\n", &limits).unwrap();
        assert_eq!(body.as_str(), "Bonjour,\n\n\tMerci.\nCordialement");
        assert_eq!(format!("{body:?}"), "Body(30 chars)");
        assert_eq!(Body::parse(" \r\n\t ", &limits), Err(BodyError::Empty));
        for raw in ["a\u{7}b", "a\u{1b}[31mb", "a\u{202D}b", "a\u{85}b"] {
            assert_eq!(
                Body::parse(raw, &limits),
                Err(BodyError::ControlCharacter),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn body_length_counts_characters_with_crlf_as_one() {
        let limits = MessageLimits::default();
        let at_limit = format!("{}\r\n{}", "a".repeat(1_999), "é".repeat(2_000));
        assert!(Body::parse(&at_limit, &limits).is_ok());
        let over = "a".repeat(4_001);
        assert_eq!(
            Body::parse(&over, &limits),
            Err(BodyError::TooLong { max: 4_000 })
        );
        assert!(
            BodyError::TooLong { max: 4_000 }
                .message_fr()
                .starts_with("Votre message ne doit pas dépasser 4\u{a0}000 caractères")
        );
    }
}
