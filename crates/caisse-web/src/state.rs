//! Shared state handed to every handler.

use std::sync::Arc;

use caisse_core::Services;
use caisse_core::shared_limits::SharedLimits;

use crate::config::WebConfig;
use crate::rate_limit::RateLimits;
use crate::security::ContentPolicy;

/// What handlers share: the use-case services (`state.accounts`, `state.messaging`…, through
/// `Deref`) and the web layer's settings.
#[derive(Clone)]
pub struct AppState {
    /// Behind an `Arc`: every handler's future holds a copy of the state, which must stay small
    /// (the services together are several kilobytes).
    services: Arc<Services>,
    pub(crate) config: Arc<WebConfig>,
    pub(crate) limits: Arc<RateLimits>,
    pub(crate) content_policy: Arc<ContentPolicy>,
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.services
    }
}

impl AppState {
    /// The state over services built by the caller ([`Services::build`]).
    pub fn new(services: Services, config: WebConfig) -> AppState {
        let provider_origins = services
            .franceconnect
            .iter()
            .filter_map(|fc| fc.origin())
            .chain(services.staff_idp.iter().filter_map(|idp| idp.origin()))
            .map(str::to_owned)
            .collect();
        AppState {
            content_policy: Arc::new(ContentPolicy::new(provider_origins)),
            services: Arc::new(services),
            limits: Arc::new(RateLimits::new(&config, None)),
            config: Arc::new(config),
        }
    }

    /// The same state, with rate limits counted across the cluster in `shared` besides this
    /// node's own (see [`caisse_core::shared_limits`]).
    pub fn with_shared_limits(mut self, shared: Arc<SharedLimits>) -> AppState {
        self.limits = Arc::new(RateLimits::new(&self.config, Some(shared)));
        self
    }

    /// Forgets idle clients of the rate limiters, to bound their memory; call periodically.
    pub fn shrink_rate_limits(&self) {
        self.limits.shrink();
    }
}
