//! Suspicious activity on one account: wrong passwords from many addresses (a distributed
//! attack that per-address limits and the lockout alone do not stop) or a burst of reset
//! requests. The account is suspended, its sessions, API tokens and trusted devices revoked,
//! and the fund alerted; a staff member lifts the suspension after talking to the member.
//!
//! No enumeration: only the owner, after typing the right password, learns that the account
//! is suspended; everybody else sees the usual answers.

use caisse_domain::{AccountStatus, AlertKind, AuditAction, Instant, SubjectKind};
use caisse_store::members;
use caisse_store::outbox::{self, NewMessage};
use caisse_store::{
    ConnectionTrait, api_tokens, audit as audit_store, devices, security_alerts, sessions,
};
use serde_json::json;
use time::Duration;
use uuid::Uuid;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::mails::{self, security::AccountSuspended};

/// When activity is suspicious.
#[derive(Clone, Debug)]
pub struct SuspicionPolicy {
    /// Distinct client addresses with a wrong password on one account within `window`.
    pub failing_addresses: u64,
    /// Window of the count above.
    pub window: Duration,
    /// Reset requests for one account within `reset_window`.
    pub reset_requests: u64,
    /// Window of the count above.
    pub reset_window: Duration,
    /// The fund's phone number, for the suspension mail.
    pub phone: String,
}

impl Default for SuspicionPolicy {
    fn default() -> Self {
        SuspicionPolicy {
            failing_addresses: 5,
            window: Duration::hours(1),
            reset_requests: 6,
            reset_window: Duration::hours(24),
            phone: "36 46".to_owned(),
        }
    }
}

/// What was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suspicion {
    /// Wrong passwords from many addresses.
    DistributedFailures,
    /// Many reset requests.
    ResetBurst,
}

impl Suspicion {
    /// The alert it raises; its code is the reason the audit log records.
    fn alert(self) -> AlertKind {
        match self {
            Suspicion::DistributedFailures => AlertKind::DistributedFailures,
            Suspicion::ResetBurst => AlertKind::ResetBurst,
        }
    }
}

/// Looks at the recent activity on a member's account and suspends it when `kind` of
/// activity passed its threshold. Returns whether it suspended. Call after the event itself
/// was recorded, in the transaction that recorded it.
///
/// # Errors
/// When the database fails.
pub async fn review<C: ConnectionTrait>(
    db: &C,
    policy: &SuspicionPolicy,
    member_id: Uuid,
    kind: Suspicion,
    context: &RequestContext,
    now: Instant,
) -> Result<bool, CoreError> {
    if !is_suspicious(db, policy, member_id, kind, now).await? {
        return Ok(false);
    }
    suspend(db, policy, member_id, kind, context, now).await
}

/// Whether `kind` of activity on the account passed its threshold (reads only).
///
/// # Errors
/// When the database fails.
pub async fn is_suspicious<C: ConnectionTrait>(
    db: &C,
    policy: &SuspicionPolicy,
    member_id: Uuid,
    kind: Suspicion,
    now: Instant,
) -> Result<bool, CoreError> {
    Ok(match kind {
        Suspicion::DistributedFailures => {
            audit_store::distinct_ips_since(
                db,
                "member",
                member_id,
                AuditAction::MemberLoginFailed,
                now - policy.window,
            )
            .await?
                >= policy.failing_addresses
        }
        Suspicion::ResetBurst => {
            let since = now - policy.reset_window;
            let mut requests = 0;
            for action in [
                AuditAction::MemberPasswordResetRequested,
                AuditAction::MemberPasswordResetThrottled,
            ] {
                requests +=
                    audit_store::count_since(db, "member", member_id, action, since).await?;
            }
            requests >= policy.reset_requests
        }
    })
}

/// Suspends an active account, alerts the fund and tells the member; returns whether it
/// suspended (an account that is not active is left alone). Call in a transaction.
///
/// # Errors
/// When the database fails.
pub async fn suspend<C: ConnectionTrait>(
    db: &C,
    policy: &SuspicionPolicy,
    member_id: Uuid,
    kind: Suspicion,
    context: &RequestContext,
    now: Instant,
) -> Result<bool, CoreError> {
    let Some(account) = members::find_account(db, member_id).await? else {
        return Ok(false);
    };
    if account.status != AccountStatus::Active {
        return Ok(false);
    }
    members::set_account_status(db, member_id, AccountStatus::Suspended, now).await?;
    // Whoever caused the suspicion may already hold a session, a token or a trusted device:
    // none survives it (sessions are also refused while the account is not active).
    sessions::revoke_all(db, SubjectKind::Member, member_id, now).await?;
    api_tokens::revoke_all(db, member_id, now).await?;
    devices::revoke_all_trusted(db, member_id, now).await?;
    let member = members::find(db, member_id).await?;
    if let Some(member) = &member {
        security_alerts::raise(db, member_id, &member.caisse_code, kind.alert(), now).await?;
        if let Some(recipient) = &member.email {
            let text = mails::mail(&AccountSuspended {
                first_name: &member.first_name,
                phone: &policy.phone,
            })?;
            outbox::enqueue(
                db,
                NewMessage::email(
                    recipient,
                    text.subject,
                    text.body,
                    Some(&member.caisse_code),
                ),
                now,
            )
            .await?;
        }
    }
    audit::record(
        db,
        context,
        Actor::System,
        AuditAction::MemberAccountSuspended,
        Some(("member", member_id)),
        json!({ "reason": kind.alert().code() }),
        now,
    )
    .await?;
    Ok(true)
}
