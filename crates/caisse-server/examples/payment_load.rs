//! Latency of « Mes paiements », for `docs/perf.md` (run by `scripts/bench-payments`, which
//! seeds 10⁷ care lines on PostgreSQL and keeps the claims worker liquidating a lot while
//! this runs).
//!
//! Logs Julien MARTIN in (cookie session, as a browser), finds his newest payment on
//! `/paiements`, then requests, one at a time on one keep-alive connection, `/paiements`
//! (page 1 of the list, with its months' totals) and that payment's detail
//! `/paiements/{id}` (its lines, the rule behind each amount, the year's counters): p50, p99
//! and max of each.

use anyhow::Context;
use clap::Parser;

#[path = "support/loadgen.rs"]
mod loadgen;

use loadgen::{Connection, browser_session, report, sequential_latencies};

#[derive(Parser)]
struct Args {
    /// Address of the portal, `127.0.0.1:8080`.
    #[arg(long)]
    addr: String,
    /// Requests (sequential) for each page.
    #[arg(long, default_value_t = 2000)]
    samples: usize,
    /// What the run is called in the report, e.g. « pendant la liquidation ».
    #[arg(long, default_value = "")]
    label: String,
}

/// Julien MARTIN, the member whose history `scripts/bench/seed-care.sql` lengthens.
const MEMBER: &str = "185057800608491";
const PASSWORD: &str = "Caisse-Demo-2026";

/// The first link to a payment's detail on the list page.
fn first_payment(page: &str) -> anyhow::Result<String> {
    let marker = "href=\"/paiements/";
    let mut rest = page;
    while let Some(at) = rest.find(marker) {
        let tail = &rest[at + marker.len()..];
        let id: String = tail
            .chars()
            .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
            .collect();
        if id.len() == 36 {
            return Ok(format!("/paiements/{id}"));
        }
        rest = tail;
    }
    anyhow::bail!("no payment link on /paiements")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let cookie = browser_session(&args.addr, MEMBER, PASSWORD, "/paiements").await?;
    let mut conn = Connection::open(&args.addr).await?;
    let list = conn
        .send("GET", "/paiements", &[("Cookie", &cookie)], b"")
        .await?;
    let detail =
        first_payment(&String::from_utf8_lossy(&list.body)).context("the member has payments")?;
    println!(
        "« Mes paiements » of a member with a long history {}",
        args.label
    );
    for path in ["/paiements", detail.as_str()] {
        // Warm the connection pool and caches as a real day would have.
        sequential_latencies(&args.addr, path, ("Cookie", &cookie), 50).await?;
        let latencies =
            sequential_latencies(&args.addr, path, ("Cookie", &cookie), args.samples).await?;
        let label = if path == "/paiements" {
            "GET /paiements (HTML, page 1)".to_owned()
        } else {
            "GET /paiements/{id} (HTML, newest payment)".to_owned()
        };
        report(&label, &latencies);
    }
    Ok(())
}
