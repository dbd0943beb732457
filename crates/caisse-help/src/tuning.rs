//! The knobs of the search, with the values measured on the evaluation set
//! (`tests/eval.rs`, `docs/help-search.md`).

/// How the search weighs fields, synonyms, typos and unknown words.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SearchTuning {
    /// Boost of a match in the entry's question.
    pub question_boost: f32,
    /// Boost of a match in the entry's alternatives (other ways members ask it).
    pub alternatives_boost: f32,
    /// Boost of a match in the entry's answer.
    pub answer_boost: f32,
    /// Boost of a match in the title of the entry's category.
    pub category_boost: f32,
    /// What a synonym of a word of the question counts for (the word itself counts 1).
    pub synonym_factor: f32,
    /// What a word one or two typos away counts for, in the score and in the confidence.
    pub fuzzy_factor: f32,
    /// Typos are looked for on stems (`true`) or on the folded words (`false`).
    pub fuzzy_on_stems: bool,
    /// What a word of the question found only in the answer (or the category title) counts for
    /// in the confidence; found in the question or an alternative, it counts 1.
    pub answer_only_credit: f32,
    /// The rarity weight of a word of the question no entry holds (nor a typo away, nor a
    /// synonym), as a share of the weight such a word would have by its rarity alone (the
    /// highest): how much it lowers the confidence of every hit.
    pub unknown_word_weight: f32,
    /// The order of hits: 0 sorts by the engine's score alone, 1 by the confidence alone, in
    /// between a blend of the score relative to the best and the confidence.
    pub confidence_in_rank: f32,
}

impl Default for SearchTuning {
    fn default() -> SearchTuning {
        SearchTuning {
            question_boost: 3.0,
            alternatives_boost: 2.5,
            answer_boost: 1.0,
            category_boost: 0.5,
            synonym_factor: 0.9,
            fuzzy_factor: 0.6,
            fuzzy_on_stems: false,
            answer_only_credit: 0.7,
            unknown_word_weight: 0.8,
            confidence_in_rank: 0.3,
        }
    }
}
