//! Queries on server-side sessions. Tokens arrive here already hashed.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select,
    Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::session::{ActiveModel, Column, Entity, Model};
use crate::entities::staff;
use crate::{StoreError, normalize_instant};

/// Who a session belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
    /// An insured member.
    Member,
    /// A back-office user.
    Staff,
}

impl SubjectKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::Member => "member",
            SubjectKind::Staff => "staff",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<SubjectKind> {
        match code {
            "member" => Some(SubjectKind::Member),
            "staff" => Some(SubjectKind::Staff),
            _ => None,
        }
    }
}

/// A session to create.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// SHA-256 of the cookie token, hex.
    pub token_hash: String,
    /// Member or staff.
    pub subject_kind: SubjectKind,
    /// Their id.
    pub subject_id: Uuid,
    /// When the session ends at the latest.
    pub expires_at: OffsetDateTime,
    /// Client address, for the security history.
    pub ip: String,
    /// Client user agent, truncated.
    pub user_agent: String,
}

/// Stores a new session.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    session: NewSession,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let now = normalize_instant(now);
    ActiveModel {
        token_hash: Set(session.token_hash),
        subject_kind: Set(session.subject_kind.code().to_owned()),
        subject_id: Set(session.subject_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(normalize_instant(session.expires_at)),
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

fn live(token_hash: &str, now: OffsetDateTime) -> Select<Entity> {
    Entity::find_by_id(token_hash.to_owned())
        .filter(Column::RevokedAt.is_null())
        .filter(Column::ExpiresAt.gt(normalize_instant(now)))
}

/// The live session with this token hash: not revoked, not expired.
pub async fn find_live<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<Model>, StoreError> {
    Ok(live(token_hash, now).one(db).await?)
}

/// The live session with this token hash whose owner may use it now: a member whose account
/// is active (not suspended, closed or pending), or an active staff user. One statement: the
/// owner's state is read in the same query as the session.
pub async fn find_usable<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<Model>, StoreError> {
    let active_members = crate::members::active_account_ids();
    let active_staff = Query::select()
        .column(staff::Column::Id)
        .from(staff::Entity)
        .and_where(staff::Column::Active.eq(true))
        .to_owned();
    let usable = Condition::any()
        .add(
            Condition::all()
                .add(Column::SubjectKind.eq(SubjectKind::Member.code()))
                .add(Column::SubjectId.in_subquery(active_members)),
        )
        .add(
            Condition::all()
                .add(Column::SubjectKind.eq(SubjectKind::Staff.code()))
                .add(Column::SubjectId.in_subquery(active_staff)),
        );
    Ok(live(token_hash, now).filter(usable).one(db).await?)
}

/// Records activity and slides the idle expiry, never beyond `absolute_end`.
pub async fn touch<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::LastSeenAt, Expr::value(normalize_instant(now)))
        .col_expr(
            Column::ExpiresAt,
            Expr::value(normalize_instant(expires_at)),
        )
        .filter(Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes one session.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::TokenHash.eq(token_hash))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every live session of a subject; returns how many.
pub async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    kind: SubjectKind,
    subject_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::SubjectKind.eq(kind.code()))
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Deletes sessions that ended before `cutoff`; returns how many.
pub async fn delete_ended_before<C: ConnectionTrait>(
    db: &C,
    cutoff: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::delete_many()
        .filter(Column::ExpiresAt.lt(normalize_instant(cutoff)))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The live sessions of a subject, most recently seen first.
pub async fn live_of<C: ConnectionTrait>(
    db: &C,
    subject_kind: SubjectKind,
    subject_id: Uuid,
    now: OffsetDateTime,
) -> Result<Vec<Model>, StoreError> {
    use sea_orm::QueryOrder;
    Ok(Entity::find()
        .filter(Column::SubjectKind.eq(subject_kind.code()))
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::RevokedAt.is_null())
        .filter(Column::ExpiresAt.gt(normalize_instant(now)))
        .order_by_desc(Column::LastSeenAt)
        .all(db)
        .await?)
}

/// Revokes one session of this subject (a member cannot revoke another's); returns whether
/// it was live.
pub async fn revoke_owned<C: ConnectionTrait>(
    db: &C,
    subject_kind: SubjectKind,
    subject_id: Uuid,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::TokenHash.eq(token_hash))
        .filter(Column::SubjectKind.eq(subject_kind.code()))
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Revokes every session of a subject but one (the one in use); returns how many.
pub async fn revoke_others<C: ConnectionTrait>(
    db: &C,
    subject_kind: SubjectKind,
    subject_id: Uuid,
    keep_token_hash: &str,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(normalize_instant(now))))
        .filter(Column::SubjectKind.eq(subject_kind.code()))
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::TokenHash.ne(keep_token_hash))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
