//! A question read against the index: its meaningful words grouped into concepts (a word, or a
//! phrase of the synonym table), each with the stems that satisfy it and its rarity weight;
//! and the confidence of an entry, the weighted share of the concepts it satisfies.

use crate::analysis::{Analysis, Word};
use crate::fuzzy::allowed_edits;
use crate::synonyms::Synonyms;
use crate::tuning::SearchTuning;
use crate::vocabulary::{Place, StemId, Vocabulary};

/// A way to satisfy a concept: every stem of `stems` in the entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Alternative {
    pub(crate) stems: Vec<StemId>,
    /// 1 for the words as typed, less for a synonym or a typo.
    pub(crate) factor: f32,
}

/// One meaningful part of the question.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Concept {
    /// Empty when no entry holds the word (nor a typo away, nor a synonym).
    pub(crate) alternatives: Vec<Alternative>,
    /// Its rarity among the entries: rare words say more about what the member asks.
    pub(crate) weight: f32,
}

/// How to read the last word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LastWord {
    /// A whole word.
    Whole,
    /// Being typed: any word it starts.
    Prefix,
}

/// The stems a prefix may complete into, at most.
const COMPLETIONS: usize = 24;

/// A shorter prefix (one letter) says too little to look for its words.
const PREFIX_MIN: usize = 2;

/// What one word of the question may be, before synonyms: its own stem and the stems of the
/// known words a typo away.
struct Reading {
    /// Its stem, as typed.
    typed: String,
    /// The stems the index knows for it, with their factor.
    known: Vec<(StemId, f32)>,
}

impl Reading {
    fn candidates<'a>(&'a self, vocabulary: &'a Vocabulary) -> Vec<&'a str> {
        let mut all = vec![self.typed.as_str()];
        all.extend(self.known.iter().map(|(id, _)| vocabulary.stem(*id)));
        all
    }

    /// The factor of `stem` if this word reads as it.
    fn factor_of(&self, stem: &str, vocabulary: &Vocabulary) -> f32 {
        if stem == self.typed {
            return 1.0;
        }
        self.known
            .iter()
            .find(|(id, _)| vocabulary.stem(*id) == stem)
            .map_or(0.0, |(_, factor)| *factor)
    }
}

/// Reads `question` into concepts.
pub(crate) fn concepts(
    question: &str,
    last_word: LastWord,
    analysis: &Analysis,
    synonyms: &Synonyms,
    vocabulary: &Vocabulary,
    tuning: &SearchTuning,
) -> Vec<Concept> {
    let mut words = analysis.words(question);
    let prefix = match last_word {
        LastWord::Prefix if question.ends_with(char::is_alphanumeric) => words.pop(),
        _ => None,
    };
    let readings: Vec<Reading> = words
        .into_iter()
        .filter_map(|Word { folded, stem }| {
            stem.map(|stem| read_word(&folded, stem, vocabulary, tuning))
        })
        // A number no entry holds is a detail of the member's case (an amount, a date), not
        // something the entries could answer.
        .filter(|reading| {
            !(reading.known.is_empty() && reading.typed.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();

    let mut concepts = Vec::new();
    let mut at = 0;
    while at < readings.len() {
        let window: Vec<Vec<&str>> = readings[at..]
            .iter()
            .map(|r| r.candidates(vocabulary))
            .collect();
        if let Some(found) = synonyms.longest_at(&window) {
            let typed = synonyms.stems(found.phrase);
            let factor = typed
                .iter()
                .zip(&readings[at..])
                .map(|(stem, reading)| reading.factor_of(stem, vocabulary))
                .fold(1.0_f32, f32::min);
            let alternatives = synonyms
                .related(found.phrase)
                .iter()
                .filter_map(|index| {
                    let stems: Option<Vec<StemId>> = synonyms
                        .stems(*index)
                        .iter()
                        .map(|s| vocabulary.id(s))
                        .collect();
                    let own = if *index == found.phrase {
                        1.0
                    } else {
                        tuning.synonym_factor
                    };
                    stems.map(|stems| Alternative {
                        stems,
                        factor: factor * own,
                    })
                })
                .collect();
            concepts.push(weighed(alternatives, vocabulary, tuning));
            at += found.len;
        } else {
            let alternatives = readings[at]
                .known
                .iter()
                .map(|(id, factor)| Alternative {
                    stems: vec![*id],
                    factor: *factor,
                })
                .collect();
            concepts.push(weighed(alternatives, vocabulary, tuning));
            at += 1;
        }
    }

    if let Some(Word { folded, stem }) = prefix.filter(|word| word.folded.len() >= PREFIX_MIN) {
        let completions = vocabulary.completions(&folded, COMPLETIONS);
        if completions.is_empty() {
            if let Some(stem) = stem {
                let reading = read_word(&folded, stem, vocabulary, tuning);
                let alternatives = reading
                    .known
                    .iter()
                    .map(|(id, factor)| Alternative {
                        stems: vec![*id],
                        factor: *factor,
                    })
                    .collect();
                concepts.push(weighed(alternatives, vocabulary, tuning));
            }
        } else {
            let alternatives = completions
                .into_iter()
                .map(|id| Alternative {
                    stems: vec![id],
                    factor: 1.0,
                })
                .collect();
            concepts.push(weighed(alternatives, vocabulary, tuning));
        }
    }
    concepts
}

/// The stems the index knows for a word: its own, else those of the words a typo or two away.
fn read_word(
    folded: &str,
    stem: String,
    vocabulary: &Vocabulary,
    tuning: &SearchTuning,
) -> Reading {
    let known = match vocabulary.id(&stem) {
        Some(id) => vec![(id, 1.0)],
        None => {
            let near = if tuning.fuzzy_on_stems {
                vocabulary.stems_near(&stem, allowed_edits(stem.len()))
            } else {
                vocabulary.words_near(folded, allowed_edits(folded.len()))
            };
            near.into_iter()
                .map(|id| (id, tuning.fuzzy_factor))
                .collect()
        }
    };
    Reading { typed: stem, known }
}

/// The concept of `alternatives`, weighed by the rarity of the entries satisfying it.
fn weighed(
    alternatives: Vec<Alternative>,
    vocabulary: &Vocabulary,
    tuning: &SearchTuning,
) -> Concept {
    let mut entries: Vec<u32> = Vec::new();
    for alternative in &alternatives {
        entries.extend(satisfying(alternative, vocabulary));
    }
    entries.sort_unstable();
    entries.dedup();
    let weight = if entries.is_empty() {
        tuning.unknown_word_weight * rarity(0, vocabulary.entry_count())
    } else {
        rarity(entries.len(), vocabulary.entry_count())
    };
    Concept {
        alternatives,
        weight,
    }
}

/// The entries holding every stem of `alternative`.
fn satisfying(alternative: &Alternative, vocabulary: &Vocabulary) -> Vec<u32> {
    let Some((first, rest)) = alternative.stems.split_first() else {
        return Vec::new();
    };
    vocabulary
        .postings(*first)
        .iter()
        .copied()
        .filter(|entry| {
            rest.iter()
                .all(|id| vocabulary.postings(*id).binary_search(entry).is_ok())
        })
        .collect()
}

/// The rarity weight of a concept `holders` of `total` entries satisfy (BM25's idf).
fn rarity(holders: usize, total: usize) -> f32 {
    let (holders, total) = (holders as f32, total as f32);
    (1.0 + (total - holders + 0.5) / (holders + 0.5)).ln()
}

/// How much of the question `entry` answers: the weighted share of the concepts it satisfies,
/// a concept counting its best alternative's factor, less when found only in the answer.
pub(crate) fn confidence(
    concepts: &[Concept],
    entry: u32,
    vocabulary: &Vocabulary,
    tuning: &SearchTuning,
) -> f32 {
    let total: f32 = concepts.iter().map(|c| c.weight).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let satisfied: f32 = concepts
        .iter()
        .map(|concept| {
            let best = concept
                .alternatives
                .iter()
                .filter_map(|alternative| {
                    vocabulary
                        .place(entry, &alternative.stems)
                        .map(|place| match place {
                            Place::Head => alternative.factor,
                            Place::Body => alternative.factor * tuning.answer_only_credit,
                        })
                })
                .fold(0.0_f32, f32::max);
            best * concept.weight
        })
        .sum();
    (satisfied / total).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::EntryText;

    struct Fixture {
        analysis: Analysis,
        synonyms: Synonyms,
        vocabulary: Vocabulary,
        tuning: SearchTuning,
    }

    impl Fixture {
        fn new() -> Fixture {
            let analysis = Analysis::new();
            let texts = [
                EntryText {
                    head: vec!["Commander une carte Vitale"],
                    body: vec!["Elle arrive par courrier."],
                },
                EntryText {
                    head: vec!["Obtenir une attestation de droits"],
                    body: vec!["Présentez votre carte Vitale."],
                },
                EntryText {
                    head: vec!["Déclarer un accident du travail"],
                    body: vec!["Votre employeur le déclare."],
                },
                EntryText {
                    head: vec!["Changer de mot de passe"],
                    body: vec!["Depuis votre profil."],
                },
            ];
            let vocabulary = Vocabulary::build(&analysis, &texts);
            let synonyms = Synonyms::new(&analysis);
            Fixture {
                analysis,
                synonyms,
                vocabulary,
                tuning: SearchTuning::default(),
            }
        }

        fn concepts(&self, question: &str, last_word: LastWord) -> Vec<Concept> {
            concepts(
                question,
                last_word,
                &self.analysis,
                &self.synonyms,
                &self.vocabulary,
                &self.tuning,
            )
        }

        fn confidence(&self, question: &str, entry: u32) -> f32 {
            confidence(
                &self.concepts(question, LastWord::Whole),
                entry,
                &self.vocabulary,
                &self.tuning,
            )
        }
    }

    #[test]
    fn an_acronym_reads_as_its_phrase() {
        let fixture = Fixture::new();
        let concepts = fixture.concepts("commander cv svp", LastWord::Whole);
        assert_eq!(concepts.len(), 2, "{concepts:?}");
        assert!(
            (fixture.confidence("commander cv svp", 0) - fixture.tuning.synonym_factor).abs() < 0.2
        );
        assert!(fixture.confidence("mdp", 3) > 0.8);
        assert!(fixture.confidence("AT", 2) > 0.8);
    }

    #[test]
    fn a_typo_counts_less_than_the_word() {
        let fixture = Fixture::new();
        let exact = fixture.confidence("attestation", 1);
        let typo = fixture.confidence("atestation", 1);
        assert!((exact - 1.0).abs() < f32::EPSILON);
        assert!((typo - fixture.tuning.fuzzy_factor).abs() < 1e-4, "{typo}");
        assert!(fixture.confidence("aztezatoin", 1) < f32::EPSILON);
    }

    #[test]
    fn confidence_is_the_rarity_weighted_share_of_the_question() {
        let fixture = Fixture::new();
        // Found only in the answer: partial credit.
        let answer_only = fixture.confidence("carte vitale", 1);
        assert!(
            (answer_only - fixture.tuning.answer_only_credit).abs() < 1e-4,
            "{answer_only}"
        );
        // An unknown word lowers it; a stop word does not.
        let half = fixture.confidence("attestation lyon", 1);
        assert!(half > 0.0 && half < 1.0, "{half}");
        assert!((fixture.confidence("bonjour l'attestation svp", 1) - 1.0).abs() < f32::EPSILON);
        assert!(fixture.confidence("météo lyon", 1) < f32::EPSILON);
        assert!(
            fixture
                .concepts("bonjour merci", LastWord::Whole)
                .is_empty()
        );
    }

    #[test]
    fn the_last_word_may_be_a_prefix() {
        let fixture = Fixture::new();
        let whole = fixture.concepts("carte vitale comm", LastWord::Whole);
        let prefix = fixture.concepts("carte vitale comm", LastWord::Prefix);
        assert!(whole[1].alternatives.is_empty());
        let commander = fixture
            .vocabulary
            .id(&fixture.analysis.stem("commander").unwrap_or_default());
        assert_eq!(
            prefix[1].alternatives.first().map(|a| a.stems[0]),
            commander
        );
        // A finished word is whole.
        assert_eq!(
            fixture.concepts("carte vitale comm ", LastWord::Prefix),
            whole
        );
        // One letter says too little.
        assert_eq!(
            fixture.concepts("carte vitale c", LastWord::Prefix),
            fixture.concepts("carte vitale", LastWord::Whole)
        );
    }
}
