//! Server-side sessions: creation, lookup with sliding idle expiry, revocation.

use std::sync::Arc;

pub use caisse_domain::SubjectKind;
use caisse_store::Db;
use caisse_store::sessions::{self, NewSession};
use time::Duration;
use uuid::Uuid;

use crate::CoreError;
use crate::audit::RequestContext;
use crate::clock::Clock;
use crate::one_time::Issued;
use crate::tokens::token_digest;

/// How long sessions last.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    /// A member session ends after this much inactivity.
    pub member_idle: Duration,
    /// A member session ends this long after login, whatever the activity.
    pub member_absolute: Duration,
    /// Same for staff (shorter: a back office holds many people's data).
    pub staff_idle: Duration,
    /// Same for staff.
    pub staff_absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            member_idle: Duration::minutes(30),
            member_absolute: Duration::hours(12),
            staff_idle: Duration::hours(1),
            staff_absolute: Duration::hours(10),
        }
    }
}

impl SessionPolicy {
    fn limits(&self, kind: SubjectKind) -> (Duration, Duration) {
        match kind {
            SubjectKind::Member => (self.member_idle, self.member_absolute),
            SubjectKind::Staff => (self.staff_idle, self.staff_absolute),
        }
    }
}

/// A session found for a request.
#[derive(Clone, Debug)]
pub struct ActiveSession {
    /// Digest of the cookie token (the session's key).
    pub token_hash: String,
    /// Member or staff.
    pub kind: SubjectKind,
    /// Their id.
    pub subject_id: Uuid,
}

/// Creates, resolves and revokes sessions.
#[derive(Clone)]
pub struct SessionService {
    db: Db,
    clock: Arc<dyn Clock>,
    policy: SessionPolicy,
}

/// Activity more recent than this does not rewrite the session row, to keep reads cheap.
const TOUCH_GRANULARITY: Duration = Duration::seconds(60);

impl SessionService {
    /// A service over this database.
    pub fn new(db: Db, clock: Arc<dyn Clock>, policy: SessionPolicy) -> SessionService {
        SessionService { db, clock, policy }
    }

    /// Opens a session and returns the token to put in the cookie (never stored as is).
    ///
    /// # Errors
    /// When randomness or the database fails.
    #[tracing::instrument(name = "sessions.open", skip_all, fields(?kind, %subject_id))]
    pub async fn open(
        &self,
        kind: SubjectKind,
        subject_id: Uuid,
        context: &RequestContext,
    ) -> Result<String, CoreError> {
        let issued = Issued::new()?;
        let now = self.clock.instant();
        let (idle, _) = self.policy.limits(kind);
        sessions::insert(
            &self.db,
            NewSession {
                token_hash: issued.digest,
                subject_kind: kind,
                subject_id,
                expires_at: now + idle,
                ip: context.ip.clone(),
                user_agent: context.user_agent.clone(),
            },
            now,
        )
        .await?;
        Ok(issued.token)
    }

    /// The live session for a cookie token, sliding its idle expiry; none when its owner may
    /// not use it now (a member whose account is suspended or closed, an inactive staff user).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "sessions.resolve", skip_all)]
    pub async fn resolve(&self, token: &str) -> Result<Option<ActiveSession>, CoreError> {
        let now = self.clock.instant();
        let hash = token_digest(token);
        let Some(row) = sessions::find_usable(&self.db, &hash, now).await? else {
            return Ok(None);
        };
        let kind = row.subject_kind;
        let (idle, absolute) = self.policy.limits(kind);
        let absolute_end = row.created_at + absolute;
        if now >= absolute_end {
            sessions::revoke(&self.db, &hash, now).await?;
            return Ok(None);
        }
        if now - row.last_seen_at >= TOUCH_GRANULARITY {
            sessions::touch(&self.db, &hash, now, (now + idle).min(absolute_end)).await?;
        }
        Ok(Some(ActiveSession {
            token_hash: hash,
            kind,
            subject_id: row.subject_id,
        }))
    }

    /// Ends one session.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "sessions.close", skip_all)]
    pub async fn close(&self, token_hash: &str) -> Result<(), CoreError> {
        sessions::revoke(&self.db, token_hash, self.clock.instant()).await?;
        Ok(())
    }

    /// Deletes sessions that ended more than a day ago; returns how many.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "sessions.purge_ended", skip_all)]
    pub async fn purge_ended(&self) -> Result<u64, CoreError> {
        Ok(
            sessions::delete_ended_before(&self.db, self.clock.instant() - Duration::days(1))
                .await?,
        )
    }
}
