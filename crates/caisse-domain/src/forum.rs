//! Public questions of the help (the forum): members ask under a pseudonym, advisors answer in
//! the fund's name, anyone reads what was published. The pure part: a question's statuses,
//! the pseudonym, the length limits of titles, texts and answers, the daily limit and the rule
//! that a question holding sensitive data (a NIR, an IBAN, a card number) is never published
//! as it is.

use std::fmt;

use crate::coded::coded_enum;
use crate::messaging::Warning;

/// Questions a member may ask in 24 hours.
pub const DAILY_QUESTION_LIMIT: u64 = 5;

/// Characters of a title, fewest and most.
pub const TITLE_CHARS: (usize, usize) = (10, 150);

/// Characters of a question's text, fewest and most.
pub const TEXT_CHARS: (usize, usize) = (20, 4_000);

/// Characters of an answer, fewest and most.
pub const ANSWER_CHARS: (usize, usize) = (10, 8_000);

/// Characters of a refusal's reason, fewest and most.
pub const REASON_CHARS: (usize, usize) = (5, 500);

coded_enum! {
    /// Where a public question stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum QuestionStatus {
        /// It contains a NIR, an IBAN or a card number: never published as it is; the member
        /// edits it.
        Held => "retenue",
        /// Awaiting an advisor's moderation.
        Pending => "a_moderer",
        /// Readable by everyone.
        Published => "publiee",
        /// Refused by an advisor, with a reason the member reads.
        Rejected => "refusee",
    }
}

impl QuestionStatus {
    /// What members and advisors read.
    pub fn label_fr(self) -> &'static str {
        match self {
            QuestionStatus::Held => "Retenue : à modifier",
            QuestionStatus::Pending => "En attente de vérification",
            QuestionStatus::Published => "Publiée",
            QuestionStatus::Rejected => "Refusée",
        }
    }

    /// Whether an advisor may publish a question in this status.
    ///
    /// # Errors
    /// A held question (it contains sensitive data), or one already published or refused.
    pub fn may_publish(self) -> Result<(), ModerationError> {
        match self {
            QuestionStatus::Pending => Ok(()),
            QuestionStatus::Held => Err(ModerationError::Held),
            QuestionStatus::Published => Err(ModerationError::AlreadyPublished),
            QuestionStatus::Rejected => Err(ModerationError::AlreadyRejected),
        }
    }

    /// Whether an advisor may refuse a question in this status (any not refused yet: a
    /// published one can still be withdrawn).
    ///
    /// # Errors
    /// A question already refused.
    pub fn may_reject(self) -> Result<(), ModerationError> {
        match self {
            QuestionStatus::Rejected => Err(ModerationError::AlreadyRejected),
            _ => Ok(()),
        }
    }

    /// Whether an advisor may answer a question in this status (pending ones are published
    /// with the answer).
    ///
    /// # Errors
    /// A held or refused question.
    pub fn may_answer(self) -> Result<(), ModerationError> {
        match self {
            QuestionStatus::Pending | QuestionStatus::Published => Ok(()),
            QuestionStatus::Held => Err(ModerationError::Held),
            QuestionStatus::Rejected => Err(ModerationError::AlreadyRejected),
        }
    }

    /// Whether the member may still edit it (only a held question waits for their edit).
    pub fn editable(self) -> bool {
        self == QuestionStatus::Held
    }
}

/// Why a moderation move is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModerationError {
    /// The question contains sensitive data.
    #[error("held question")]
    Held,
    /// Already published.
    #[error("already published")]
    AlreadyPublished,
    /// Already refused.
    #[error("already rejected")]
    AlreadyRejected,
}

impl ModerationError {
    /// What the advisor reads.
    pub fn message_fr(self) -> &'static str {
        match self {
            ModerationError::Held => {
                "Cette question contient un numéro de sécurité sociale, des coordonnées \
                 bancaires ou un numéro de carte : elle ne peut pas être publiée telle quelle. \
                 L'assuré doit la modifier, ou refusez-la en expliquant pourquoi."
            }
            ModerationError::AlreadyPublished => "Cette question est déjà publiée.",
            ModerationError::AlreadyRejected => "Cette question a été refusée.",
        }
    }
}

/// The name a member asks under: 3 to 30 letters, digits, spaces, `-`, `_` or `.`, trimmed.
/// `Debug` is masked: it leads to a member.
#[derive(Clone, PartialEq, Eq)]
pub struct Pseudonym(String);

impl Pseudonym {
    /// Fewest and most characters.
    pub const CHARS: (usize, usize) = (3, 30);

    /// Parses what the member typed.
    ///
    /// # Errors
    /// Too short, too long, or a character other than letters, digits, space, `-`, `_`, `.`.
    pub fn parse(input: &str) -> Result<Pseudonym, PseudonymError> {
        let trimmed = input.trim();
        let count = trimmed.chars().count();
        if count < Self::CHARS.0 {
            return Err(PseudonymError::TooShort);
        }
        if count > Self::CHARS.1 {
            return Err(PseudonymError::TooLong);
        }
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.');
        if !trimmed.chars().all(allowed) {
            return Err(PseudonymError::Forbidden);
        }
        Ok(Pseudonym(trimmed.to_owned()))
    }

    /// The pseudonym.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pseudonym(***)")
    }
}

/// Why a pseudonym is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PseudonymError {
    /// Fewer than 3 characters.
    #[error("too short")]
    TooShort,
    /// More than 30 characters.
    #[error("too long")]
    TooLong,
    /// A character not allowed.
    #[error("forbidden character")]
    Forbidden,
}

impl PseudonymError {
    /// What the member reads.
    pub fn message_fr(self) -> &'static str {
        match self {
            PseudonymError::TooShort => "Votre pseudonyme doit compter au moins 3 caractères.",
            PseudonymError::TooLong => "Votre pseudonyme doit compter au plus 30 caractères.",
            PseudonymError::Forbidden => {
                "Votre pseudonyme ne peut contenir que des lettres, des chiffres, des espaces \
                 et les signes - _ ."
            }
        }
    }
}

/// Which text of a question or an answer is out of its limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextField {
    /// The question's title.
    Title,
    /// The question's text.
    Text,
    /// An advisor's answer.
    Answer,
    /// The reason of a refusal.
    Reason,
}

impl TextField {
    fn limits(self) -> (usize, usize) {
        match self {
            TextField::Title => TITLE_CHARS,
            TextField::Text => TEXT_CHARS,
            TextField::Answer => ANSWER_CHARS,
            TextField::Reason => REASON_CHARS,
        }
    }

    fn name_fr(self) -> &'static str {
        match self {
            TextField::Title => "Le titre",
            TextField::Text => "Le texte de la question",
            TextField::Answer => "La réponse",
            TextField::Reason => "Le motif du refus",
        }
    }
}

/// A text out of its limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field:?} out of limits")]
pub struct TextLengthError {
    /// Which text.
    pub field: TextField,
    /// Too short (else too long).
    pub too_short: bool,
}

impl TextLengthError {
    /// What the member or advisor reads.
    pub fn message_fr(self) -> String {
        let (least, most) = self.field.limits();
        if self.too_short {
            format!(
                "{} doit compter au moins {least} caractères.",
                self.field.name_fr()
            )
        } else {
            format!(
                "{} doit compter au plus {} caractères.",
                self.field.name_fr(),
                crate::french::number(most)
            )
        }
    }
}

/// `input` trimmed, when its length is within `field`'s limits.
///
/// # Errors
/// Too short or too long.
pub fn checked_text(field: TextField, input: &str) -> Result<String, TextLengthError> {
    let trimmed = input.trim();
    let count = trimmed.chars().count();
    let (least, most) = field.limits();
    if count < least || count > most {
        return Err(TextLengthError {
            field,
            too_short: count < least,
        });
    }
    Ok(trimmed.to_owned())
}

/// The sensitive-data warning of stored code `code`.
pub fn warning_of_code(code: &str) -> Option<Warning> {
    [
        Warning::BankAccount,
        Warning::PaymentCard,
        Warning::OtherPersonNir,
    ]
    .into_iter()
    .find(|w| w.code() == code)
}

/// What the sensitive data is called in a sentence: « des coordonnées bancaires (IBAN) ».
pub fn warning_label_fr(warning: Warning) -> &'static str {
    match warning {
        Warning::BankAccount => "des coordonnées bancaires (IBAN)",
        Warning::PaymentCard => "un numéro de carte bancaire",
        Warning::OtherPersonNir => "un numéro de sécurité sociale",
    }
}

/// What the member reads of a held question: « Votre question contient un numéro de
/// sécurité sociale : nous ne la publierons pas telle quelle. Modifiez-la. »
pub fn held_message_fr(warnings: &[Warning]) -> String {
    let labels: Vec<&str> = warnings.iter().map(|w| warning_label_fr(*w)).collect();
    let listed = match labels.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
        None => "des données personnelles".to_owned(),
    };
    format!(
        "Votre question contient {listed} : nous ne la publierons pas telle quelle. Modifiez-la."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back() {
        for status in QuestionStatus::ALL {
            assert_eq!(QuestionStatus::from_code(status.code()), Some(status));
            assert!(!status.label_fr().is_empty());
        }
    }

    #[test]
    fn a_held_question_cannot_be_published_nor_answered() {
        assert_eq!(
            QuestionStatus::Held.may_publish(),
            Err(ModerationError::Held)
        );
        assert_eq!(
            QuestionStatus::Held.may_answer(),
            Err(ModerationError::Held)
        );
        assert_eq!(QuestionStatus::Pending.may_publish(), Ok(()));
        assert_eq!(
            QuestionStatus::Published.may_publish(),
            Err(ModerationError::AlreadyPublished)
        );
        assert_eq!(QuestionStatus::Published.may_answer(), Ok(()));
        assert_eq!(
            QuestionStatus::Rejected.may_reject(),
            Err(ModerationError::AlreadyRejected)
        );
        assert!(QuestionStatus::Held.editable());
        assert!(!QuestionStatus::Pending.editable());
    }

    #[test]
    fn pseudonyms_are_trimmed_and_checked() {
        assert_eq!(
            Pseudonym::parse("  Jean-Luc_56. ").map(|p| p.as_str().to_owned()),
            Ok("Jean-Luc_56.".to_owned())
        );
        assert_eq!(Pseudonym::parse("Élodie M").map(|_| ()), Ok(()));
        assert_eq!(Pseudonym::parse(" ab "), Err(PseudonymError::TooShort));
        assert_eq!(
            Pseudonym::parse(&"a".repeat(31)),
            Err(PseudonymError::TooLong)
        );
        assert_eq!(
            Pseudonym::parse("jean@mail"),
            Err(PseudonymError::Forbidden)
        );
        assert_eq!(
            format!("{:?}", Pseudonym::parse("Marie").ok()),
            "Some(Pseudonym(***))"
        );
    }

    #[test]
    fn held_questions_say_why() {
        assert_eq!(
            held_message_fr(&[Warning::PaymentCard, Warning::OtherPersonNir]),
            "Votre question contient un numéro de carte bancaire et un numéro de sécurité \
             sociale : nous ne la publierons pas telle quelle. Modifiez-la."
        );
        for w in [
            Warning::BankAccount,
            Warning::PaymentCard,
            Warning::OtherPersonNir,
        ] {
            assert_eq!(warning_of_code(w.code()), Some(w));
        }
        assert_eq!(warning_of_code("autre"), None);
    }

    #[test]
    fn texts_have_limits() {
        assert!(checked_text(TextField::Title, "Trop court").is_ok());
        let short = checked_text(TextField::Title, " court ").err();
        assert_eq!(
            short.map(TextLengthError::message_fr).as_deref(),
            Some("Le titre doit compter au moins 10 caractères.")
        );
        let long = checked_text(TextField::Text, &"é".repeat(4_001)).err();
        assert_eq!(
            long.map(TextLengthError::message_fr).as_deref(),
            Some(
                format!(
                    "Le texte de la question doit compter au plus {} caractères.",
                    crate::french::number(4_000)
                )
                .as_str()
            )
        );
        assert!(checked_text(TextField::Text, &"é".repeat(4_000)).is_ok());
    }
}
