//! Opaque bearer tokens of the JSON API: random, stored as SHA-256, revocable, expiring.

use caisse_domain::AuditAction;
use caisse_store::api_tokens;
use serde_json::json;
use uuid::Uuid;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::auth::Authenticator;
use crate::one_time::Issued;
use crate::tokens::token_digest;

/// A token just issued.
#[derive(Clone)]
pub struct IssuedToken {
    /// The secret, shown once.
    pub token: String,
    /// End of validity.
    pub expires_at: time::OffsetDateTime,
}

debug_fields!(IssuedToken { expires_at });

impl Authenticator {
    /// Issues an API token to a member who has just logged in.
    ///
    /// # Errors
    /// When randomness or the database fails.
    #[tracing::instrument(name = "auth.issue_api_token", skip_all, fields(%member_id))]
    pub async fn issue_api_token(
        &self,
        member_id: Uuid,
        label: &str,
        context: &RequestContext,
    ) -> Result<IssuedToken, CoreError> {
        let issued = Issued::new()?;
        let now = self.clock.instant();
        let expires_at = now + self.settings.api_token_ttl;
        api_tokens::insert(&self.db, issued.digest, member_id, label, expires_at, now).await?;
        audit::record(
            &self.db,
            context,
            Actor::Member(member_id),
            AuditAction::MemberApiTokenIssued,
            Some(("member", member_id)),
            json!({}),
            now,
        )
        .await?;
        Ok(IssuedToken {
            token: issued.token,
            expires_at: expires_at.get(),
        })
    }

    /// The member a live token belongs to, when their account is active.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "auth.resolve_api_token", skip_all)]
    pub async fn resolve_api_token(&self, token: &str) -> Result<Option<Uuid>, CoreError> {
        let now = self.clock.instant();
        let hash = token_digest(token);
        let Some(row) = api_tokens::find_usable(&self.db, &hash, now).await? else {
            return Ok(None);
        };
        if now - row.last_used_at >= time::Duration::minutes(1) {
            api_tokens::touch(&self.db, &hash, now).await?;
        }
        Ok(Some(row.member_id))
    }

    /// Revokes a token (logout).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "auth.revoke_api_token", skip_all)]
    pub async fn revoke_api_token(&self, token: &str) -> Result<(), CoreError> {
        api_tokens::revoke(&self.db, &token_digest(token), self.clock.instant()).await?;
        Ok(())
    }
}
