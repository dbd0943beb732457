//! The logs of one request: its span (request id, route pattern), the use case's span inside
//! it, the SQL statements inside that, and none of the member's personal data anywhere.
//!
//! A test binary of its own: the subscriber must be the process's global one (SQLite runs the
//! statements on a thread of its own, where a thread-local subscriber would hear nothing), and
//! other tests must not write into it.

#[allow(dead_code)]
#[path = "http/support.rs"]
mod support;

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::StatusCode;
use caisse_test_support::fixtures::julien_spellings;
use serde_json::Value;
use tracing_subscriber::EnvFilter;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp};

/// Everything the subscriber wrote, shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The spans an event was in, outermost first.
fn spans(event: &Value) -> &[Value] {
    event["spans"].as_array().map_or(&[], Vec::as_slice)
}

#[tokio::test]
async fn a_login_is_followed_from_http_to_use_case_to_sql_without_personal_data() {
    let captured = Captured::default();
    let writer = captured.clone();
    // Debug everywhere: what an operator gets with `RUST_LOG=debug`, SQL statements included.
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_env_filter(EnvFilter::new("debug"))
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let mut app = TestApp::with_demo_data().await;
    let response = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let request_id = response
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("the answer carries its request id")
        .to_owned();

    let text = captured.text();
    let events: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON event a line"))
        .collect();
    let in_login: Vec<&Value> = events
        .iter()
        .filter(|event| {
            spans(event).first().is_some_and(|http| {
                http["name"] == "http"
                    && http["request_id"] == request_id.as_str()
                    && http["method"] == "POST"
                    && http["route"] == "/connexion"
            })
        })
        .collect();
    assert!(
        !in_login.is_empty(),
        "no event in the request's span:\n{text}"
    );
    let sql_in_use_case: Vec<&&Value> = in_login
        .iter()
        .filter(|event| {
            event["target"] == "sqlx::query"
                && spans(event)
                    .iter()
                    .skip(1)
                    .any(|span| span["name"] == "auth.member_login")
        })
        .collect();
    assert!(
        !sql_in_use_case.is_empty(),
        "no SQL statement in the login's span, itself in the request's:\n{text}"
    );
    assert!(
        sql_in_use_case.iter().any(|event| {
            event["fields"]["summary"]
                .as_str()
                .is_some_and(|summary| summary.starts_with("SELECT"))
        }),
        "the statements' text is logged:\n{text}"
    );
    assert!(
        sql_in_use_case.iter().any(|event| {
            event["fields"]["db.statement"]
                .as_str()
                .is_some_and(|sql| sql.contains(" = ?") || sql.contains(" = $1"))
        }),
        "the statements show their placeholders:\n{text}"
    );
    let answered = in_login
        .iter()
        .find(|event| event["fields"]["message"] == "answered")
        .expect("the answer is logged");
    assert_eq!(spans(answered)[0]["status"], 303, "{answered}");
    assert!(spans(answered)[0]["latency_ms"].is_u64(), "{answered}");

    // Seeding the demo data and logging in bound all of these to statements: none may show.
    let mut personal = julien_spellings();
    personal.extend(["Julien", "MARTIN", MEMBER_NIR, MEMBER_PASSWORD].map(str::to_owned));
    for value in personal {
        assert!(!text.contains(&value), "« {value} » in the logs:\n{text}");
    }
}
