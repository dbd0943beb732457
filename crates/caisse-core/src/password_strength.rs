//! How hard a password is to guess, estimated with zxcvbn, explained in French.
//!
//! `caisse_domain::PasswordPolicy` says what a password must contain; that alone lets
//! "Azertyuiop1!" through. zxcvbn estimates the guesses an attacker needs (dictionaries,
//! keyboard walks, dates, repeats, the member's own data) and scores them 0 to 4; we require
//! [`MIN_SCORE`], about 10^10 guesses, which an online attacker never reaches.

use zxcvbn::Score;
use zxcvbn::feedback::{Suggestion, Warning};

/// Lowest acceptable zxcvbn score: 3 means "safely unguessable" (more than 10^8 guesses,
/// moderate protection against an offline attack on a slow hash such as Argon2id).
pub const MIN_SCORE: u8 = 3;

/// Sentence shown when the score is too low; the specific feedback follows it.
pub const TOO_WEAK_FR: &str = "Votre mot de passe est trop facile à deviner.";

/// The estimate of one password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Strength {
    /// zxcvbn score, 0 (guessed at once) to 4 (very hard).
    pub score: u8,
    /// What makes it weak, in French, when zxcvbn knows.
    pub warning_fr: Option<&'static str>,
    /// How to do better, in French.
    pub suggestions_fr: Vec<&'static str>,
}

impl Strength {
    /// Whether the score reaches [`MIN_SCORE`].
    pub fn is_acceptable(&self) -> bool {
        self.score >= MIN_SCORE
    }

    /// One French paragraph for an error summary: the verdict, the reason, the advice.
    pub fn explanation_fr(&self) -> String {
        let mut sentences = vec![TOO_WEAK_FR];
        sentences.extend(self.warning_fr);
        sentences.extend(self.suggestions_fr.iter().copied());
        if self.warning_fr.is_none() && self.suggestions_fr.is_empty() {
            sentences.push("Allongez-le, par exemple avec plusieurs mots sans rapport entre eux.");
        }
        sentences.join(" ")
    }
}

/// Estimates `password`, counting `personal` values (NIR, names, email, birth date…) as
/// words an attacker knows.
///
/// zxcvbn reads at most the first 100 characters, so hostile input costs a bounded time.
pub fn estimate(password: &str, personal: &[&str]) -> Strength {
    let entropy = zxcvbn::zxcvbn(password, personal);
    let score = match entropy.score() {
        Score::Zero => 0,
        Score::One => 1,
        Score::Two => 2,
        Score::Three => 3,
        // `Score` is non-exhaustive: anything above three is at least as strong as four.
        _ => 4,
    };
    let (warning_fr, suggestions_fr) = match entropy.feedback() {
        Some(feedback) => (
            feedback.warning().map(warning_fr),
            feedback
                .suggestions()
                .iter()
                .filter_map(|s| suggestion_fr(*s))
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    Strength {
        score,
        warning_fr,
        suggestions_fr,
    }
}

fn warning_fr(warning: Warning) -> &'static str {
    match warning {
        Warning::StraightRowsOfKeysAreEasyToGuess => {
            "Les suites de touches voisines du clavier sont faciles à deviner."
        }
        Warning::ShortKeyboardPatternsAreEasyToGuess => {
            "Les petits motifs de clavier sont faciles à deviner."
        }
        Warning::RepeatsLikeAaaAreEasyToGuess => {
            "Les répétitions comme « aaa » sont faciles à deviner."
        }
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
            "Les répétitions comme « abcabcabc » sont à peine plus difficiles à deviner que « abc »."
        }
        Warning::ThisIsATop10Password
        | Warning::ThisIsATop100Password
        | Warning::ThisIsACommonPassword => "C'est un mot de passe très courant.",
        Warning::ThisIsSimilarToACommonlyUsedPassword => {
            "Il ressemble à un mot de passe très courant."
        }
        Warning::SequencesLikeAbcAreEasyToGuess => {
            "Les suites comme « abc » ou « 6543 » sont faciles à deviner."
        }
        Warning::RecentYearsAreEasyToGuess => "Les années récentes sont faciles à deviner.",
        Warning::AWordByItselfIsEasyToGuess => "Un mot seul est facile à deviner.",
        Warning::DatesAreOftenEasyToGuess => "Les dates sont souvent faciles à deviner.",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
        | Warning::CommonNamesAndSurnamesAreEasyToGuess => {
            "Les noms et prénoms sont faciles à deviner."
        }
    }
}

/// French advice; `None` for zxcvbn's advice that contradicts our character rules (they
/// require a capital and a digit or special character).
fn suggestion_fr(suggestion: Suggestion) -> Option<&'static str> {
    Some(match suggestion {
        Suggestion::UseAFewWordsAvoidCommonPhrases => {
            "Utilisez plusieurs mots, en évitant les expressions courantes."
        }
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => return None,
        Suggestion::AddAnotherWordOrTwo => "Ajoutez un ou deux mots, de préférence peu courants.",
        Suggestion::CapitalizationDoesntHelpVeryMuch => {
            "Une majuscule au début n'aide pas beaucoup."
        }
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
            "Tout en majuscules est presque aussi facile à deviner que tout en minuscules."
        }
        Suggestion::ReversedWordsArentMuchHarderToGuess => {
            "Un mot écrit à l'envers n'est guère plus difficile à deviner."
        }
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => {
            "Les substitutions prévisibles, comme « @ » au lieu de « a », n'aident pas beaucoup."
        }
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => {
            "Évitez les motifs de clavier, ou rendez-les plus longs et plus sinueux."
        }
        Suggestion::AvoidRepeatedWordsAndCharacters => {
            "Évitez de répéter des mots ou des caractères."
        }
        Suggestion::AvoidSequences => "Évitez les suites de lettres ou de chiffres.",
        Suggestion::AvoidRecentYears => "Évitez les années récentes.",
        Suggestion::AvoidYearsThatAreAssociatedWithYou => "Évitez les années qui vous concernent.",
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => {
            "Évitez les dates et les années qui vous concernent."
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_passphrase_is_acceptable() {
        let strength = estimate("Girafe-Parapluie-Violon-47", &[]);
        assert!(strength.is_acceptable(), "{strength:?}");
    }

    #[test]
    fn a_decorated_common_word_is_too_weak_and_explained_in_french() {
        let strength = estimate("Password123!", &[]);
        assert!(!strength.is_acceptable(), "{strength:?}");
        let text = strength.explanation_fr();
        assert!(text.starts_with(TOO_WEAK_FR), "{text}");
        assert!(
            !text.is_ascii(),
            "the explanation is French, with accents: {text}"
        );
    }

    #[test]
    fn repeated_characters_are_too_weak_even_within_the_character_rules() {
        let strength = estimate("Aaaaaaaaaaa1", &[]);
        assert!(!strength.is_acceptable(), "{strength:?}");
    }

    #[test]
    fn the_members_own_data_counts_as_known_words() {
        let password = "Sophie.Weber67!";
        let alone = estimate(password, &[]);
        let with_data = estimate(password, &["weber", "strasbourg", "sophie.weber"]);
        assert!(alone.is_acceptable(), "{alone:?}");
        assert!(!with_data.is_acceptable(), "{with_data:?}");
    }

    #[test]
    fn an_empty_password_scores_zero_with_advice() {
        let strength = estimate("", &[]);
        assert_eq!(strength.score, 0);
        assert!(strength.explanation_fr().len() > TOO_WEAK_FR.len());
    }

    #[test]
    fn advice_that_contradicts_the_character_rules_is_dropped() {
        assert_eq!(
            suggestion_fr(Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters),
            None
        );
    }
}
