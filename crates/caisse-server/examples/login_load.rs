//! Load test of logging in, for `docs/perf.md` (run by `scripts/bench-logins`).
//!
//! 1. The raw Argon2id rate of this machine: the portal's own hashing pool, default
//!    parameters, one worker per core, verifying a hash from as many tasks as there will be
//!    login clients.
//! 2. Logins per second through `POST /api/v1/auth/login` of a running `caisse demo` (new-device
//!    codes off, rate limits raised), from `--clients` keep-alive connections.
//! 3. During (2), an authenticated HTML page (`GET /profil`, a member's cookie session) at a
//!    steady `--page-rate`, whose latencies give p50/p99: hashing must never starve it.
//!
//! A minimal HTTP/1.1 client over TCP keeps the load generator light and dependency-free.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::bail;
use caisse_core::passwords::{HashParams, PasswordHasherPool};
use clap::Parser;

#[path = "support/loadgen.rs"]
mod loadgen;

use loadgen::{Connection, browser_session, ms, percentile};

#[derive(Parser)]
struct Args {
    /// Address of the portal, `127.0.0.1:8080`.
    #[arg(long)]
    addr: String,
    /// Seconds of each measurement.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Concurrent login clients.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Authenticated page requests per second during the login load.
    #[arg(long, default_value_t = 20)]
    page_rate: u64,
}

const MEMBERS: [&str; 4] = [
    "185057800608491",
    "293122A00412317",
    "282126748202355",
    "190039741105680",
];
const PASSWORD: &str = "Caisse-Demo-2026";

async fn raw_argon2_rate(clients: usize, seconds: u64) -> anyhow::Result<(f64, usize)> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let pool = PasswordHasherPool::new(HashParams::default(), workers)?;
    let hash = pool.hash(PASSWORD).await?;
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (pool, hash, done, stop) = (pool.clone(), hash.clone(), done.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if pool.verify(PASSWORD, Some(&hash)).await.is_ok() {
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok((done.load(Ordering::Relaxed) as f64 / elapsed, workers))
}

async fn page_latencies(
    addr: &str,
    cookie: &str,
    count: usize,
    interval: Option<Duration>,
) -> anyhow::Result<Vec<Duration>> {
    let mut conn = Connection::open(addr).await?;
    let mut latencies = Vec::with_capacity(count);
    let mut ticker = interval.map(tokio::time::interval);
    for _ in 0..count {
        if let Some(ticker) = ticker.as_mut() {
            ticker.tick().await;
        }
        let started = Instant::now();
        let page = conn
            .send("GET", "/profil", &[("Cookie", cookie)], b"")
            .await?;
        if page.status != 200 {
            bail!("/profil answered {}", page.status);
        }
        latencies.push(started.elapsed());
    }
    latencies.sort();
    Ok(latencies)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    println!("raw Argon2id (m=19456 KiB, t=2, p=1), {} s…", args.seconds);
    let (raw_rate, workers) = raw_argon2_rate(args.clients, args.seconds).await?;
    println!("  {raw_rate:.1} verifications/s with {workers} hashing threads");

    let cookie = browser_session(&args.addr, MEMBERS[0], PASSWORD, "/profil").await?;
    let idle = page_latencies(&args.addr, &cookie, 200, None).await?;
    println!(
        "GET /profil idle: p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&idle, 50.0)),
        ms(percentile(&idle, 99.0))
    );

    println!(
        "logins through POST /api/v1/auth/login, {} clients, {} s, with GET /profil at {}/s…",
        args.clients, args.seconds, args.page_rate
    );
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..args.clients {
        let (addr, stop, ok, failed) =
            (args.addr.clone(), stop.clone(), ok.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Connection::open(&addr).await?;
            let mut n = client;
            while !stop.load(Ordering::Relaxed) {
                let body = format!(
                    "{{\"nir\":\"{}\",\"password\":\"{PASSWORD}\"}}",
                    MEMBERS[n % MEMBERS.len()]
                );
                n += 1;
                let response = conn
                    .send(
                        "POST",
                        "/api/v1/auth/login",
                        &[("Content-Type", "application/json")],
                        body.as_bytes(),
                    )
                    .await?;
                if response.status == 200 {
                    ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
            anyhow::Ok(())
        }));
    }
    // Let the load settle before sampling the page.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let samples = usize::try_from(args.page_rate * args.seconds.saturating_sub(2)).unwrap_or(100);
    let loaded = page_latencies(
        &args.addr,
        &cookie,
        samples,
        Some(Duration::from_secs(1) / u32::try_from(args.page_rate).unwrap_or(20)),
    )
    .await?;
    let remaining = Duration::from_secs(args.seconds).saturating_sub(started.elapsed());
    tokio::time::sleep(remaining).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rate = ok.load(Ordering::Relaxed) as f64 / elapsed;
    println!(
        "  {rate:.1} logins/s ({} ok, {} refused) = {:.0} % of the raw Argon2id rate",
        ok.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed),
        100.0 * rate / raw_rate
    );
    println!(
        "  GET /profil under load ({} samples): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        loaded.len(),
        ms(percentile(&loaded, 50.0)),
        ms(percentile(&loaded, 99.0)),
        ms(*loaded.last().unwrap_or(&Duration::ZERO))
    );
    Ok(())
}
