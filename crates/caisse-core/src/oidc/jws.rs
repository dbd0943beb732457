//! Checks a compact JWS whose payload is a JSON object (a signed userinfo): the algorithm is
//! ES256 or RS256 (never `none`, never HS256), the key is the one of the provider's key set its
//! `kid` names, and the signature is checked by that key (`openidconnect`'s own verification).
//! `openidconnect` 4.1 checks signed userinfos with RS256 only; FranceConnect may sign them
//! with ES256.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{CoreJsonWebKey, CoreJwsSigningAlgorithm};
use openidconnect::{JsonWebKey, JsonWebKeySet};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Why a JWS was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwsError {
    /// Not three base64url parts, or a header or payload that does not parse.
    #[error("malformed JWS")]
    Malformed,
    /// An algorithm other than ES256 and RS256.
    #[error("algorithm not accepted")]
    Algorithm,
    /// No key of the set has this `kid` (or, without `kid`, none verifies).
    #[error("signed by a key the provider does not publish")]
    UnknownKey,
    /// The key refused the signature.
    #[error("bad signature")]
    BadSignature,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

fn accepted(alg: &str) -> Option<CoreJwsSigningAlgorithm> {
    match alg {
        "ES256" => Some(CoreJwsSigningAlgorithm::EcdsaP256Sha256),
        "RS256" => Some(CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256),
        _ => None,
    }
}

/// The payload of `compact` once its signature is checked against `keys`.
///
/// # Errors
/// See [`JwsError`].
pub fn verify(
    compact: &str,
    keys: &JsonWebKeySet<CoreJsonWebKey>,
) -> Result<Map<String, Value>, JwsError> {
    let mut parts = compact.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Malformed);
    };
    let decode = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| JwsError::Malformed)
    };
    let parsed: Header =
        serde_json::from_slice(&decode(header)?).map_err(|_| JwsError::Malformed)?;
    let alg = accepted(&parsed.alg).ok_or(JwsError::Algorithm)?;
    let signature = decode(signature)?;
    let signing_input = &compact[..header.len() + 1 + payload.len()];
    let candidates: Vec<&CoreJsonWebKey> = keys
        .keys()
        .iter()
        .filter(|key| match (&parsed.kid, key.key_id()) {
            (Some(kid), Some(id)) => id.as_str() == kid,
            (Some(_), None) => false,
            (None, _) => true,
        })
        .collect();
    if candidates.is_empty() {
        return Err(JwsError::UnknownKey);
    }
    let verified = candidates.iter().any(|key| {
        key.verify_signature(&alg, signing_input.as_bytes(), &signature)
            .is_ok()
    });
    if !verified {
        return Err(JwsError::BadSignature);
    }
    serde_json::from_slice(&decode(payload)?).map_err(|_| JwsError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_keys() -> JsonWebKeySet<CoreJsonWebKey> {
        JsonWebKeySet::new(Vec::new())
    }

    fn part(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    #[test]
    fn refuses_alg_none_and_hs256_before_looking_for_a_key() {
        for alg in ["none", "HS256", "RS512"] {
            let token = format!(
                "{}.{}.",
                part(&format!(r#"{{"alg":"{alg}"}}"#)),
                part(r#"{"sub":"x"}"#)
            );
            assert_eq!(
                verify(&token, &no_keys()),
                Err(JwsError::Algorithm),
                "{alg}"
            );
        }
    }

    #[test]
    fn refuses_a_key_the_set_does_not_hold_and_malformed_tokens() {
        let token = format!(
            "{}.{}.c2ln",
            part(r#"{"alg":"ES256","kid":"k1"}"#),
            part(r#"{"sub":"x"}"#)
        );
        assert_eq!(verify(&token, &no_keys()), Err(JwsError::UnknownKey));
        assert_eq!(verify("a.b", &no_keys()), Err(JwsError::Malformed));
        assert_eq!(verify("a.b.c.d", &no_keys()), Err(JwsError::Malformed));
        assert_eq!(verify("!!.b.c", &no_keys()), Err(JwsError::Malformed));
    }
}
