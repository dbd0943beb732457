//! The types of configuration values. Each reads the text an operator wrote (trimmed) and says
//! how `caisse config check` shows it; a secret one never shows its text, not even in an error.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use caisse_core::attestations::AttestationKeys;
use secrecy::{ExposeSecret, SecretString};
use serde::de::{self, Deserializer, Visitor};

/// Shown instead of a secret.
pub const HIDDEN: &str = "(hidden)";

/// A configuration value read from text.
pub trait Setting: Sized {
    /// A secret: `Debug`, `caisse config check` and the error about a refused value never
    /// show its text.
    const SECRET: bool = false;

    /// The value of this text (already trimmed), or `None` when it does not have the expected
    /// form.
    fn parse(text: &str) -> Option<Self>;

    /// How `caisse config check` shows it: the text that gives this value back, masked for a
    /// secret.
    fn show(&self) -> String;
}

/// `#[serde(with = "setting")]`: a [`Setting`] read from any scalar (TOML strings, numbers and
/// booleans; the environment's strings), shown as a string.
pub mod setting {
    use serde::de::Error as _;
    use serde::{Deserializer, Serializer};

    use super::{Scalar, Setting, refused};

    /// Reads the value.
    ///
    /// # Errors
    /// The text as the operator wrote it (quoted), or [`super::HIDDEN`] for a secret: the
    /// loader words the one-line error around it.
    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Setting,
    {
        let text = deserializer.deserialize_any(Scalar)?;
        T::parse(text.trim()).ok_or_else(|| D::Error::custom(refused(&text, T::SECRET)))
    }

    /// Writes the value as [`Setting::show`] gives it.
    ///
    /// # Errors
    /// When the serializer fails.
    pub fn serialize<S, T>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Setting,
    {
        serializer.serialize_str(&value.show())
    }
}

/// `deserialize_with = "whole::<_, _, MIN, MAX>"`: a whole number from `MIN` to `MAX`.
///
/// # Errors
/// The text as the operator wrote it (quoted).
pub fn whole<'de, D, T, const MIN: u64, const MAX: u64>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    let text = deserializer.deserialize_any(Scalar)?;
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (MIN..=MAX).contains(n))
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| de::Error::custom(refused(&text, false)))
}

/// What an error says was read: the text, quoted, or [`HIDDEN`].
fn refused(text: &str, secret: bool) -> String {
    if secret {
        format!("{HIDDEN:?}")
    } else {
        format!("{text:?}")
    }
}

/// Any scalar as text; a table or a list is refused without showing what it holds.
struct Scalar;

impl<'de> Visitor<'de> for Scalar {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a single value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom("a list"))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom("a table"))
    }
}

impl Setting for SocketAddr {
    fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    fn show(&self) -> String {
        self.to_string()
    }
}

/// A path: any text but an empty one.
impl Setting for PathBuf {
    fn parse(text: &str) -> Option<Self> {
        (!text.is_empty()).then(|| PathBuf::from(text))
    }

    fn show(&self) -> String {
        self.display().to_string()
    }
}

/// A text that may not be empty.
impl Setting for String {
    fn parse(text: &str) -> Option<Self> {
        (!text.is_empty()).then(|| text.to_owned())
    }

    fn show(&self) -> String {
        self.clone()
    }
}

/// `true`, `1` or `yes`; `false`, `0` or `no`.
impl Setting for bool {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        }
    }

    fn show(&self) -> String {
        self.to_string()
    }
}

/// An optional value: an empty text leaves it unset.
impl<T: Setting> Setting for Option<T> {
    const SECRET: bool = T::SECRET;

    fn parse(text: &str) -> Option<Self> {
        if text.is_empty() {
            Some(None)
        } else {
            T::parse(text).map(Some)
        }
    }

    fn show(&self) -> String {
        self.as_ref().map_or_else(String::new, T::show)
    }
}

/// Log output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

impl Setting for LogFormat {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }

    fn show(&self) -> String {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
        .to_owned()
    }
}

/// The sender of mails, a mailbox such as `Caisse <noreply@example.fr>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailFrom(String);

impl MailFrom {
    /// The mailbox as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for MailFrom {
    fn default() -> Self {
        MailFrom("Caisse <ne-pas-repondre@localhost>".to_owned())
    }
}

impl Setting for MailFrom {
    fn parse(text: &str) -> Option<Self> {
        text.parse::<lettre::message::Mailbox>()
            .ok()
            .map(|_| MailFrom(text.to_owned()))
    }

    fn show(&self) -> String {
        self.0.clone()
    }
}

/// The public base URL: `http://` or `https://`, a host, no path; a trailing `/` is dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// The URL, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Setting for BaseUrl {
    fn parse(text: &str) -> Option<Self> {
        let url = text.trim_end_matches('/');
        let ok = (url.starts_with("http://") || url.starts_with("https://"))
            && !url.contains(char::is_whitespace)
            && url
                .split("://")
                .nth(1)
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
        ok.then(|| BaseUrl(url.to_owned()))
    }

    fn show(&self) -> String {
        self.0.clone()
    }
}

/// A URL with its password replaced by `***`; a text that is not a URL but could hold
/// credentials (it has an `@`) is hidden whole.
pub fn redact_url(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut url) if url.password().is_some() => match url.set_password(Some("***")) {
            Ok(()) => url.to_string(),
            Err(()) => HIDDEN.to_owned(),
        },
        Ok(_) => text.to_owned(),
        Err(_) if text.contains('@') => HIDDEN.to_owned(),
        Err(_) => text.to_owned(),
    }
}

/// The database: `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB`. The password is
/// a secret: `Debug` and [`DatabaseUrl::redacted`] show `***` instead.
#[derive(Clone)]
pub struct DatabaseUrl(SecretString);

impl DatabaseUrl {
    /// The SQLite file at `path`, created when missing.
    pub fn sqlite(path: &std::path::Path) -> DatabaseUrl {
        DatabaseUrl(SecretString::from(format!(
            "sqlite://{}?mode=rwc",
            path.display()
        )))
    }

    /// The URL, password included: only for connecting.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The URL with its password masked.
    pub fn redacted(&self) -> String {
        redact_url(self.expose())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DatabaseUrl")
            .field(&self.redacted())
            .finish()
    }
}

impl Setting for DatabaseUrl {
    const SECRET: bool = true;

    fn parse(text: &str) -> Option<Self> {
        caisse_store::Backend::from_url(text).map(|_| DatabaseUrl(SecretString::from(text)))
    }

    fn show(&self) -> String {
        self.redacted()
    }
}

/// A Redis server: `redis://HOST:PORT/DB`, `rediss://USER:PASSWORD@HOST:PORT/DB`. The
/// credentials are a secret, masked like a database's.
#[derive(Clone)]
pub struct RedisUrl(SecretString);

impl RedisUrl {
    /// The URL, credentials included: only for connecting.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RedisUrl").field(&self.show()).finish()
    }
}

impl Setting for RedisUrl {
    const SECRET: bool = true;

    fn parse(text: &str) -> Option<Self> {
        (text.starts_with("redis://") || text.starts_with("rediss://"))
            .then(|| RedisUrl(SecretString::from(text)))
    }

    fn show(&self) -> String {
        redact_url(self.expose())
    }
}

/// The SMTP relay: `smtp://HOST:PORT`, `smtps://USER:PASSWORD@HOST`… The credentials are a
/// secret: `Debug` and `caisse config check` show `***` instead of the password.
#[derive(Clone)]
pub struct SmtpUrl(SecretString);

impl SmtpUrl {
    /// The URL, credentials included: only for connecting.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SmtpUrl").field(&self.show()).finish()
    }
}

impl Setting for SmtpUrl {
    const SECRET: bool = true;

    fn parse(text: &str) -> Option<Self> {
        (text.starts_with("smtp://") || text.starts_with("smtps://"))
            .then(|| SmtpUrl(SecretString::from(text)))
    }

    fn show(&self) -> String {
        redact_url(self.expose())
    }
}

/// The server's secret key: at least 32 characters. Never shown.
#[derive(Clone, Debug)]
pub struct SecretKey(SecretString);

impl SecretKey {
    /// The key: only for deriving the keys that sign and seal.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl Setting for SecretKey {
    const SECRET: bool = true;

    fn parse(text: &str) -> Option<Self> {
        (text.len() >= 32).then(|| SecretKey(SecretString::from(text)))
    }

    fn show(&self) -> String {
        HIDDEN.to_owned()
    }
}

/// The keys that sign attestations (`id:SEED,…`). Never shown; `Debug` lists their ids.
#[derive(Clone, Debug)]
pub struct SigningKeys(pub Arc<AttestationKeys>);

impl Setting for SigningKeys {
    const SECRET: bool = true;

    fn parse(text: &str) -> Option<Self> {
        AttestationKeys::parse(text)
            .ok()
            .map(|keys| SigningKeys(Arc::new(keys)))
    }

    fn show(&self) -> String {
        HIDDEN.to_owned()
    }
}

/// The durations of the 1st, 2nd… lock: `15m,1h,4h,24h` (`s`, `m`, `h` or `d`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockoutSchedule(pub Vec<time::Duration>);

impl Setting for LockoutSchedule {
    fn parse(text: &str) -> Option<Self> {
        let durations = text
            .split(',')
            .map(|part| {
                let part = part.trim();
                let split = part.len().checked_sub(1)?;
                let (number, unit) = part.split_at_checked(split)?;
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
        (!durations.is_empty()).then_some(LockoutSchedule(durations))
    }

    /// Each duration in its largest whole unit, but hours up to a day (`24h`, as documented).
    fn show(&self) -> String {
        self.0
            .iter()
            .map(|d| {
                let s = d.whole_seconds();
                if s % 86_400 == 0 && s > 86_400 {
                    format!("{}d", s / 86_400)
                } else if s % 3600 == 0 {
                    format!("{}h", s / 3600)
                } else if s % 60 == 0 {
                    format!("{}m", s / 60)
                } else {
                    format!("{s}s")
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_masked_and_texts_that_are_not_urls_hidden() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/caisse"),
            "postgres://app:***@db:5432/caisse"
        );
        assert_eq!(
            redact_url("postgres://app@db/caisse"),
            "postgres://app@db/caisse"
        );
        assert_eq!(
            redact_url("sqlite://./data/caisse.sqlite?mode=rwc"),
            "sqlite://./data/caisse.sqlite?mode=rwc"
        );
        assert_eq!(
            redact_url("smtps://relay:p%40ss@mail.example.fr:465"),
            "smtps://relay:***@mail.example.fr:465"
        );
        assert_eq!(redact_url("postgres//app:s3cret@db"), HIDDEN);
    }

    #[test]
    fn the_lockout_schedule_reads_back_as_written() {
        let schedule = LockoutSchedule::parse("15m,1h,4h,24h").unwrap();
        assert_eq!(schedule.show(), "15m,1h,4h,24h");
        assert_eq!(
            LockoutSchedule::parse("30s, 2m,1d").unwrap().show(),
            "30s,2m,24h"
        );
        assert_eq!(LockoutSchedule::parse("2d").unwrap().show(), "2d");
        for bad in ["", "15x", "0m", "m", "-1h", "1é"] {
            assert!(LockoutSchedule::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_default_sender_is_a_mailbox() {
        assert!(MailFrom::parse(MailFrom::default().as_str()).is_some());
    }
}

impl Setting for caisse_domain::Iban {
    fn parse(text: &str) -> Option<Self> {
        caisse_domain::Iban::parse(text).ok()
    }

    fn show(&self) -> String {
        self.formatted()
    }
}

impl Setting for caisse_domain::CaisseCode {
    fn parse(text: &str) -> Option<Self> {
        caisse_domain::CaisseCode::parse(text).ok()
    }

    fn show(&self) -> String {
        self.as_str().to_owned()
    }
}

impl Setting for caisse_domain::Bic {
    fn parse(text: &str) -> Option<Self> {
        caisse_domain::Bic::parse(text).ok()
    }

    fn show(&self) -> String {
        self.as_str().to_owned()
    }
}

/// The secret shared with the card payment provider: at least 16 characters. Never shown.
#[derive(Clone, Debug)]
pub struct PaymentSecret(SecretString);

impl PaymentSecret {
    /// The secret: only for signing and checking the provider's messages.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl Setting for PaymentSecret {
    const SECRET: bool = true;

    fn parse(text: &str) -> Option<Self> {
        (text.len() >= 16).then(|| PaymentSecret(SecretString::from(text)))
    }

    fn show(&self) -> String {
        HIDDEN.to_owned()
    }
}

/// An absolute `http://` or `https://` URL of a page (the payment provider's).
#[derive(Clone, Debug)]
pub struct PageUrl(String);

impl PageUrl {
    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Setting for PageUrl {
    fn parse(text: &str) -> Option<Self> {
        let url = url::Url::parse(text).ok()?;
        (matches!(url.scheme(), "http" | "https") && url.host().is_some())
            .then(|| PageUrl(text.to_owned()))
    }

    fn show(&self) -> String {
        redact_url(&self.0)
    }
}

/// The client secret an identity provider gave the fund (FranceConnect's partner space, the
/// fund's staff provider).
#[derive(Clone)]
pub struct ClientSecret(SecretString);

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(HIDDEN)
    }
}

impl ClientSecret {
    /// The secret: only for the provider's token endpoint.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl Setting for ClientSecret {
    const SECRET: bool = true;

    fn parse(text: &str) -> Option<Self> {
        (text.len() >= 16).then(|| ClientSecret(SecretString::from(text)))
    }

    fn show(&self) -> String {
        HIDDEN.to_owned()
    }
}

/// `group=value` pairs separated by commas: which group of the staff provider gives which role
/// (`caisse-superviseurs=superviseur`) or puts the person in which team (`remb=REMB`).
#[derive(Clone, Debug)]
pub struct GroupMap<T>(pub Vec<(String, T)>);

impl<T> Default for GroupMap<T> {
    fn default() -> Self {
        GroupMap(Vec::new())
    }
}

/// Parses one side of a [`GroupMap`].
pub trait GroupTarget: Sized + Clone {
    /// The value of this text, if it is one.
    fn parse_target(text: &str) -> Option<Self>;
    /// The text that gives it back.
    fn show_target(&self) -> String;
}

impl GroupTarget for caisse_domain::StaffRole {
    fn parse_target(text: &str) -> Option<Self> {
        caisse_domain::StaffRole::from_code(text)
    }
    fn show_target(&self) -> String {
        self.code().to_owned()
    }
}

impl GroupTarget for caisse_domain::messaging::TeamCode {
    fn parse_target(text: &str) -> Option<Self> {
        caisse_domain::messaging::TeamCode::parse(text).ok()
    }
    fn show_target(&self) -> String {
        self.as_str().to_owned()
    }
}

impl<T: GroupTarget> Setting for GroupMap<T> {
    fn parse(text: &str) -> Option<Self> {
        text.split(',')
            .map(str::trim)
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (group, target) = pair.split_once('=')?;
                let group = group.trim();
                (!group.is_empty()).then_some(())?;
                Some((group.to_owned(), T::parse_target(target.trim())?))
            })
            .collect::<Option<Vec<_>>>()
            .map(GroupMap)
    }

    fn show(&self) -> String {
        self.0
            .iter()
            .map(|(group, target)| format!("{group}={}", target.show_target()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Staff logins separated by commas.
#[derive(Clone, Debug, Default)]
pub struct Logins(pub Vec<String>);

impl Setting for Logins {
    fn parse(text: &str) -> Option<Self> {
        Some(Logins(
            text.split(',')
                .map(|login| login.trim().to_ascii_lowercase())
                .filter(|login| !login.is_empty())
                .collect(),
        ))
    }

    fn show(&self) -> String {
        self.0.join(",")
    }
}
