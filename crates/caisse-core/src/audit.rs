//! Recording security events and personal-data accesses in the append-only audit log.

use caisse_domain::AuditAction;
use caisse_store::ConnectionTrait;
use caisse_store::audit::{self, NewEvent};
use time::OffsetDateTime;
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
    fn parts(self) -> (&'static str, Option<Uuid>) {
        match self {
            Actor::Member(id) => ("member", Some(id)),
            Actor::Staff(id) => ("staff", Some(id)),
            Actor::Anonymous => ("anonymous", None),
            Actor::System => ("system", None),
        }
    }
}

/// Appends one event. Call it inside the transaction of the action it describes, so the log
/// and the action commit or roll back together.
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
    now: OffsetDateTime,
) -> Result<(), CoreError> {
    audit::record(db, event(context, actor, action, subject, details), now).await?;
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
