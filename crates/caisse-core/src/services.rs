//! Every use-case service of a node, built in one place: the server's wiring and the HTTP test
//! harness call [`Services::build`], so both run the same services, built the same way.

use std::fmt;
use std::sync::Arc;

use caisse_domain::c2s::C2sTable;
use caisse_domain::help::{FaqContent, FaqSlug};
use caisse_domain::{CaisseCode, LockoutPolicy, PasswordPolicy};
use caisse_store::Db;

use crate::CoreError;
use crate::accounts::{AccountSettings, Accounts};
use crate::agenda::{Agenda, AgendaSettings, VideoRooms};
use crate::attestations::{AttestationKeys, AttestationService, AttestationSettings};
use crate::auth::{Authenticator, LoginSettings};
use crate::claims::ClaimsService;
use crate::claims::documents::PaymentDocuments;
use crate::claims::member_payments::MemberPayments;
use crate::claims::staff_payments::{CorrectionSettings, StaffPayments};
use crate::clock::Clock;
use crate::debts::{DebtService, DebtSettings, PaymentProvider};
use crate::demarches::{Catalogue, Demarches, DemarchesSettings, shipped_c2s_table};
use crate::files::FileStore;
use crate::forum::{Forum, ForumSettings};
use crate::health::Health;
use crate::help::{Help, shipped_entries};
use crate::messaging::{Messaging, MessagingQuotas, MessagingSettings};
use crate::oidc::franceconnect::FranceConnect;
use crate::oidc::staff_idp::{StaffIdp, StaffIdpRules};
use crate::oidc::{OidcProvider, OidcSeal};
use crate::outbox::{OutboxAdmin, OutboxSeal};
use crate::password_reset::{PasswordResetService, ResetSettings};
use crate::passwords::PasswordHasherPool;
use crate::people::People;
use crate::reads::Reads;
use crate::sessions::{SessionPolicy, SessionService};
use crate::staff_totp::SealingKey;

/// The keys the services seal and sign with, all derived from the server's secret key unless
/// the deployment configures its own attestation keys. `Debug` shows none of them.
#[derive(Clone)]
pub struct ServiceKeys {
    /// Seals the staff's TOTP secrets at rest.
    pub sealing: SealingKey,
    /// Seals the secrets of queued mails.
    pub outbox: OutboxSeal,
    /// Sign attestations (the first) and verify them (all).
    pub attestations: Arc<AttestationKeys>,
    /// Seals OpenID Connect requests and ID tokens.
    pub oidc: OidcSeal,
}

impl ServiceKeys {
    /// The keys derived from the server's secret key.
    ///
    /// # Errors
    /// Never in practice (see [`SealingKey::derive`]).
    pub fn derive(secret_key: &[u8]) -> Result<ServiceKeys, CoreError> {
        Ok(ServiceKeys {
            sealing: SealingKey::derive(secret_key)?,
            outbox: OutboxSeal::derive(secret_key)?,
            attestations: Arc::new(AttestationKeys::derive(secret_key)),
            oidc: OidcSeal::derive(secret_key)?,
        })
    }

    /// The same keys, attestations signed and verified with these configured ones.
    #[must_use]
    pub fn with_attestation_keys(mut self, keys: Arc<AttestationKeys>) -> ServiceKeys {
        self.attestations = keys;
        self
    }
}

impl fmt::Debug for ServiceKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceKeys")
            .field("sealing", &self.sealing)
            .field("outbox", &self.outbox)
            .field("attestations", &self.attestations)
            .finish()
    }
}

/// What the services need to know about the deployment.
#[derive(Clone, Debug)]
pub struct ServiceSettings {
    /// Public base URL, for the links of mails and SMS (`https://portail.example.fr`).
    pub base_url: String,
    /// The fund's phone number, for "call us".
    pub phone: String,
    /// The signature of mails when a member's fund code does not resolve (the brand name).
    pub fallback_fund_name: String,
    /// Logging in: lockout, new-device codes, suspicion. Its `base_url` is replaced by the one
    /// above.
    pub login: LoginSettings,
    /// How long sessions last.
    pub sessions: SessionPolicy,
    /// Length limits of members' passwords.
    pub password_policy: PasswordPolicy,
    /// How long new bank details wait before they apply.
    pub bank_change_cool_off: time::Duration,
    /// Codes a member may have sent to new mobile numbers per hour.
    pub sms_codes_per_hour: u64,
    /// The same per day.
    pub sms_codes_per_day: u64,
    /// What one member may send a day and keep as attachment drafts.
    pub messaging_quotas: MessagingQuotas,
    /// Files (images, PDFs) checked and rewritten at once on a node.
    pub file_workers: usize,
    /// How members pay their debts (the fund's account, the notice delay).
    pub debts: DebtSettings,
    /// The card payment provider, if the fund has one.
    pub payment_provider: Option<Arc<dyn PaymentProvider>>,
    /// How corrections of paid lines are approved.
    pub corrections: CorrectionSettings,
    /// The procedures served (the shipped ones and the fund's).
    pub catalogue: Arc<Catalogue>,
    /// The dated C2S ceilings.
    pub c2s: Arc<C2sTable>,
    /// The fund's video service for video appointments, if it has one.
    pub video: Option<VideoRooms>,
    /// The fund whose FAQ visitors read (and members of a fund without one); `None`: the
    /// shipped FAQ.
    pub help_fund: Option<CaisseCode>,
    /// The FAQ loaded into each fund on first start.
    pub help_shipped: Arc<Vec<(FaqSlug, FaqContent)>>,
    /// FranceConnect, when the fund has its credentials.
    pub franceconnect: Option<OidcProvider>,
    /// The fund's staff identity provider and its mapping, when configured.
    pub staff_idp: Option<(OidcProvider, StaffIdpRules)>,
    /// A streaming replica for the reads that tolerate a little lag; `None`: the primary.
    pub replica: Option<Db>,
}

impl Default for ServiceSettings {
    /// The defaults of the configuration, with the development base URL.
    fn default() -> Self {
        let accounts = AccountSettings::default();
        let messaging = MessagingSettings::default();
        ServiceSettings {
            base_url: "http://127.0.0.1:8080".to_owned(),
            phone: "36 46".to_owned(),
            fallback_fund_name: "Caisse d'assurance maladie".to_owned(),
            login: LoginSettings::default(),
            sessions: SessionPolicy::default(),
            password_policy: PasswordPolicy::default(),
            bank_change_cool_off: accounts.bank_change_cool_off,
            sms_codes_per_hour: accounts.sms_codes_per_hour,
            sms_codes_per_day: accounts.sms_codes_per_day,
            messaging_quotas: messaging.quotas,
            file_workers: messaging.file_workers,
            debts: DebtSettings::default(),
            payment_provider: None,
            corrections: CorrectionSettings::default(),
            // The shipped definitions and reference files load (tested); empty ones would
            // only offer no procedure and refuse C2S decisions.
            catalogue: Arc::new(Catalogue::shipped().unwrap_or_default()),
            c2s: Arc::new(shipped_c2s_table().unwrap_or_else(|_| C2sTable::empty())),
            video: None,
            replica: None,
            help_fund: None,
            // The shipped entries read (tested); none would only leave the help empty.
            help_shipped: Arc::new(shipped_entries().unwrap_or_default()),
            franceconnect: None,
            staff_idp: None,
        }
    }
}

impl ServiceSettings {
    fn lockout(&self) -> &LockoutPolicy {
        &self.login.lockout
    }
}

/// The use-case services of a node. Cheap to clone: each holds shared handles.
#[derive(Clone)]
pub struct Services {
    /// The clock every service reads.
    pub clock: Arc<dyn Clock>,
    /// Sessions of members and staff.
    pub sessions: SessionService,
    /// Logging in (members and staff), with the hashing pool everything else shares.
    pub auth: Authenticator,
    /// « Mot de passe oublié ».
    pub password_resets: PasswordResetService,
    /// The account lifecycle.
    pub accounts: Accounts,
    /// Secure messaging.
    pub messaging: Messaging,
    /// Attestations: issue and verify.
    pub attestations: AttestationService,
    /// The administrators' view of the outbox.
    pub outbox: OutboxAdmin,
    /// Readiness and outbox depth.
    pub health: Health,
    /// Who a session belongs to; a member's own file.
    pub people: People,
    /// Care-sheet lots from professionals' software.
    pub claims: ClaimsService,
    /// Members' debts: reading, paying, contesting.
    pub debts: DebtService,
    /// « Mes paiements ».
    pub payments: MemberPayments,
    /// Where the reads that tolerate lag go; its replica is watched by the server.
    pub reads: Reads,
    /// The payment documents (monthly statement, IJ attestation, relevé fiscal).
    pub payment_documents: PaymentDocuments,
    /// A member's payments for the back office, and corrections of their lines.
    pub staff_payments: StaffPayments,
    /// « Mes démarches »: dossiers of every procedure, for members and advisors.
    pub demarches: Demarches,
    /// « Mon agenda »: appointments with advisors.
    pub agenda: Agenda,
    /// The help: FAQ, search, assistant.
    pub help: Help,
    /// Public questions of the help, answered by the fund.
    pub forum: Forum,
    /// « S'identifier avec FranceConnect », when configured.
    pub franceconnect: Option<FranceConnect>,
    /// Staff login through the fund's identity provider, when configured.
    pub staff_idp: Option<StaffIdp>,
}

impl Services {
    /// Builds every service over `db`: hashing on `hasher` (one bound for logins, resets and
    /// account changes), attachments kept in `files`.
    pub fn build(
        db: Db,
        clock: Arc<dyn Clock>,
        hasher: PasswordHasherPool,
        keys: ServiceKeys,
        files: Arc<dyn FileStore>,
        settings: ServiceSettings,
    ) -> Services {
        let login = LoginSettings {
            base_url: settings.base_url.clone(),
            ..settings.login.clone()
        };
        let sessions = SessionService::new(db.clone(), clock.clone(), settings.sessions);
        let auth = Authenticator::new(
            db.clone(),
            hasher.clone(),
            clock.clone(),
            login,
            keys.sealing,
            keys.outbox.clone(),
        );
        // Shares the login's hashing pool, so resets and logins queue behind one bound.
        let password_resets = PasswordResetService::new(
            db.clone(),
            hasher.clone(),
            clock.clone(),
            ResetSettings {
                base_url: settings.base_url.clone(),
                phone: settings.phone.clone(),
                fallback_fund_name: settings.fallback_fund_name.clone(),
                suspicion: settings.login.suspicion.clone(),
            },
            keys.outbox.clone(),
        )
        .with_policy(settings.password_policy);
        let accounts = Accounts::new(
            db.clone(),
            auth.clone(),
            clock.clone(),
            settings.password_policy,
            AccountSettings {
                base_url: settings.base_url.clone(),
                phone: settings.phone.clone(),
                fallback_fund_name: settings.fallback_fund_name.clone(),
                bank_change_cool_off: settings.bank_change_cool_off,
                sms_codes_per_hour: settings.sms_codes_per_hour,
                sms_codes_per_day: settings.sms_codes_per_day,
                suspicion: settings.login.suspicion.clone(),
                lockout: settings.lockout().clone(),
                ..AccountSettings::default()
            },
            keys.outbox,
        );
        let reads = match &settings.replica {
            Some(replica) => Reads::with_replica(db.clone(), replica.clone()),
            None => Reads::primary(db.clone()),
        };
        let messaging = Messaging::reading_from(
            reads.clone(),
            clock.clone(),
            MessagingSettings {
                base_url: settings.base_url.clone(),
                phone: settings.phone.clone(),
                quotas: settings.messaging_quotas,
                file_workers: settings.file_workers,
                ..MessagingSettings::default()
            },
            files.clone(),
        );
        // Uploaded attestations are parsed on the messaging's file pool: one bound a node.
        let letterhead = AttestationSettings {
            base_url: settings.base_url.clone(),
            phone: settings.phone.clone(),
            fallback_fund_name: settings.fallback_fund_name,
        };
        let payment_documents =
            PaymentDocuments::new(db.clone(), clock.clone(), letterhead.clone());
        let attestations =
            AttestationService::new(db.clone(), clock.clone(), keys.attestations, letterhead)
                .with_file_pool(messaging.file_pool().clone());
        let demarches = Demarches::new(
            db.clone(),
            clock.clone(),
            settings.catalogue,
            files.clone(),
            DemarchesSettings {
                base_url: settings.base_url.clone(),
                phone: settings.phone.clone(),
                file_workers: settings.file_workers,
                c2s: settings.c2s,
                ..DemarchesSettings::default()
            },
        );
        let debts = DebtService::new(
            db.clone(),
            clock.clone(),
            settings.debts,
            settings.payment_provider,
            messaging.member.clone(),
        );
        let franceconnect = settings.franceconnect.map(|provider| {
            FranceConnect::new(
                db.clone(),
                clock.clone(),
                provider,
                keys.oidc.clone(),
                auth.clone(),
            )
        });
        let staff_idp = settings.staff_idp.map(|(provider, rules)| {
            StaffIdp::new(
                db.clone(),
                clock.clone(),
                provider,
                keys.oidc.clone(),
                hasher.clone(),
                rules,
            )
        });
        Services {
            franceconnect,
            staff_idp,
            help: Help::new(
                db.clone(),
                clock.clone(),
                settings.help_fund,
                settings.help_shipped,
            ),
            agenda: Agenda::new(
                db.clone(),
                clock.clone(),
                AgendaSettings {
                    base_url: settings.base_url.clone(),
                    video: settings.video.clone(),
                },
            ),
            forum: Forum::new(
                db.clone(),
                clock.clone(),
                ForumSettings {
                    base_url: settings.base_url.clone(),
                },
            ),
            demarches,
            debts,
            outbox: OutboxAdmin::new(db.clone(), clock.clone()),
            health: Health::new(db.clone()),
            claims: ClaimsService::new(db.clone(), clock.clone()),
            payments: MemberPayments::new(db.clone(), clock.clone()).reading_from(reads.clone()),
            reads,
            payment_documents,
            staff_payments: StaffPayments::new(db.clone(), clock.clone(), settings.corrections),
            people: People::new(db),
            clock,
            sessions,
            auth,
            password_resets,
            accounts,
            messaging,
            attestations,
        }
    }

    /// Waits until the requests answered before they were handled (password-reset requests)
    /// are handled: at shutdown, and in tests before reading what they sent.
    pub async fn settle_background(&self) {
        self.password_resets.settle().await;
    }

    /// Applies bank details whose cool-off ended, erases printed letters and deletes account
    /// links expired for a day; returns how many bank-detail changes applied.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "jobs.run_account_jobs", skip_all)]
    pub async fn run_account_jobs(&self) -> Result<u64, CoreError> {
        self.accounts.erase_printed_letters().await?;
        self.accounts.purge_expired_links().await?;
        self.accounts.apply_due_bank_changes().await
    }

    /// Deletes password-reset links that ended more than a day ago; returns how many.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "jobs.purge_expired_reset_links", skip_all)]
    pub async fn purge_expired_reset_links(&self) -> Result<u64, CoreError> {
        self.password_resets.purge_expired().await
    }

    /// Deletes attachment drafts that expired (files first); returns how many.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "jobs.purge_expired_drafts", skip_all)]
    pub async fn purge_expired_drafts(&self) -> Result<u64, CoreError> {
        self.messaging.attachments.purge_expired_drafts().await
    }
}
