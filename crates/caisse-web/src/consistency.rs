//! Reading one's own writes when lists read from a replica: a write, and the same browser's
//! requests for [`FOLLOW_FOR`] after it, read the primary ([`caisse_core::reads`]). The mark is
//! a cookie holding nothing but `1`; without a replica nothing is set.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use caisse_core::reads::follow_writes;

use crate::state::AppState;

/// The cookie marking a browser that has just written.
const COOKIE: &str = "caisse_ecrit";

/// How long after a write its browser reads the primary: well past the lag at which the
/// replica stops being used (about two seconds).
const FOLLOW_FOR: Duration = Duration::from_secs(10);

fn has_written_lately(request: &Request) -> bool {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .any(|pair| {
            pair.trim()
                .split_once('=')
                .is_some_and(|(name, _)| name == COOKIE)
        })
}

/// Middleware: see the module's documentation.
pub(crate) async fn read_own_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !state.reads.has_replica() {
        return next.run(request).await;
    }
    let is_write = !matches!(*request.method(), Method::GET | Method::HEAD);
    if !is_write {
        return if has_written_lately(&request) {
            follow_writes(next.run(request)).await
        } else {
            next.run(request).await
        };
    }
    let mut response = follow_writes(next.run(request)).await;
    if !response.status().is_server_error() {
        let cookie = format!(
            "{COOKIE}=1; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
            FOLLOW_FOR.as_secs()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
