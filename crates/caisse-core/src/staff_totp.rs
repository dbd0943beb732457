//! The staff's second factor: RFC 6238 time-based one-time codes (HMAC-SHA-1, 6 digits,
//! 30-second steps, one step of tolerance either way), their secrets, and how secrets are kept
//! at rest.
//!
//! A secret is shared with the authenticator app, so it cannot be hashed like a password. It is
//! stored *sealed*: AES-256-GCM under a key derived from the server's secret key, with the staff
//! id as associated data (a sealed secret copied onto another account does not open). A copy of
//! the database, a backup or an SQL injection therefore yields no usable secret; the key lives
//! in the configuration (`CAISSE_SECRET_KEY`) or the data directory, not in the database. The
//! price: changing the server key makes every secret unreadable, and staff enrol again.
//!
//! This module holds no state and does no I/O; replay protection (a code is accepted once) is
//! the caller's, with the step that [`TotpSecret::check`] returns.

use std::fmt;

use time::OffsetDateTime;
use totp_rs::{Algorithm, Builder, Secret, Totp};
use uuid::Uuid;

use crate::CoreError;
use crate::sealing::Aead;

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds of a time step.
pub const STEP_SECONDS: i64 = 30;
/// Bytes of a new secret: 160 bits, RFC 4226's recommendation.
pub const SECRET_BYTES: usize = 20;

/// The time step an instant falls in.
pub fn step_of(instant: OffsetDateTime) -> i64 {
    instant.unix_timestamp().div_euclid(STEP_SECONDS)
}

/// What a typed code is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    /// The code of this step, later than any step accepted before.
    Accepted {
        /// The step to remember so the code is not accepted again.
        step: i64,
    },
    /// A valid code, but of a step already accepted: a replay.
    Replayed,
    /// Not a code of the current step nor of its neighbours.
    Wrong,
}

/// A TOTP shared secret. `Debug` never shows it; [`TotpSecret::base32`] does, for the
/// enrolment page only.
#[derive(Clone)]
pub struct TotpSecret {
    /// Built with no skew: [`TotpSecret::check`] walks the window itself.
    totp: Totp,
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(***)")
    }
}

impl TotpSecret {
    fn from_bytes(bytes: Vec<u8>) -> Result<TotpSecret, CoreError> {
        let totp = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS as u8)
            .with_skew(0)
            .with_step_duration(STEP_SECONDS as u64)
            .with_secret(bytes)
            .build()
            .map_err(|_| CoreError::Totp)?;
        Ok(TotpSecret { totp })
    }

    /// A new random secret of [`SECRET_BYTES`] bytes.
    ///
    /// # Errors
    /// When the operating system cannot provide randomness.
    pub fn generate() -> Result<TotpSecret, CoreError> {
        let mut bytes = vec![0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes)?;
        TotpSecret::from_bytes(bytes)
    }

    /// Reads a secret written in base32 (RFC 4648), ignoring case, spaces and padding; `None`
    /// unless it holds at least 128 bits.
    pub fn from_base32(text: &str) -> Option<TotpSecret> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let secret = Secret::try_from_base32(&compact).ok()?;
        TotpSecret::from_bytes(secret.as_bytes().to_vec()).ok()
    }

    /// The secret in base32 without padding, as authenticator apps take it.
    pub fn base32(&self) -> String {
        self.totp.secret().to_base32()
    }

    /// The base32 secret in groups of four characters, for reading aloud or typing.
    pub fn base32_grouped(&self) -> String {
        let plain = self.base32();
        plain
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…` URI that authenticator apps read
    /// from a QR code. A colon, which the format reserves, becomes a hyphen in either part.
    ///
    /// # Errors
    /// Never for the secrets this module builds; [`CoreError::Totp`] otherwise.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> Result<String, CoreError> {
        let clean = |s: &str| s.trim().replace(':', "-");
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS as u8)
            .with_step_duration(STEP_SECONDS as u64)
            .with_secret(self.totp.secret().clone())
            .with_issuer(Some(clean(issuer)))
            .with_account_name(clean(account))
            .build()
            .and_then(|totp| totp.to_url())
            .map_err(|_| CoreError::Totp)
    }

    /// The code of time step `step`.
    pub fn code_of_step(&self, step: i64) -> String {
        let seconds = u64::try_from(step.saturating_mul(STEP_SECONDS)).unwrap_or(0);
        self.totp.generate(seconds).to_string()
    }

    /// The code an authenticator app shows at `instant`.
    pub fn code_at(&self, instant: OffsetDateTime) -> String {
        self.code_of_step(step_of(instant))
    }

    /// Checks a typed code at `now` against the step before, the current one and the one after
    /// (clocks drift, people type slowly). A code of a step at or before `last_accepted` is a
    /// replay. Spaces in the typed code are ignored.
    pub fn check(&self, typed: &str, now: OffsetDateTime, last_accepted: Option<i64>) -> CodeCheck {
        let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return CodeCheck::Wrong;
        }
        let current = step_of(now);
        let mut replayed = false;
        // Newest first, so a code valid for two steps counts for the later one.
        for step in [current + 1, current, current - 1] {
            let Ok(seconds) = u64::try_from(step.saturating_mul(STEP_SECONDS)) else {
                continue;
            };
            if self.totp.check(&code, seconds).is_some() {
                if last_accepted.is_none_or(|last| step > last) {
                    return CodeCheck::Accepted { step };
                }
                replayed = true;
            }
        }
        if replayed {
            CodeCheck::Replayed
        } else {
            CodeCheck::Wrong
        }
    }
}

/// Why a sealed secret did not open.
#[derive(Debug, thiserror::Error)]
#[error("the TOTP secret cannot be opened with the current server key (was the key changed?)")]
pub struct UnsealError;

/// The key that seals TOTP secrets at rest, derived from the server's secret key. `Debug`
/// never shows it.
#[derive(Clone)]
pub struct SealingKey(Aead);

impl fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealingKey(***)")
    }
}

impl SealingKey {
    /// Derives the sealing key from the server key (HMAC-SHA-256 with a fixed label, so the
    /// CSRF signatures and the seals never share a key).
    ///
    /// # Errors
    /// Never in practice (HMAC takes any key and gives the 32 bytes AES-256 takes).
    pub fn derive(server_key: &[u8]) -> Result<SealingKey, CoreError> {
        Aead::derive(server_key, b"caisse: staff TOTP secrets at rest, v1").map(SealingKey)
    }

    /// Seals a secret for one staff account: `v1.` then base64url of nonce, ciphertext and tag.
    ///
    /// # Errors
    /// When randomness or the cipher fails.
    pub fn seal(&self, secret: &TotpSecret, staff_id: Uuid) -> Result<String, CoreError> {
        self.0
            .seal(secret.totp.secret().as_bytes(), staff_id.as_bytes())
    }

    /// Opens a secret sealed for this staff account.
    ///
    /// # Errors
    /// [`UnsealError`] when the value was sealed under another key or for another account, or
    /// is corrupt.
    pub fn open(&self, sealed: &str, staff_id: Uuid) -> Result<TotpSecret, UnsealError> {
        let plain = self
            .0
            .open(sealed, staff_id.as_bytes())
            .ok_or(UnsealError)?;
        TotpSecret::from_bytes(plain).map_err(|_| UnsealError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// RFC 6238 appendix B: the SHA-1 seed, the instants and the last six digits of the
    /// eight-digit codes it lists.
    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let seed = b"12345678901234567890".to_vec();
        let secret = TotpSecret::from_bytes(seed).unwrap();
        for (unix, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            let instant = OffsetDateTime::from_unix_timestamp(unix).unwrap();
            assert_eq!(secret.code_at(instant), code, "at {unix}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_way_and_only_once() {
        let secret = TotpSecret::generate().unwrap();
        let now = datetime!(2026-03-02 09:00:10 UTC);
        let step = step_of(now);
        for offset in [-1, 0, 1] {
            assert_eq!(
                secret.check(&secret.code_of_step(step + offset), now, None),
                CodeCheck::Accepted {
                    step: step + offset
                }
            );
        }
        let current = secret.code_at(now);
        assert_eq!(secret.check(&current, now, Some(step)), CodeCheck::Replayed);
        assert_eq!(
            secret.check(&current, now, Some(step - 1)),
            CodeCheck::Accepted { step }
        );
        let spaced = format!("{} {}", &current[..3], &current[3..]);
        assert_eq!(
            secret.check(&spaced, now, None),
            CodeCheck::Accepted { step }
        );
    }

    #[test]
    fn old_future_and_malformed_codes_are_wrong() {
        let secret = TotpSecret::generate().unwrap();
        let now = datetime!(2026-03-02 09:00:10 UTC);
        let step = step_of(now);
        for far in [step - 2, step + 2] {
            let code = secret.code_of_step(far);
            // A 10⁻⁶ chance that the far code equals a near one: skip that draw.
            if (step - 1..=step + 1).any(|s| secret.code_of_step(s) == code) {
                continue;
            }
            assert_eq!(secret.check(&code, now, None), CodeCheck::Wrong);
        }
        for typed in ["", "12345", "1234567", "12a456", "+12345"] {
            assert_eq!(secret.check(typed, now, None), CodeCheck::Wrong, "{typed}");
        }
    }

    #[test]
    fn secrets_read_and_write_base32_and_never_show_in_debug() {
        let secret = TotpSecret::from_base32("jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp").unwrap();
        assert_eq!(secret.base32(), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        assert_eq!(
            secret.base32_grouped(),
            "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
        );
        assert_eq!(format!("{secret:?}"), "TotpSecret(***)");
        assert!(TotpSecret::from_base32("JBSWY3DP").is_none(), "too short");
        assert!(TotpSecret::from_base32("not base32 at all!").is_none());
        assert_eq!(TotpSecret::generate().unwrap().base32().len(), 32);
    }

    #[test]
    fn the_otpauth_uri_names_the_issuer_and_the_account() {
        let secret = TotpSecret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").unwrap();
        let uri = secret
            .otpauth_uri("CPAM de test: agents", "marie.curie")
            .unwrap();
        assert_eq!(
            uri,
            "otpauth://totp/CPAM%20de%20test-%20agents:marie.curie?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=CPAM%20de%20test-%20agents"
        );
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_for_its_account() {
        let key = SealingKey::derive(b"0123456789abcdef0123456789abcdef").unwrap();
        let secret = TotpSecret::generate().unwrap();
        let staff = Uuid::now_v7();
        let sealed = key.seal(&secret, staff).unwrap();
        assert!(sealed.starts_with("v1.") && sealed.len() < 128);
        assert!(!sealed.contains(&secret.base32()));
        assert_ne!(sealed, key.seal(&secret, staff).unwrap(), "fresh nonce");
        assert_eq!(key.open(&sealed, staff).unwrap().base32(), secret.base32());
        assert!(key.open(&sealed, Uuid::now_v7()).is_err());
        let other = SealingKey::derive(b"another key, another key, another").unwrap();
        assert!(other.open(&sealed, staff).is_err());
        assert!(key.open("v1.AAAA", staff).is_err());
        assert!(key.open(&secret.base32(), staff).is_err());
        assert_eq!(format!("{key:?}"), "SealingKey(***)");
    }
}
