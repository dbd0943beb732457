//! Random secrets and their digests: session tokens, CSRF tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// A new random token: 32 bytes from the OS, base64url without padding (43 characters).
///
/// # Errors
/// When the operating system cannot provide randomness.
pub fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Hex SHA-256 of a token: what the database stores instead of the token itself.
pub fn token_digest(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA-256 of `message` under `key`, base64url.
pub fn sign(key: &[u8], message: &str) -> String {
    // HMAC accepts keys of any length, so construction cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(message.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// True if and only if `signature` is the HMAC of `message` under `key`, compared in constant
/// time.
pub fn verify_signature(key: &[u8], message: &str, signature: &str) -> bool {
    let Ok(expected) = URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return false;
    };
    mac.update(message.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_url_safe() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }

    #[test]
    fn a_signature_verifies_only_for_its_key_and_message() {
        let sig = sign(b"key", "message");
        assert!(verify_signature(b"key", "message", &sig));
        assert!(!verify_signature(b"other", "message", &sig));
        assert!(!verify_signature(b"key", "messagf", &sig));
        assert!(!verify_signature(b"key", "message", "not base64!"));
    }

    #[test]
    fn the_digest_is_hex_sha256() {
        assert_eq!(
            token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
