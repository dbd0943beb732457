//! What the assistant does with a question: act, answer from the FAQ, or say it does not know.

use caisse_domain::help::Category;

use crate::{FaqIndex, Hit, Intent, detect_intent};

/// Below this confidence the assistant says it does not know. Measured on the evaluation set
/// (`tests/eval.rs`): 0.5 refuses 9 out-of-scope questions in 10 while answering most
/// in-scope ones (`docs/help-search.md`).
pub const CONFIDENCE_THRESHOLD: f32 = 0.5;

/// The entries an answer shows, at most.
const ANSWER_SOURCES: usize = 3;

/// The entries shown beside an action.
const ACTION_SOURCES: usize = 2;

/// The nearest entries offered when the assistant does not know.
const NEAREST: usize = 3;

/// The assistant's decision on one question.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// A feature answers it; `sources` are the entries shown beside the action.
    Act { intent: Intent, sources: Vec<Hit> },
    /// The FAQ answers it: one to three entries, best first.
    Answer { sources: Vec<Hit> },
    /// Nothing answers it well enough; `category` (when one stands out) chooses the objet of
    /// the message the member is offered to write.
    DontKnow {
        nearest: Vec<Hit>,
        category: Option<Category>,
    },
}

/// Decides what to do with `query` over a fund's `index`.
#[must_use]
pub fn decide(index: &FaqIndex, query: &str) -> Decision {
    if let Some(intent) = detect_intent(query) {
        return Decision::Act {
            intent,
            sources: index.search(query, ACTION_SOURCES),
        };
    }
    let hits = index.search(query, ANSWER_SOURCES.max(NEAREST));
    let sources: Vec<Hit> = hits
        .iter()
        .filter(|hit| hit.confidence >= CONFIDENCE_THRESHOLD)
        .take(ANSWER_SOURCES)
        .cloned()
        .collect();
    if !sources.is_empty() {
        return Decision::Answer { sources };
    }
    let category = hits
        .first()
        .filter(|best| best.confidence >= CONFIDENCE_THRESHOLD / 2.0)
        .map(|best| best.category);
    let mut nearest = hits;
    nearest.truncate(NEAREST);
    Decision::DontKnow { nearest, category }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IndexedEntry;

    fn index() -> FaqIndex {
        let entry = |slug: &str, category, question: &str, answer: &str| IndexedEntry {
            slug: slug.to_owned(),
            category,
            question: question.to_owned(),
            alternatives: vec![],
            answer: answer.to_owned(),
        };
        FaqIndex::build(&[
            entry(
                "perte-carte-vitale",
                Category::CarteVitale,
                "J'ai perdu ma carte Vitale",
                "Déclarez la perte en ligne puis commandez une nouvelle carte.",
            ),
            entry(
                "attestation-droits",
                Category::Attestations,
                "Comment obtenir mon attestation de droits ?",
                "Téléchargez-la depuis votre compte.",
            ),
            entry(
                "declarer-medecin-traitant",
                Category::MedecinTraitant,
                "Comment déclarer mon médecin traitant ?",
                "Votre médecin le déclare en ligne lors d'une consultation.",
            ),
        ])
        .unwrap()
    }

    #[test]
    fn acts_on_an_intent_with_sources() {
        let Decision::Act { intent, sources } = decide(&index(), "télécharger mon attestation")
        else {
            panic!("no action");
        };
        assert_eq!(intent, Intent::DownloadAttestation);
        assert_eq!(
            sources.first().map(|h| h.slug.as_str()),
            Some("attestation-droits")
        );
        assert!(sources.len() <= ACTION_SOURCES);
    }

    #[test]
    fn answers_when_confident() {
        let Decision::Answer { sources } = decide(&index(), "perdu cv") else {
            panic!("no answer")
        };
        assert_eq!(sources[0].slug, "perte-carte-vitale");
        assert!(sources.iter().all(|h| h.confidence >= CONFIDENCE_THRESHOLD));
    }

    #[test]
    fn does_not_know_out_of_scope_and_names_a_category_when_one_stands_out() {
        assert!(matches!(
            decide(&index(), "quel temps fera-t-il demain à Lyon"),
            Decision::DontKnow { category: None, .. }
        ));
        // Half the question is about the médecin traitant.
        let decision = decide(&index(), "médecin traitant à la retraite");
        let Decision::DontKnow { nearest, category } = decision else {
            panic!("{decision:?}")
        };
        assert_eq!(category, Some(Category::MedecinTraitant));
        assert_eq!(
            nearest.first().map(|h| h.slug.as_str()),
            Some("declarer-medecin-traitant")
        );
    }
}
