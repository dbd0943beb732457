//! Shared state handed to every handler.

use std::sync::Arc;

use caisse_core::accounts::{AccountSettings, Accounts};
use caisse_core::attestations::{AttestationService, AttestationSettings};
use caisse_core::auth::Authenticator;
use caisse_core::clock::Clock;
use caisse_core::files::FileStore;
use caisse_core::messaging::{Messaging, MessagingSettings};
use caisse_core::outbox::OutboxAdmin;
use caisse_core::password_reset::{PasswordResetService, ResetSettings};
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
    pub(crate) password_resets: PasswordResetService,
    pub(crate) accounts: Accounts,
    pub(crate) messaging: Messaging,
    pub(crate) attestations: AttestationService,
    pub(crate) outbox: OutboxAdmin,
    pub(crate) config: Arc<WebConfig>,
    pub(crate) limits: Arc<RateLimits>,
}

impl AppState {
    /// Assembles the state; attachments are kept in `files`.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        sessions: SessionService,
        auth: Authenticator,
        config: WebConfig,
        files: Arc<dyn FileStore>,
    ) -> AppState {
        let limits = Arc::new(RateLimits::new(&config));
        // Shares the login's hashing pool, so resets and logins queue behind one bound.
        let password_resets = PasswordResetService::new(
            db.clone(),
            auth.hasher().clone(),
            clock.clone(),
            ResetSettings {
                base_url: config.base_url.clone(),
                phone: config.brand.phone.clone(),
                fallback_fund_name: config.brand.name.clone(),
                suspicion: auth.settings().suspicion.clone(),
            },
            auth.outbox_seal().clone(),
        )
        .with_policy(config.password_policy);
        let accounts = Accounts::new(
            db.clone(),
            auth.clone(),
            clock.clone(),
            *password_resets.policy(),
            AccountSettings {
                base_url: config.base_url.clone(),
                phone: config.brand.phone.clone(),
                fallback_fund_name: config.brand.name.clone(),
                bank_change_cool_off: config.bank_change_cool_off,
                sms_codes_per_hour: config.sms_codes.0,
                sms_codes_per_day: config.sms_codes.1,
                suspicion: auth.settings().suspicion.clone(),
                lockout: auth.settings().lockout.clone(),
                ..AccountSettings::default()
            },
            auth.outbox_seal().clone(),
        );
        let messaging = Messaging::new(
            db.clone(),
            clock.clone(),
            MessagingSettings {
                base_url: config.base_url.clone(),
                phone: config.brand.phone.clone(),
                quotas: config.messaging_quotas,
                file_workers: config.file_workers,
                ..MessagingSettings::default()
            },
            files,
        );
        // Uploaded attestations are parsed on the messaging's file pool: one bound a node.
        let attestations = AttestationService::new(
            db.clone(),
            clock.clone(),
            config.attestation_keys.clone(),
            AttestationSettings {
                base_url: config.base_url.clone(),
                phone: config.brand.phone.clone(),
                fallback_fund_name: config.brand.name.clone(),
            },
        )
        .with_file_pool(messaging.file_pool().clone());
        AppState {
            messaging,
            attestations,
            outbox: OutboxAdmin::new(db.clone(), clock.clone()),
            db,
            clock,
            sessions,
            auth,
            password_resets,
            accounts,
            config: Arc::new(config),
            limits,
        }
    }

    /// Waits until the requests answered before they were handled (password-reset requests)
    /// are handled: at shutdown, and in tests before reading what they sent.
    pub async fn settle_background(&self) {
        self.password_resets.settle().await;
    }

    /// Deletes password-reset links that ended more than a day ago; returns how many.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn purge_expired_reset_links(&self) -> Result<u64, caisse_core::CoreError> {
        self.password_resets.purge_expired().await
    }

    /// Applies bank details whose cool-off ended and erases printed letters; returns how
    /// many changes applied.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn run_account_jobs(&self) -> Result<u64, caisse_core::CoreError> {
        self.accounts.erase_printed_letters().await?;
        self.accounts.apply_due_bank_changes().await
    }

    /// Deletes attachment drafts that expired (files first); returns how many.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn purge_expired_drafts(&self) -> Result<u64, caisse_core::CoreError> {
        self.messaging.attachments.purge_expired_drafts().await
    }

    /// Forgets idle clients of the rate limiters, to bound their memory; call periodically.
    pub fn shrink_rate_limits(&self) {
        self.limits.shrink();
    }
}
