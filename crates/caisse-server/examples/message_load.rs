//! Load test of secure messaging, for `docs/perf.md` (run by `scripts/bench-messages`,
//! which seeds 10⁶ messages on PostgreSQL first and measures on the same database pgbench's
//! single-row insert rate and pgbench replaying the SQL of one send, `scripts/bench/send-sql.sql`).
//!
//! 0. The floor of any API call that reads the database: `GET /api/v1/messages/{unknown id}`
//!    (the token check and one read, answered 404) per second from the same connections.
//! 1. Message sends per second through `POST /api/v1/messages` from `--clients` keep-alive
//!    connections, with the p50/p99 of each send. With `--bench-tokens N`, each request
//!    carries the token of a member drawn at random among the N seeded by
//!    `scripts/bench/seed-tokens.sql` (`bench-token-` and 1 … N on 31 digits), as the replay
//!    draws its member; without it, each client sends as one of three demo members.
//! 2. The inbox page `GET /messagerie` of a member with a full history (cookie session),
//!    then `GET /api/v1/messages`, one request at a time: p50/p99.
//!
//! `--only floor|sends|inbox` runs one of them: the script runs each on its own, to count the
//! CPU time every process spends on it.

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
    /// pgbench's rate replaying the SQL of one send (`scripts/bench/send-sql.sql`) on the
    /// same database, to compare with (optional).
    #[arg(long)]
    replay_tps: Option<f64>,
    /// Send (and read the floor) with the seeded tokens (`bench-token-` and 1 … N on 31
    /// digits), one drawn at random for each request (optional).
    #[arg(long)]
    bench_tokens: Option<u32>,
    /// Run one phase only (all three by default).
    #[arg(long, value_enum)]
    only: Option<Phase>,
}

/// The phases of the load test, in their order.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Phase {
    /// The floor of an API call that reads the database.
    Floor,
    /// The sends.
    Sends,
    /// The inbox pages, one request at a time.
    Inbox,
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
    /// The status of the first refused request, if any.
    first_refusal: Option<u16>,
    elapsed: Duration,
}

/// Whose token each request carries.
#[derive(Clone)]
enum Bearers {
    /// One fixed token per client (the demo members').
    PerClient(Vec<String>),
    /// A seeded token `bench-token-` and k on 31 digits, k drawn uniformly in 1..=N for each
    /// request.
    Seeded(u32),
}

/// xorshift64*: enough to spread the requests over the seeded members, no dependency.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: u32) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        u32::try_from((x >> 32) % u64::from(n)).unwrap_or(0)
    }
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

async fn load(args: &Args, bearers: &Bearers, kind: Load) -> anyhow::Result<LoadRun> {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..args.clients {
        let addr = args.addr.clone();
        let stop = stop.clone();
        let bearers = bearers.clone();
        let mut draw = Draw(0x9E37_79B9_7F4A_7C15 ^ (client as u64 + 1).wrapping_mul(0xA076_1D64));
        tasks.push(tokio::spawn(async move {
            let mut conn = Connection::open(&addr).await?;
            let mut latencies = Vec::new();
            let mut refused = 0_u64;
            let mut first_refusal = None;
            let mut n = client as u64 * 1_000_000;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let bearer = match &bearers {
                    // The first member's inbox is measured afterwards: the others send.
                    Bearers::PerClient(tokens) => {
                        format!("Bearer {}", tokens[1 + client % (tokens.len() - 1)])
                    }
                    Bearers::Seeded(count) => {
                        format!("Bearer bench-token-{:031}", 1 + draw.below(*count))
                    }
                };
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
                    first_refusal.get_or_insert(response.status);
                }
            }
            anyhow::Ok((latencies, refused, first_refusal))
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut run = LoadRun {
        latencies: Vec::new(),
        refused: 0,
        first_refusal: None,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (latencies, refused, first_refusal) = task.await??;
        run.latencies.extend(latencies);
        run.refused += refused;
        run.first_refusal = run.first_refusal.or(first_refusal);
    }
    run.elapsed = started.elapsed();
    run.latencies.sort();
    Ok(run)
}

/// Measures and prints the floor of an API call that reads the database.
async fn floor(args: &Args, bearers: &Bearers) -> anyhow::Result<()> {
    println!(
        "floor of an API call: GET /api/v1/messages/{{unknown id}} (token check, one read, 404), {} clients, {} s…",
        args.clients, args.seconds
    );
    let floor = load(args, bearers, Load::Floor).await?;
    let floor_rate = floor.latencies.len() as f64 / floor.elapsed.as_secs_f64();
    println!(
        "  {floor_rate:.1} requests/s ({} answered, {} refused{})",
        floor.latencies.len(),
        floor.refused,
        refusal_note(floor.first_refusal)
    );
    if let Some(tps) = args.pgbench_tps {
        println!(
            "  = {:.0} % of pgbench's single-row insert rate",
            100.0 * floor_rate / tps
        );
    }
    Ok(())
}

/// `, first refused with 429` or nothing.
fn refusal_note(status: Option<u16>) -> String {
    status.map_or_else(String::new, |s| format!(", first refused with {s}"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let runs = |phase: Phase| args.only.is_none_or(|only| only == phase);
    let seeded = args.bench_tokens.filter(|&count| count > 0);
    // The demo members' tokens: for the inbox, and for the load without seeded tokens.
    let mut tokens = Vec::new();
    if seeded.is_none() || runs(Phase::Inbox) {
        for nir in MEMBERS {
            tokens.push(api_token(&args.addr, nir).await?);
        }
    }
    let bearers = match seeded {
        Some(count) => Bearers::Seeded(count),
        None => Bearers::PerClient(tokens.clone()),
    };
    if runs(Phase::Floor) {
        floor(&args, &bearers).await?;
    }
    if runs(Phase::Sends) {
        sends(&args, &bearers).await?;
    }
    if runs(Phase::Inbox) {
        inbox(&args, &tokens[0]).await?;
    }
    Ok(())
}

/// Measures and prints the sends through the API.
async fn sends(args: &Args, bearers: &Bearers) -> anyhow::Result<()> {
    println!(
        "message sends through POST /api/v1/messages, {} clients, {} s…",
        args.clients, args.seconds
    );
    let run = load(args, bearers, Load::Send).await?;
    let rate = run.latencies.len() as f64 / run.elapsed.as_secs_f64();
    println!(
        "  {rate:.1} sends/s ({} sent, {} refused{})",
        run.latencies.len(),
        run.refused,
        refusal_note(run.first_refusal)
    );
    report("send latency", &run.latencies);
    if run.latencies.is_empty() {
        bail!("no send succeeded");
    }
    if let Some(tps) = args.pgbench_tps {
        println!(
            "  = {:.0} % of pgbench's single-row insert rate ({tps:.1} tps) on this machine",
            100.0 * rate / tps
        );
    }
    if let Some(tps) = args.replay_tps {
        println!(
            "  = {:.2} × pgbench replaying the send's own SQL ({tps:.1} tps) on this machine",
            rate / tps
        );
    }
    Ok(())
}

/// Measures and prints the inbox pages of the first demo member, whose API token is `token`.
async fn inbox(args: &Args, token: &str) -> anyhow::Result<()> {
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
    let bearer = format!("Bearer {token}");
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
