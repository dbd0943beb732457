//! Shared by the load generators (`login_load`, `message_load`, `payment_load`): a minimal HTTP/1.1
//! client over TCP, which keeps the load generator light, and latency statistics.

#![allow(dead_code, reason = "each load generator uses a part of it")]

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub struct Connection {
    stream: BufReader<TcpStream>,
    addr: String,
}

impl Connection {
    pub async fn open(addr: &str) -> anyhow::Result<Connection> {
        let stream = TcpStream::connect(addr).await.context("connecting")?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream: BufReader::new(stream),
            addr: addr.to_owned(),
        })
    }

    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> anyhow::Result<Response> {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        let stream = self.stream.get_mut();
        stream.write_all(request.as_bytes()).await?;
        stream.write_all(body).await?;
        let mut status_line = String::new();
        self.stream.read_line(&mut status_line).await?;
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .context("status line")?;
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line).await?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        if headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
        {
            bail!("chunked responses are not expected from the portal");
        }
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

pub fn set_cookie(response: &Response) -> Option<String> {
    response
        .headers
        .iter()
        .find(|(n, _)| n == "set-cookie")
        .and_then(|(_, v)| v.split(';').next())
        .map(str::to_owned)
}

/// Logs a member in through the HTML form; returns the session cookie (`name=value`).
pub async fn browser_session(
    addr: &str,
    nir: &str,
    password: &str,
    next: &str,
) -> anyhow::Result<String> {
    let mut conn = Connection::open(addr).await?;
    let form = conn.send("GET", "/connexion", &[], b"").await?;
    let visitor = set_cookie(&form).context("visitor cookie")?;
    let page = String::from_utf8_lossy(&form.body).into_owned();
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).context("csrf field")? + marker.len();
    let token = &page[start..start + page[start..].find('"').context("quote")?];
    let body = format!(
        "csrf_token={token}&nir={nir}&password={password}&next={}",
        next.replace('/', "%2F")
    );
    let origin = format!("http://{addr}");
    let login = conn
        .send(
            "POST",
            "/connexion",
            &[
                ("Cookie", &visitor),
                ("Origin", &origin),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            body.as_bytes(),
        )
        .await?;
    if login.status != 303 {
        bail!("form login answered {}", login.status);
    }
    set_cookie(&login).context("session cookie")
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `count` GETs of `path` one after the other on one keep-alive connection, each answered
/// 200; their latencies, sorted.
pub async fn sequential_latencies(
    addr: &str,
    path: &str,
    header: (&str, &str),
    count: usize,
) -> anyhow::Result<Vec<Duration>> {
    let mut conn = Connection::open(addr).await?;
    let mut latencies = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        let response = conn.send("GET", path, &[header], b"").await?;
        if response.status != 200 {
            bail!("GET {path} answered {}", response.status);
        }
        latencies.push(started.elapsed());
    }
    latencies.sort();
    Ok(latencies)
}

/// Prints p50, p99 and max of sorted `latencies`.
pub fn report(label: &str, latencies: &[Duration]) {
    println!(
        "  {label} ({} requests): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        ms(percentile(latencies, 50.0)),
        ms(percentile(latencies, 99.0)),
        ms(*latencies.last().unwrap_or(&Duration::ZERO))
    );
}

/// A member's API token: logs `nir` in through `POST /api/v1/auth/login`.
pub async fn api_token(addr: &str, nir: &str, password: &str) -> anyhow::Result<String> {
    let mut conn = Connection::open(addr).await?;
    let body = format!("{{\"nir\":\"{nir}\",\"password\":\"{password}\"}}");
    let response = conn
        .send(
            "POST",
            "/api/v1/auth/login",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .await?;
    if response.status != 200 {
        bail!("API login answered {}", response.status);
    }
    let text = String::from_utf8_lossy(&response.body).into_owned();
    let marker = "\"token\":\"";
    let start = text.find(marker).context("token in the login answer")? + marker.len();
    let end = start + text[start..].find('"').context("end of the token")?;
    Ok(text[start..end].to_owned())
}
