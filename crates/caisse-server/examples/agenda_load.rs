//! Latency of the slot search of « Mon agenda », for `docs/perf.md` (run by
//! `scripts/bench-agenda`, which seeds 200 advisors and three months of bookings on
//! PostgreSQL).
//!
//! Logs the demo member Julien in through the API, then requests one at a time on one
//! keep-alive connection `/healthz` (the floor: the same connection, middleware and pool, no
//! query), the earliest phone slots of the C2S motif (« le plus tôt possible ») and the
//! motifs: p50, p99 and max of each, and each p99 as a ratio of the floor's.

use clap::Parser;

#[path = "support/loadgen.rs"]
mod loadgen;

use loadgen::{percentile, report, sequential_latencies};

#[derive(Parser)]
struct Args {
    /// Address of the portal, `127.0.0.1:8080`.
    #[arg(long)]
    addr: String,
    /// Requests (sequential) for each page.
    #[arg(long, default_value_t = 2000)]
    samples: usize,
}

const NIR: &str = "185057800608491";
const PASSWORD: &str = caisse_core::demo::DEMO_MEMBER_PASSWORD;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let bearer = format!(
        "Bearer {}",
        loadgen::api_token(&args.addr, NIR, PASSWORD).await?
    );
    println!("The slot search of « Mon agenda », 200 advisors, three months of bookings");
    let mut floor_p99 = None;
    for (label, path) in [
        ("GET /healthz (floor)", "/healthz"),
        (
            "GET /api/v1/agenda/slots (C2S by phone, the earliest 20)",
            "/api/v1/agenda/slots?motif=c2s&channel=telephone",
        ),
        ("GET /api/v1/agenda/motifs", "/api/v1/agenda/motifs"),
    ] {
        // Warm the connection pool and caches as a working day would have.
        sequential_latencies(&args.addr, path, ("Authorization", &bearer), 50).await?;
        let latencies =
            sequential_latencies(&args.addr, path, ("Authorization", &bearer), args.samples)
                .await?;
        report(label, &latencies);
        let p99 = percentile(&latencies, 99.0);
        match floor_p99 {
            None => floor_p99 = Some(p99),
            Some(floor) => println!(
                "    p99 = {:.1} × the floor's",
                p99.as_secs_f64() / floor.as_secs_f64().max(1e-6)
            ),
        }
    }
    Ok(())
}
