//! The account lifecycle beyond logging in: registration and activation, provisional codes
//! by post, the member's own changes (password, contacts, bank details, preferences,
//! sessions), « Ce n'était pas moi », closure, and what staff do about accounts.
//!
//! One service, [`Accounts`], split by use case into the submodules. Every operation that
//! changes something runs in one transaction with its audit event and its mails.

mod activation;
mod bank_details;
mod closure;
mod contacts;
mod details;
mod ending;
mod errors;
mod member_search;
mod not_me;
mod print_queue;
mod provisional;
mod registration;
mod sessions_list;
mod support;

use std::sync::Arc;

use caisse_domain::PasswordPolicy;
use caisse_store::Db;
use caisse_store::members::MemberRecord;
use time::Duration;

use crate::auth::Authenticator;
use crate::clock::Clock;
use crate::mails::OneTimeLink;
use crate::outbox::OutboxSeal;
use crate::passwords::PasswordHasherPool;

pub use crate::suspicion::SuspicionPolicy;
pub use bank_details::PendingBankChange;
pub use contacts::AddressForm;
pub use details::ContactDetails;
pub use errors::{AccountError, FormProblem};
pub use member_search::{MAX_SEARCH_RESULTS, MemberHit, NameSearch, NameSearchResult};
pub use print_queue::{BATCH_RETENTION, PrintQueueOverview};
pub use provisional::{CodePurpose, LetterContent};
pub use registration::Registration;
pub use sessions_list::{
    ApiTokenInfo, ConnectedSession, ConnectionKind, ConnectionsOverview, TrustedDevice,
    describe_user_agent,
};
pub use support::{MemberSecurityView, OpenAlert};

/// What the account use cases need to know about the deployment.
#[derive(Clone, Debug)]
pub struct AccountSettings {
    /// Public base URL, for links in mails (`https://portail.example.fr`).
    pub base_url: String,
    /// The fund's phone number, for "call us".
    pub phone: String,
    /// Signature when a member's fund code does not resolve (the brand name).
    pub fallback_fund_name: String,
    /// How long an activation or email-confirmation link works.
    pub link_ttl: Duration,
    /// How long a provisional code sent by post works.
    pub provisional_code_ttl: Duration,
    /// How long new bank details wait before they apply (the member can cancel meanwhile).
    pub bank_change_cool_off: Duration,
    /// How long a mobile-confirmation code works.
    pub sms_code_ttl: Duration,
    /// Mobile-confirmation codes a member may have sent per hour (each SMS costs, and goes to
    /// any number typed).
    pub sms_codes_per_hour: u64,
    /// The same per day.
    pub sms_codes_per_day: u64,
    /// When activity on an account is suspicious enough to suspend it.
    pub suspicion: SuspicionPolicy,
    /// Lockout rules (provisional codes count as login attempts).
    pub lockout: caisse_domain::LockoutPolicy,
}

impl Default for AccountSettings {
    fn default() -> Self {
        AccountSettings {
            base_url: "http://127.0.0.1:8080".to_owned(),
            phone: "36 46".to_owned(),
            fallback_fund_name: "Votre caisse d'assurance maladie".to_owned(),
            link_ttl: Duration::hours(24),
            provisional_code_ttl: Duration::days(30),
            bank_change_cool_off: Duration::days(3),
            sms_code_ttl: Duration::minutes(10),
            sms_codes_per_hour: 3,
            sms_codes_per_day: 10,
            suspicion: SuspicionPolicy::default(),
            lockout: caisse_domain::LockoutPolicy::default(),
        }
    }
}

/// The account use cases.
#[derive(Clone)]
pub struct Accounts {
    db: Db,
    /// Checks the password members type again, in the login's lockout.
    auth: Authenticator,
    hasher: PasswordHasherPool,
    clock: Arc<dyn Clock>,
    policy: PasswordPolicy,
    settings: Arc<AccountSettings>,
    seal: OutboxSeal,
}

impl Accounts {
    /// The service over this database, hashing on the login's pool (one bound on concurrent
    /// hashing for the whole process) and checking re-typed passwords in the login's lockout;
    /// `seal` seals the links and codes of its mails.
    pub fn new(
        db: Db,
        auth: Authenticator,
        clock: Arc<dyn Clock>,
        policy: PasswordPolicy,
        settings: AccountSettings,
        seal: OutboxSeal,
    ) -> Accounts {
        Accounts {
            db,
            hasher: auth.hasher().clone(),
            auth,
            clock,
            policy,
            settings: Arc::new(settings),
            seal,
        }
    }

    /// The password rules (forms list them up front).
    pub fn policy(&self) -> &PasswordPolicy {
        &self.policy
    }

    /// The settings.
    pub fn settings(&self) -> &AccountSettings {
        &self.settings
    }

    /// Deletes the account links (activation, email confirmation, « Ce n'était pas moi ») that
    /// expired more than a day ago; returns how many. Unusable by then, they only keep a digest
    /// and a member id that nobody needs.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "accounts.purge_expired_links", skip_all)]
    pub async fn purge_expired_links(&self) -> Result<u64, crate::CoreError> {
        Ok(caisse_store::one_time::delete_expired_links(
            &self.db,
            caisse_store::one_time::LinkTable::AccountLinks,
            self.clock.instant() - Duration::days(1),
        )
        .await?)
    }

    fn base_url(&self) -> &str {
        self.settings.base_url.trim_end_matches('/')
    }

    fn fund_name(&self, member: &MemberRecord) -> &'static str {
        caisse_domain::Fund::by_code(&member.caisse_code).name()
    }

    /// What a mail carrying a link of [`AccountSettings::link_ttl`] to `member` needs.
    fn one_time_link<'a>(&'a self, member: &'a MemberRecord, token: &'a str) -> OneTimeLink<'a> {
        OneTimeLink {
            first_name: &member.first_name,
            base_url: self.base_url(),
            token,
            hours: self.settings.link_ttl.whole_hours(),
            fund: self.fund_name(member),
        }
    }
}
