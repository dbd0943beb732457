//! Requests that met a database out of reach (a primary switch, a restart) run again, with
//! growing pauses, for up to [`READ_PATIENCE`], when running again cannot do anything twice:
//! a read (`GET`, `HEAD`), or a write none of whose statements wrote before the failure (the
//! pool's connections to the old primary fail at their first use, before anything is done).
//! A write whose body is larger than [`REPLAYABLE_BODY`] is not kept for a second run. Any
//! other request that met the outage answers 503 with `Retry-After`, in French, so the person
//! or the app knows to try again. Work that can check what it already wrote retries by itself
//! (the messaging writer).

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use caisse_core::availability::watch;
use tokio::time::Instant;

use crate::api::ApiError;
use crate::error::AppError;

/// How long a read waits for the database to come back before it answers 503.
pub(crate) const READ_PATIENCE: Duration = Duration::from_secs(12);

/// Seconds a client is asked to wait before trying a refused write again.
const RETRY_AFTER_SECONDS: &str = "5";

/// The largest body kept to run a write again (forms, JSON, a small attachment); larger
/// uploads are not kept in memory for it.
pub(crate) const REPLAYABLE_BODY: usize = 1024 * 1024;

/// Middleware: see the module's documentation.
pub(crate) async fn retry_when_unreachable(request: Request, next: Next) -> Response {
    // A load balancer's probe must learn at once that this node cannot reach the database.
    if matches!(request.uri().path(), "/healthz" | "/readyz" | "/metrics") {
        return next.run(request).await;
    }
    let is_read = matches!(*request.method(), Method::GET | Method::HEAD);
    let is_api = request.uri().path().starts_with("/api/");
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if !is_read && declared.is_none_or(|length| length > REPLAYABLE_BODY) {
        // Too large (or of unknown length) to keep: one run.
        let (response, watched) = watch(next.run(request)).await;
        return if watched.unavailable && response.status().is_server_error() {
            unavailable(is_api)
        } else {
            response
        };
    }
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, REPLAYABLE_BODY).await else {
        return AppError::PayloadTooLarge.into_response();
    };
    let give_up_at = Instant::now() + READ_PATIENCE;
    let mut pause = Duration::from_millis(100);
    loop {
        let mut again = Request::new(Body::from(body.clone()));
        *again.method_mut() = parts.method.clone();
        *again.uri_mut() = parts.uri.clone();
        *again.version_mut() = parts.version;
        *again.headers_mut() = parts.headers.clone();
        *again.extensions_mut() = parts.extensions.clone();
        let (response, watched) = watch(next.clone().run(again)).await;
        if !(watched.unavailable && response.status().is_server_error()) {
            return response;
        }
        if (!is_read && watched.wrote) || Instant::now() + pause > give_up_at {
            return unavailable(is_api);
        }
        metrics::counter!("caisse_http_retries_total", "method" => if is_read { "read" } else { "write" })
            .increment(1);
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(2));
    }
}

fn unavailable(is_api: bool) -> Response {
    metrics::counter!("caisse_http_unavailable_total").increment(1);
    let mut response = if is_api {
        ApiError::with(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service Unavailable",
            "Le service est momentanément indisponible. Réessayez dans quelques secondes.",
        )
        .into_response()
    } else {
        AppError::Unavailable.into_response()
    };
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    response
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::extract::State;
    use axum::middleware::from_fn;
    use axum::routing::get;
    use caisse_core::health::Health;
    use caisse_test_support::TestDb;
    use tower::ServiceExt;

    use super::*;

    /// A handler whose first `failures` calls meet a database that cannot be reached.
    #[derive(Clone)]
    struct Flaky {
        calls: Arc<AtomicUsize>,
        failures: usize,
        closed: Health,
    }

    async fn handler(State(flaky): State<Flaky>) -> Response {
        if flaky.calls.fetch_add(1, Ordering::SeqCst) < flaky.failures {
            return match flaky.closed.outbox_depth().await {
                Ok(_) => StatusCode::OK.into_response(),
                Err(error) => AppError::unexpected(error).into_response(),
            };
        }
        StatusCode::OK.into_response()
    }

    async fn app(failures: usize) -> (Router, Arc<AtomicUsize>) {
        let t = TestDb::new().await;
        let db = t.db.clone();
        db.clone().close().await.unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let flaky = Flaky {
            calls: calls.clone(),
            failures,
            closed: Health::new(db),
        };
        let router = Router::new()
            .route("/liste", get(handler).post(handler))
            .with_state(flaky)
            .layer(from_fn(retry_when_unreachable));
        (router, calls)
    }

    fn request(method: Method) -> Request {
        Request::builder()
            .method(method)
            .uri("/liste")
            .body(Body::empty())
            .unwrap()
    }

    #[tokio::test]
    async fn a_read_that_met_an_unreachable_database_is_run_again() {
        let (app, calls) = app(2).await;
        let response = app.oneshot(request(Method::GET)).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_write_that_wrote_nothing_before_the_outage_runs_again() {
        let (app, calls) = app(1).await;
        let mut post = request(Method::POST);
        post.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        let response = app.oneshot(post).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_write_that_wrote_before_the_outage_is_never_run_again() {
        use caisse_core::shared_limits::{CounterStore, DatabaseCounters, Hits};

        #[derive(Clone)]
        struct Half {
            calls: Arc<AtomicUsize>,
            open: Arc<DatabaseCounters>,
            closed: Health,
        }
        async fn half(State(half): State<Half>) -> Response {
            half.calls.fetch_add(1, Ordering::SeqCst);
            // A first write lands…
            let hit = Hits {
                key: "k".to_owned(),
                window_start: 0,
                hits: 1,
            };
            if half
                .open
                .add(&[hit], std::time::Duration::from_secs(60))
                .await
                .is_err()
            {
                return StatusCode::IM_A_TEAPOT.into_response();
            }
            // …then the database goes away.
            match half.closed.outbox_depth().await {
                Ok(_) => StatusCode::OK.into_response(),
                Err(error) => AppError::unexpected(error).into_response(),
            }
        }
        let open = TestDb::new().await;
        let closed = TestDb::new().await;
        closed.db.clone().close().await.unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let app = Router::new()
            .route("/liste", axum::routing::post(half))
            .with_state(Half {
                calls: calls.clone(),
                open: Arc::new(DatabaseCounters::new(open.db.clone())),
                closed: Health::new(closed.db.clone()),
            })
            .layer(from_fn(retry_when_unreachable));
        let mut post = request(Method::POST);
        post.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        let response = app.oneshot(post).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_write_too_large_to_keep_runs_once_and_is_told_to_retry() {
        let (app, calls) = app(1).await;
        let response = app.oneshot(request(Method::POST)).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "5");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn other_failures_are_not_retried() {
        async fn broken(State(calls): State<Arc<AtomicUsize>>) -> Response {
            calls.fetch_add(1, Ordering::SeqCst);
            AppError::unexpected("a defect").into_response()
        }
        let calls = Arc::new(AtomicUsize::new(0));
        let app = Router::new()
            .route("/liste", get(broken))
            .with_state(calls.clone())
            .layer(from_fn(retry_when_unreachable));
        let response = app.oneshot(request(Method::GET)).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
