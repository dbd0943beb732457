//! Queries on server-side sessions. Tokens arrive here already hashed.

use caisse_domain::Instant;
pub use caisse_domain::SubjectKind;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Select, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::session::{ActiveModel, Column, Entity, Model};
use crate::entities::staff;
use crate::one_time::{self, SecretTable, instant};

impl SecretTable for Entity {
    const KEY: Column = Column::TokenHash;
    const SPENT_AT: Column = Column::RevokedAt;
    const EXPIRES_AT: Option<Column> = Some(Column::ExpiresAt);
}

/// A session to create.
#[derive(Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie token, hex.
    pub token_hash: String,
    /// Member or staff.
    pub subject_kind: SubjectKind,
    /// Their id.
    pub subject_id: Uuid,
    /// When the session ends at the latest.
    pub expires_at: Instant,
    /// Client address, for the security history.
    pub ip: String,
    /// Client user agent, truncated.
    pub user_agent: String,
}

/// A live session. `Debug` shows neither its digest nor where it was opened.
#[derive(Clone)]
pub struct Session {
    /// SHA-256 of the cookie token, hex: the session's key.
    pub token_hash: String,
    /// Member or staff.
    pub subject_kind: SubjectKind,
    /// Their id.
    pub subject_id: Uuid,
    /// Opened at.
    pub created_at: Instant,
    /// Last request.
    pub last_seen_at: Instant,
    /// Idle end.
    pub expires_at: Instant,
    /// Client address when it opened.
    pub ip: String,
    /// Client user agent when it opened.
    pub user_agent: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("subject_kind", &self.subject_kind)
            .field("subject_id", &self.subject_id)
            .field("created_at", &self.created_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

fn session(row: Model) -> Result<Session, StoreError> {
    let subject_kind = SubjectKind::from_code(&row.subject_kind).ok_or_else(|| {
        StoreError::corrupt("sessions", "subject_kind", short_key(&row.token_hash))
    })?;
    Ok(Session {
        subject_kind,
        subject_id: row.subject_id,
        created_at: instant(row.created_at),
        last_seen_at: instant(row.last_seen_at),
        expires_at: instant(row.expires_at),
        ip: row.ip,
        user_agent: row.user_agent,
        token_hash: row.token_hash,
    })
}

/// The start of a digest, enough to name a row in a log without handing out the key.
pub(crate) fn short_key(digest: &str) -> String {
    digest.chars().take(8).collect()
}

/// Stores a new session.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    session: NewSession,
    now: Instant,
) -> Result<(), StoreError> {
    ActiveModel {
        token_hash: Set(session.token_hash),
        subject_kind: Set(session.subject_kind.code().to_owned()),
        subject_id: Set(session.subject_id),
        created_at: Set(now.get()),
        last_seen_at: Set(now.get()),
        expires_at: Set(session.expires_at.get()),
        revoked_at: Set(None),
        ip: Set(truncate(&session.ip, 64)),
        user_agent: Set(truncate(&session.user_agent, 256)),
    }
    .insert(db)
    .await?;
    Ok(())
}

fn truncate(value: &str, max_chars: usize) -> String {
    value.chars().take(max_chars).collect()
}

fn live(token_hash: &str, now: Instant) -> Select<Entity> {
    Entity::find_by_id(token_hash.to_owned()).filter(one_time::usable::<Entity>(now))
}

/// The live session with this token hash: not revoked, not expired.
pub async fn find_live<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: Instant,
) -> Result<Option<Session>, StoreError> {
    live(token_hash, now)
        .one(db)
        .await?
        .map(session)
        .transpose()
}

/// The live session with this token hash whose owner may use it now: a member whose account
/// is active (not suspended, closed or pending), or an active staff user. One statement: the
/// owner's state is read in the same query as the session.
pub async fn find_usable<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: Instant,
) -> Result<Option<Session>, StoreError> {
    // Correlated `EXISTS`, one key probe each: `IN (SELECT …)` under this `OR` made
    // PostgreSQL hash every active account for each session it read.
    let active_staff = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(staff::Entity)
            .and_where(
                Expr::col((staff::Entity, staff::Column::Id)).equals((Entity, Column::SubjectId)),
            )
            .and_where(Expr::col((staff::Entity, staff::Column::Active)).eq(true))
            .to_owned(),
    );
    let usable = Condition::any()
        .add(
            Condition::all()
                .add(Column::SubjectKind.eq(SubjectKind::Member.code()))
                .add(crate::members::has_active_account((
                    Entity,
                    Column::SubjectId,
                ))),
        )
        .add(
            Condition::all()
                .add(Column::SubjectKind.eq(SubjectKind::Staff.code()))
                .add(active_staff),
        );
    live(token_hash, now)
        .filter(usable)
        .one(db)
        .await?
        .map(session)
        .transpose()
}

/// Records activity and slides the idle expiry, never beyond `absolute_end`.
pub async fn touch<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: Instant,
    expires_at: Instant,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::LastSeenAt, Expr::value(now.get()))
        .col_expr(Column::ExpiresAt, Expr::value(expires_at.get()))
        .filter(Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes one session.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: Instant,
) -> Result<(), StoreError> {
    one_time::spend_all::<Entity, _>(
        db,
        Condition::all().add(Column::TokenHash.eq(token_hash)),
        now,
    )
    .await?;
    Ok(())
}

fn of_subject(kind: SubjectKind, subject_id: Uuid) -> Condition {
    Condition::all()
        .add(Column::SubjectKind.eq(kind.code()))
        .add(Column::SubjectId.eq(subject_id))
}

/// Revokes every live session of a subject; returns how many.
pub async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    kind: SubjectKind,
    subject_id: Uuid,
    now: Instant,
) -> Result<u64, StoreError> {
    one_time::spend_all::<Entity, _>(db, of_subject(kind, subject_id), now).await
}

/// Deletes sessions that ended before `cutoff`; returns how many.
pub async fn delete_ended_before<C: ConnectionTrait>(
    db: &C,
    cutoff: Instant,
) -> Result<u64, StoreError> {
    one_time::delete_expired_before::<Entity, _>(db, cutoff).await
}

/// The live sessions of a subject, most recently seen first.
pub async fn live_of<C: ConnectionTrait>(
    db: &C,
    subject_kind: SubjectKind,
    subject_id: Uuid,
    now: Instant,
) -> Result<Vec<Session>, StoreError> {
    Entity::find()
        .filter(of_subject(subject_kind, subject_id))
        .filter(one_time::usable::<Entity>(now))
        .order_by_desc(Column::LastSeenAt)
        .all(db)
        .await?
        .into_iter()
        .map(session)
        .collect()
}

/// Revokes one session of this subject (a member cannot revoke another's); returns whether
/// it was live.
pub async fn revoke_owned<C: ConnectionTrait>(
    db: &C,
    subject_kind: SubjectKind,
    subject_id: Uuid,
    token_hash: &str,
    now: Instant,
) -> Result<bool, StoreError> {
    let revoked = one_time::spend_all::<Entity, _>(
        db,
        of_subject(subject_kind, subject_id).add(Column::TokenHash.eq(token_hash)),
        now,
    )
    .await?;
    Ok(revoked == 1)
}

/// Revokes every session of a subject but one (the one in use); returns how many.
pub async fn revoke_others<C: ConnectionTrait>(
    db: &C,
    subject_kind: SubjectKind,
    subject_id: Uuid,
    keep_token_hash: &str,
    now: Instant,
) -> Result<u64, StoreError> {
    one_time::spend_all::<Entity, _>(
        db,
        of_subject(subject_kind, subject_id).add(Column::TokenHash.ne(keep_token_hash)),
        now,
    )
    .await
}
