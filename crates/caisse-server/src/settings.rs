//! Configuration: defaults, then a TOML file (`--config`), then environment variables, the
//! environment winning. The `config` crate layers the file over the defaults and the
//! environment over the file, each value remembering where it came from; serde reads the result
//! into the typed [`Settings`]. Every value is parsed once at start-up; a bad one stops start-up
//! with a single line naming the key, where it came from, and the expected form.
//!
//! Keys are flat. In the file they are written in lower case (`listen = "…"`, or grouped in
//! tables: `[brand] name = "…"` is the key `brand_name`); in the environment they are upper
//! case with the `CAISSE_` prefix (`CAISSE_LISTEN`, `CAISSE_BRAND_NAME`), except `DATABASE_URL`.
//!
//! Secret values (the server key, the attestation signing keys, the credentials in the database
//! and SMTP URLs) are held in `secrecy` types: `Debug` and `caisse config check` mask them, and
//! the error about a refused one never repeats it. Whether a value is secret is a property of
//! its type ([`values::Setting::SECRET`]), not of its key's name.

mod values;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use config::{Config, ConfigError, FileFormat, Map, Source, Value, ValueKind};
use serde::{Deserialize, Serialize};

pub use values::{
    BaseUrl, ClientSecret, DatabaseUrl, GroupMap, LockoutSchedule, LogFormat, Logins, MailFrom,
    PageUrl, PaymentSecret, RedisUrl, SecretKey, SigningKeys, SmtpUrl,
};
use values::{setting, whole};

/// Where the values of the environment come from, as errors and `caisse config check` say it.
const ENVIRONMENT: &str = "environment";

/// The expected form of each key, shown in errors (the README's table says the same).
fn expected(key: &str) -> &'static str {
    match key {
        "listen" => "an address:port such as 127.0.0.1:8080",
        "data_dir" => "a directory path",
        "files_dir" => "a directory path (default: DATA_DIR/files)",
        "demarches_dir" => {
            "a directory of procedure definitions, <code>.v<N>.toml (default: the shipped ones only)"
        }
        "database_url" => "sqlite://PATH or postgres://USER@HOST:PORT/DB",
        "database_max_connections" => "a whole number from 1 to 1000",
        "database_replica_url" => "postgres://USER@HOST:PORT/DB of a streaming replica",
        "redis_url" => "redis://HOST:PORT/DB or rediss://USER:PASSWORD@HOST:PORT/DB",
        "audit_retention_months" | "outbox_retention_months" => "a whole number from 1 to 1200",
        "smtp_url" => "smtp://HOST:PORT, smtps://USER:PASSWORD@HOST or smtp://HOST?tls=required",
        "mail_from" => "a mailbox such as Caisse <noreply@example.fr>",
        "mail_dir" => "a directory path (default: DATA_DIR/courriels; used only without SMTP_URL)",
        "base_url" => "an absolute http:// or https:// URL without trailing path",
        "log_format" => "text or json",
        "secret_key" => "at least 32 random characters (shared by every node)",
        "trust_forwarded_for" => "true or false",
        "brand_name" => "the fund's name",
        "brand_logo_url" => "a URL or path of the logo image",
        "brand_phone" => "the phone number shown to members",
        "brand_phone_note" => "the price note of that number",
        "brand_primary_color" | "brand_primary_contrast_color" | "brand_accent_color" => {
            "a CSS colour"
        }
        "argon2_memory_kib" => "a whole number of KiB from 8 to 4194304",
        "argon2_iterations" => "a whole number from 1 to 100",
        "argon2_parallelism" => "a whole number from 1 to 16",
        "outbox_poll_interval_ms" => "a whole number of milliseconds from 10 to 600000",
        "outbox_lease_seconds" => "a whole number of seconds from 1 to 86400",
        "outbox_max_attempts" => "a whole number from 1 to 100",
        "claims_batch_size" => "a whole number of care sheets from 1 to 100000",
        "claims_liquidators" => {
            "a whole number of liquidation batches run side by side, from 1 to 64"
        }
        "claims_poll_interval_ms" => "a whole number of milliseconds from 10 to 600000",
        "claims_debt_notice_days" => "a whole number of days from 1 to 3650",
        "claims_correction_approval_euros" => "a whole number of euros from 0 to 1000000",
        "new_device_confirmation" => "true or false (default: true for serve, false for demo)",
        "lockout_threshold" => "a whole number of consecutive failures from 1 to 100",
        "lockout_schedule" => "comma-separated durations such as 15m,1h,4h,24h (s, m, h or d)",
        "lockout_forget_after_days" => "a whole number of days from 1 to 365",
        "rate_limit_requests_per_second"
        | "rate_limit_logins_per_minute"
        | "rate_limit_node_logins_per_second"
        | "rate_limit_burst" => "a whole number from 1 to 100000",
        "password_min_length" => "a whole number of characters from 8 to 64",
        "bank_change_cool_off_hours" => "a whole number of hours from 0 to 720",
        "sms_codes_per_hour" => "a whole number from 1 to 100",
        "sms_codes_per_day" => "a whole number from 1 to 1000",
        "messaging_sends_per_day" => {
            "a whole number of messages a member may send a day, from 1 to 1000"
        }
        "messaging_max_drafts" => {
            "a whole number of attachment drafts a member may keep, from 1 to 100"
        }
        "messaging_max_draft_mib" => {
            "a whole number of MiB of attachment drafts a member may keep, from 1 to 1024"
        }
        "file_workers" => {
            "a whole number of files (images, PDFs) checked at once on a node, from 1 to 16"
        }
        "payment_account_iban" => "the IBAN of the fund's account that members' transfers pay",
        "payment_account_bic" => "the BIC of that account's bank (8 or 11 characters)",
        "payment_account_holder" => "the account holder's name (default: the brand name)",
        "payment_provider_url" => "the https:// URL of the card payment provider's payment page",
        "payment_provider_merchant_id" => "the fund's merchant id at the payment provider",
        "help_fund" => "the three-digit code of the fund whose FAQ visitors read (e.g. 781)",
        "franceconnect_issuer" | "staff_oidc_issuer" => {
            "the provider's issuer URL, its discovery below it (e.g. https://oidc.franceconnect.gouv.fr/api/v2)"
        }
        "franceconnect_client_id" | "staff_oidc_client_id" => {
            "the client id the provider gave the fund"
        }
        "franceconnect_client_secret" | "staff_oidc_client_secret" => {
            "the client secret the provider gave the fund, at least 16 characters"
        }
        "franceconnect_signed_userinfo" => "true or false (default: true, FranceConnect v2)",
        "franceconnect_acr" => "the eIDAS level asked and required (default: eidas1)",
        "staff_oidc_login_claim" => {
            "the claim that holds the staff login (default: preferred_username)"
        }
        "staff_oidc_groups_claim" => "the claim that lists the groups (default: groups)",
        "staff_oidc_roles" => {
            "group=role pairs separated by commas, roles conseiller, superviseur or administrateur"
        }
        "staff_oidc_teams" => "group=TEAM pairs separated by commas (team codes of the fund)",
        "staff_oidc_fund" => "the three-digit code of the fund whose staff log in through it",
        "staff_oidc_create_staff" => "true or false (default: false, staff must exist)",
        "staff_oidc_break_glass" => {
            "staff logins that keep password + TOTP, separated by commas (default: none)"
        }
        "video_url" => {
            "the https:// URL of the fund's video service, rooms as paths under it (e.g. a Jitsi Meet)"
        }
        "payment_provider_secret" => {
            "the secret shared with the payment provider, at least 16 characters"
        }
        "attestation_signing_keys" => {
            "comma-separated id:SEED entries (32 bytes in base64url, `caisse admin attestation-key`), the signing key first; id:public:KEY for a retired key"
        }
        _ => "a valid value",
    }
}

/// A configuration problem, worded for the one line printed at start-up. No variant holds a
/// secret: a refused secret is shown as `"(hidden)"`.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A value does not parse.
    #[error("invalid {key} ({source_name}): expected {expected}, got {shown}")]
    Invalid {
        /// The key as the operator wrote it (`CAISSE_…` in the environment).
        key: String,
        /// "environment" or the file path.
        source_name: String,
        /// Expected form.
        expected: &'static str,
        /// The value read, quoted, or `"(hidden)"` for a secret.
        shown: String,
    },
    /// A key of the file is not known (a typo would otherwise be silently ignored).
    #[error("unknown key {key} in {file}; known keys: {known}")]
    UnknownKey {
        /// The key.
        key: String,
        /// The file.
        file: String,
        /// Known keys.
        known: String,
    },
    /// The file cannot be read or is not TOML.
    #[error("cannot read configuration file {file}: {reason}")]
    File {
        /// The file.
        file: String,
        /// Why (for TOML, the parser's message and the line, never the line's text).
        reason: String,
    },
    /// The layers do not combine into settings for a reason that names no key (a defect).
    #[error("cannot read the configuration: {reason}")]
    Unreadable {
        /// Why, as the configuration library says it.
        reason: String,
    },
}

/// The parsed configuration, one field per key, each of its own type.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default)]
pub struct Settings {
    /// Address and port to listen on.
    #[serde(with = "setting")]
    pub listen: SocketAddr,
    /// The SQLite file, the generated secret key, and by default files and mails.
    #[serde(with = "setting")]
    pub data_dir: PathBuf,
    /// Where attachments are stored; `None`: `DATA_DIR/files`.
    #[serde(with = "setting")]
    pub files_dir: Option<PathBuf>,
    /// A fund's procedure definitions, added to the shipped ones; `None`: the shipped ones.
    #[serde(with = "setting")]
    pub demarches_dir: Option<PathBuf>,
    /// `None`: a SQLite file in the data directory.
    #[serde(with = "setting")]
    pub database_url: Option<DatabaseUrl>,
    /// Pool size per process.
    #[serde(deserialize_with = "whole::<_, _, 1, 1000>")]
    pub database_max_connections: u32,
    /// A streaming replica that lists, dashboards and searches read from; `None`: the primary.
    #[serde(with = "setting")]
    pub database_replica_url: Option<DatabaseUrl>,
    /// Redis for the cluster's rate limits; `None`: the database on PostgreSQL, memory on
    /// SQLite.
    #[serde(with = "setting")]
    pub redis_url: Option<RedisUrl>,
    /// Months an audit event is kept.
    #[serde(deserialize_with = "whole::<_, _, 1, 1200>")]
    pub audit_retention_months: u32,
    /// Months a sent (or given-up) mail or SMS is kept in the outbox.
    #[serde(deserialize_with = "whole::<_, _, 1, 1200>")]
    pub outbox_retention_months: u32,
    /// `None`: mails are written to the mail directory.
    #[serde(with = "setting")]
    pub smtp_url: Option<SmtpUrl>,
    /// The sender of mails.
    #[serde(with = "setting")]
    pub mail_from: MailFrom,
    /// Where mails and SMS are written without an SMTP relay; `None`: `DATA_DIR/courriels`.
    #[serde(with = "setting")]
    pub mail_dir: Option<PathBuf>,
    /// `None`: `http://` and the listen address.
    #[serde(with = "setting")]
    pub base_url: Option<BaseUrl>,
    /// Log lines as text or JSON.
    #[serde(with = "setting")]
    pub log_format: LogFormat,
    /// `None`: generated once in the data directory.
    #[serde(with = "setting")]
    pub secret_key: Option<SecretKey>,
    /// Trust `X-Forwarded-For` from the reverse proxy.
    #[serde(deserialize_with = "setting::deserialize")]
    pub trust_forwarded_for: bool,
    /// The fund's name.
    #[serde(with = "setting")]
    pub brand_name: String,
    /// The logo; `None`: the name as text.
    #[serde(with = "setting")]
    pub brand_logo_url: Option<String>,
    /// The phone number shown to members.
    #[serde(with = "setting")]
    pub brand_phone: String,
    /// The price note of that number; `None`: none.
    #[serde(with = "setting")]
    pub brand_phone_note: Option<String>,
    /// Main colour.
    #[serde(with = "setting")]
    pub brand_primary_color: String,
    /// Text colour on the main colour.
    #[serde(with = "setting")]
    pub brand_primary_contrast_color: String,
    /// Accent colour.
    #[serde(with = "setting")]
    pub brand_accent_color: String,
    /// Argon2id memory cost.
    #[serde(deserialize_with = "whole::<_, _, 8, 4_194_304>")]
    pub argon2_memory_kib: u32,
    /// Argon2id passes.
    #[serde(deserialize_with = "whole::<_, _, 1, 100>")]
    pub argon2_iterations: u32,
    /// Argon2id lanes.
    #[serde(deserialize_with = "whole::<_, _, 1, 16>")]
    pub argon2_parallelism: u32,
    /// The outbox worker's pause once caught up.
    #[serde(deserialize_with = "whole::<_, _, 10, 600_000>")]
    pub outbox_poll_interval_ms: u64,
    /// How long a claimed message is reserved.
    #[serde(deserialize_with = "whole::<_, _, 1, 86_400>")]
    pub outbox_lease_seconds: i64,
    /// Attempts before a message is given up.
    #[serde(deserialize_with = "whole::<_, _, 1, 100>")]
    pub outbox_max_attempts: u32,
    /// Care sheets the claims worker liquidates per transaction.
    #[serde(deserialize_with = "whole::<_, _, 1, 100_000>")]
    pub claims_batch_size: u64,
    /// Liquidation batches the claims worker runs side by side (PostgreSQL).
    #[serde(deserialize_with = "whole::<_, _, 1, 64>")]
    pub claims_liquidators: usize,
    /// The claims worker's pause once caught up.
    #[serde(deserialize_with = "whole::<_, _, 10, 600_000>")]
    pub claims_poll_interval_ms: u64,
    /// Days a member's debt waits for recovery before the avis de sommes à payer.
    #[serde(deserialize_with = "whole::<_, _, 1, 3650>")]
    pub claims_debt_notice_days: i64,
    /// A correction of a paid line whose difference is above this many euros waits for a
    /// supervisor's approval.
    #[serde(deserialize_with = "whole::<_, _, 0, 1_000_000>")]
    pub claims_correction_approval_euros: i64,
    /// `None`: on for `serve`, off for `demo`.
    #[serde(with = "setting")]
    pub new_device_confirmation: Option<bool>,
    /// Consecutive failures before a lock.
    #[serde(deserialize_with = "whole::<_, _, 1, 100>")]
    pub lockout_threshold: u32,
    /// Durations of the successive locks.
    #[serde(with = "setting")]
    pub lockout_schedule: LockoutSchedule,
    /// A lock this long after the previous one restarts the schedule.
    #[serde(deserialize_with = "whole::<_, _, 1, 365>")]
    pub lockout_forget_after_days: i64,
    /// Requests per second per client address.
    #[serde(deserialize_with = "whole::<_, _, 1, 100_000>")]
    pub rate_limit_requests_per_second: u32,
    /// Burst above that rate.
    #[serde(deserialize_with = "whole::<_, _, 1, 100_000>")]
    pub rate_limit_burst: u32,
    /// Login attempts per minute per client address.
    #[serde(deserialize_with = "whole::<_, _, 1, 100_000>")]
    pub rate_limit_logins_per_minute: u32,
    /// Login attempts per second of the whole node.
    #[serde(deserialize_with = "whole::<_, _, 1, 100_000>")]
    pub rate_limit_node_logins_per_second: u32,
    /// Fewest characters of a member's password.
    #[serde(deserialize_with = "whole::<_, _, 8, 64>")]
    pub password_min_length: usize,
    /// How long new bank details wait before they apply.
    #[serde(deserialize_with = "whole::<_, _, 0, 720>")]
    pub bank_change_cool_off_hours: i64,
    /// Codes a member may have sent to new mobile numbers per hour.
    #[serde(deserialize_with = "whole::<_, _, 1, 100>")]
    pub sms_codes_per_hour: u64,
    /// The same per day.
    #[serde(deserialize_with = "whole::<_, _, 1, 1000>")]
    pub sms_codes_per_day: u64,
    /// Messages a member may send a day.
    #[serde(deserialize_with = "whole::<_, _, 1, 1000>")]
    pub messaging_sends_per_day: u32,
    /// Attachment drafts a member may keep.
    #[serde(deserialize_with = "whole::<_, _, 1, 100>")]
    pub messaging_max_drafts: u64,
    /// MiB of attachment drafts a member may keep.
    #[serde(deserialize_with = "whole::<_, _, 1, 1024>")]
    pub messaging_max_draft_mib: u64,
    /// Files (images, PDFs) checked and rewritten at once on a node.
    #[serde(deserialize_with = "whole::<_, _, 1, 16>")]
    pub file_workers: usize,
    /// Keys that sign and verify attestations; `None`: derived from the secret key.
    #[serde(with = "setting")]
    pub attestation_signing_keys: Option<SigningKeys>,
    /// The fund's account for members' transfers; with the BIC, shows « payer par virement ».
    #[serde(with = "setting")]
    pub payment_account_iban: Option<caisse_domain::Iban>,
    /// Its bank's BIC.
    #[serde(with = "setting")]
    pub payment_account_bic: Option<caisse_domain::Bic>,
    /// Its holder; `None`: the brand name.
    #[serde(with = "setting")]
    pub payment_account_holder: Option<String>,
    /// The card payment provider's payment page; `None`: no card payments.
    #[serde(with = "setting")]
    pub payment_provider_url: Option<PageUrl>,
    /// The fund's merchant id at the provider.
    #[serde(with = "setting")]
    pub payment_provider_merchant_id: Option<String>,
    /// The secret shared with the provider.
    #[serde(with = "setting")]
    pub payment_provider_secret: Option<PaymentSecret>,
    /// The fund's video service; `None`: no video appointments.
    #[serde(with = "setting")]
    pub video_url: Option<PageUrl>,
    /// The fund whose FAQ visitors read; `None`: the shipped FAQ.
    #[serde(with = "setting")]
    pub help_fund: Option<caisse_domain::CaisseCode>,
    /// FranceConnect's issuer; with the client id and secret, shows the button.
    #[serde(with = "setting")]
    pub franceconnect_issuer: Option<PageUrl>,
    /// The fund's client id at FranceConnect.
    #[serde(with = "setting")]
    pub franceconnect_client_id: Option<String>,
    /// Its secret.
    #[serde(with = "setting")]
    pub franceconnect_client_secret: Option<ClientSecret>,
    /// FranceConnect v2 signs the userinfo: refuse an unsigned one.
    #[serde(deserialize_with = "setting::deserialize")]
    pub franceconnect_signed_userinfo: bool,
    /// The eIDAS level asked for and required.
    #[serde(with = "setting")]
    pub franceconnect_acr: String,
    /// The fund's staff identity provider; with the client, the fund and the roles, replaces
    /// password + TOTP.
    #[serde(with = "setting")]
    pub staff_oidc_issuer: Option<PageUrl>,
    /// The fund's client id at it.
    #[serde(with = "setting")]
    pub staff_oidc_client_id: Option<String>,
    /// Its secret.
    #[serde(with = "setting")]
    pub staff_oidc_client_secret: Option<ClientSecret>,
    /// The claim that names the staff member.
    #[serde(with = "setting")]
    pub staff_oidc_login_claim: String,
    /// The claim that lists the groups.
    #[serde(with = "setting")]
    pub staff_oidc_groups_claim: String,
    /// Which group gives which role.
    #[serde(with = "setting")]
    pub staff_oidc_roles: GroupMap<caisse_domain::StaffRole>,
    /// Which group puts the person in which team.
    #[serde(with = "setting")]
    pub staff_oidc_teams: GroupMap<caisse_domain::messaging::TeamCode>,
    /// The fund the provider is for.
    #[serde(with = "setting")]
    pub staff_oidc_fund: Option<caisse_domain::CaisseCode>,
    /// Unknown staff are created at their first login.
    #[serde(deserialize_with = "setting::deserialize")]
    pub staff_oidc_create_staff: bool,
    /// Logins that keep password + TOTP.
    #[serde(with = "setting")]
    pub staff_oidc_break_glass: Logins,
}

impl Default for Settings {
    fn default() -> Self {
        let brand = caisse_web::Brand::default();
        let argon2 = caisse_core::passwords::HashParams::default();
        let lockout = caisse_domain::LockoutPolicy::default();
        let quotas = caisse_core::messaging::MessagingQuotas::default();
        let services = caisse_core::ServiceSettings::default();
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            files_dir: None,
            demarches_dir: None,
            database_url: None,
            database_max_connections: 10,
            database_replica_url: None,
            redis_url: None,
            audit_retention_months: caisse_core::log_retention::LogRetention::default()
                .audit_months,
            outbox_retention_months: caisse_core::log_retention::LogRetention::default()
                .outbox_months,
            smtp_url: None,
            mail_from: MailFrom::default(),
            mail_dir: None,
            base_url: None,
            log_format: LogFormat::Text,
            secret_key: None,
            trust_forwarded_for: false,
            brand_name: brand.name,
            brand_logo_url: brand.logo_url,
            brand_phone: brand.phone,
            brand_phone_note: Some(brand.phone_note),
            brand_primary_color: brand.primary_color,
            brand_primary_contrast_color: brand.primary_contrast_color,
            brand_accent_color: brand.accent_color,
            argon2_memory_kib: argon2.memory_kib,
            argon2_iterations: argon2.iterations,
            argon2_parallelism: argon2.parallelism,
            outbox_poll_interval_ms: 2000,
            outbox_lease_seconds: 300,
            claims_batch_size: 5000,
            claims_liquidators: 2,
            claims_poll_interval_ms: 5000,
            claims_debt_notice_days: caisse_core::claims::worker::DEBT_NOTICE_DAYS,
            claims_correction_approval_euros:
                caisse_core::claims::staff_payments::APPROVAL_ABOVE_CENTS / 100,
            outbox_max_attempts: 10,
            new_device_confirmation: None,
            lockout_threshold: lockout.threshold,
            lockout_schedule: LockoutSchedule(lockout.schedule),
            lockout_forget_after_days: lockout.forget_locks_after.whole_days(),
            rate_limit_requests_per_second: 50,
            rate_limit_burst: 200,
            rate_limit_logins_per_minute: 20,
            rate_limit_node_logins_per_second: 100,
            password_min_length: services.password_policy.min_length,
            bank_change_cool_off_hours: services.bank_change_cool_off.whole_hours(),
            sms_codes_per_hour: services.sms_codes_per_hour,
            sms_codes_per_day: services.sms_codes_per_day,
            messaging_sends_per_day: quotas.sends_per_day,
            messaging_max_drafts: quotas.max_drafts,
            messaging_max_draft_mib: quotas.max_draft_bytes / MIB,
            file_workers: services.file_workers,
            attestation_signing_keys: None,
            payment_account_iban: None,
            payment_account_bic: None,
            payment_account_holder: None,
            payment_provider_url: None,
            video_url: None,
            help_fund: None,
            franceconnect_issuer: None,
            franceconnect_client_id: None,
            franceconnect_client_secret: None,
            franceconnect_signed_userinfo: true,
            franceconnect_acr: "eidas1".to_owned(),
            staff_oidc_issuer: None,
            staff_oidc_client_id: None,
            staff_oidc_client_secret: None,
            staff_oidc_login_claim: "preferred_username".to_owned(),
            staff_oidc_groups_claim: "groups".to_owned(),
            staff_oidc_roles: GroupMap::default(),
            staff_oidc_teams: GroupMap::default(),
            staff_oidc_fund: None,
            staff_oidc_create_staff: false,
            staff_oidc_break_glass: Logins::default(),
            payment_provider_merchant_id: None,
            payment_provider_secret: None,
        }
    }
}

const MIB: u64 = 1024 * 1024;

/// The environment variable of a key.
pub fn env_name(key: &str) -> String {
    if key == "database_url" {
        "DATABASE_URL".to_owned()
    } else {
        format!("CAISSE_{}", key.to_uppercase())
    }
}

/// Every key, in the order of [`Settings`].
///
/// # Errors
/// Only if the settings stopped serializing to a table (a defect).
pub fn keys() -> Result<Vec<String>, SettingsError> {
    Ok(table_of(&Settings::default())?
        .into_iter()
        .map(|(key, _)| key)
        .collect())
}

/// The settings as a TOML table, secrets masked: one entry per key, in field order.
fn table_of(settings: &Settings) -> Result<toml::Table, SettingsError> {
    toml::Table::try_from(settings).map_err(|e| SettingsError::Unreadable {
        reason: e.to_string(),
    })
}

/// One layer of values (the file's, or the environment's), each carrying its origin.
#[derive(Clone)]
struct Layer(Map<String, Value>);

impl std::fmt::Debug for Layer {
    /// The keys only: values may be secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Source for Layer {
    fn clone_into_box(&self) -> Box<dyn Source + Send + Sync> {
        Box::new(self.clone())
    }

    fn collect(&self) -> Result<Map<String, Value>, ConfigError> {
        Ok(self.0.clone())
    }
}

impl Layer {
    /// The keys of a TOML file, tables flattened (`[brand] name` is `brand_name`); an unknown
    /// key is refused.
    fn file(path: &Path, known: &[String]) -> Result<Layer, SettingsError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| SettingsError::File {
            file: name.clone(),
            reason: e.to_string(),
        })?;
        let table = config::File::from_str(&text, FileFormat::Toml)
            .collect()
            .map_err(|e| SettingsError::File {
                file: name.clone(),
                reason: toml_reason(&e, &text),
            })?;
        let mut values = Map::new();
        flatten("", table, &name, &mut values);
        let mut found: Vec<&String> = values.keys().collect();
        found.sort();
        if let Some(unknown) = found.into_iter().find(|key| !known.contains(key)) {
            return Err(SettingsError::UnknownKey {
                key: unknown.clone(),
                file: name,
                known: known.join(", "),
            });
        }
        Ok(Layer(values))
    }

    /// The environment variables of the known keys.
    fn environment(known: &[String], env: &dyn Fn(&str) -> Option<String>) -> Layer {
        let origin = ENVIRONMENT.to_owned();
        Layer(
            known
                .iter()
                .filter_map(|key| {
                    env(&env_name(key)).map(|value| (key.clone(), Value::new(Some(&origin), value)))
                })
                .collect(),
        )
    }
}

fn flatten(prefix: &str, table: Map<String, Value>, origin: &String, out: &mut Map<String, Value>) {
    for (key, value) in table {
        let key = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}_{key}")
        };
        match value.kind {
            ValueKind::Table(inner) => flatten(&key, inner, origin, out),
            kind => {
                out.insert(key, Value::new(Some(origin), kind));
            }
        }
    }
}

/// Why a file is not TOML, in one line: the parser's message and the line number, never the
/// text of the line (it may hold a secret).
fn toml_reason(error: &ConfigError, text: &str) -> String {
    let ConfigError::FileParse { cause, .. } = error else {
        return error.to_string();
    };
    match cause.downcast_ref::<toml::de::Error>() {
        Some(parse) => {
            let line = parse
                .span()
                .and_then(|span| text.get(..span.start))
                .map_or(0, |before| before.matches('\n').count() + 1);
            format!("{} (line {line})", parse.message().trim_end())
        }
        None => "not a TOML file".to_owned(),
    }
}

/// The settings and where each value came from.
#[derive(Debug)]
pub struct Loaded {
    /// The settings.
    pub settings: Settings,
    /// The origin of each key set by the file or the environment; the others are defaults.
    origins: HashMap<String, String>,
}

impl Loaded {
    /// Loads the configuration from an optional file and an environment.
    ///
    /// # Errors
    /// The first bad value, as a one-line [`SettingsError`].
    pub fn read(
        file: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Loaded, SettingsError> {
        let known = keys()?;
        let mut builder = Config::builder();
        if let Some(path) = file {
            builder = builder.add_source(Layer::file(path, &known)?);
        }
        let layered = builder
            .add_source(Layer::environment(&known, env))
            .build()
            .map_err(|e| SettingsError::Unreadable {
                reason: e.to_string(),
            })?;
        let origins: HashMap<String, String> = layered
            .collect()
            .map_err(|e| SettingsError::Unreadable {
                reason: e.to_string(),
            })?
            .into_iter()
            .filter_map(|(key, value)| value.origin().map(|o| (key, o.to_owned())))
            .collect();
        let settings = layered
            .try_deserialize::<Settings>()
            .map_err(|error| refusal(error, &origins))?;
        if let Some(key) = settings.missing_payment_key() {
            let source_name = ["payment_account_iban", "payment_provider_url"]
                .iter()
                .find_map(|k| origins.get(*k).cloned())
                .unwrap_or_else(|| "default".to_owned());
            return Err(SettingsError::Invalid {
                key: if source_name == ENVIRONMENT {
                    env_name(key)
                } else {
                    key.to_owned()
                },
                source_name,
                expected: expected(key),
                shown: "nothing".to_owned(),
            });
        }
        Ok(Loaded { settings, origins })
    }

    /// Where a key's value came from: `default`, `environment (CAISSE_…)` or the file.
    fn origin(&self, key: &str) -> String {
        match self.origins.get(key).map(String::as_str) {
            None => "default".to_owned(),
            Some(ENVIRONMENT) => format!("{ENVIRONMENT} ({})", env_name(key)),
            Some(file) => file.to_owned(),
        }
    }

    /// `caisse config check`: every key with its effective value, secrets masked, and where
    /// it came from, as a TOML document.
    ///
    /// # Errors
    /// Only if the settings stopped serializing to a table (a defect).
    pub fn report(&self) -> Result<String, SettingsError> {
        let lines: Vec<(String, String)> = table_of(&self.settings)?
            .into_iter()
            .map(|(key, value)| {
                let origin = self.origin(&key);
                (format!("{key} = {value}"), origin)
            })
            .collect();
        let width = lines
            .iter()
            .map(|(line, _)| line.chars().count())
            .max()
            .unwrap_or(0);
        let mut out = String::from(
            "# Effective configuration: defaults, then the file, then the environment.\n\
             # Secret values are masked; an empty value is unset.\n",
        );
        for (line, origin) in lines {
            let pad = width - line.chars().count();
            let _ = writeln!(out, "{line}{:pad$}  # {origin}", "");
        }
        Ok(out)
    }
}

/// The one-line error of a value serde refused: the key as the operator wrote it, where it came
/// from, the expected form, and what the value's type let show of it.
fn refusal(error: ConfigError, origins: &HashMap<String, String>) -> SettingsError {
    let (key, shown) = match error {
        ConfigError::At {
            error,
            key: Some(key),
            ..
        } => match *error {
            ConfigError::Message(shown) => (key, shown),
            _ => (key, "an unreadable value".to_owned()),
        },
        ConfigError::Type { key: Some(key), .. } => (key, "an unreadable value".to_owned()),
        _ => {
            return SettingsError::Unreadable {
                reason: "a value names no key".to_owned(),
            };
        }
    };
    let source_name = origins
        .get(&key)
        .cloned()
        .unwrap_or_else(|| "default".to_owned());
    SettingsError::Invalid {
        key: if source_name == ENVIRONMENT {
            env_name(&key)
        } else {
            key.clone()
        },
        source_name,
        expected: expected(&key),
        shown,
    }
}

impl Settings {
    /// Loads the configuration from an optional file and an environment (the binary uses
    /// [`Loaded::read`], which also keeps the origins).
    ///
    /// # Errors
    /// The first bad value, as a one-line [`SettingsError`].
    #[cfg(test)]
    pub fn load(
        file: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, SettingsError> {
        Loaded::read(file, env).map(|loaded| loaded.settings)
    }

    /// The database URL: the configured one, or a SQLite file in the data directory.
    pub fn effective_database_url(&self, default_file: &str) -> DatabaseUrl {
        self.database_url
            .clone()
            .unwrap_or_else(|| DatabaseUrl::sqlite(&self.data_dir.join(default_file)))
    }

    /// The directory of attachments: the configured one, or `files` in the data directory.
    pub fn effective_files_dir(&self) -> PathBuf {
        self.files_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("files"))
    }

    /// The directory of the development transport (no SMTP relay): the configured one or
    /// `DATA_DIR/courriels`.
    pub fn effective_mail_dir(&self) -> PathBuf {
        self.mail_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("courriels"))
    }

    /// The public base URL: the configured one, or the listen address.
    pub fn effective_base_url(&self) -> String {
        self.base_url.as_ref().map_or_else(
            || format!("http://{}", self.listen),
            |u| u.as_str().to_owned(),
        )
    }

    /// The fund's branding.
    pub fn brand(&self) -> caisse_web::Brand {
        caisse_web::Brand {
            name: self.brand_name.clone(),
            logo_url: self.brand_logo_url.clone(),
            phone: self.brand_phone.clone(),
            phone_note: self.brand_phone_note.clone().unwrap_or_default(),
            primary_color: self.brand_primary_color.clone(),
            primary_contrast_color: self.brand_primary_contrast_color.clone(),
            accent_color: self.brand_accent_color.clone(),
        }
    }

    /// The cost of password hashing.
    pub fn argon2(&self) -> caisse_core::passwords::HashParams {
        caisse_core::passwords::HashParams {
            memory_kib: self.argon2_memory_kib,
            iterations: self.argon2_iterations,
            parallelism: self.argon2_parallelism,
        }
    }

    /// The outbox worker's pause once caught up.
    pub fn outbox_poll_interval(&self) -> Duration {
        Duration::from_millis(self.outbox_poll_interval_ms)
    }

    /// How the claims worker paces itself.
    pub fn claims_worker(&self) -> caisse_core::claims::worker::ClaimsWorkerSettings {
        caisse_core::claims::worker::ClaimsWorkerSettings {
            batch: self.claims_batch_size,
            liquidators: self.claims_liquidators,
            poll_interval: Duration::from_millis(self.claims_poll_interval_ms),
            debt_notice_after: time::Duration::days(self.claims_debt_notice_days),
        }
    }

    /// How long a claimed message is reserved.
    pub fn outbox_lease(&self) -> time::Duration {
        time::Duration::seconds(self.outbox_lease_seconds)
    }

    /// The lockout rules.
    pub fn lockout(&self) -> caisse_domain::LockoutPolicy {
        caisse_domain::LockoutPolicy {
            threshold: self.lockout_threshold,
            schedule: self.lockout_schedule.0.clone(),
            forget_locks_after: time::Duration::days(self.lockout_forget_after_days),
        }
    }

    /// How long new bank details wait before they apply.
    pub fn bank_change_cool_off(&self) -> time::Duration {
        time::Duration::hours(self.bank_change_cool_off_hours)
    }

    /// A key that must be set with the others of its group: the BIC with the IBAN, the
    /// merchant id and the secret with the provider's URL (and the other way round).
    fn missing_payment_key(&self) -> Option<&'static str> {
        let account = [
            ("payment_account_iban", self.payment_account_iban.is_some()),
            ("payment_account_bic", self.payment_account_bic.is_some()),
        ];
        let provider = [
            ("payment_provider_url", self.payment_provider_url.is_some()),
            (
                "payment_provider_merchant_id",
                self.payment_provider_merchant_id.is_some(),
            ),
            (
                "payment_provider_secret",
                self.payment_provider_secret.is_some(),
            ),
        ];
        [&account[..], &provider[..]].into_iter().find_map(|group| {
            let any = group.iter().any(|(_, set)| *set);
            group
                .iter()
                .find(|(_, set)| any && !*set)
                .map(|(key, _)| *key)
        })
    }

    /// How corrections of paid lines are approved.
    pub fn correction_settings(&self) -> caisse_core::claims::staff_payments::CorrectionSettings {
        caisse_core::claims::staff_payments::CorrectionSettings {
            approval_above: caisse_domain::AmountCents::new(
                self.claims_correction_approval_euros.saturating_mul(100),
            ),
        }
    }

    /// How long the audit log and the sent mail are kept.
    pub fn log_retention(&self) -> caisse_core::log_retention::LogRetention {
        caisse_core::log_retention::LogRetention {
            audit_months: self.audit_retention_months,
            outbox_months: self.outbox_retention_months,
        }
    }

    /// How members pay their debts: the fund's account, when configured.
    pub fn debt_settings(&self) -> caisse_core::debts::DebtSettings {
        let account = match (&self.payment_account_iban, &self.payment_account_bic) {
            (Some(iban), Some(bic)) => Some(caisse_core::debts::FundAccount {
                iban: iban.clone(),
                bic: bic.clone(),
                holder: self
                    .payment_account_holder
                    .clone()
                    .unwrap_or_else(|| self.brand_name.clone()),
            }),
            _ => None,
        };
        caisse_core::debts::DebtSettings {
            account,
            notice_after: time::Duration::days(self.claims_debt_notice_days),
        }
    }

    /// The card payment provider, when configured; the member comes back to `base_url`.
    pub fn payment_provider(&self) -> Option<caisse_core::debts::SignedRedirectProvider> {
        match (
            &self.payment_provider_url,
            &self.payment_provider_merchant_id,
            &self.payment_provider_secret,
        ) {
            (Some(url), Some(merchant_id), Some(secret)) => {
                Some(caisse_core::debts::SignedRedirectProvider {
                    url: url.as_str().to_owned(),
                    merchant_id: merchant_id.clone(),
                    return_url: format!(
                        "{}{}",
                        self.effective_base_url(),
                        caisse_core::debts::RETURN_PATH
                    ),
                    secret: caisse_core::debts::ProviderSecret::new(
                        secret.expose().as_bytes().to_vec(),
                    ),
                })
            }
            _ => None,
        }
    }

    /// FranceConnect, when its issuer, client id and secret are all set.
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn franceconnect(
        &self,
    ) -> Result<Option<caisse_core::oidc::OidcProvider>, caisse_core::oidc::OidcError> {
        let (Some(issuer), Some(client_id), Some(secret)) = (
            &self.franceconnect_issuer,
            &self.franceconnect_client_id,
            &self.franceconnect_client_secret,
        ) else {
            return Ok(None);
        };
        caisse_core::oidc::OidcProvider::new(caisse_core::oidc::franceconnect::settings(
            issuer.as_str(),
            client_id,
            secret.expose(),
            &self.effective_base_url(),
            &self.franceconnect_acr,
            self.franceconnect_signed_userinfo,
        ))
        .map(Some)
    }

    /// The fund's staff identity provider and its rules, when its issuer, client id and secret,
    /// fund and at least one role are set.
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn staff_idp(
        &self,
    ) -> Result<
        Option<(
            caisse_core::oidc::OidcProvider,
            caisse_core::oidc::staff_idp::StaffIdpRules,
        )>,
        caisse_core::oidc::OidcError,
    > {
        let (Some(issuer), Some(client_id), Some(secret), Some(fund)) = (
            &self.staff_oidc_issuer,
            &self.staff_oidc_client_id,
            &self.staff_oidc_client_secret,
            self.staff_oidc_fund,
        ) else {
            return Ok(None);
        };
        if self.staff_oidc_roles.0.is_empty() {
            return Ok(None);
        }
        let provider =
            caisse_core::oidc::OidcProvider::new(caisse_core::oidc::staff_idp::settings(
                issuer.as_str(),
                client_id,
                secret.expose(),
                &self.effective_base_url(),
            ))?;
        Ok(Some((
            provider,
            caisse_core::oidc::staff_idp::StaffIdpRules {
                login_claim: self.staff_oidc_login_claim.clone(),
                groups_claim: self.staff_oidc_groups_claim.clone(),
                roles: self.staff_oidc_roles.0.clone(),
                teams: self.staff_oidc_teams.0.clone(),
                fund,
                create_staff: self.staff_oidc_create_staff,
                break_glass: self.staff_oidc_break_glass.0.clone(),
            },
        )))
    }

    /// What one member may send a day and keep as attachment drafts.
    pub fn messaging_quotas(&self) -> caisse_core::messaging::MessagingQuotas {
        caisse_core::messaging::MessagingQuotas {
            sends_per_day: self.messaging_sends_per_day,
            max_drafts: self.messaging_max_drafts,
            max_draft_bytes: self.messaging_max_draft_mib * MIB,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    /// A TOML file with this text in a directory of its own; removed by [`TempFile`]'s drop.
    struct TempFile(PathBuf);

    impl TempFile {
        fn new(text: &str) -> TempFile {
            let dir =
                std::env::temp_dir().join(format!("caisse-settings-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join("caisse.toml");
            std::fs::write(&file, text).unwrap();
            TempFile(file)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            if let Some(dir) = self.0.parent() {
                std::fs::remove_dir_all(dir).ok();
            }
        }
    }

    fn refusal_of(file: Option<&Path>, env: &'static [(&'static str, &'static str)]) -> String {
        Settings::load(file, &env_of(env)).unwrap_err().to_string()
    }

    #[test]
    fn payment_settings_come_in_groups_and_the_secret_never_shows() {
        const PROVIDER: &[(&str, &str)] = &[
            (
                "CAISSE_PAYMENT_PROVIDER_URL",
                "https://paiement.example.fr/payer",
            ),
            ("CAISSE_PAYMENT_PROVIDER_MERCHANT_ID", "CPAM781"),
            (
                "CAISSE_PAYMENT_PROVIDER_SECRET",
                "a-shared-s3cret-of-the-fund",
            ),
            (
                "CAISSE_PAYMENT_ACCOUNT_IBAN",
                "FR76 1751 5900 0008 7654 3210 957",
            ),
            ("CAISSE_PAYMENT_ACCOUNT_BIC", "BDFEFRPP"),
        ];
        let loaded = Loaded::read(None, &env_of(PROVIDER)).unwrap();
        let provider = loaded.settings.payment_provider().unwrap();
        assert_eq!(
            provider.return_url,
            "http://127.0.0.1:8080/paiements/sommes-a-payer/retour"
        );
        let account = loaded.settings.debt_settings().account.unwrap();
        assert_eq!(account.holder, Settings::default().brand_name);
        let report = loaded.report().unwrap();
        assert!(!report.contains("s3cret"), "{report}");
        assert!(!format!("{:?} {provider:?}", loaded.settings).contains("s3cret"));

        let e = refusal_of(None, &PROVIDER[..2]);
        assert!(
            e.starts_with("invalid CAISSE_PAYMENT_PROVIDER_SECRET"),
            "{e}"
        );
        let e = refusal_of(None, &PROVIDER[3..4]);
        assert!(e.starts_with("invalid CAISSE_PAYMENT_ACCOUNT_BIC"), "{e}");
        let e = refusal_of(None, &[("CAISSE_PAYMENT_PROVIDER_SECRET", "short")]);
        assert!(!e.contains("short"), "{e}");
        assert!(
            Settings::load(None, &env_of(&[]))
                .unwrap()
                .payment_provider()
                .is_none()
        );
    }

    #[test]
    fn defaults_need_nothing() {
        let s = Settings::load(None, &env_of(&[])).unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.data_dir, PathBuf::from("./data"));
        assert!(s.database_url.is_none() && s.smtp_url.is_none());
        assert_eq!(s.effective_files_dir(), PathBuf::from("./data/files"));
        let s = Settings::load(None, &env_of(&[("CAISSE_FILES_DIR", "/srv/caisse/pj")])).unwrap();
        assert_eq!(s.effective_files_dir(), PathBuf::from("/srv/caisse/pj"));
        assert_eq!(s.log_format, LogFormat::Text);
        assert_eq!(
            s.effective_database_url("caisse.sqlite").expose(),
            "sqlite://./data/caisse.sqlite?mode=rwc"
        );
        assert_eq!(s.argon2(), caisse_core::passwords::HashParams::default());
        assert_eq!(s.lockout(), caisse_domain::LockoutPolicy::default());
        assert_eq!(
            s.brand().phone_note,
            caisse_web::Brand::default().phone_note
        );
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let file = TempFile::new(
            "listen = \"0.0.0.0:9000\"\nlog_format = \"json\"\n[brand]\nname = \"CPAM de Paris\"\n",
        );
        let s = Settings::load(
            Some(&file.0),
            &env_of(&[("CAISSE_LISTEN", "127.0.0.1:7000")]),
        )
        .unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:7000");
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.brand().name, "CPAM de Paris");
    }

    #[test]
    fn the_file_takes_numbers_and_booleans_as_toml_writes_them_or_as_strings() {
        let file = TempFile::new(
            "database_max_connections = 20\ntrust_forwarded_for = true\n\
             [argon2]\nmemory_kib = \"4096\"\n[rate_limit]\nburst = 300\n",
        );
        let s = Settings::load(Some(&file.0), &env_of(&[])).unwrap();
        assert_eq!(s.database_max_connections, 20);
        assert!(s.trust_forwarded_for);
        assert_eq!(s.argon2_memory_kib, 4096);
        assert_eq!(s.rate_limit_burst, 300);
        let path = file.0.display().to_string();
        let file = TempFile::new("database_max_connections = 0\n");
        let e = refusal_of(Some(&file.0), &[]);
        assert_eq!(
            e,
            format!(
                "invalid database_max_connections ({}): expected a whole number from 1 to 1000, got \"0\"",
                file.0.display()
            )
        );
        assert_ne!(path, file.0.display().to_string());
    }

    #[test]
    fn a_bad_value_names_the_key_its_source_and_the_expected_form() {
        assert_eq!(
            refusal_of(None, &[("CAISSE_LISTEN", "localhost")]),
            "invalid CAISSE_LISTEN (environment): expected an address:port such as 127.0.0.1:8080, got \"localhost\""
        );
        let e = refusal_of(None, &[("DATABASE_URL", "mysql://x")]);
        assert!(
            e.starts_with("invalid DATABASE_URL (environment): expected sqlite://"),
            "{e}"
        );
        let e = refusal_of(None, &[("CAISSE_LOG_FORMAT", "xml")]);
        assert!(e.contains("expected text or json"), "{e}");
        let e = refusal_of(None, &[("CAISSE_SMTP_URL", "http://x")]);
        assert!(e.contains("(hidden)"), "secrets are not echoed: {e}");
        assert_eq!(
            refusal_of(None, &[("CAISSE_ARGON2_ITERATIONS", " 101 ")]),
            "invalid CAISSE_ARGON2_ITERATIONS (environment): expected a whole number from 1 to 100, got \" 101 \""
        );
        assert_eq!(
            refusal_of(None, &[("CAISSE_TRUST_FORWARDED_FOR", "oui")]),
            "invalid CAISSE_TRUST_FORWARDED_FOR (environment): expected true or false, got \"oui\""
        );
    }

    #[test]
    fn an_empty_value_unsets_an_optional_key_and_is_refused_for_a_required_one() {
        let s = Settings::load(
            None,
            &env_of(&[
                ("CAISSE_SMTP_URL", ""),
                ("CAISSE_BASE_URL", " "),
                ("CAISSE_BRAND_PHONE_NOTE", ""),
            ]),
        )
        .unwrap();
        assert!(s.smtp_url.is_none() && s.base_url.is_none());
        assert_eq!(s.brand().phone_note, "");
        assert_eq!(
            refusal_of(None, &[("CAISSE_BRAND_NAME", "")]),
            "invalid CAISSE_BRAND_NAME (environment): expected the fund's name, got \"\""
        );
        let s = Settings::load(
            None,
            &env_of(&[("CAISSE_BASE_URL", "https://portail.example.fr/")]),
        )
        .unwrap();
        assert_eq!(s.effective_base_url(), "https://portail.example.fr");
    }

    #[test]
    fn no_refused_secret_is_echoed_whatever_its_key() {
        for (env, secret) in [
            (
                &[("DATABASE_URL", "mysql://caisse:db-pa55w0rd@db")][..],
                "db-pa55w0rd",
            ),
            (
                &[("CAISSE_SMTP_URL", "http://relay:smtp-pa55w0rd@mail")][..],
                "smtp-pa55w0rd",
            ),
            (
                &[("CAISSE_SECRET_KEY", "too-short-s3cret")][..],
                "too-short-s3cret",
            ),
            (
                &[("CAISSE_ATTESTATION_SIGNING_KEYS", "2026-a:TOOSHORT")][..],
                "TOOSHORT",
            ),
        ] {
            let e = Settings::load(None, &env_of(env)).unwrap_err().to_string();
            assert!(e.ends_with("got \"(hidden)\""), "{e}");
            assert!(!e.contains(secret), "{e}");
        }
    }

    #[test]
    fn messaging_quotas_and_file_workers_are_configurable() {
        let defaults = Settings::load(None, &env_of(&[])).unwrap();
        assert_eq!(
            defaults.messaging_quotas(),
            caisse_core::messaging::MessagingQuotas::default()
        );
        assert_eq!(defaults.file_workers, 2);
        let s = Settings::load(
            None,
            &env_of(&[
                ("CAISSE_MESSAGING_SENDS_PER_DAY", "5"),
                ("CAISSE_MESSAGING_MAX_DRAFTS", "4"),
                ("CAISSE_MESSAGING_MAX_DRAFT_MIB", "12"),
                ("CAISSE_FILE_WORKERS", "1"),
            ]),
        )
        .unwrap();
        let quotas = s.messaging_quotas();
        assert_eq!(quotas.sends_per_day, 5);
        assert_eq!(quotas.max_drafts, 4);
        assert_eq!(quotas.max_draft_bytes, 12 * 1024 * 1024);
        assert_eq!(s.file_workers, 1);
        assert!(Settings::load(None, &env_of(&[("CAISSE_FILE_WORKERS", "0")])).is_err());
    }

    #[test]
    fn the_lockout_schedule_is_configurable() {
        let s =
            Settings::load(None, &env_of(&[("CAISSE_LOCKOUT_SCHEDULE", "30s, 2m,1d")])).unwrap();
        assert_eq!(
            s.lockout().schedule,
            vec![
                time::Duration::seconds(30),
                time::Duration::minutes(2),
                time::Duration::days(1)
            ]
        );
        let e = refusal_of(None, &[("CAISSE_LOCKOUT_SCHEDULE", "15x")]);
        assert!(e.contains("CAISSE_LOCKOUT_SCHEDULE"), "{e}");
        // A multi-byte last character is refused, not a panic.
        let e = refusal_of(None, &[("CAISSE_LOCKOUT_SCHEDULE", "15é")]);
        assert!(e.contains("CAISSE_LOCKOUT_SCHEDULE"), "{e}");
    }

    #[test]
    fn attestation_keys_are_read_and_never_echoed() {
        let s = Settings::load(None, &env_of(&[])).unwrap();
        assert!(
            s.attestation_signing_keys.is_none(),
            "derived from the secret key"
        );
        let s = Settings::load(
            None,
            &env_of(&[(
                "CAISSE_ATTESTATION_SIGNING_KEYS",
                "2026-a:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
            )]),
        )
        .unwrap();
        assert_eq!(
            s.attestation_signing_keys.unwrap().0.signing_key_id(),
            "2026-a"
        );
        let e = refusal_of(
            None,
            &[("CAISSE_ATTESTATION_SIGNING_KEYS", "2026-a:TOOSHORT")],
        );
        assert!(
            e.starts_with("invalid CAISSE_ATTESTATION_SIGNING_KEYS"),
            "{e}"
        );
        assert!(!e.contains("TOOSHORT"), "{e}");
    }

    #[test]
    fn an_unknown_file_key_is_refused() {
        let file = TempFile::new("lisen = \"0.0.0.0:9000\"\n");
        let e = refusal_of(Some(&file.0), &[]);
        assert!(e.starts_with("unknown key lisen in"), "{e}");
        assert!(e.contains("known keys: listen, data_dir, files_dir"), "{e}");
        let file = TempFile::new("[brand]\nnom = \"CPAM\"\n");
        assert!(refusal_of(Some(&file.0), &[]).starts_with("unknown key brand_nom in"));
    }

    #[test]
    fn a_file_that_is_not_toml_is_refused_in_one_line_without_its_text() {
        let file = TempFile::new("listen = \"0.0.0.0:9000\"\nsecret_key = \"s3cret-unterminated\n");
        let e = refusal_of(Some(&file.0), &[]);
        assert!(
            e.starts_with(&format!(
                "cannot read configuration file {}: ",
                file.0.display()
            )),
            "{e}"
        );
        assert!(e.ends_with("(line 2)"), "{e}");
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(!e.contains("s3cret"), "{e}");
        let missing = refusal_of(Some(Path::new("/nonexistent/caisse.toml")), &[]);
        assert!(
            missing.starts_with("cannot read configuration file /nonexistent/caisse.toml: "),
            "{missing}"
        );
    }

    #[test]
    fn every_key_has_its_expected_form_and_a_row_in_the_readme() {
        let readme = include_str!("../../../README.md");
        let keys = keys().unwrap();
        assert_eq!(keys.len(), 75, "{keys:?}");
        for key in &keys {
            assert_ne!(expected(key), "a valid value", "{key} has no expected form");
            // The table abbreviates a row's further variables: `CAISSE_ARGON2_MEMORY_KIB`,
            // `…_ITERATIONS`.
            let name = env_name(key);
            let documented = readme.contains(&format!("`{name}`"))
                || name
                    .match_indices('_')
                    .skip(1)
                    .any(|(at, _)| readme.contains(&format!("`…{}`", &name[at..])));
            assert!(documented, "README.md documents {name}");
        }
    }

    #[test]
    fn the_report_lists_every_key_with_its_origin_and_masks_secrets() {
        let file = TempFile::new("[brand]\nname = \"CPAM de test\"\n");
        let loaded = Loaded::read(
            Some(&file.0),
            &env_of(&[
                (
                    "DATABASE_URL",
                    "postgres://caisse:db-pa55w0rd@db.example.fr/caisse",
                ),
                (
                    "CAISSE_SMTP_URL",
                    "smtps://relay:smtp-pa55w0rd@mail.example.fr",
                ),
                (
                    "CAISSE_SECRET_KEY",
                    "0123456789abcdef0123456789abcdef-s3rver",
                ),
            ]),
        )
        .unwrap();
        let report = loaded.report().unwrap();
        for secret in ["db-pa55w0rd", "smtp-pa55w0rd", "s3rver"] {
            assert!(!report.contains(secret), "{report}");
        }
        let line = |key: &str| {
            report
                .lines()
                .find(|l| l.starts_with(&format!("{key} = ")))
                .unwrap_or_else(|| panic!("{key} in {report}"))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(line("listen"), "listen = \"127.0.0.1:8080\" # default");
        assert_eq!(
            line("brand_name"),
            format!("brand_name = \"CPAM de test\" # {}", file.0.display())
        );
        assert_eq!(
            line("database_url"),
            "database_url = \"postgres://caisse:***@db.example.fr/caisse\" # environment (DATABASE_URL)"
        );
        assert_eq!(
            line("secret_key"),
            "secret_key = \"(hidden)\" # environment (CAISSE_SECRET_KEY)"
        );
        assert_eq!(
            line("database_max_connections"),
            "database_max_connections = 10 # default"
        );
        assert_eq!(line("files_dir"), "files_dir = \"\" # default");
        assert_eq!(
            line("trust_forwarded_for"),
            "trust_forwarded_for = false # default"
        );
        let keyed = report.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(keyed, keys().unwrap().len(), "{report}");
        // The report reads back as the same configuration (secrets aside).
        let echoed = TempFile::new(
            &report
                .lines()
                .filter(|l| {
                    !["secret_key", "database_url", "smtp_url"]
                        .iter()
                        .any(|k| l.starts_with(k))
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let again = Settings::load(Some(&echoed.0), &env_of(&[])).unwrap();
        assert_eq!(again.brand_name, "CPAM de test");
        assert_eq!(again.lockout(), loaded.settings.lockout());
    }
}
