//! Prometheus metrics: request counts and latency by route, outbox depth and failures.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use caisse_core::health::OutboxDepth;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

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
