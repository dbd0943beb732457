//! Prometheus metrics: request counts and latency by route, outbox depth and failures; the
//! span of each request in the logs.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use caisse_core::health::OutboxDepth;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tower_http::trace::{MakeSpan, OnResponse};
use tracing::Span;

use crate::state::AppState;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide metrics recorder once and returns its handle (None when another
/// recorder was installed first).
pub fn install_metrics_recorder() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("caisse_http_request_duration_seconds".to_owned()),
                    &[
                        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                    ],
                )
                .ok()?
                .install_recorder()
                .ok()
        })
        .clone()
}

/// Middleware: counts requests and observes their latency, labelled by route pattern (never
/// the raw path, which would hold ids and blow up cardinality).
pub async fn record_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("caisse_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("caisse_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The span of one request, `http`: its `x-request-id`, method and route pattern, then its
/// status and latency in milliseconds when it answers. Never the URI: its path and query hold
/// ids and tokens.
#[derive(Clone, Copy, Debug, Default)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &axum::http::Request<B>) -> Span {
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or("unmatched", MatchedPath::as_str);
        // The client may choose the id; one that is not a plain token stays out of the logs.
        let request_id = request
            .headers()
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
            .filter(|id| is_plain_id(id))
            .unwrap_or("invalid");
        tracing::info_span!(
            "http",
            request_id,
            method = %request.method(),
            route,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        )
    }
}

impl<B> OnResponse<B> for RequestSpan {
    fn on_response(self, response: &axum::http::Response<B>, latency: Duration, span: &Span) {
        span.record("status", response.status().as_u16());
        span.record(
            "latency_ms",
            u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
        );
        // One line a request, carrying the span's fields: where following a request starts.
        tracing::info!("answered");
    }
}

fn is_plain_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// `GET /metrics`: refreshes the outbox gauges, then renders every metric.
pub async fn metrics_endpoint(State(state): State<AppState>) -> Response {
    let Some(handle) = install_metrics_recorder() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "metrics recorder unavailable",
        )
            .into_response();
    };
    // Only the waiting and the given-up messages: counting the sent history at every scrape
    // would read an index range as long as the fund's whole mail history.
    match state.health.outbox_depth().await {
        Ok(OutboxDepth { pending, failed }) => {
            for (status, value) in [("pending", pending), ("failed", failed)] {
                metrics::gauge!("caisse_outbox_messages", "status" => status).set(value as f64);
            }
        }
        Err(error) => tracing::warn!(%error, "outbox counts unavailable for metrics"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
