//! Signing statements with Ed25519 and reading them back: the text a QR code carries.
//!
//! ```text
//! CAISSE-ATT1:<base 32 of the envelope>          (RFC 4648 alphabet, no padding)
//! QR code: {base_url}/verifier?a=CAISSE-ATT1:…   (the same text in the page's URL)
//! envelope = u16 payload length (big-endian) | payload (the statement's bytes)
//!          | u8 key id length | key id (ASCII) | Ed25519 signature of the payload (64 bytes)
//! ```
//!
//! Capital letters, digits and `-:` are what a QR code's alphanumeric mode stores most
//! compactly. Several keys may be configured, each with an id: the first signs, every one
//! verifies, so a key is rotated by putting a new one first and keeping the old one (its public
//! half is enough) until the attestations it signed have expired. Pure: no I/O, no clock.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use sha2::{Digest, Sha256};

use super::statement::{Statement, StatementError};

/// What every sealed statement starts with; `1` is the envelope's version.
pub const PREFIX: &str = "CAISSE-ATT1:";
const ALPHABET: base32::Alphabet = base32::Alphabet::Rfc4648 { padding: false };
const SIGNATURE_LEN: usize = 64;
const SEED_LEN: usize = 32;
/// Longest key id.
pub const MAX_KEY_ID: usize = 16;

/// Why the key configuration was refused. No variant carries key material.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyConfigError {
    /// No key at all.
    #[error("no attestation key configured")]
    Empty,
    /// An entry is not `id:key` or `id:public:key`.
    #[error("entry {0} is not id:SEED or id:public:PUBLIC_KEY")]
    Entry(usize),
    /// A key id is empty, too long, repeated, or holds other characters than a-z, 0-9, `-`.
    #[error("entry {0} has an invalid or repeated key id (1 to 16 of a-z, 0-9, -)")]
    KeyId(usize),
    /// A key is not 32 bytes of base64url.
    #[error("entry {0}: the key is not 32 bytes in base64url")]
    Key(usize),
    /// The first entry, which signs, is a public key only.
    #[error("the first key signs: it needs its private seed, not only its public key")]
    FirstIsPublic,
}

struct Key {
    id: String,
    public: Vec<u8>,
    pair: Option<Ed25519KeyPair>,
}

/// The keys of a deployment: the first signs, all verify.
pub struct AttestationKeys {
    keys: Vec<Key>,
}

impl std::fmt::Debug for AttestationKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("AttestationKeys")
            .field("ids", &ids)
            .finish()
    }
}

fn valid_id(id: &str) -> bool {
    (1..=MAX_KEY_ID).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn key_bytes(text: &str) -> Option<[u8; SEED_LEN]> {
    URL_SAFE_NO_PAD
        .decode(text.trim().trim_end_matches('='))
        .ok()?
        .try_into()
        .ok()
}

impl AttestationKeys {
    /// Reads `id:SEED,id:public:PUBLIC_KEY,…`: each key 32 bytes in base64url (the private seed
    /// or, for a retired key, only its public half). The first entry signs and needs its seed.
    ///
    /// # Errors
    /// The first problem found, naming the entry by its position (from 1), never its value.
    pub fn parse(config: &str) -> Result<AttestationKeys, KeyConfigError> {
        let mut keys: Vec<Key> = Vec::new();
        for (index, entry) in config
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .enumerate()
        {
            let n = index + 1;
            let parts: Vec<&str> = entry.split(':').collect();
            let (id, public_only, key) = match parts.as_slice() {
                [id, key] => (*id, false, *key),
                [id, "public", key] => (*id, true, *key),
                _ => return Err(KeyConfigError::Entry(n)),
            };
            if !valid_id(id) || keys.iter().any(|k| k.id == id) {
                return Err(KeyConfigError::KeyId(n));
            }
            let bytes = key_bytes(key).ok_or(KeyConfigError::Key(n))?;
            let key = if public_only {
                if n == 1 {
                    return Err(KeyConfigError::FirstIsPublic);
                }
                Key {
                    id: id.to_owned(),
                    public: bytes.to_vec(),
                    pair: None,
                }
            } else {
                let pair = Ed25519KeyPair::from_seed_unchecked(&bytes)
                    .map_err(|_| KeyConfigError::Key(n))?;
                Key {
                    id: id.to_owned(),
                    public: pair.public_key().as_ref().to_vec(),
                    pair: Some(pair),
                }
            };
            keys.push(key);
        }
        if keys.is_empty() {
            return Err(KeyConfigError::Empty);
        }
        Ok(AttestationKeys { keys })
    }

    /// One key derived from the server's secret key, for a deployment that configures none
    /// (the demo, tests, a single node): every node sharing the secret derives the same key. Its
    /// id is `auto-` and the start of its public key's SHA-256, so two deployments never share
    /// an id by accident.
    pub fn derive(secret: &[u8]) -> AttestationKeys {
        const LABEL: &[u8] = b"caisse attestation signing key v1";
        // HMAC takes keys of any length; the plain digest is only the type system's fallback.
        let seed: Vec<u8> = match Hmac::<Sha256>::new_from_slice(secret) {
            Ok(mut mac) => {
                mac.update(LABEL);
                mac.finalize().into_bytes().to_vec()
            }
            Err(_) => Sha256::digest([LABEL, secret].concat()).to_vec(),
        };
        // A 32-byte seed is always accepted; without a pair, sealing fails instead of panicking.
        let pair = Ed25519KeyPair::from_seed_unchecked(&seed).ok();
        let public = pair
            .as_ref()
            .map(|p| p.public_key().as_ref().to_vec())
            .unwrap_or_default();
        let digest = Sha256::digest(&public);
        let id = format!(
            "auto-{}",
            digest[..4]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        AttestationKeys {
            keys: vec![Key { id, public, pair }],
        }
    }

    /// The id of the key that signs.
    pub fn signing_key_id(&self) -> &str {
        &self.keys[0].id
    }

    /// Every key's id and public key (32 bytes), signing key first: what is published.
    pub fn public_keys(&self) -> Vec<(&str, &[u8])> {
        self.keys
            .iter()
            .map(|k| (k.id.as_str(), k.public.as_slice()))
            .collect()
    }

    /// Signs a statement; returns the text for the QR code.
    ///
    /// # Errors
    /// When the statement does not fit its format.
    pub fn seal(&self, statement: &Statement) -> Result<String, StatementError> {
        let key = &self.keys[0];
        let payload = statement.encode()?;
        let Some(pair) = &key.pair else {
            // `parse` refuses a public-only first key.
            return Err(StatementError::Field("signing key"));
        };
        let signature = pair.sign(&payload);
        let length =
            u16::try_from(payload.len()).map_err(|_| StatementError::TooLong("statement"))?;
        let mut envelope = Vec::with_capacity(payload.len() + 3 + key.id.len() + SIGNATURE_LEN);
        envelope.extend_from_slice(&length.to_be_bytes());
        envelope.extend_from_slice(&payload);
        envelope.push(u8::try_from(key.id.len()).unwrap_or(0));
        envelope.extend_from_slice(key.id.as_bytes());
        envelope.extend_from_slice(signature.as_ref());
        Ok(format!("{PREFIX}{}", base32::encode(ALPHABET, &envelope)))
    }

    /// Checks a sealed statement against these keys.
    ///
    /// # Errors
    /// See [`verify_with`].
    pub fn verify(&self, sealed: &str) -> Result<Statement, VerifyError> {
        verify_with(&self.public_keys(), sealed)
    }
}

/// Why a text is not an authentic statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// It does not start with [`PREFIX`] or is not base 32: not a code of ours at all.
    #[error("not a sealed attestation")]
    NotSealed,
    /// The envelope is cut or malformed.
    #[error("malformed envelope")]
    Malformed,
    /// Signed with a key this deployment does not know.
    #[error("unknown key")]
    UnknownKey,
    /// The signature does not match: the text was changed, or signed by someone else.
    #[error("bad signature")]
    BadSignature,
    /// The signature matches but the statement does not read (a format this code cannot read).
    #[error("unreadable statement: {0}")]
    Statement(StatementError),
}

/// Checks a sealed statement with public keys alone (`(id, 32-byte key)`), the way an outside
/// verifier does offline: envelope, key id, Ed25519 signature over the payload, then the
/// statement. Spaces and line breaks (a copy from a QR reader or an e-mail) are ignored, and
/// lower case is read as upper case. `sealed` is the text itself or the verification URL of a
/// QR code holding it ([`sealed_text`]): both are the same statement.
///
/// # Errors
/// The first check that fails.
pub fn verify_with(keys: &[(&str, &[u8])], sealed: &str) -> Result<Statement, VerifyError> {
    let cleaned = sealed_text(sealed).ok_or(VerifyError::NotSealed)?;
    let body = cleaned.strip_prefix(PREFIX).ok_or(VerifyError::NotSealed)?;
    let envelope = base32::decode(ALPHABET, body).ok_or(VerifyError::NotSealed)?;
    // The last character of base 32 may carry unused bits: a text that only differs there
    // decodes to the same bytes. Only the canonical spelling is accepted, so any change to the
    // text is a refusal.
    if base32::encode(ALPHABET, &envelope) != body {
        return Err(VerifyError::Malformed);
    }
    let (length, rest) = envelope.split_at_checked(2).ok_or(VerifyError::Malformed)?;
    let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
    let (payload, rest) = rest
        .split_at_checked(length)
        .ok_or(VerifyError::Malformed)?;
    let (&id_len, rest) = rest.split_first().ok_or(VerifyError::Malformed)?;
    let (id, signature) = rest
        .split_at_checked(usize::from(id_len))
        .ok_or(VerifyError::Malformed)?;
    if signature.len() != SIGNATURE_LEN {
        return Err(VerifyError::Malformed);
    }
    let id = std::str::from_utf8(id).map_err(|_| VerifyError::Malformed)?;
    let (_, public) = keys
        .iter()
        .find(|(known, _)| *known == id)
        .ok_or(VerifyError::UnknownKey)?;
    UnparsedPublicKey::new(&ED25519, public)
        .verify(payload, signature)
        .map_err(|_| VerifyError::BadSignature)?;
    Statement::decode(payload).map_err(VerifyError::Statement)
}

/// The query parameter of the verification URL that carries the sealed statement.
pub const URL_PARAMETER: &str = "a";

/// What the QR code of an attestation holds since the verification page reads it (issue 20):
/// `{base_url}/verifier?a=CAISSE-ATT1:…`, so that a phone's camera opens the verdict at once.
/// The sealed text goes in the query, not in a fragment: the page verifies on the server,
/// without JavaScript, and a fragment never reaches the server. Base 32, `:` and `-` need no
/// percent-encoding in a query, so an offline reader takes the parameter's value as it is.
pub fn verification_url(base_url: &str, sealed: &str) -> String {
    format!(
        "{}/verifier?{URL_PARAMETER}={sealed}",
        base_url.trim_end_matches('/')
    )
}

/// The sealed text of what a QR code or a person gave: either the text itself
/// (`CAISSE-ATT1:…`, what attestations printed before issue 20 carry) or a verification URL
/// holding it in its `a` parameter ([`verification_url`]). White space is dropped and lower
/// case read as upper case; `None` when neither form is recognised.
pub fn sealed_text(given: &str) -> Option<String> {
    let cleaned: String = given.chars().filter(|c| !c.is_whitespace()).collect();
    let upper = cleaned.to_ascii_uppercase();
    if upper.starts_with(PREFIX) {
        return Some(upper);
    }
    // A URL: the value of its `a` parameter, the fragment left aside.
    let (_, query) = cleaned.split_once('?')?;
    let query = query.split('#').next().unwrap_or_default();
    let value = query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name == URL_PARAMETER).then_some(value)
    })?;
    // A reader or a browser may have percent-encoded the colon.
    let value = value
        .replace("%3A", ":")
        .replace("%3a", ":")
        .to_ascii_uppercase();
    value.starts_with(PREFIX).then_some(value)
}

/// The first sealed statement in `bytes`: a scan for [`PREFIX`] and the base-32 text after
/// it. The verification of a file does not trust such a scan of the whole file (any file
/// could carry a genuine statement somewhere): it parses the PDF and scans its keywords only
/// ([`super::AttestationService::verify_pdf`]); programs and tests reading an attestation
/// the portal wrote may scan the raw bytes, where the keywords are uncompressed. `None` when
/// there is none.
pub fn find_in_pdf(bytes: &[u8]) -> Option<String> {
    let prefix = PREFIX.as_bytes();
    let start = bytes.windows(prefix.len()).position(|w| w == prefix)? + prefix.len();
    let body: String = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(b))
        .map(|b| char::from(*b))
        .collect();
    (!body.is_empty()).then(|| format!("{PREFIX}{body}"))
}

/// A new signing key for the configuration, `id:SEED`, from 32 random bytes.
pub fn key_entry(id: &str, seed: [u8; SEED_LEN]) -> String {
    format!("{id}:{}", URL_SAFE_NO_PAD.encode(seed))
}
