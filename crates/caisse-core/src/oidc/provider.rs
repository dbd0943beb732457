//! One OpenID Connect provider seen from Caisse, the relying party: discovery (cached an hour),
//! the authorization request (state, nonce, PKCE S256, `acr_values`), the code exchange, the ID
//! token's checks by `openidconnect` (signature with ES256 or RS256 only, `iss`, `aud`, `exp`,
//! `nonce`) plus the `acr`, the userinfo (a signed JWT when the provider is set up for it), and
//! the RP-initiated logout URL.
//!
//! A token signed by a key the cached key set does not hold makes one fresh discovery (the
//! provider rotated its keys) before it is refused.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreJwsSigningAlgorithm,
};
use openidconnect::reqwest;
use openidconnect::{
    AccessToken, AuthenticationContextClass, AuthorizationCode, ClaimsVerificationError, ClientId,
    ClientSecret, CsrfToken, IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
    RedirectUrl, Scope, SignatureVerificationError, TokenResponse,
};
use serde_json::{Map, Value};
use tokio::sync::RwLock;
use url::Url;

use super::jws;

/// How a provider knows Caisse.
#[derive(Clone)]
pub struct OidcSettings {
    /// The issuer (`https://oidc.franceconnect.gouv.fr/api/v2`); discovery is read below it.
    pub issuer: String,
    /// Caisse's client id at the provider.
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
    /// Where the provider sends the browser back (registered at the provider).
    pub redirect_url: String,
    /// Where the provider sends the browser after its logout (registered too), if Caisse asks
    /// for the provider's logout.
    pub post_logout_url: Option<String>,
    /// The scopes asked for, besides `openid`.
    pub scopes: Vec<String>,
    /// `acr_values` of the request (`eidas1` for FranceConnect).
    pub acr_values: Option<String>,
    /// The `acr` an ID token may carry; empty: not checked.
    pub accepted_acr: Vec<String>,
    /// Refuse a userinfo that is not a signed JWT.
    pub signed_userinfo: bool,
    /// Send the client secret in the request body (`client_secret_post`, FranceConnect's
    /// way) rather than in a Basic header.
    pub secret_in_body: bool,
}

/// Masked: never the secret.
impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("redirect_url", &self.redirect_url)
            .field("scopes", &self.scopes)
            .field("acr_values", &self.acr_values)
            .field("signed_userinfo", &self.signed_userinfo)
            .finish_non_exhaustive()
    }
}

/// Why a login through the provider failed.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached, or answered with a server error.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the request or the code (it says why).
    #[error("provider refused: {0}")]
    Refused(String),
    /// The ID token failed a check (signature, algorithm, issuer, audience, expiry, nonce).
    #[error("invalid ID token: {0}")]
    InvalidIdToken(String),
    /// The ID token's `acr` is not one accepted.
    #[error("authentication level not accepted")]
    AcrNotAccepted,
    /// The userinfo failed a check (unsigned when signed is required, bad signature, another
    /// subject).
    #[error("invalid userinfo: {0}")]
    InvalidUserinfo(String),
    /// The settings do not make a client (a URL that does not parse).
    #[error("configuration: {0}")]
    Configuration(String),
}

/// An authorization request to send the browser to, with the secrets to keep until the
/// provider answers. `Debug` shows none of them.
pub struct Authorization {
    /// Where to send the browser.
    pub url: Url,
    /// The `state` sent.
    pub state: String,
    /// The `nonce` sent.
    pub nonce: String,
    /// The PKCE verifier of the challenge sent.
    pub pkce_verifier: String,
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authorization { .. }")
    }
}

/// A person the provider vouched for, every check passed. `Debug` shows the issuer only.
pub struct VerifiedIdentity {
    /// The provider's issuer.
    pub issuer: String,
    /// The person's identifier at the provider, for Caisse (`sub`).
    pub subject: String,
    /// The level of the authentication (`eidas1`).
    pub acr: String,
    /// The ID token as received, for the logout's `id_token_hint`.
    pub id_token: String,
    /// The userinfo claims (and, for claims only the ID token carries, nothing else).
    pub claims: Map<String, Value>,
}

impl std::fmt::Debug for VerifiedIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedIdentity")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl VerifiedIdentity {
    /// A string claim.
    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

/// How long a discovery document (with its keys) is trusted before it is read again.
const DISCOVERY_TTL: StdDuration = StdDuration::from_secs(3600);

struct Discovered {
    metadata: ProviderMetadataWithLogout,
    fetched_at: std::time::Instant,
}

/// A provider, with its discovery cached.
#[derive(Clone)]
pub struct OidcProvider {
    settings: Arc<OidcSettings>,
    /// The issuer's origin, read once (every response's CSP names it).
    origin: Option<String>,
    http: reqwest::Client,
    discovered: Arc<RwLock<Option<Arc<Discovered>>>>,
}

impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

fn unavailable(error: impl std::fmt::Display) -> OidcError {
    OidcError::Unavailable(error.to_string())
}

/// The only signature algorithms accepted: FranceConnect v2 signs with ES256 or RS256; `none`
/// and HS256 (a shared secret) never pass.
fn accepted_algorithms() -> Vec<CoreJwsSigningAlgorithm> {
    vec![
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    ]
}

impl OidcProvider {
    /// A provider with these settings.
    ///
    /// # Errors
    /// [`OidcError::Configuration`] when the HTTP client cannot be built.
    pub fn new(settings: OidcSettings) -> Result<OidcProvider, OidcError> {
        // No redirects: a provider's endpoint that redirects elsewhere is not followed (SSRF).
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(StdDuration::from_secs(10))
            .connect_timeout(StdDuration::from_secs(5))
            .build()
            .map_err(|e| OidcError::Configuration(e.to_string()))?;
        let origin = Url::parse(&settings.issuer)
            .ok()
            .map(|url| url.origin().ascii_serialization())
            .filter(|origin| origin != "null");
        Ok(OidcProvider {
            settings: Arc::new(settings),
            origin,
            http,
            discovered: Arc::new(RwLock::new(None)),
        })
    }

    /// The settings.
    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The issuer's origin (`https://oidc.franceconnect.gouv.fr`): pages whose forms lead to
    /// the provider (a login button, a logout) allow it as a form target.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    async fn discover(&self) -> Result<Arc<Discovered>, OidcError> {
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| OidcError::Configuration(e.to_string()))?;
        // Boxed: the discovery's future is large, and every handler that may log out awaits it.
        let metadata = Box::pin(ProviderMetadataWithLogout::discover_async(
            issuer, &self.http,
        ))
        .await
        .map_err(unavailable)?;
        let discovered = Arc::new(Discovered {
            metadata,
            fetched_at: std::time::Instant::now(),
        });
        *self.discovered.write().await = Some(discovered.clone());
        Ok(discovered)
    }

    async fn metadata(&self) -> Result<Arc<Discovered>, OidcError> {
        if let Some(cached) = self.discovered.read().await.clone()
            && cached.fetched_at.elapsed() < DISCOVERY_TTL
        {
            return Ok(cached);
        }
        self.discover().await
    }

    fn client(&self, discovered: &Discovered) -> Result<ConfiguredClient, OidcError> {
        let redirect = RedirectUrl::new(self.settings.redirect_url.clone())
            .map_err(|e| OidcError::Configuration(e.to_string()))?;
        let mut client = CoreClient::from_provider_metadata(
            discovered.metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        if self.settings.secret_in_body {
            client = client.set_auth_type(openidconnect::AuthType::RequestBody);
        }
        Ok(client)
    }

    /// A new authorization request.
    ///
    /// # Errors
    /// [`OidcError::Unavailable`] when the discovery fails.
    pub async fn authorize(&self) -> Result<Authorization, OidcError> {
        let discovered = self.metadata().await?;
        let client = self.client(&discovered)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                // 32 random bytes each (43 characters): FranceConnect+ asks for 32 characters
                // at least, FranceConnect for 22.
                || CsrfToken::new_random_len(32),
                || Nonce::new_random_len(32),
            )
            .set_pkce_challenge(challenge);
        for scope in &self.settings.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        if let Some(acr) = &self.settings.acr_values {
            request = request.add_auth_context_value(AuthenticationContextClass::new(acr.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok(Authorization {
            url,
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code the provider sent back and checks everything it says.
    ///
    /// # Errors
    /// See [`OidcError`].
    pub async fn redeem(
        &self,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
    ) -> Result<VerifiedIdentity, OidcError> {
        let discovered = self.metadata().await?;
        let client = self.client(&discovered)?;
        let exchange = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Configuration(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()));
        let response = Box::pin(exchange.request_async(&self.http))
            .await
            .map_err(|e| match e {
                openidconnect::RequestTokenError::ServerResponse(refusal) => {
                    OidcError::Refused(refusal.error().to_string())
                }
                openidconnect::RequestTokenError::Parse(error, _) => {
                    OidcError::InvalidIdToken(error.to_string())
                }
                other => unavailable(other),
            })?;
        let id_token = response
            .id_token()
            .ok_or_else(|| OidcError::InvalidIdToken("no ID token".to_owned()))?;
        let nonce = Nonce::new(nonce.to_owned());
        let (subject, acr, discovered) = match check_id_token(&client, id_token, &nonce) {
            Err(IdTokenFailure::UnknownKey) => {
                // The provider may have rotated its keys since the discovery: read them again,
                // once.
                let fresh = self.discover().await?;
                let (subject, acr) = check_id_token(&self.client(&fresh)?, id_token, &nonce)
                    .map_err(IdTokenFailure::into_error)?;
                (subject, acr, fresh)
            }
            other => {
                let (subject, acr) = other.map_err(IdTokenFailure::into_error)?;
                (subject, acr, discovered)
            }
        };
        if !self.settings.accepted_acr.is_empty() && !self.settings.accepted_acr.contains(&acr) {
            return Err(OidcError::AcrNotAccepted);
        }
        let claims = self
            .userinfo(&discovered, response.access_token(), &subject)
            .await?;
        Ok(VerifiedIdentity {
            issuer: discovered.metadata.issuer().to_string(),
            subject,
            acr,
            id_token: id_token.to_string(),
            claims,
        })
    }

    async fn userinfo(
        &self,
        discovered: &Discovered,
        access_token: &AccessToken,
        subject: &str,
    ) -> Result<Map<String, Value>, OidcError> {
        let Some(endpoint) = discovered.metadata.userinfo_endpoint() else {
            return Err(OidcError::InvalidUserinfo(
                "no userinfo endpoint".to_owned(),
            ));
        };
        let accept = if self.settings.signed_userinfo {
            "application/jwt"
        } else {
            "application/json"
        };
        let response = Box::pin(
            self.http
                .get(endpoint.url().clone())
                .bearer_auth(access_token.secret())
                .header("accept", accept)
                .send(),
        )
        .await
        .map_err(unavailable)?;
        let status = response.status();
        if status.is_server_error() {
            return Err(OidcError::Unavailable(format!(
                "userinfo answered {status}"
            )));
        }
        if !status.is_success() {
            return Err(OidcError::Refused(format!("userinfo answered {status}")));
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json")
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let body = Box::pin(response.text()).await.map_err(unavailable)?;
        let claims = if content_type == "application/jwt" {
            let checked = jws::verify(body.trim(), discovered.metadata.jwks());
            let payload = match checked {
                Err(jws::JwsError::UnknownKey) => {
                    let fresh = self.discover().await?;
                    jws::verify(body.trim(), fresh.metadata.jwks())
                }
                other => other,
            }
            .map_err(|e| OidcError::InvalidUserinfo(e.to_string()))?;
            self.check_signed_claims(&discovered.metadata, &payload)?;
            payload
        } else if content_type == "application/json" {
            if self.settings.signed_userinfo {
                return Err(OidcError::InvalidUserinfo(
                    "unsigned userinfo where a signed one is required".to_owned(),
                ));
            }
            serde_json::from_str::<Map<String, Value>>(&body)
                .map_err(|e| OidcError::InvalidUserinfo(e.to_string()))?
        } else {
            return Err(OidcError::InvalidUserinfo(format!(
                "unexpected content type {content_type}"
            )));
        };
        if claims.get("sub").and_then(Value::as_str) != Some(subject) {
            return Err(OidcError::InvalidUserinfo(
                "the userinfo is about another subject".to_owned(),
            ));
        }
        Ok(claims)
    }

    /// A signed userinfo must come from the issuer, for this client, when it says so.
    fn check_signed_claims(
        &self,
        metadata: &ProviderMetadataWithLogout,
        claims: &Map<String, Value>,
    ) -> Result<(), OidcError> {
        if let Some(iss) = claims.get("iss")
            && iss.as_str() != Some(metadata.issuer().as_str())
        {
            return Err(OidcError::InvalidUserinfo("another issuer".to_owned()));
        }
        let client_id = self.settings.client_id.as_str();
        let for_us = match claims.get("aud") {
            None => true,
            Some(Value::String(aud)) => aud == client_id,
            Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(client_id)),
            Some(_) => false,
        };
        if !for_us {
            return Err(OidcError::InvalidUserinfo("another audience".to_owned()));
        }
        Ok(())
    }

    /// The provider's logout URL for a session opened with `id_token`, `None` when the
    /// provider has no end-session endpoint or Caisse has no registered return.
    ///
    /// # Errors
    /// [`OidcError::Unavailable`] when the discovery fails.
    pub async fn logout_url(&self, id_token: &str, state: &str) -> Result<Option<Url>, OidcError> {
        let Some(post_logout) = &self.settings.post_logout_url else {
            return Ok(None);
        };
        let discovered = self.metadata().await?;
        let Some(endpoint) = discovered
            .metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()
        else {
            return Ok(None);
        };
        let token: CoreIdToken = id_token
            .parse()
            .map_err(|e: serde_json::Error| OidcError::InvalidIdToken(e.to_string()))?;
        let post_logout = PostLogoutRedirectUrl::new(post_logout.clone())
            .map_err(|e| OidcError::Configuration(e.to_string()))?;
        Ok(Some(
            LogoutRequest::from(endpoint)
                .set_id_token_hint(&token)
                .set_post_logout_redirect_uri(post_logout)
                .set_state(CsrfToken::new(state.to_owned()))
                .http_get_url(),
        ))
    }
}

/// The ID token's checks with the client's keys: signature (ES256 or RS256 only), issuer,
/// audience, expiry, nonce; returns its subject and `acr`.
fn check_id_token(
    client: &ConfiguredClient,
    id_token: &CoreIdToken,
    nonce: &Nonce,
) -> Result<(String, String), IdTokenFailure> {
    let verifier = client
        .id_token_verifier()
        .set_allowed_algs(accepted_algorithms());
    let claims = id_token.claims(&verifier, nonce).map_err(|e| match e {
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        ) => IdTokenFailure::UnknownKey,
        other => IdTokenFailure::Other(OidcError::InvalidIdToken(other.to_string())),
    })?;
    let acr = claims
        .auth_context_ref()
        .map(|acr| acr.as_str().to_owned())
        .unwrap_or_default();
    Ok((claims.subject().as_str().to_owned(), acr))
}

type ConfiguredClient = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

enum IdTokenFailure {
    UnknownKey,
    Other(OidcError),
}

impl IdTokenFailure {
    fn into_error(self) -> OidcError {
        match self {
            IdTokenFailure::UnknownKey => OidcError::InvalidIdToken(
                "signed by a key the provider does not publish".to_owned(),
            ),
            IdTokenFailure::Other(error) => error,
        }
    }
}
