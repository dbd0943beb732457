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
    // The login buttons and the logouts of FranceConnect and of the staff provider post here
    // and are redirected to the provider: every page allows their origins as form targets.
    let provider_origins: Vec<String> = state
        .franceconnect
        .as_ref()
        .and_then(|fc| fc.origin())
        .into_iter()
        .chain(state.staff_idp.as_ref().and_then(|idp| idp.origin()))
        .collect();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    let targets: Vec<String> = payment_origin.into_iter().chain(provider_origins).collect();
    let with_payment = (!targets.is_empty()).then(|| {
        CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'",
            &format!("form-action 'self' {}", targets.join(" ")),
        )
    });
    let with_payment = with_payment.and_then(|policy| HeaderValue::from_str(&policy).ok());
    match with_payment {
        Some(policy) => {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        None => set(
            headers,
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ),
    }
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
