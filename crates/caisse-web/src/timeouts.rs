//! How long a request may run: 30 s, or 5 minutes on the routes that take files. Five files of
//! 5 MiB take over three minutes to upload on a 1 Mbit/s mobile link, and a member on such a
//! link must not see their message refused half-way.
//!
//! The limit is the route's, never the request's say: a body merely declaring
//! `multipart/form-data` (to `/connexion`, say) keeps 30 s. [`limit_duration`] starts every
//! request at [`REQUEST_TIMEOUT`] and leaves a [`TimeLimit`] in its extensions, which
//! [`allow_uploads`], layered on the routes that take files only, raises to
//! [`UPLOAD_TIMEOUT`].

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;
use tokio::time::Instant;

/// Any request, unless its route takes files.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A request to a route that takes files (attachments, the verification of an attestation's
/// PDF).
pub(crate) const UPLOAD_TIMEOUT: Duration = Duration::from_secs(300);

/// The time limit of the request in flight, counted from its start.
#[derive(Clone)]
pub(crate) struct TimeLimit(Arc<watch::Sender<Duration>>);

/// Answers 408 when the request runs longer than its limit: [`REQUEST_TIMEOUT`], or what its
/// route set through [`TimeLimit`].
pub(crate) async fn limit_duration(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let (limit, mut changes) = watch::channel(REQUEST_TIMEOUT);
    request.extensions_mut().insert(TimeLimit(Arc::new(limit)));
    let response = next.run(request);
    tokio::pin!(response);
    loop {
        let deadline = started + *changes.borrow_and_update();
        tokio::select! {
            response = &mut response => return response,
            () = tokio::time::sleep_until(deadline) => {
                return StatusCode::REQUEST_TIMEOUT.into_response();
            }
            // A closed channel (the request was consumed) disables this branch.
            Ok(()) = changes.changed() => {}
        }
    }
}

/// Middleware of the routes that take files: their requests get [`UPLOAD_TIMEOUT`].
pub(crate) async fn allow_uploads(request: Request, next: Next) -> Response {
    if let Some(TimeLimit(limit)) = request.extensions().get::<TimeLimit>() {
        limit.send_replace(UPLOAD_TIMEOUT);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::middleware::from_fn;
    use axum::routing::post;
    use tower::ServiceExt;

    use super::*;

    /// A handler that never answers, as one waiting for a body that never ends.
    async fn never() -> StatusCode {
        std::future::pending::<()>().await;
        StatusCode::OK
    }

    /// How long (on the paused clock) `path` takes to answer 408, and the status.
    async fn time_out(path: &str) -> (Duration, StatusCode) {
        let app = Router::new()
            .route("/fichiers", post(never).layer(from_fn(allow_uploads)))
            .route("/formulaire", post(never))
            .layer(from_fn(limit_duration));
        let started = Instant::now();
        let request = Request::post(path)
            .header("content-type", "multipart/form-data; boundary=x")
            .body(Body::empty())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        (started.elapsed(), response.status())
    }

    #[tokio::test(start_paused = true)]
    async fn only_routes_that_take_files_get_minutes() {
        let (elapsed, status) = time_out("/fichiers").await;
        assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
        assert_eq!(elapsed.as_secs(), UPLOAD_TIMEOUT.as_secs());
        let (elapsed, status) = time_out("/formulaire").await;
        assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
        assert_eq!(
            elapsed.as_secs(),
            REQUEST_TIMEOUT.as_secs(),
            "declaring multipart earns nothing"
        );
    }
}
