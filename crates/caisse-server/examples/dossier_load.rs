//! Latency of the advisors' queue of dossiers, for `docs/perf.md` (run by
//! `scripts/bench-dossiers`, which seeds 10⁶ dossiers on PostgreSQL).
//!
//! Logs the demo advisor in (password, then the TOTP code of the demo's fixed secret, as a
//! browser), then requests one at a time on one keep-alive connection `/healthz` (the floor:
//! the same connection, middleware and pool, no query), `/agent/dossiers` (the fund's open
//! dossiers, due date first, page 1) and the same filtered on a team and a state: p50, p99
//! and max of each, and each page's p99 as a ratio of the floor's.

use anyhow::{Context, bail};
use caisse_core::staff_totp::{TotpSecret, step_of};
use clap::Parser;

#[path = "support/loadgen.rs"]
mod loadgen;

use loadgen::{Connection, percentile, report, sequential_latencies, set_cookie};

#[derive(Parser)]
struct Args {
    /// Address of the portal, `127.0.0.1:8080`.
    #[arg(long)]
    addr: String,
    /// Requests (sequential) for each page.
    #[arg(long, default_value_t = 2000)]
    samples: usize,
}

const LOGIN: &str = "conseiller";
const PASSWORD: &str = caisse_core::demo::DEMO_STAFF_PASSWORD;

fn csrf(page: &str) -> anyhow::Result<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).context("csrf field")? + marker.len();
    Ok(page[start..start + page[start..].find('"').context("quote")?].to_owned())
}

/// The advisor's session cookie.
async fn staff_session(addr: &str) -> anyhow::Result<String> {
    let mut conn = Connection::open(addr).await?;
    let origin = format!("http://{addr}");
    let form = conn.send("GET", "/agent/connexion", &[], b"").await?;
    let mut cookie = set_cookie(&form).context("visitor cookie")?;
    let token = csrf(&String::from_utf8_lossy(&form.body))?;
    let body = format!("csrf_token={token}&login={LOGIN}&password={PASSWORD}");
    let headers = |cookie: &str| {
        vec![
            ("Cookie".to_owned(), cookie.to_owned()),
            ("Origin".to_owned(), origin.clone()),
            (
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
        ]
    };
    let sent = headers(&cookie);
    let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let password = conn
        .send("POST", "/agent/connexion", &sent, body.as_bytes())
        .await?;
    if password.status != 303 {
        bail!("password step answered {}", password.status);
    }
    if let Some(next) = set_cookie(&password) {
        cookie = next;
    }
    let page = conn
        .send("GET", "/agent/connexion/code", &[("Cookie", &cookie)], b"")
        .await?;
    let token = csrf(&String::from_utf8_lossy(&page.body))?;
    let secret = caisse_core::demo::DEMO_STAFF_TOTP_SECRETS
        .iter()
        .find(|(login, _)| *login == LOGIN)
        .map(|(_, secret)| *secret)
        .context("the demo advisor's secret")?;
    let secret = TotpSecret::from_base32(secret).context("a base32 secret")?;
    let code = secret.code_of_step(step_of(time::OffsetDateTime::now_utc()));
    let body = format!("csrf_token={token}&code={code}");
    let sent = headers(&cookie);
    let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let done = conn
        .send("POST", "/agent/connexion/code", &sent, body.as_bytes())
        .await?;
    if done.status != 303 {
        bail!("code step answered {}", done.status);
    }
    set_cookie(&done).context("session cookie")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let cookie = staff_session(&args.addr).await?;
    println!("The advisors' queue of dossiers, 10⁶ dossiers in the fund's table");
    let mut floor_p99 = None;
    for (label, path) in [
        ("GET /healthz (floor)", "/healthz"),
        ("GET /agent/dossiers (open ones, page 1)", "/agent/dossiers"),
        (
            "GET /agent/dossiers?etat=deposee (one state)",
            "/agent/dossiers?etat=deposee",
        ),
    ] {
        // Warm the connection pool and caches as a working day would have.
        sequential_latencies(&args.addr, path, ("Cookie", &cookie), 50).await?;
        let latencies =
            sequential_latencies(&args.addr, path, ("Cookie", &cookie), args.samples).await?;
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
