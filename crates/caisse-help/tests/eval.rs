//! The proof of the help's search: the evaluation set (`eval/*.toml`, member-style questions
//! each with its expected entry, and out-of-scope questions) run against the shipped FAQ.
//! `scripts/test-all help` runs it with `--nocapture` to show the report.

use std::collections::HashSet;

use caisse_help::{Decision, FaqIndex, Hit, decide, shipped};
use serde::Deserialize;

const EVAL_FILES: [(&str, &str); 2] = [
    ("eval/part-1.toml", include_str!("../eval/part-1.toml")),
    ("eval/part-2.toml", include_str!("../eval/part-2.toml")),
];

/// The goals of the help (issue 17).
const RECALL_AT_3_GOAL: f64 = 0.90;
const OUT_OF_SCOPE_REFUSED_GOAL: f64 = 0.80;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvalFile {
    #[serde(default)]
    question: Vec<Question>,
    #[serde(default)]
    out_of_scope: Vec<OutOfScope>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    text: String,
    expected: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutOfScope {
    text: String,
}

fn evaluation_set() -> (Vec<Question>, Vec<OutOfScope>) {
    let mut questions = Vec::new();
    let mut out_of_scope = Vec::new();
    for (name, content) in EVAL_FILES {
        let file: EvalFile = toml::from_str(content).unwrap_or_else(|e| panic!("{name}: {e}"));
        questions.extend(file.question);
        out_of_scope.extend(file.out_of_scope);
    }
    (questions, out_of_scope)
}

fn index() -> (usize, FaqIndex) {
    let entries = shipped::entries().unwrap();
    let indexed: Vec<_> = entries.iter().map(shipped::ShippedEntry::indexed).collect();
    (entries.len(), FaqIndex::build(&indexed).unwrap())
}

fn ratio(count: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 / total as f64
    }
}

fn describe(hits: &[Hit]) -> String {
    let named: Vec<String> = hits
        .iter()
        .map(|h| format!("{} ({:.2})", h.slug, h.confidence))
        .collect();
    if named.is_empty() {
        "nothing".to_owned()
    } else {
        named.join(", ")
    }
}

fn describe_decision(decision: &Decision) -> String {
    match decision {
        Decision::Act { intent, sources } => format!("act {intent:?} [{}]", describe(sources)),
        Decision::Answer { sources } => format!("answer [{}]", describe(sources)),
        Decision::DontKnow { nearest, category } => {
            format!(
                "don't know, objet {:?} [{}]",
                category.map(|c| c.code()),
                describe(nearest)
            )
        }
    }
}

/// `text` with a typo members make: two neighbouring letters swapped in the middle of its
/// longest word (when it has 5 letters or more).
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

#[test]
fn the_evaluation_set_names_shipped_entries_and_is_large_enough() {
    let entries = shipped::entries().unwrap();
    let slugs: HashSet<&str> = entries.iter().map(|e| e.slug.as_str()).collect();
    let (questions, out_of_scope) = evaluation_set();
    let unknown: Vec<&str> = questions
        .iter()
        .map(|q| q.expected.as_str())
        .filter(|slug| !slugs.contains(slug))
        .collect();
    assert!(
        unknown.is_empty(),
        "expected entries that are not shipped: {unknown:?}"
    );
    assert!(
        entries.len() >= 80,
        "{} entries, 80 at least",
        entries.len()
    );
    assert!(
        questions.len() >= 150,
        "{} questions, 150 at least",
        questions.len()
    );
    assert!(
        out_of_scope.len() >= 30,
        "{} out-of-scope questions, 30 at least",
        out_of_scope.len()
    );
}

#[test]
fn search_finds_the_expected_entry_and_the_assistant_refuses_the_rest() {
    let (entry_count, index) = index();
    let (questions, out_of_scope) = evaluation_set();

    let mut typo_at_3 = 0;
    let mut at_1 = 0;
    let mut at_3 = 0;
    let mut answered = 0;
    let mut answered_right = 0;
    let mut misses = Vec::new();
    let mut refused_in_scope = Vec::new();
    let mut answered_wrong = Vec::new();
    for question in &questions {
        typo_at_3 += usize::from(
            index
                .search(&with_typo(&question.text), 3)
                .iter()
                .any(|h| h.slug == question.expected),
        );
        let hits = index.search(&question.text, 3);
        let rank = hits.iter().position(|h| h.slug == question.expected);
        at_1 += usize::from(rank == Some(0));
        at_3 += usize::from(rank.is_some());
        if rank.is_none() {
            misses.push(format!(
                "  « {} »\n    expected {}, got {}",
                question.text,
                question.expected,
                describe(&hits)
            ));
        }
        match decide(&index, &question.text) {
            Decision::Act { .. } => {
                answered += 1;
                answered_right += 1;
            }
            Decision::Answer { sources } => {
                answered += 1;
                if sources.iter().any(|h| h.slug == question.expected) {
                    answered_right += 1;
                } else {
                    answered_wrong.push(format!(
                        "  « {} »\n    expected {}, answered [{}]",
                        question.text,
                        question.expected,
                        describe(&sources)
                    ));
                }
            }
            decision @ Decision::DontKnow { .. } => refused_in_scope.push(format!(
                "  « {} »\n    expected {}, {}",
                question.text,
                question.expected,
                describe_decision(&decision)
            )),
        }
    }
    let mut refused = 0;
    let mut accepted = Vec::new();
    for question in &out_of_scope {
        let decision = decide(&index, &question.text);
        if matches!(decision, Decision::DontKnow { .. }) {
            refused += 1;
        } else {
            accepted.push(format!(
                "  « {} »\n    {}",
                question.text,
                describe_decision(&decision)
            ));
        }
    }

    let recall_at_1 = ratio(at_1, questions.len());
    let recall_at_3 = ratio(at_3, questions.len());
    let refused_rate = ratio(refused, out_of_scope.len());
    println!("Help search evaluation");
    println!(
        "  entries: {entry_count}, questions: {}, out of scope: {}",
        questions.len(),
        out_of_scope.len()
    );
    println!("  recall@1: {recall_at_1:.3} ({at_1}/{})", questions.len());
    println!(
        "  recall@3: {recall_at_3:.3} ({at_3}/{}), goal {RECALL_AT_3_GOAL}",
        questions.len()
    );
    println!(
        "  recall@3 with two letters swapped in the longest word of each question: {:.3} ({typo_at_3}/{})",
        ratio(typo_at_3, questions.len()),
        questions.len()
    );
    println!(
        "  assistant, in scope: answered {:.3} ({answered}/{}), with the expected entry or an action {:.3}",
        ratio(answered, questions.len()),
        questions.len(),
        ratio(answered_right, questions.len()),
    );
    println!(
        "  assistant, out of scope: refused {refused_rate:.3} ({refused}/{}), goal {OUT_OF_SCOPE_REFUSED_GOAL}",
        out_of_scope.len()
    );
    println!(
        "  misses (expected entry not in the first 3): {}",
        misses.len()
    );
    for miss in &misses {
        println!("{miss}");
    }
    println!(
        "  in-scope questions answered without the expected entry: {}",
        answered_wrong.len()
    );
    for answer in &answered_wrong {
        println!("{answer}");
    }
    println!(
        "  in-scope questions the assistant does not answer: {}",
        refused_in_scope.len()
    );
    for refusal in &refused_in_scope {
        println!("{refusal}");
    }
    println!("  out-of-scope questions answered: {}", accepted.len());
    for answer in &accepted {
        println!("{answer}");
    }

    assert!(
        recall_at_3 >= RECALL_AT_3_GOAL,
        "recall@3 {recall_at_3:.3} < {RECALL_AT_3_GOAL}"
    );
    assert!(
        refused_rate >= OUT_OF_SCOPE_REFUSED_GOAL,
        "refused {refused_rate:.3} < {OUT_OF_SCOPE_REFUSED_GOAL}"
    );
}
