//! Sealing secrets at rest: AES-256-GCM under a key derived from the server's secret key,
//! one key per purpose (each derived under its own label), the row the secret belongs to as
//! associated data so a sealed value copied onto another row does not open.
//!
//! A sealed value is `v1.` then the base64url (no padding) of the nonce, the ciphertext and the
//! tag. The key lives in the configuration (`CAISSE_SECRET_KEY`) or the data directory, never in
//! the database: a copy of the database, a backup or an SQL injection yields nothing usable.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use sha2::Sha256;

use crate::CoreError;

/// Version prefix of sealed values, so another scheme can be introduced later.
const SEALED_PREFIX: &str = "v1.";

/// One purpose's AES-256-GCM key. `Debug` never shows it.
#[derive(Clone)]
pub(crate) struct Aead(LessSafeKey);

impl fmt::Debug for Aead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Aead(***)")
    }
}

impl Aead {
    /// Derives the key of one purpose from the server key: HMAC-SHA-256 of `label`, so the
    /// CSRF signatures and each kind of seal use different keys.
    ///
    /// # Errors
    /// Never in practice (HMAC takes any key and gives the 32 bytes AES-256 takes).
    pub(crate) fn derive(server_key: &[u8], label: &[u8]) -> Result<Aead, CoreError> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(server_key).map_err(|_| CoreError::Sealing)?;
        mac.update(label);
        let key = mac.finalize().into_bytes();
        let unbound = UnboundKey::new(&AES_256_GCM, &key).map_err(|_| CoreError::Sealing)?;
        Ok(Aead(LessSafeKey::new(unbound)))
    }

    /// Seals `plain` for the row `aad` names.
    ///
    /// # Errors
    /// When randomness or the cipher fails.
    pub(crate) fn seal(&self, plain: &[u8], aad: &[u8]) -> Result<String, CoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)?;
        let mut sealed = plain.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut sealed,
            )
            .map_err(|_| CoreError::Sealing)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{SEALED_PREFIX}{}", URL_SAFE_NO_PAD.encode(out)))
    }

    /// Opens a value sealed for the row `aad` names; `None` when it was sealed under another
    /// key or for another row, or is corrupt.
    pub(crate) fn open(&self, sealed: &str, aad: &[u8]) -> Option<Vec<u8>> {
        let encoded = sealed.strip_prefix(SEALED_PREFIX)?;
        let bytes = URL_SAFE_NO_PAD.decode(encoded).ok()?;
        if bytes.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut in_out = rest.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(aad), &mut in_out)
            .ok()?;
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_opens_only_with_its_key_label_and_row() {
        let key = Aead::derive(b"server key", b"purpose one").unwrap();
        let sealed = key.seal(b"secret", b"row 1").unwrap();
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains("secret"));
        assert_eq!(key.open(&sealed, b"row 1").as_deref(), Some(&b"secret"[..]));
        assert_eq!(key.open(&sealed, b"row 2"), None);
        let other_purpose = Aead::derive(b"server key", b"purpose two").unwrap();
        assert_eq!(other_purpose.open(&sealed, b"row 1"), None);
        let other_server = Aead::derive(b"another key", b"purpose one").unwrap();
        assert_eq!(other_server.open(&sealed, b"row 1"), None);
        assert_eq!(key.open("v1.AAAA", b"row 1"), None);
        assert_eq!(key.open("plain:secret", b"row 1"), None);
    }
}
