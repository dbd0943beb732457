//! Per-client-address rate limits: in memory on each node (GCRA) and, when several nodes
//! share a PostgreSQL database or a Redis, across the cluster too
//! ([`caisse_core::shared_limits`]), so N nodes do not give a client N times its budget.
//!
//! Three limiters: a generous one for every request, a strict one for login attempts per
//! address, and one for login attempts of the whole node (a flood spread over many addresses
//! is refused at once instead of queueing behind the hashing pool). They run before any
//! password hashing, so a flood costs us almost nothing. Account lockout, which
//! must survive restarts and span nodes, lives in the database, not here.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Extensions, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use caisse_core::shared_limits::{Limit, SharedLimits};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::WebConfig;
use crate::error::AppError;
use crate::state::AppState;

/// The limiters of one node, and the cluster's when nodes share them.
pub struct RateLimits {
    requests: DefaultKeyedRateLimiter<IpAddr>,
    logins: DefaultKeyedRateLimiter<IpAddr>,
    all_logins: DefaultDirectRateLimiter,
    shared: Option<Shared>,
}

/// The per-address limits counted across the cluster; the node-wide login limit stays the
/// node's own (it protects this node's hashing pool).
struct Shared {
    limits: Arc<SharedLimits>,
    /// Every request: the per-second rate over ten seconds, plus the burst.
    requests: Limit,
    /// Login attempts per minute.
    logins: Limit,
}

impl Shared {
    /// Whether the cluster's budget of `ip` still allows this request.
    async fn allows(&self, ip: IpAddr, login_attempt: bool) -> bool {
        self.limits.count_later(&format!("req:{ip}"), self.requests)
            && (!login_attempt
                || self
                    .limits
                    .count_now(&format!("login:{ip}"), self.logins)
                    .await)
    }
}

fn non_zero(value: u32) -> NonZeroU32 {
    NonZeroU32::new(value).unwrap_or(NonZeroU32::MIN)
}

impl RateLimits {
    /// Limiters sized from the configuration, shared across the cluster through `shared`.
    pub fn new(config: &WebConfig, shared: Option<Arc<SharedLimits>>) -> RateLimits {
        RateLimits {
            shared: shared.map(|limits| Shared {
                limits,
                requests: Limit {
                    limit: config
                        .requests_per_second_per_ip
                        .saturating_mul(10)
                        .saturating_add(config.request_burst_per_ip),
                    window: Duration::from_secs(10),
                },
                logins: Limit {
                    limit: config.logins_per_minute_per_ip,
                    window: Duration::from_secs(60),
                },
            }),
            requests: RateLimiter::keyed(
                Quota::per_second(non_zero(config.requests_per_second_per_ip))
                    .allow_burst(non_zero(config.request_burst_per_ip)),
            ),
            logins: RateLimiter::keyed(Quota::per_minute(non_zero(
                config.logins_per_minute_per_ip,
            ))),
            all_logins: RateLimiter::direct(Quota::per_second(non_zero(
                config.logins_per_second_per_node,
            ))),
        }
    }

    /// Forgets idle clients; call periodically to bound memory.
    pub fn shrink(&self) {
        self.requests.retain_recent();
        self.logins.retain_recent();
        self.requests.shrink_to_fit();
        self.logins.shrink_to_fit();
    }
}

/// The client address: the peer, or the first `X-Forwarded-For` hop when the deployment says
/// a trusted proxy sets it. Requests without either (in-process tests) count as loopback.
pub fn client_ip(request: &Request, trust_forwarded_for: bool) -> IpAddr {
    client_ip_of(request.headers(), request.extensions(), trust_forwarded_for)
}

/// [`client_ip`] from the parts of a request.
pub fn client_ip_of(
    headers: &HeaderMap,
    extensions: &Extensions,
    trust_forwarded_for: bool,
) -> IpAddr {
    if trust_forwarded_for {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |ConnectInfo(addr)| addr.ip())
}

fn is_login_attempt(request: &Request) -> bool {
    let path = request.uri().path();
    // Password-reset forms, login codes, registration, provisional codes and « Ce n'était pas
    // moi » count too: each one checks identity data, a code or a link, or hashes a password.
    // So do the profile forms that check the current password or a code (a stolen session
    // must not become a way to guess the password), and the one that sends an SMS.
    request.method() == Method::POST
        && (matches!(
            path,
            "/connexion"
                | "/connexion/code"
                | "/connexion/franceconnect/lier/mot-de-passe"
                | "/connexion/franceconnect/lier/code"
                | "/connexion/franceconnect/lier/code/verifier"
                | "/agent/connexion"
                | "/agent/connexion/code"
                | "/agent/connexion/enrolement"
                | "/api/v1/auth/login"
                | "/api/v1/auth/login/confirm"
                | "/api/v1/accounts"
                | "/inscription"
                | "/profil/mot-de-passe"
                | "/profil/email"
                | "/profil/mobile"
                | "/profil/mobile/code"
                | "/profil/adresse"
                | "/profil/coordonnees-bancaires"
                | "/profil/cloture"
                // Public verification pages look codes up: guessing them must stay slow.
                | "/verifier"
                | "/verifier/fichier"
                | "/api/v1/attestations/verify"
        ) || path.starts_with("/mot-de-passe-oublie")
            || path.starts_with("/code-provisoire")
            || path.starts_with("/inscription/activer/")
            || path.starts_with("/ce-n-etait-pas-moi/"))
}

/// Middleware: applies the limits.
pub async fn limit_rate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let ip = client_ip(&request, state.config.trust_forwarded_for);
    let login_attempt = is_login_attempt(&request);
    let mut limited = state.limits.requests.check_key(&ip).is_err()
        || (login_attempt
            && (state.limits.logins.check_key(&ip).is_err()
                || state.limits.all_logins.check().is_err()));
    if !limited && let Some(shared) = &state.limits.shared {
        limited = !shared.allows(ip, login_attempt).await;
    }
    if limited {
        metrics::counter!("caisse_http_rate_limited_total").increment(1);
        if request.uri().path().starts_with("/api/") {
            return crate::api::ApiError::too_many_requests().into_response();
        }
        return AppError::RateLimited.into_response();
    }
    next.run(request).await
}
