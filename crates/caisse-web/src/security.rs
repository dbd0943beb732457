//! Security headers on every response.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// No inline script or style anywhere: templates load everything from `/static` and
/// `/theme.css`, so the policy can forbid `unsafe-inline` outright.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The Content-Security-Policy, built once: the login buttons and the logouts of FranceConnect
/// and of the staff provider post to Caisse and are redirected to the provider, so every page
/// allows their origins as form targets.
pub(crate) struct ContentPolicy {
    provider_origins: Vec<String>,
    header: HeaderValue,
}

impl ContentPolicy {
    /// The policy of an app whose identity providers have these origins.
    pub(crate) fn new(provider_origins: Vec<String>) -> ContentPolicy {
        let header = policy_allowing(&provider_origins)
            .unwrap_or(HeaderValue::from_static(CONTENT_SECURITY_POLICY));
        ContentPolicy {
            provider_origins,
            header,
        }
    }

    /// The policy of one page: the debt pages also allow the card payment provider's origin.
    fn for_page(&self, payment_origin: Option<&str>) -> HeaderValue {
        let Some(payment) = payment_origin else {
            return self.header.clone();
        };
        let mut targets = self.provider_origins.clone();
        targets.push(payment.to_owned());
        policy_allowing(&targets).unwrap_or_else(|| self.header.clone())
    }
}

/// The policy with `targets` allowed as form targets besides the portal itself.
fn policy_allowing(targets: &[String]) -> Option<HeaderValue> {
    if targets.is_empty() {
        return None;
    }
    let policy = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'",
        &format!("form-action 'self' {}", targets.join(" ")),
    );
    HeaderValue::from_str(&policy).ok()
}

/// Middleware: adds the security headers, and `Cache-Control: no-store` to every dynamic
/// response (pages show personal data; a shared computer's cache must not keep them).
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    // « Payer par carte » posts here and is redirected to the provider's page: the debt pages
    // allow its origin as a form target, and they alone.
    let payment_origin = request
        .uri()
        .path()
        .starts_with("/paiements/sommes-a-payer/")
        .then(|| state.debts.payment_origin())
        .flatten();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        state.content_policy.for_page(payment_origin.as_deref()),
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if state.config.https {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        );
    }
    if !is_static && !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}
