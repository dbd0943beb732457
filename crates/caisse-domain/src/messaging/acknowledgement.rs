//! What is a mere acknowledgement (« Bien reçu, nous revenons vers vous ») rather than an
//! answer: such a message tells the member their message arrived, not what the fund
//! decided, so it must not stop the clock of the first-answer delay.
//!
//! # The rule (also in `docs/messaging-delays.md`)
//!
//! A message is an acknowledgement when, once folded (lower case, no accents, every run of
//! other characters than letters and digits one space) and its signature dropped (at most
//! [`MAX_SIGNATURE_WORDS`] words after the last closing formula, « Cordialement » or
//! « Bien à vous »…):
//!
//! 1. it holds an acknowledgement marker: « bien reçu(e)(s) », « accusé / accusons
//!    réception », « revenons / reviendrons vers vous » or « en cours de traitement », and
//! 2. every word is in a closed list of courtesy and acknowledgement words
//!    ([`VOCABULARY`]): greetings, closing formulas, « nous avons bien reçu votre message /
//!    demande / courrier / vos pièces », « nous vous répondrons dans les meilleurs délais ».
//!
//! Any other word (a figure, a date, an amount, a decision such as « acceptée », a name of a
//! form) makes the message an answer. The list is closed on purpose: a real answer is never
//! taken for an acknowledgement because it is short or polite, and the worst a missing
//! phrasing costs is an acknowledgement counted as an answer, as before this rule. A message
//! carrying files is an answer whatever its text (the caller checks that).

use crate::french::folded_words;

/// The most words a signature after the last closing formula may have (« Julie Martin,
/// service prestations »): more, and what follows the formula is read as text.
pub const MAX_SIGNATURE_WORDS: usize = 4;

/// Every word an acknowledgement may use, folded. Nothing here says what was decided, paid
/// or asked: no past participle of a decision (« traitée », « acceptée »), no figures.
#[rustfmt::skip]
pub const VOCABULARY: &[&str] = &[
    // Greetings and courtesy.
    "bonjour", "bonsoir", "madame", "monsieur", "mademoiselle", "mme", "mlle", "m", "mr",
    "cher", "chere", "chers", "cheres", "merci", "remercions", "remercie", "beaucoup",
    // Closing formulas.
    "cordialement", "bien", "a", "vous", "sinceres", "salutations", "distinguees", "meilleures",
    "respectueuses", "bonne", "journee", "soiree", "fin", "semaine",
    // The acknowledgement itself.
    "nous", "avons", "recu", "recue", "recus", "recues", "accuse", "accusons", "reception",
    "votre", "vos", "message", "messages", "demande", "demandes", "courrier", "courriers",
    "courriel", "mail", "envoi", "question", "questions", "reclamation", "document",
    "documents", "piece", "pieces", "jointe", "jointes", "justificatif", "justificatifs",
    "justificative", "justificatives", "dossier",
    // The promise of an answer to come.
    "il", "elle", "ils", "elles", "est", "sont", "sera", "seront", "en", "cours", "de", "d",
    "du", "des", "le", "la", "les", "l", "un", "une", "et", "pour", "ce", "cette", "qui", "que",
    "traitement", "examen", "etude", "dans", "meilleurs", "plus", "brefs", "delais",
    "repondrons", "reviendrons", "revenons", "vers", "possible", "rapidement", "prochainement",
    "tres", "sous", "peu", "conseiller", "conseillere", "service", "equipe", "caisse",
];

/// Closing formulas after which a short signature may follow (folded, as word sequences).
const CLOSINGS: &[&[&str]] = &[
    &["cordialement"],
    &["bien", "a", "vous"],
    &["salutations"],
    &["salutations", "distinguees"],
    &["bonne", "journee"],
    &["bonne", "soiree"],
];

/// The markers one of which an acknowledgement holds (folded word sequences).
const MARKERS: &[&[&str]] = &[
    &["bien", "recu"],
    &["bien", "recue"],
    &["bien", "recus"],
    &["bien", "recues"],
    &["accuse", "reception"],
    &["accuse", "de", "reception"],
    &["accusons", "reception"],
    &["revenons", "vers", "vous"],
    &["reviendrons", "vers", "vous"],
    &["en", "cours", "de", "traitement"],
];

/// Whether `body`, a staff member's message to the member, only acknowledges receipt (see
/// the module's rule) and so is not a first answer.
#[must_use]
pub fn is_acknowledgement(body: &str) -> bool {
    let folded = folded_words(body);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let words = without_signature(&words);
    let has_marker = MARKERS
        .iter()
        .any(|marker| words.windows(marker.len()).any(|w| w == *marker));
    has_marker && words.iter().all(|word| VOCABULARY.contains(word))
}

/// `words` without the signature after the last closing formula, if it is short enough.
fn without_signature<'a>(words: &'a [&'a str]) -> &'a [&'a str] {
    let end_of_closing = CLOSINGS
        .iter()
        .filter_map(|closing| {
            words
                .windows(closing.len())
                .rposition(|w| w == *closing)
                .map(|at| at + closing.len())
        })
        .max();
    match end_of_closing {
        Some(end) if words.len() - end <= MAX_SIGNATURE_WORDS => &words[..end],
        _ => words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_acknowledgement_is_one() {
        assert!(is_acknowledgement("Bien reçu."));
        assert!(is_acknowledgement("bien recu"));
        assert!(is_acknowledgement(
            "Bonjour Madame,\n\nNous avons bien reçu votre message et nous vous répondrons \
             dans les meilleurs délais.\n\nCordialement,\nJulie Martin"
        ));
        assert!(is_acknowledgement(
            "Bonjour, nous accusons réception de vos pièces justificatives. Bien à vous."
        ));
        assert!(is_acknowledgement(
            "Merci, votre demande est en cours de traitement."
        ));
    }

    #[test]
    fn an_answer_that_says_anything_more_is_an_answer() {
        // A decision.
        assert!(!is_acknowledgement(
            "Bien reçu, votre demande est acceptée."
        ));
        // A figure: a date, an amount, a delay.
        assert!(!is_acknowledgement(
            "Nous avons bien reçu votre courrier, nous vous répondrons sous 48 heures."
        ));
        assert!(!is_acknowledgement(
            "Bien reçu : le remboursement de 23,50 € part demain."
        ));
        // A verb the list does not hold.
        assert!(!is_acknowledgement(
            "Accusé de réception de votre réclamation : un conseiller vous appelle demain."
        ));
        // Done, not « to be done ».
        assert!(!is_acknowledgement(
            "Bien reçu, votre demande a été traitée."
        ));
    }

    #[test]
    fn politeness_alone_is_not_an_acknowledgement() {
        // No marker: whatever it is, it is not « bien reçu ».
        assert!(!is_acknowledgement("Bonjour Madame, cordialement."));
        assert!(!is_acknowledgement(""));
        assert!(!is_acknowledgement("Merci pour votre message."));
    }

    #[test]
    fn only_a_short_signature_after_the_closing_is_dropped() {
        assert!(is_acknowledgement(
            "Bien reçu. Cordialement, Julie Martin, service prestations"
        ));
        // Five words after the formula are text, not a signature.
        assert!(!is_acknowledgement(
            "Bien reçu. Cordialement. Le virement est parti hier soir"
        ));
        // The formula must be the last one: text before it still counts.
        assert!(!is_acknowledgement(
            "Bien reçu, attestation jointe. Cordialement, Julie"
        ));
    }
}
