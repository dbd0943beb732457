//! Latency of the help's search and assistant through the API, for `docs/perf.md` (run by
//! `scripts/bench-help-api`, which grows the demo fund's FAQ to 1,000 entries on PostgreSQL).
//!
//! Logs the demo member Julien in through the API, then, one request at a time on one
//! keep-alive connection: `/healthz` (the floor: the same connection, middleware and pool, no
//! query), then every question of the evaluation set (`crates/caisse-help/eval/*.toml`) in
//! turn through `GET /api/v1/help/search` and `POST /api/v1/help/assistant`, each answered
//! 200 (and each kept for the fund's supervisors, a write, as in production). p50, p99 and max
//! of each, and each p99 as a ratio of the floor's and of the 10 ms ceiling of issue 17.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use serde::Deserialize;

#[path = "support/loadgen.rs"]
mod loadgen;

use loadgen::{Connection, ms, percentile, report, sequential_latencies};

#[derive(Parser)]
struct Args {
    /// Address of the portal, `127.0.0.1:8080`.
    #[arg(long)]
    addr: String,
    /// Rounds over the evaluation questions, for each route.
    #[arg(long, default_value_t = 10)]
    rounds: usize,
}

const NIR: &str = "185057800608491";
const PASSWORD: &str = caisse_core::demo::DEMO_MEMBER_PASSWORD;
const CEILING: Duration = Duration::from_millis(10);

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
}

/// Every evaluation question, in and out of scope.
fn questions() -> anyhow::Result<Vec<String>> {
    let mut all = Vec::new();
    for text in [
        include_str!("../../caisse-help/eval/part-1.toml"),
        include_str!("../../caisse-help/eval/part-2.toml"),
    ] {
        let file: EvalFile = toml::from_str(text).context("an evaluation file")?;
        all.extend(
            file.question
                .into_iter()
                .chain(file.out_of_scope)
                .map(|q| q.text),
        );
    }
    Ok(all)
}

fn query_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Each question through `route` (`search` or `assistant`), `rounds` times; sorted latencies.
async fn latencies(
    addr: &str,
    bearer: &str,
    questions: &[String],
    route: &str,
    rounds: usize,
) -> anyhow::Result<Vec<Duration>> {
    let mut conn = Connection::open(addr).await?;
    let mut all = Vec::with_capacity(questions.len() * rounds);
    for _ in 0..rounds {
        for question in questions {
            let started = Instant::now();
            let response = if route == "search" {
                let path = format!("/api/v1/help/search?q={}", query_encoded(question));
                conn.send("GET", &path, &[("Authorization", bearer)], b"")
                    .await?
            } else {
                let escaped = question.replace('\\', "\\\\").replace('"', "\\\"");
                let body = format!("{{\"question\":\"{escaped}\"}}");
                conn.send(
                    "POST",
                    "/api/v1/help/assistant",
                    &[
                        ("Authorization", bearer),
                        ("Content-Type", "application/json"),
                    ],
                    body.as_bytes(),
                )
                .await?
            };
            if response.status != 200 {
                bail!("{route} « {question} » answered {}", response.status);
            }
            all.push(started.elapsed());
        }
    }
    all.sort();
    Ok(all)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let questions = questions()?;
    let bearer = format!(
        "Bearer {}",
        loadgen::api_token(&args.addr, NIR, PASSWORD).await?
    );
    println!(
        "The help through the API: {} evaluation questions × {} rounds per route",
        questions.len(),
        args.rounds
    );
    sequential_latencies(&args.addr, "/healthz", ("Authorization", &bearer), 200).await?;
    let floor =
        sequential_latencies(&args.addr, "/healthz", ("Authorization", &bearer), 2000).await?;
    report("GET /healthz (floor)", &floor);
    let floor_p99 = percentile(&floor, 99.0);
    for (label, route) in [
        ("GET /api/v1/help/search", "search"),
        ("POST /api/v1/help/assistant", "assistant"),
    ] {
        // One round first: the node builds the fund's index on its first question.
        latencies(&args.addr, &bearer, &questions, route, 1).await?;
        let measured = latencies(&args.addr, &bearer, &questions, route, args.rounds).await?;
        report(label, &measured);
        let p99 = percentile(&measured, 99.0);
        println!(
            "    p99 = {:.1} × the floor's, {:.3} × the 10 ms ceiling ({:.2} ms)",
            p99.as_secs_f64() / floor_p99.as_secs_f64().max(1e-6),
            p99.as_secs_f64() / CEILING.as_secs_f64(),
            ms(p99)
        );
    }
    Ok(())
}
