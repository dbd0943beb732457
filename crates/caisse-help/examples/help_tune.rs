//! The measurements behind the search's tuning (`docs/help-search.md`): the evaluation set run
//! with the default tuning and with one knob changed at a time, printing recall@1, recall@3,
//! recall@3 with a typo per question, and for thresholds from 0.3 to 0.6 the assistant's
//! in-scope answers, answers with the expected entry, and out-of-scope refusals.
//!
//!   cargo run -p caisse-help --example help_tune -- alternatives_boost=2,3 fuzzy_on_stems=1
//!
//! Knobs: the fields of `SearchTuning` (a boolean is 0 or 1).

use caisse_help::{FaqIndex, SearchTuning, detect_intent, shipped};
use serde::Deserialize;

const EVAL_FILES: [&str; 2] = [
    include_str!("../eval/part-1.toml"),
    include_str!("../eval/part-2.toml"),
];
const THRESHOLDS: [f32; 7] = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];

#[derive(Deserialize)]
struct EvalFile {
    #[serde(default)]
    question: Vec<Question>,
    #[serde(default)]
    out_of_scope: Vec<Question>,
}

#[derive(Deserialize)]
struct Question {
    text: String,
    #[serde(default)]
    expected: String,
}

type Error = Box<dyn std::error::Error>;

fn set(tuning: &mut SearchTuning, knob: &str, value: f32) -> Result<(), Error> {
    match knob {
        "question_boost" => tuning.question_boost = value,
        "alternatives_boost" => tuning.alternatives_boost = value,
        "answer_boost" => tuning.answer_boost = value,
        "category_boost" => tuning.category_boost = value,
        "synonym_factor" => tuning.synonym_factor = value,
        "fuzzy_factor" => tuning.fuzzy_factor = value,
        "fuzzy_on_stems" => tuning.fuzzy_on_stems = value > 0.0,
        "answer_only_credit" => tuning.answer_only_credit = value,
        "unknown_word_weight" => tuning.unknown_word_weight = value,
        "confidence_in_rank" => tuning.confidence_in_rank = value,
        _ => return Err(format!("unknown knob « {knob} »").into()),
    }
    Ok(())
}

/// Two neighbouring letters swapped in the middle of the longest word (as `tests/eval.rs`).
fn with_typo(text: &str) -> String {
    let mut words: Vec<Vec<char>> = text.split(' ').map(|w| w.chars().collect()).collect();
    if let Some(word) = words
        .iter_mut()
        .max_by_key(|w| w.len())
        .filter(|w| w.len() >= 5)
    {
        let middle = word.len() / 2;
        word.swap(middle - 1, middle);
    }
    words
        .into_iter()
        .map(|w| w.into_iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn ratio(count: usize, total: usize) -> f32 {
    count as f32 / total.max(1) as f32
}

fn measure(
    name: &str,
    tuning: SearchTuning,
    entries: &[caisse_help::IndexedEntry],
    questions: &[Question],
    out_of_scope: &[Question],
) -> Result<(), Error> {
    let index = FaqIndex::build_tuned(entries, tuning)?;
    let (mut at_1, mut at_3, mut typo_at_3) = (0, 0, 0);
    // Per in-scope question: an intent, the best confidence, the expected entry's confidence.
    let mut in_scope = Vec::new();
    for question in questions {
        let hits = index.search(&question.text, 3);
        let rank = hits.iter().position(|h| h.slug == question.expected);
        at_1 += usize::from(rank == Some(0));
        at_3 += usize::from(rank.is_some());
        typo_at_3 += usize::from(
            index
                .search(&with_typo(&question.text), 3)
                .iter()
                .any(|h| h.slug == question.expected),
        );
        let best = hits.iter().map(|h| h.confidence).fold(0.0, f32::max);
        let expected = rank.map_or(0.0, |r| hits[r].confidence);
        in_scope.push((detect_intent(&question.text).is_some(), best, expected));
    }
    let outside: Vec<(bool, f32)> = out_of_scope
        .iter()
        .map(|q| {
            let best = index
                .search(&q.text, 3)
                .iter()
                .map(|h| h.confidence)
                .fold(0.0, f32::max);
            (detect_intent(&q.text).is_some(), best)
        })
        .collect();
    print!(
        "{name:24} r@1 {:.3} r@3 {:.3} typo r@3 {:.3} |",
        ratio(at_1, questions.len()),
        ratio(at_3, questions.len()),
        ratio(typo_at_3, questions.len())
    );
    for threshold in THRESHOLDS {
        let answered = in_scope
            .iter()
            .filter(|(act, best, _)| *act || *best >= threshold)
            .count();
        let right = in_scope
            .iter()
            .filter(|(act, _, expected)| *act || *expected >= threshold)
            .count();
        let refused = outside
            .iter()
            .filter(|(act, best)| !*act && *best < threshold)
            .count();
        print!(
            " {threshold}: {:.2}/{:.2}/{:.2}",
            ratio(answered, questions.len()),
            ratio(right, questions.len()),
            ratio(refused, outside.len())
        );
    }
    println!();
    Ok(())
}

fn main() -> Result<(), Error> {
    let entries: Vec<_> = shipped::entries()?
        .iter()
        .map(shipped::ShippedEntry::indexed)
        .collect();
    let (mut questions, mut out_of_scope) = (Vec::new(), Vec::new());
    for file in EVAL_FILES {
        let file: EvalFile = toml::from_str(file)?;
        questions.extend(file.question);
        out_of_scope.extend(file.out_of_scope);
    }
    println!(
        "per threshold: in-scope answered / with the expected entry or an action / out-of-scope refused"
    );
    measure(
        "defaults",
        SearchTuning::default(),
        &entries,
        &questions,
        &out_of_scope,
    )?;
    for argument in std::env::args().skip(1) {
        let (knob, values) = argument
            .split_once('=')
            .ok_or("arguments are knob=value,value…")?;
        for value in values.split(',') {
            let mut tuning = SearchTuning::default();
            set(&mut tuning, knob, value.parse()?)?;
            measure(
                &format!("{knob}={value}"),
                tuning,
                &entries,
                &questions,
                &out_of_scope,
            )?;
        }
    }
    Ok(())
}
