//! Logging in through OpenID Connect providers (issue 18): [`franceconnect`] for members,
//! [`staff_idp`] for staff through the fund's own identity provider, both over one relying
//! party ([`provider`]).
//!
//! A login starts with `Relying::begin`: the `state` goes to the provider and its digest to
//! `oidc_requests`, with the nonce, PKCE verifier and destination sealed and the browser's
//! cookie digest beside them. `Relying::answer` takes that row back once (a replay, another browser
//! or a made-up `state` find nothing) before any code is exchanged.

pub mod franceconnect;
pub mod jws;
pub mod provider;
pub mod staff_idp;

use std::sync::Arc;

use caisse_domain::{AuditAction, LoginProvider};
use caisse_store::{Db, oidc as store};
use serde::{Deserialize, Serialize};
use serde_json::json;
use url::Url;

pub use provider::{OidcError, OidcProvider, OidcSettings, VerifiedIdentity};

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::clock::Clock;
use crate::one_time::Issued;
use crate::sealing::Aead;
use crate::tokens::token_digest;

/// How long the provider may take to send the browser back.
const REQUEST_TTL: time::Duration = time::Duration::minutes(10);

/// Seals the secrets of requests on their way and the ID tokens kept for logouts. `Debug`
/// never shows it.
#[derive(Clone)]
pub struct OidcSeal(Aead);

impl std::fmt::Debug for OidcSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OidcSeal(***)")
    }
}

impl OidcSeal {
    /// Derives the key from the server key, under its own label.
    ///
    /// # Errors
    /// Never in practice (see [`crate::staff_totp::SealingKey::derive`]).
    pub fn derive(server_key: &[u8]) -> Result<OidcSeal, CoreError> {
        Aead::derive(
            server_key,
            b"caisse: OpenID Connect requests and ID tokens, v1",
        )
        .map(OidcSeal)
    }

    pub(crate) fn seal(&self, plain: &[u8], aad: &[u8]) -> Result<String, CoreError> {
        self.0.seal(plain, aad)
    }

    pub(crate) fn open(&self, sealed: &str, aad: &[u8]) -> Option<Vec<u8>> {
        self.0.open(sealed, aad)
    }
}

/// What the provider sent back to the redirect URL.
#[derive(Clone, Copy, Default)]
pub struct ProviderAnswer<'a> {
    /// `state`.
    pub state: Option<&'a str>,
    /// `code`, when the person logged in.
    pub code: Option<&'a str>,
    /// `error`, when they did not (`access_denied`: they cancelled).
    pub error: Option<&'a str>,
}

impl std::fmt::Debug for ProviderAnswer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderAnswer")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// Why the provider's answer leads nowhere.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// No request of this browser has this `state` (made up, replayed, expired, or started in
    /// another browser).
    #[error("unknown state")]
    UnknownState,
    /// The person cancelled at the provider, or the provider refused the request.
    #[error("cancelled at the provider: {0}")]
    Cancelled(String),
    /// The provider or its answer failed a check.
    #[error(transparent)]
    Provider(#[from] OidcError),
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl FlowError {
    /// A stable code of the refusal, for the audit log.
    pub fn reason(&self) -> &'static str {
        match self {
            FlowError::UnknownState => "unknown_state",
            FlowError::Cancelled(_) => "cancelled",
            FlowError::Provider(OidcError::Unavailable(_)) => "provider_unavailable",
            FlowError::Provider(OidcError::Refused(_)) => "provider_refused",
            FlowError::Provider(OidcError::InvalidIdToken(_)) => "invalid_id_token",
            FlowError::Provider(OidcError::AcrNotAccepted) => "acr_not_accepted",
            FlowError::Provider(OidcError::InvalidUserinfo(_)) => "invalid_userinfo",
            FlowError::Provider(OidcError::Configuration(_)) => "configuration",
            FlowError::Core(_) => "error",
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Pending {
    nonce: String,
    verifier: String,
    next: String,
}

/// Seals an ID token for the row `aad` names.
pub(crate) fn seal_id_token(
    seal: &OidcSeal,
    id_token: &str,
    aad: &str,
) -> Result<String, CoreError> {
    seal.seal(id_token.as_bytes(), aad.as_bytes())
}

/// Opens an ID token sealed for the row `aad` names.
pub(crate) fn open_id_token(seal: &OidcSeal, sealed: &str, aad: &str) -> Option<String> {
    seal.open(sealed, aad.as_bytes())
        .and_then(|plain| String::from_utf8(plain).ok())
}

/// Deletes the requests and pending links that expired more than a day before `now`, and the
/// ID tokens of sessions that are over; returns how many rows went. Run by the ten-minute job.
///
/// # Errors
/// When the database fails.
pub async fn purge_expired(
    db: &Db,
    now: impl Into<caisse_domain::Instant>,
) -> Result<u64, CoreError> {
    Ok(store::purge(db, now.into() - time::Duration::days(1)).await?)
}

/// What FranceConnect and the staff provider share: one provider, the database, and the rows
/// of their requests and sessions, tagged with `kind`.
#[derive(Clone)]
pub(crate) struct Relying {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) provider: OidcProvider,
    pub(crate) seal: OidcSeal,
    pub(crate) kind: LoginProvider,
}

impl std::fmt::Debug for Relying {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relying")
            .field("provider", &self.provider)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Relying {
    /// Starts a login for the browser whose cookie is `browser`; `next` is where to go once
    /// logged in. Returns the URL to send the browser to.
    ///
    /// # Errors
    /// [`FlowError::Provider`] when the provider cannot be reached.
    pub(crate) async fn begin(&self, browser: &str, next: &str) -> Result<Url, FlowError> {
        let authorization = self.provider.authorize().await?;
        let state_digest = token_digest(&authorization.state);
        let pending = Pending {
            nonce: authorization.nonce,
            verifier: authorization.pkce_verifier,
            next: next.to_owned(),
        };
        let plain = serde_json::to_vec(&pending).map_err(CoreError::from)?;
        let now = self.clock.instant();
        store::insert_request(
            &self.db,
            store::NewRequest {
                sealed: self.seal.seal(&plain, state_digest.as_bytes())?,
                state_digest,
                provider: self.kind,
                binding: token_digest(browser),
                expires_at: now + REQUEST_TTL,
            },
            now,
        )
        .await
        .map_err(CoreError::from)?;
        Ok(authorization.url)
    }

    /// Takes back the request the answer's `state` names, checks it is this browser's and this
    /// provider's, then exchanges the code; returns who logged in and where they were going.
    /// A refusal is audited as `refusal`, with its [`FlowError::reason`].
    ///
    /// # Errors
    /// See [`FlowError`].
    pub(crate) async fn answer(
        &self,
        browser: &str,
        provider_answer: ProviderAnswer<'_>,
        context: &RequestContext,
        refusal: AuditAction,
    ) -> Result<(VerifiedIdentity, String), FlowError> {
        let answered = self.redeem(browser, provider_answer).await;
        if let Err(error) = &answered {
            tracing::info!(%error, kind = self.kind.code(), "a provider's answer refused");
            self.refused(context, refusal, None, error.reason()).await;
        }
        answered
    }

    async fn redeem(
        &self,
        browser: &str,
        provider_answer: ProviderAnswer<'_>,
    ) -> Result<(VerifiedIdentity, String), FlowError> {
        let state = provider_answer.state.ok_or(FlowError::UnknownState)?;
        let state_digest = token_digest(state);
        let taken = store::take_request(&self.db, &state_digest, self.clock.instant())
            .await
            .map_err(CoreError::from)?
            .ok_or(FlowError::UnknownState)?;
        if taken.provider != self.kind || taken.binding != token_digest(browser) {
            return Err(FlowError::UnknownState);
        }
        let pending: Pending = self
            .seal
            .open(&taken.sealed, state_digest.as_bytes())
            .and_then(|plain| serde_json::from_slice(&plain).ok())
            .ok_or(FlowError::UnknownState)?;
        if let Some(error) = provider_answer.error {
            return Err(FlowError::Cancelled(error.chars().take(64).collect()));
        }
        let code = provider_answer
            .code
            .ok_or_else(|| FlowError::Cancelled("no code".to_owned()))?;
        let identity = self
            .provider
            .redeem(code, &pending.nonce, &pending.verifier)
            .await?;
        Ok((identity, pending.next))
    }

    /// Audits a refusal (`action`) with its `reason`; a failure to record it is logged, never
    /// shown: the person is refused anyway.
    pub(crate) async fn refused(
        &self,
        context: &RequestContext,
        action: AuditAction,
        subject: Option<(&'static str, uuid::Uuid)>,
        reason: &str,
    ) {
        let recorded = audit::record(
            &self.db,
            context,
            Actor::Anonymous,
            action,
            subject,
            json!({ "reason": reason }),
            self.clock.instant(),
        )
        .await;
        if let Err(error) = recorded {
            tracing::error!(%error, "a refused login through a provider could not be audited");
        }
    }

    /// Keeps `id_token` beside the session just opened with `session_token`, for its logout.
    pub(crate) async fn attach_session(
        &self,
        session_token: &str,
        id_token: &str,
    ) -> Result<(), CoreError> {
        let hash = token_digest(session_token);
        store::insert_session_token(
            &self.db,
            &hash,
            self.kind,
            seal_id_token(&self.seal, id_token, &hash)?,
            self.clock.instant(),
        )
        .await?;
        Ok(())
    }

    /// The provider's logout URL for a session being closed, when it was opened through this
    /// provider (`None` otherwise, or when the provider cannot be reached: the portal's session
    /// ends anyway).
    pub(crate) async fn logout(&self, session_hash: &str) -> Result<Option<Url>, CoreError> {
        let Some(sealed) = store::take_session_token(&self.db, session_hash, self.kind).await?
        else {
            return Ok(None);
        };
        let Some(id_token) = open_id_token(&self.seal, &sealed, session_hash) else {
            return Ok(None);
        };
        let state = Issued::new()?.token;
        match self.provider.logout_url(&id_token, &state).await {
            Ok(url) => Ok(url),
            Err(error) => {
                tracing::warn!(%error, "the provider's logout could not be reached");
                Ok(None)
            }
        }
    }
}
