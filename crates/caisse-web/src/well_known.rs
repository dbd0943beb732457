//! `/.well-known/caisse-attestation-keys.json`: the public keys that verify attestations, as
//! JSON Web Keys (RFC 8037), signing key first, so anyone can verify offline
//! (`docs/attestation-format.md`). Public and cacheable for an hour.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use crate::state::AppState;

#[derive(Serialize)]
struct Jwk {
    kty: &'static str,
    crv: &'static str,
    kid: String,
    x: String,
    #[serde(rename = "use")]
    usage: &'static str,
    /// True for the key that signs new attestations.
    signing: bool,
}

#[derive(Serialize)]
struct KeySet {
    format: &'static str,
    keys: Vec<Jwk>,
}

pub async fn attestation_keys(State(state): State<AppState>) -> Response {
    let keys = state
        .attestations
        .keys()
        .public_keys()
        .into_iter()
        .enumerate()
        .map(|(index, (kid, public))| Jwk {
            kty: "OKP",
            crv: "Ed25519",
            kid: kid.to_owned(),
            x: URL_SAFE_NO_PAD.encode(public),
            usage: "sig",
            signing: index == 0,
        })
        .collect();
    let mut response = Json(KeySet {
        format: "CAISSE-ATT1",
        keys,
    })
    .into_response();
    // Public data, the same for everyone: proxies and verifiers may keep it a while.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
