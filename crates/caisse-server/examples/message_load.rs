//! Load test of secure messaging, for `docs/perf.md` (run by `scripts/bench-messages`,
//! which seeds 10⁶ messages on PostgreSQL first and measures pgbench's single-row insert rate
//! on the same database).
//!
//! 0. The floor of any API call that reads the database: `GET /api/v1/messages/{unknown id}`
//!    (the token check and one read, answered 404) per second from the same connections.
//! 1. Message sends per second through `POST /api/v1/messages` (bearer tokens of the demo
//!    members) from `--clients` keep-alive connections, with the p50/p99 of each send.
//! 2. The inbox page `GET /messagerie` of a member with a full history (cookie session),
//!    then `GET /api/v1/messages`, one request at a time: p50/p99.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;

#[path = "support/loadgen.rs"]
mod loadgen;

use loadgen::{Connection, browser_session, report, sequential_latencies};

#[derive(Parser)]
struct Args {
    /// Address of the portal, `127.0.0.1:8080`.
    #[arg(long)]
    addr: String,
    /// Seconds of the send measurement.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Concurrent sending clients.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Inbox requests (sequential) for each inbox measurement.
    #[arg(long, default_value_t = 2000)]
    inbox_samples: usize,
    /// pgbench's single-row insert rate on the same database, to compare with (optional).
    #[arg(long)]
    pgbench_tps: Option<f64>,
}

const MEMBERS: [&str; 4] = [
    "185057800608491",
    "293122A00412317",
    "282126748202355",
    "190039741105680",
];
const PASSWORD: &str = "Caisse-Demo-2026";

/// A realistic message: an objet with a 7-working-day delay, a body of a few hundred characters.
fn message_json(n: u64) -> String {
    format!(
        concat!(
            "{{\"recipient\":\"caisse\",\"objet\":\"remboursement.feuille_de_soins\",",
            "\"nature\":\"demande_renseignements\",\"subject\":\"Feuille de soins n° {n}\",",
            "\"body\":\"Bonjour, j'ai envoyé une feuille de soins papier il y a trois semaines ",
            "pour une consultation chez un spécialiste et je ne vois pas encore le remboursement ",
            "dans mon espace. Pouvez-vous me dire où en est son traitement ? Merci d'avance, ",
            "bonne journée. (envoi {n})\"}}"
        ),
        n = n
    )
}

async fn api_token(addr: &str, nir: &str) -> anyhow::Result<String> {
    let mut conn = Connection::open(addr).await?;
    let body = format!("{{\"nir\":\"{nir}\",\"password\":\"{PASSWORD}\"}}");
    let response = conn
        .send(
            "POST",
            "/api/v1/auth/login",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .await?;
    if response.status != 200 {
        bail!("API login of {nir} answered {}", response.status);
    }
    let text = String::from_utf8_lossy(&response.body).into_owned();
    let marker = "\"token\":\"";
    let start = text.find(marker).context("token in the login answer")? + marker.len();
    let end = start + text[start..].find('"').context("end of the token")?;
    Ok(text[start..end].to_owned())
}

struct LoadRun {
    latencies: Vec<Duration>,
    refused: u64,
    elapsed: Duration,
}

/// A request of the load: method, path, JSON body (empty for none) and the expected status.
#[derive(Clone, Copy)]
enum Load {
    /// `POST /api/v1/messages`, 201.
    Send,
    /// `GET /api/v1/messages/{unknown id}`, 404: the token check and one read (the thread,
    /// not found), the floor of any API call that touches the database.
    Floor,
}

async fn load(args: &Args, tokens: &[String], kind: Load) -> anyhow::Result<LoadRun> {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..args.clients {
        let addr = args.addr.clone();
        let stop = stop.clone();
        // The first member's inbox is measured afterwards: the others send.
        let bearer = format!("Bearer {}", tokens[1 + client % (tokens.len() - 1)]);
        tasks.push(tokio::spawn(async move {
            let mut conn = Connection::open(&addr).await?;
            let mut latencies = Vec::new();
            let mut refused = 0_u64;
            let mut n = client as u64 * 1_000_000;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let sent_at = Instant::now();
                let (response, expected) = match kind {
                    Load::Send => {
                        let body = message_json(n);
                        let headers = [
                            ("Content-Type", "application/json"),
                            ("Authorization", bearer.as_str()),
                        ];
                        let response = conn
                            .send("POST", "/api/v1/messages", &headers, body.as_bytes())
                            .await?;
                        (response, 201)
                    }
                    Load::Floor => {
                        let headers = [("Authorization", bearer.as_str())];
                        let path = "/api/v1/messages/00000000-0000-7000-8000-000000000000";
                        (conn.send("GET", path, &headers, b"").await?, 404)
                    }
                };
                if response.status == expected {
                    latencies.push(sent_at.elapsed());
                } else {
                    refused += 1;
                }
            }
            anyhow::Ok((latencies, refused))
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut run = LoadRun {
        latencies: Vec::new(),
        refused: 0,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (latencies, refused) = task.await??;
        run.latencies.extend(latencies);
        run.refused += refused;
    }
    run.elapsed = started.elapsed();
    run.latencies.sort();
    Ok(run)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut tokens = Vec::new();
    for nir in MEMBERS {
        tokens.push(api_token(&args.addr, nir).await?);
    }

    println!(
        "floor of an API call: GET /api/v1/messages/{{unknown id}} (token check, one read, 404), {} clients, {} s…",
        args.clients, args.seconds
    );
    let floor = load(&args, &tokens, Load::Floor).await?;
    let floor_rate = floor.latencies.len() as f64 / floor.elapsed.as_secs_f64();
    println!(
        "  {floor_rate:.1} requests/s ({} answered, {} refused)",
        floor.latencies.len(),
        floor.refused
    );
    if let Some(tps) = args.pgbench_tps {
        println!(
            "  = {:.0} % of pgbench's single-row insert rate",
            100.0 * floor_rate / tps
        );
    }

    println!(
        "message sends through POST /api/v1/messages, {} clients, {} s…",
        args.clients, args.seconds
    );
    let run = load(&args, &tokens, Load::Send).await?;
    let rate = run.latencies.len() as f64 / run.elapsed.as_secs_f64();
    println!(
        "  {rate:.1} sends/s ({} sent, {} refused)",
        run.latencies.len(),
        run.refused
    );
    report("send latency", &run.latencies);
    if let Some(tps) = args.pgbench_tps {
        println!(
            "  = {:.0} % of pgbench's single-row insert rate ({tps:.1} tps) on this machine",
            100.0 * rate / tps
        );
    }

    println!("inbox of a member with a long history, one request at a time…");
    let cookie = browser_session(&args.addr, MEMBERS[0], PASSWORD, "/messagerie").await?;
    // Warm the connection pool and caches as a real day would have.
    sequential_latencies(&args.addr, "/messagerie", ("Cookie", &cookie), 50).await?;
    let page = sequential_latencies(
        &args.addr,
        "/messagerie",
        ("Cookie", &cookie),
        args.inbox_samples,
    )
    .await?;
    report("GET /messagerie (HTML, page 1)", &page);
    let bearer = format!("Bearer {}", tokens[0]);
    let api = sequential_latencies(
        &args.addr,
        "/api/v1/messages",
        ("Authorization", &bearer),
        args.inbox_samples,
    )
    .await?;
    report("GET /api/v1/messages (JSON, page 1)", &api);
    Ok(())
}
