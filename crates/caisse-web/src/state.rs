//! Shared state handed to every handler.

use std::sync::Arc;

use caisse_core::Services;
use caisse_core::accounts::Accounts;
use caisse_core::attestations::AttestationService;
use caisse_core::auth::Authenticator;
use caisse_core::clock::Clock;
use caisse_core::health::Health;
use caisse_core::messaging::MessagingService;
use caisse_core::outbox::OutboxAdmin;
use caisse_core::password_reset::PasswordResetService;
use caisse_core::people::People;
use caisse_core::sessions::SessionService;

use crate::config::WebConfig;
use crate::rate_limit::RateLimits;

/// What handlers share: the use-case services and the settings.
#[derive(Clone)]
pub struct AppState {
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sessions: SessionService,
    pub(crate) auth: Authenticator,
    pub(crate) password_resets: PasswordResetService,
    pub(crate) accounts: Accounts,
    pub(crate) messaging: MessagingService,
    pub(crate) attestations: AttestationService,
    pub(crate) outbox: OutboxAdmin,
    pub(crate) health: Health,
    pub(crate) people: People,
    pub(crate) config: Arc<WebConfig>,
    pub(crate) limits: Arc<RateLimits>,
}

impl AppState {
    /// The state over services built by the caller ([`Services::build`]).
    pub fn new(services: Services, config: WebConfig) -> AppState {
        let Services {
            clock,
            sessions,
            auth,
            password_resets,
            accounts,
            messaging,
            attestations,
            outbox,
            health,
            people,
        } = services;
        AppState {
            limits: Arc::new(RateLimits::new(&config)),
            config: Arc::new(config),
            clock,
            sessions,
            auth,
            password_resets,
            accounts,
            messaging,
            attestations,
            outbox,
            health,
            people,
        }
    }

    /// Forgets idle clients of the rate limiters, to bound their memory; call periodically.
    pub fn shrink_rate_limits(&self) {
        self.limits.shrink();
    }
}
