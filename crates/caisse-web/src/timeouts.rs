//! How long a request may run: 30 s, or 5 minutes for a form that carries files. Five files of
//! 5 MiB take over three minutes to upload on a 1 Mbit/s mobile link, and a member on such a
//! link must not see their message refused half-way.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Any request without files.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A `multipart/form-data` request (attachments, the verification of an attestation's PDF).
pub(crate) const UPLOAD_TIMEOUT: Duration = Duration::from_secs(300);

/// Answers 408 when the request runs longer than its limit ([`limit_for`]).
pub(crate) async fn limit_duration(request: Request, next: Next) -> Response {
    let limit = limit_for(request.headers());
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// The limit of a request with these headers.
pub(crate) fn limit_for(headers: &HeaderMap) -> Duration {
    let carries_files = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    if carries_files {
        UPLOAD_TIMEOUT
    } else {
        REQUEST_TIMEOUT
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with_type(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).unwrap(),
        );
        headers
    }

    #[test]
    fn a_form_with_files_gets_minutes_and_anything_else_thirty_seconds() {
        assert_eq!(
            limit_for(&with_type("multipart/form-data; boundary=x")),
            UPLOAD_TIMEOUT
        );
        assert_eq!(
            limit_for(&with_type("Multipart/Form-Data; boundary=x")),
            UPLOAD_TIMEOUT
        );
        assert_eq!(
            limit_for(&with_type("application/x-www-form-urlencoded")),
            REQUEST_TIMEOUT
        );
        assert_eq!(limit_for(&with_type("application/json")), REQUEST_TIMEOUT);
        assert_eq!(limit_for(&HeaderMap::new()), REQUEST_TIMEOUT);
    }
}
