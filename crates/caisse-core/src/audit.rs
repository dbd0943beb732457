//! Recording security events and personal-data accesses in the append-only audit log.

use caisse_domain::{ActorKind, AuditAction, Instant};
use caisse_store::ConnectionTrait;
use caisse_store::audit::{self, NewEvent};
use uuid::Uuid;

use crate::CoreError;

/// Where a request came from, for the audit log and the security history.
#[derive(Clone, Default)]
pub struct RequestContext {
    /// Client IP address.
    pub ip: String,
    /// Client user agent.
    pub user_agent: String,
}

debug_fields!(RequestContext {});

/// Who acted.
#[derive(Clone, Copy, Debug)]
pub enum Actor {
    /// An identified member.
    Member(Uuid),
    /// An identified staff user.
    Staff(Uuid),
    /// Someone not (yet) identified.
    Anonymous,
    /// The system itself (workers, CLI).
    System,
}

impl Actor {
    fn parts(self) -> (ActorKind, Option<Uuid>) {
        match self {
            Actor::Member(id) => (ActorKind::Member, Some(id)),
            Actor::Staff(id) => (ActorKind::Staff, Some(id)),
            Actor::Anonymous => (ActorKind::Anonymous, None),
            Actor::System => (ActorKind::System, None),
        }
    }
}

/// Appends one event. Call it inside the transaction of the action it describes, so the log
/// and the action commit or roll back together. `now` is an [`Instant`], or an
/// `OffsetDateTime` from [`crate::clock::Clock::now`] (secure messaging passes one).
///
/// # Errors
/// When the database fails.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    context: &RequestContext,
    actor: Actor,
    action: AuditAction,
    subject: Option<(&'static str, Uuid)>,
    details: serde_json::Value,
    now: impl Into<Instant>,
) -> Result<(), CoreError> {
    audit::record(
        db,
        event(context, actor, action, subject, details),
        now.into(),
    )
    .await?;
    Ok(())
}

/// The event [`record`] appends, for a caller that writes many at once.
pub fn event(
    context: &RequestContext,
    actor: Actor,
    action: AuditAction,
    subject: Option<(&'static str, Uuid)>,
    details: serde_json::Value,
) -> NewEvent {
    let (actor_kind, actor_id) = actor.parts();
    NewEvent {
        actor_kind,
        actor_id,
        action,
        subject_kind: subject.map(|(kind, _)| kind),
        subject_id: subject.map(|(_, id)| id),
        ip: context.ip.clone(),
        user_agent: context.user_agent.clone(),
        details,
    }
}
