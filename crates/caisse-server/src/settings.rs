//! Configuration: defaults, then a TOML file (`--config`), then environment variables, the
//! environment winning. Every value is parsed once at start-up; a bad one stops start-up with a
//! single line naming the key, where it came from, and the expected form.
//!
//! Keys are flat. In the file they are written in lower case (`listen = "…"`, or grouped in
//! tables: `[brand] name = "…"` is the key `brand_name`); in the environment they are upper
//! case with the `CAISSE_` prefix (`CAISSE_LISTEN`, `CAISSE_BRAND_NAME`), except `DATABASE_URL`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every key, with its default and the expected form (shown in errors and in the README).
pub const KEYS: &[(&str, &str, &str)] = &[
    (
        "listen",
        "127.0.0.1:8080",
        "an address:port such as 127.0.0.1:8080",
    ),
    ("data_dir", "./data", "a directory path"),
    (
        "files_dir",
        "",
        "a directory path (default: DATA_DIR/files)",
    ),
    (
        "database_url",
        "",
        "sqlite://PATH or postgres://USER@HOST:PORT/DB",
    ),
    (
        "database_max_connections",
        "10",
        "a whole number from 1 to 1000",
    ),
    (
        "smtp_url",
        "",
        "smtp://HOST:PORT, smtps://USER:PASSWORD@HOST or smtp://HOST?tls=required",
    ),
    (
        "mail_from",
        "Caisse <ne-pas-repondre@localhost>",
        "a mailbox such as Caisse <noreply@example.fr>",
    ),
    (
        "mail_dir",
        "",
        "a directory path (default: DATA_DIR/courriels; used only without SMTP_URL)",
    ),
    (
        "base_url",
        "",
        "an absolute http:// or https:// URL without trailing path",
    ),
    ("log_format", "text", "text or json"),
    (
        "secret_key",
        "",
        "at least 32 random characters (shared by every node)",
    ),
    ("trust_forwarded_for", "false", "true or false"),
    (
        "brand_name",
        "Caisse d'assurance maladie",
        "the fund's name",
    ),
    ("brand_logo_url", "", "a URL or path of the logo image"),
    ("brand_phone", "36 46", "the phone number shown to members"),
    (
        "brand_phone_note",
        "Service gratuit + prix d'un appel",
        "the price note of that number",
    ),
    ("brand_primary_color", "#1d4e89", "a CSS colour"),
    ("brand_primary_contrast_color", "#ffffff", "a CSS colour"),
    ("brand_accent_color", "#b3261e", "a CSS colour"),
    (
        "argon2_memory_kib",
        "19456",
        "a whole number of KiB from 8 to 4194304",
    ),
    ("argon2_iterations", "2", "a whole number from 1 to 100"),
    ("argon2_parallelism", "1", "a whole number from 1 to 16"),
    (
        "outbox_poll_interval_ms",
        "2000",
        "a whole number of milliseconds from 10 to 600000",
    ),
    (
        "outbox_lease_seconds",
        "300",
        "a whole number of seconds from 1 to 86400",
    ),
    ("outbox_max_attempts", "10", "a whole number from 1 to 100"),
    (
        "new_device_confirmation",
        "",
        "true or false (default: true for serve, false for demo)",
    ),
    (
        "lockout_threshold",
        "5",
        "a whole number of consecutive failures from 1 to 100",
    ),
    (
        "lockout_schedule",
        "15m,1h,4h,24h",
        "comma-separated durations such as 15m,1h,4h,24h (s, m, h or d)",
    ),
    (
        "lockout_forget_after_days",
        "7",
        "a whole number of days from 1 to 365",
    ),
    (
        "rate_limit_requests_per_second",
        "50",
        "a whole number from 1 to 100000",
    ),
    ("rate_limit_burst", "200", "a whole number from 1 to 100000"),
    (
        "rate_limit_logins_per_minute",
        "20",
        "a whole number from 1 to 100000",
    ),
    (
        "rate_limit_node_logins_per_second",
        "100",
        "a whole number from 1 to 100000",
    ),
    (
        "password_min_length",
        "12",
        "a whole number of characters from 8 to 64",
    ),
    (
        "bank_change_cool_off_hours",
        "72",
        "a whole number of hours from 0 to 720",
    ),
    ("sms_codes_per_hour", "3", "a whole number from 1 to 100"),
    ("sms_codes_per_day", "10", "a whole number from 1 to 1000"),
    (
        "messaging_sends_per_day",
        "20",
        "a whole number of messages a member may send a day, from 1 to 1000",
    ),
    (
        "messaging_max_drafts",
        "10",
        "a whole number of attachment drafts a member may keep, from 1 to 100",
    ),
    (
        "messaging_max_draft_mib",
        "50",
        "a whole number of MiB of attachment drafts a member may keep, from 1 to 1024",
    ),
    (
        "file_workers",
        "2",
        "a whole number of files (images, PDFs) checked at once on a node, from 1 to 16",
    ),
    (
        "attestation_signing_keys",
        "",
        "comma-separated id:SEED entries (32 bytes in base64url, `caisse admin attestation-key`), the signing key first; id:public:KEY for a retired key",
    ),
];

/// A configuration problem, worded for the one line printed at start-up.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A value does not parse.
    #[error("invalid {key} ({source_name}): expected {expected}, got {value:?}")]
    Invalid {
        /// The key as the operator wrote it.
        key: String,
        /// "environment" or the file path.
        source_name: String,
        /// Expected form.
        expected: &'static str,
        /// The value read.
        value: String,
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
        /// Why.
        reason: String,
    },
}

/// Log output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Parsed configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Where attachments are stored; `None`: `DATA_DIR/files`.
    pub files_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub database_max_connections: u32,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Where mails and SMS are written without an SMTP relay; `None`: `DATA_DIR/courriels`.
    pub mail_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub log_format: LogFormat,
    pub secret_key: Option<String>,
    pub trust_forwarded_for: bool,
    pub brand: caisse_web::Brand,
    pub argon2: caisse_core::passwords::HashParams,
    pub outbox_poll_interval: Duration,
    pub outbox_lease: time::Duration,
    pub outbox_max_attempts: u32,
    pub new_device_confirmation: Option<bool>,
    pub lockout: caisse_domain::LockoutPolicy,
    pub rate_limit_requests_per_second: u32,
    pub rate_limit_burst: u32,
    pub rate_limit_logins_per_minute: u32,
    /// How long new bank details wait before they apply.
    pub bank_change_cool_off: time::Duration,
    /// Codes a member may have sent to new mobile numbers per hour, and per day.
    pub sms_codes: (u64, u64),
    /// Fewest characters of a member's password.
    pub password_min_length: usize,
    /// Login attempts per second of the whole node.
    pub rate_limit_node_logins_per_second: u32,
    /// What one member may send a day and keep as attachment drafts.
    pub messaging_quotas: caisse_core::messaging::MessagingQuotas,
    /// Files (images, PDFs) checked and rewritten at once on a node.
    pub file_workers: usize,
    /// Keys that sign and verify attestations; `None`: derived from the secret key.
    pub attestation_keys: Option<std::sync::Arc<caisse_core::attestations::AttestationKeys>>,
}

struct Raw {
    values: BTreeMap<&'static str, (String, String)>,
}

impl Raw {
    fn get(&self, key: &'static str) -> (&str, &str) {
        self.values
            .get(key)
            .map_or(("", "default"), |(v, s)| (v.as_str(), s.as_str()))
    }

    fn invalid(&self, key: &'static str) -> SettingsError {
        let (value, source) = self.get(key);
        let expected = KEYS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("a valid value", |(_, _, e)| *e);
        let shown_key = if source == "environment" {
            env_name(key)
        } else {
            key.to_owned()
        };
        let value = if key.contains("secret") || key.contains("smtp") || key.contains("signing") {
            "(hidden)".to_owned()
        } else {
            value.to_owned()
        };
        SettingsError::Invalid {
            key: shown_key,
            source_name: source.to_owned(),
            expected,
            value,
        }
    }

    fn string(&self, key: &'static str) -> Option<String> {
        let (value, _) = self.get(key);
        (!value.trim().is_empty()).then(|| value.trim().to_owned())
    }

    fn number<T: std::str::FromStr + PartialOrd>(
        &self,
        key: &'static str,
        min: T,
        max: T,
    ) -> Result<T, SettingsError> {
        let (value, _) = self.get(key);
        match value.trim().parse::<T>() {
            Ok(n) if n >= min && n <= max => Ok(n),
            _ => Err(self.invalid(key)),
        }
    }

    fn boolean(&self, key: &'static str) -> Result<bool, SettingsError> {
        match self.get(key).0.trim() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(self.invalid(key)),
        }
    }
}

/// The environment variable of a key.
pub fn env_name(key: &str) -> String {
    if key == "database_url" {
        "DATABASE_URL".to_owned()
    } else {
        format!("CAISSE_{}", key.to_uppercase())
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<(String, String)>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}_{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => out.push((key, s.clone())),
            other => out.push((key, other.to_string())),
        }
    }
}

impl Settings {
    /// Loads the configuration from an optional file and an environment.
    ///
    /// # Errors
    /// The first bad value, as a one-line [`SettingsError`].
    pub fn load(
        file: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, SettingsError> {
        let mut values: BTreeMap<&'static str, (String, String)> = KEYS
            .iter()
            .map(|(k, d, _)| (*k, ((*d).to_owned(), "default".to_owned())))
            .collect();
        if let Some(path) = file {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| SettingsError::File {
                file: name.clone(),
                reason: e.to_string(),
            })?;
            let table: toml::Table = toml::from_str(&text).map_err(|e| SettingsError::File {
                file: name.clone(),
                reason: e.to_string(),
            })?;
            let mut flat = Vec::new();
            flatten("", &table, &mut flat);
            for (key, value) in flat {
                let Some((known, _, _)) = KEYS.iter().find(|(k, _, _)| *k == key) else {
                    return Err(SettingsError::UnknownKey {
                        key,
                        file: name.clone(),
                        known: KEYS
                            .iter()
                            .map(|(k, _, _)| *k)
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                };
                values.insert(known, (value, name.clone()));
            }
        }
        for (key, _, _) in KEYS {
            if let Some(value) = env(&env_name(key)) {
                values.insert(key, (value, "environment".to_owned()));
            }
        }
        let raw = Raw { values };

        let listen = raw
            .get("listen")
            .0
            .trim()
            .parse()
            .map_err(|_| raw.invalid("listen"))?;
        let data_dir = raw
            .string("data_dir")
            .map(PathBuf::from)
            .ok_or_else(|| raw.invalid("data_dir"))?;
        let database_url = raw.string("database_url");
        if let Some(url) = &database_url
            && caisse_store::Backend::from_url(url).is_none()
        {
            return Err(raw.invalid("database_url"));
        }
        let smtp_url = raw.string("smtp_url");
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(raw.invalid("smtp_url"));
        }
        let mail_from = raw
            .string("mail_from")
            .ok_or_else(|| raw.invalid("mail_from"))?;
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(raw.invalid("mail_from"));
        }
        let base_url = raw
            .string("base_url")
            .map(|u| u.trim_end_matches('/').to_owned());
        if let Some(url) = &base_url {
            let ok = (url.starts_with("http://") || url.starts_with("https://"))
                && !url.contains(char::is_whitespace)
                && url
                    .split("://")
                    .nth(1)
                    .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
            if !ok {
                return Err(raw.invalid("base_url"));
            }
        }
        let log_format = match raw.get("log_format").0.trim() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => return Err(raw.invalid("log_format")),
        };
        let secret_key = raw.string("secret_key");
        if secret_key.as_ref().is_some_and(|k| k.len() < 32) {
            return Err(raw.invalid("secret_key"));
        }
        let brand = caisse_web::Brand {
            name: raw
                .string("brand_name")
                .ok_or_else(|| raw.invalid("brand_name"))?,
            logo_url: raw.string("brand_logo_url"),
            phone: raw
                .string("brand_phone")
                .ok_or_else(|| raw.invalid("brand_phone"))?,
            phone_note: raw.string("brand_phone_note").unwrap_or_default(),
            primary_color: raw
                .string("brand_primary_color")
                .ok_or_else(|| raw.invalid("brand_primary_color"))?,
            primary_contrast_color: raw
                .string("brand_primary_contrast_color")
                .ok_or_else(|| raw.invalid("brand_primary_contrast_color"))?,
            accent_color: raw
                .string("brand_accent_color")
                .ok_or_else(|| raw.invalid("brand_accent_color"))?,
        };
        let attestation_keys = match raw.string("attestation_signing_keys") {
            Some(config) => Some(std::sync::Arc::new(
                caisse_core::attestations::AttestationKeys::parse(&config)
                    .map_err(|_| raw.invalid("attestation_signing_keys"))?,
            )),
            None => None,
        };
        Ok(Settings {
            attestation_keys,
            listen,
            data_dir,
            files_dir: raw.string("files_dir").map(PathBuf::from),
            database_url,
            database_max_connections: raw.number("database_max_connections", 1, 1000)?,
            smtp_url,
            mail_from,
            mail_dir: raw.string("mail_dir").map(PathBuf::from),
            base_url,
            log_format,
            secret_key,
            trust_forwarded_for: raw.boolean("trust_forwarded_for")?,
            brand,
            argon2: caisse_core::passwords::HashParams {
                memory_kib: raw.number("argon2_memory_kib", 8, 4_194_304)?,
                iterations: raw.number("argon2_iterations", 1, 100)?,
                parallelism: raw.number("argon2_parallelism", 1, 16)?,
            },
            outbox_poll_interval: Duration::from_millis(raw.number(
                "outbox_poll_interval_ms",
                10,
                600_000,
            )?),
            outbox_lease: time::Duration::seconds(raw.number("outbox_lease_seconds", 1, 86_400)?),
            outbox_max_attempts: raw.number("outbox_max_attempts", 1, 100)?,
            new_device_confirmation: match raw.get("new_device_confirmation").0.trim() {
                "" => None,
                _ => Some(raw.boolean("new_device_confirmation")?),
            },
            lockout: caisse_domain::LockoutPolicy {
                threshold: raw.number("lockout_threshold", 1, 100)?,
                schedule: parse_schedule(raw.get("lockout_schedule").0)
                    .ok_or_else(|| raw.invalid("lockout_schedule"))?,
                forget_locks_after: time::Duration::days(raw.number(
                    "lockout_forget_after_days",
                    1,
                    365,
                )?),
            },
            rate_limit_requests_per_second: raw.number(
                "rate_limit_requests_per_second",
                1,
                100_000,
            )?,
            rate_limit_burst: raw.number("rate_limit_burst", 1, 100_000)?,
            rate_limit_logins_per_minute: raw.number("rate_limit_logins_per_minute", 1, 100_000)?,
            password_min_length: raw.number("password_min_length", 8, 64)?,
            rate_limit_node_logins_per_second: raw.number(
                "rate_limit_node_logins_per_second",
                1,
                100_000,
            )?,
            bank_change_cool_off: time::Duration::hours(raw.number(
                "bank_change_cool_off_hours",
                0,
                720,
            )?),
            sms_codes: (
                raw.number("sms_codes_per_hour", 1, 100)?,
                raw.number("sms_codes_per_day", 1, 1000)?,
            ),
            messaging_quotas: caisse_core::messaging::MessagingQuotas {
                sends_per_day: raw.number("messaging_sends_per_day", 1, 1000)?,
                max_drafts: raw.number("messaging_max_drafts", 1, 100)?,
                max_draft_bytes: raw.number::<u64>("messaging_max_draft_mib", 1, 1024)?
                    * 1024
                    * 1024,
            },
            file_workers: raw.number("file_workers", 1, 16)?,
        })
    }

    /// The database URL: the configured one, or a SQLite file in the data directory.
    pub fn effective_database_url(&self, default_file: &str) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join(default_file).display()
            )
        })
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
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }
}

/// Parses "15m,1h,4h,24h" into durations; None when empty or malformed.
fn parse_schedule(value: &str) -> Option<Vec<time::Duration>> {
    let durations = value
        .split(',')
        .map(|part| {
            let part = part.trim();
            let split = part.len().checked_sub(1)?;
            let (number, unit) = part.split_at(split);
            let n: i64 = number.parse().ok().filter(|n| *n > 0)?;
            match unit {
                "s" => Some(time::Duration::seconds(n)),
                "m" => Some(time::Duration::minutes(n)),
                "h" => Some(time::Duration::hours(n)),
                "d" => Some(time::Duration::days(n)),
                _ => None,
            }
        })
        .collect::<Option<Vec<_>>>()?;
    (!durations.is_empty()).then_some(durations)
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
            s.effective_database_url("caisse.sqlite"),
            "sqlite://./data/caisse.sqlite?mode=rwc"
        );
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let dir = std::env::temp_dir().join(format!("caisse-settings-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("caisse.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\nlog_format = \"json\"\n[brand]\nname = \"CPAM de Paris\"\n",
        )
        .unwrap();
        let s =
            Settings::load(Some(&file), &env_of(&[("CAISSE_LISTEN", "127.0.0.1:7000")])).unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:7000");
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.brand.name, "CPAM de Paris");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn a_bad_value_names_the_key_its_source_and_the_expected_form() {
        let e = Settings::load(None, &env_of(&[("CAISSE_LISTEN", "localhost")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "invalid CAISSE_LISTEN (environment): expected an address:port such as 127.0.0.1:8080, got \"localhost\""
        );
        let e = Settings::load(None, &env_of(&[("DATABASE_URL", "mysql://x")]))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("invalid DATABASE_URL (environment): expected sqlite://"),
            "{e}"
        );
        let e = Settings::load(None, &env_of(&[("CAISSE_LOG_FORMAT", "xml")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected text or json"), "{e}");
        let e = Settings::load(None, &env_of(&[("CAISSE_SMTP_URL", "http://x")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("(hidden)"), "secrets are not echoed: {e}");
    }

    #[test]
    fn messaging_quotas_and_file_workers_are_configurable() {
        let defaults = Settings::load(None, &env_of(&[])).unwrap();
        assert_eq!(
            defaults.messaging_quotas,
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
        assert_eq!(s.messaging_quotas.sends_per_day, 5);
        assert_eq!(s.messaging_quotas.max_drafts, 4);
        assert_eq!(s.messaging_quotas.max_draft_bytes, 12 * 1024 * 1024);
        assert_eq!(s.file_workers, 1);
        assert!(Settings::load(None, &env_of(&[("CAISSE_FILE_WORKERS", "0")])).is_err());
    }

    #[test]
    fn the_lockout_schedule_is_configurable() {
        let s =
            Settings::load(None, &env_of(&[("CAISSE_LOCKOUT_SCHEDULE", "30s, 2m,1d")])).unwrap();
        assert_eq!(
            s.lockout.schedule,
            vec![
                time::Duration::seconds(30),
                time::Duration::minutes(2),
                time::Duration::days(1)
            ]
        );
        let e = Settings::load(None, &env_of(&[("CAISSE_LOCKOUT_SCHEDULE", "15x")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("CAISSE_LOCKOUT_SCHEDULE"), "{e}");
    }

    #[test]
    fn attestation_keys_are_read_and_never_echoed() {
        let s = Settings::load(None, &env_of(&[])).unwrap();
        assert!(s.attestation_keys.is_none(), "derived from the secret key");
        let s = Settings::load(
            None,
            &env_of(&[(
                "CAISSE_ATTESTATION_SIGNING_KEYS",
                "2026-a:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
            )]),
        )
        .unwrap();
        assert_eq!(s.attestation_keys.unwrap().signing_key_id(), "2026-a");
        let e = Settings::load(
            None,
            &env_of(&[("CAISSE_ATTESTATION_SIGNING_KEYS", "2026-a:TOOSHORT")]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("invalid CAISSE_ATTESTATION_SIGNING_KEYS"),
            "{e}"
        );
        assert!(!e.contains("TOOSHORT"), "{e}");
    }

    #[test]
    fn an_unknown_file_key_is_refused() {
        let dir = std::env::temp_dir().join(format!("caisse-settings-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("caisse.toml");
        std::fs::write(&file, "lisen = \"0.0.0.0:9000\"\n").unwrap();
        let e = Settings::load(Some(&file), &env_of(&[]))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("unknown key lisen in"), "{e}");
        std::fs::remove_dir_all(dir).ok();
    }
}
