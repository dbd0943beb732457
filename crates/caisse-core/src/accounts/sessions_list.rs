//! « Mes connexions »: the member sees where their account is open (browser sessions,
//! trusted devices, app tokens) and closes any of them.

use caisse_domain::{AuditAction, SubjectKind};
use caisse_store::{TransactionTrait, api_tokens, devices, sessions};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Accounts;
use super::ending::Ending;
use super::errors::AccountError;
use crate::CoreError;
use crate::audit::RequestContext;

/// An open browser session.
#[derive(Clone)]
pub struct ConnectedSession {
    /// Opaque id (the stored digest of the cookie token, never the token).
    pub id: String,
    /// Browser and system, in French (« Firefox sur Windows »).
    pub device: String,
    /// Client address when it opened.
    pub ip: String,
    /// Opened at.
    pub created_at: OffsetDateTime,
    /// Last request.
    pub last_seen_at: OffsetDateTime,
    /// The session making this request.
    pub current: bool,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for ConnectedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectedSession")
            .field("created_at", &self.created_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("current", &self.current)
            .finish_non_exhaustive()
    }
}

/// A browser that skips the login code.
#[derive(Clone, Debug)]
pub struct TrustedDevice {
    /// Opaque id (stored digest).
    pub id: String,
    /// Browser and system.
    pub device: String,
    /// Trusted since.
    pub created_at: OffsetDateTime,
    /// Last used.
    pub last_used_at: OffsetDateTime,
}

/// A token of the mobile app.
#[derive(Clone, Debug)]
pub struct ApiTokenInfo {
    /// Opaque id (stored digest).
    pub id: String,
    /// What the app called itself.
    pub device: String,
    /// Issued at.
    pub created_at: OffsetDateTime,
    /// Last used.
    pub last_used_at: OffsetDateTime,
}

/// Everything open on the account.
#[derive(Clone, Debug)]
pub struct ConnectionsOverview {
    /// Browser sessions, most recent first.
    pub sessions: Vec<ConnectedSession>,
    /// Trusted browsers.
    pub devices: Vec<TrustedDevice>,
    /// App tokens.
    pub api_tokens: Vec<ApiTokenInfo>,
}

/// « Firefox sur Windows » from a user agent; the raw string is no use to a member.
pub fn describe_user_agent(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("caisse-mobile", "Application mobile"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map_or("Navigateur inconnu", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    match system {
        Some(system) => format!("{browser} sur {system}"),
        None => browser.to_owned(),
    }
}

/// Which kind of connection to close.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionKind {
    /// A browser session.
    Session,
    /// A trusted device.
    Device,
    /// An app token.
    ApiToken,
}

impl Accounts {
    /// What is open on the account; `current_session` marks the one in use.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "accounts.connections", skip_all, fields(%member_id))]
    pub async fn connections(
        &self,
        member_id: Uuid,
        current_session: &str,
    ) -> Result<ConnectionsOverview, CoreError> {
        let now = self.clock.instant();
        let sessions = sessions::live_of(&self.db, SubjectKind::Member, member_id, now)
            .await?
            .into_iter()
            .map(|s| ConnectedSession {
                current: s.token_hash == current_session,
                id: s.token_hash,
                device: describe_user_agent(&s.user_agent),
                ip: s.ip,
                created_at: s.created_at.get(),
                last_seen_at: s.last_seen_at.get(),
            })
            .collect();
        let devices = devices::trusted_of(&self.db, member_id)
            .await?
            .into_iter()
            .map(|d| TrustedDevice {
                device: describe_user_agent(&d.label),
                id: d.token_hash,
                created_at: d.created_at.get(),
                last_used_at: d.last_used_at.get(),
            })
            .collect();
        let api_tokens = api_tokens::live_of(&self.db, member_id, now)
            .await?
            .into_iter()
            .map(|t| ApiTokenInfo {
                device: describe_user_agent(&t.label),
                id: t.token_hash,
                created_at: t.created_at.get(),
                last_used_at: t.last_used_at.get(),
            })
            .collect();
        Ok(ConnectionsOverview {
            sessions,
            devices,
            api_tokens,
        })
    }

    /// Closes one connection of this member.
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] when it is not theirs or already closed.
    #[tracing::instrument(name = "accounts.revoke_connection", skip_all, fields(%member_id, ?kind))]
    pub async fn revoke_connection(
        &self,
        member_id: Uuid,
        kind: ConnectionKind,
        id: &str,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        let revoked = match kind {
            ConnectionKind::Session => {
                sessions::revoke_owned(&txn, SubjectKind::Member, member_id, id, now).await?
            }
            ConnectionKind::Device => devices::revoke_trusted(&txn, member_id, id, now).await?,
            ConnectionKind::ApiToken => api_tokens::revoke_owned(&txn, member_id, id, now).await?,
        };
        if !revoked {
            txn.rollback().await?;
            return Err(AccountError::NothingToDo);
        }
        let action = match kind {
            ConnectionKind::Session => AuditAction::MemberSessionRevoked,
            ConnectionKind::Device => AuditAction::MemberDeviceRevoked,
            ConnectionKind::ApiToken => AuditAction::MemberApiTokenRevoked,
        };
        self.finish(txn, context, Ending::by_member(member_id, action), now)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::describe_user_agent;

    #[test]
    fn user_agents_read_as_browser_and_system() {
        assert_eq!(
            describe_user_agent(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
            ),
            "Chrome sur Linux"
        );
        assert_eq!(
            describe_user_agent(
                "Mozilla/5.0 (Windows NT 10.0; rv:140.0) Gecko/20100101 Firefox/140.0"
            ),
            "Firefox sur Windows"
        );
        assert_eq!(describe_user_agent(""), "Navigateur inconnu");
    }
}
