//! Load of the help's search: an index of 1,000 entries (the shipped ones and variants made by
//! recombining their questions, alternatives and answers under new slugs), every evaluation
//! question run many times through `search` and through `decide`; prints p50 and p99 per call
//! and the ratio of p99 to the 10 ms ceiling. `scripts/bench-help` runs it in release.

use std::time::{Duration, Instant};

use caisse_help::{FaqIndex, IndexedEntry, decide, shipped};
use serde::Deserialize;

const EVAL_FILES: [&str; 2] = [
    include_str!("../eval/part-1.toml"),
    include_str!("../eval/part-2.toml"),
];

/// The entries of the index under load.
const ENTRIES: usize = 1_000;
/// How many times each question runs, after one warm-up round.
const ROUNDS: usize = 30;
/// The ceiling of one call.
const CEILING: Duration = Duration::from_millis(10);

#[derive(Deserialize)]
struct EvalFile {
    #[serde(default)]
    question: Vec<Text>,
    #[serde(default)]
    out_of_scope: Vec<Text>,
}

#[derive(Deserialize)]
struct Text {
    text: String,
}

/// The shipped entries, then variants until `ENTRIES`: the question of one entry, the
/// alternatives of two others, the answers of two more, all chosen by fixed strides.
fn entries() -> Result<Vec<IndexedEntry>, shipped::ShippedError> {
    let shipped: Vec<IndexedEntry> = shipped::entries()?
        .iter()
        .map(shipped::ShippedEntry::indexed)
        .collect();
    let n = shipped.len();
    let mut all = shipped.clone();
    for i in 0..ENTRIES.saturating_sub(n) {
        let pick = |stride: usize, offset: usize| &shipped[(i * stride + offset) % n];
        let (a, b, c, d, e) = (
            pick(1, 0),
            pick(7, 3),
            pick(13, 5),
            pick(17, 11),
            pick(29, 19),
        );
        let question = b
            .alternatives
            .get(i % b.alternatives.len().max(1))
            .unwrap_or(&a.question)
            .clone();
        let mut alternatives = vec![a.question.clone()];
        alternatives.extend(c.alternatives.iter().take(3).cloned());
        alternatives.extend(d.alternatives.iter().skip(3).cloned());
        all.push(IndexedEntry {
            slug: format!("variante-{i}"),
            category: a.category,
            question,
            alternatives,
            answer: format!("{}\n\n{}", e.answer, c.answer),
        });
    }
    Ok(all)
}

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    let rank = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn report(name: &str, per_question: Vec<Vec<Duration>>) {
    let mut medians: Vec<Duration> = per_question
        .iter()
        .map(|timings| {
            let mut timings = timings.clone();
            timings.sort_unstable();
            percentile(&timings, 0.50)
        })
        .collect();
    medians.sort_unstable();
    let mut calls: Vec<Duration> = per_question.into_iter().flatten().collect();
    calls.sort_unstable();
    let p50 = percentile(&calls, 0.50);
    let p99 = percentile(&calls, 0.99);
    println!(
        "{name:>7}: {} calls, p50 {} µs, p99 {} µs, max {} µs, p99 / 10 ms = {:.3}; per question (median of its rounds): p99 {} µs, max {} µs",
        calls.len(),
        p50.as_micros(),
        p99.as_micros(),
        calls.last().map_or(0, Duration::as_micros),
        p99.as_secs_f64() / CEILING.as_secs_f64(),
        percentile(&medians, 0.99).as_micros(),
        medians.last().map_or(0, Duration::as_micros),
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut questions = Vec::new();
    for file in EVAL_FILES {
        let file: EvalFile = toml::from_str(file)?;
        questions.extend(file.question.into_iter().map(|q| q.text));
        questions.extend(file.out_of_scope.into_iter().map(|q| q.text));
    }
    let entries = entries()?;
    let shipped = shipped::entries()?.len();
    let started = Instant::now();
    let small = FaqIndex::build(&entries[..shipped])?;
    println!(
        "index of the {} shipped entries built in {} ms",
        small.len(),
        started.elapsed().as_millis()
    );
    let started = Instant::now();
    let index = FaqIndex::build(&entries)?;
    println!(
        "index of {} entries built in {} ms",
        index.len(),
        started.elapsed().as_millis()
    );

    // Per call, and per question the median of its rounds: on a shared machine the p99 of
    // calls also measures the scheduler (a call preempted for a time slice); the p99 of the
    // per-question medians is the engine's own worst case.
    let mut search = vec![Vec::with_capacity(ROUNDS); questions.len()];
    let mut decisions = vec![Vec::with_capacity(ROUNDS); questions.len()];
    for round in 0..=ROUNDS {
        for (at, question) in questions.iter().enumerate() {
            let started = Instant::now();
            std::hint::black_box(index.search(question, 3));
            let searched = started.elapsed();
            let started = Instant::now();
            std::hint::black_box(decide(&index, question));
            let decided = started.elapsed();
            // Round 0 warms the caches up.
            if round > 0 {
                search[at].push(searched);
                decisions[at].push(decided);
            }
        }
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average: {}",
            load.split(' ').take(3).collect::<Vec<_>>().join(" ")
        );
    }
    println!("{} questions × {ROUNDS} rounds", questions.len());
    report("search", search);
    report("decide", decisions);
    Ok(())
}
