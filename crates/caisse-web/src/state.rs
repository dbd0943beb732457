//! Shared state handed to every handler.

use std::sync::Arc;

use caisse_core::auth::Authenticator;
use caisse_core::clock::Clock;
use caisse_core::sessions::SessionService;
use caisse_store::Db;

use crate::config::WebConfig;
use crate::rate_limit::RateLimits;

/// What handlers share: the database, the use-case services and the settings.
#[derive(Clone)]
pub struct AppState {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sessions: SessionService,
    pub(crate) auth: Authenticator,
    pub(crate) config: Arc<WebConfig>,
    pub(crate) limits: Arc<RateLimits>,
}

impl AppState {
    /// Assembles the state.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        sessions: SessionService,
        auth: Authenticator,
        config: WebConfig,
    ) -> AppState {
        let limits = Arc::new(RateLimits::new(&config));
        AppState {
            db,
            clock,
            sessions,
            auth,
            config: Arc::new(config),
            limits,
        }
    }

    /// Forgets idle clients of the rate limiters, to bound their memory; call periodically.
    pub fn shrink_rate_limits(&self) {
        self.limits.shrink();
    }
}
