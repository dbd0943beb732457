//! Logging in through OpenID Connect providers (`m0030_oidc`): authorization requests on their
//! way, members' FranceConnect links, identities waiting for the member's extra proof, and the
//! ID tokens of sessions opened through a provider (kept sealed for the logout).
//!
//! Every "take" is one conditional statement whose affected-row count says whether this call
//! won, so a replayed answer, or two tabs answering at once, use a request or a proof once.

use caisse_domain::{Instant, LoginProvider};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{fc_link, fc_pending_link, oidc_request, oidc_session};
use crate::one_time::instant;

/// An authorization request to remember. `Debug` shows no secret.
#[derive(Clone)]
pub struct NewRequest {
    /// SHA-256 of the `state` sent to the provider.
    pub state_digest: String,
    /// Which provider.
    pub provider: LoginProvider,
    /// Digest of the browser cookie that started it.
    pub binding: String,
    /// Nonce, PKCE verifier and destination, sealed by `caisse-core`.
    pub sealed: String,
    /// End of validity.
    pub expires_at: Instant,
}

impl std::fmt::Debug for NewRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewRequest")
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

/// A request taken back when the provider answered. `Debug` shows no secret.
#[derive(Clone)]
pub struct TakenRequest {
    /// Which provider.
    pub provider: LoginProvider,
    /// Digest of the browser cookie that started it.
    pub binding: String,
    /// What was sealed.
    pub sealed: String,
}

impl std::fmt::Debug for TakenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TakenRequest")
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

/// Remembers a request.
pub async fn insert_request<C: ConnectionTrait>(
    db: &C,
    new: NewRequest,
    now: Instant,
) -> Result<(), StoreError> {
    oidc_request::ActiveModel {
        state_digest: Set(new.state_digest),
        provider: Set(new.provider.code().to_owned()),
        binding: Set(new.binding),
        sealed: Set(new.sealed),
        created_at: Set(now.get()),
        expires_at: Set(new.expires_at.get()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Takes the live request of this `state` digest: deletes it and returns it when this call
/// deleted it and it had not expired. A second answer with the same `state` finds nothing.
pub async fn take_request<C: ConnectionTrait>(
    db: &C,
    state_digest: &str,
    now: Instant,
) -> Result<Option<TakenRequest>, StoreError> {
    let Some(row) = oidc_request::Entity::find_by_id(state_digest.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let deleted = oidc_request::Entity::delete_many()
        .filter(oidc_request::Column::StateDigest.eq(state_digest))
        .exec(db)
        .await?;
    if deleted.rows_affected != 1 || row.expires_at <= now.get() {
        return Ok(None);
    }
    let provider = LoginProvider::from_code(&row.provider)
        .ok_or_else(|| StoreError::corrupt("oidc_requests", "provider", "(state)"))?;
    Ok(Some(TakenRequest {
        provider,
        binding: row.binding,
        sealed: row.sealed,
    }))
}

/// A member's FranceConnect identity. `Debug` hides the subject.
#[derive(Clone, PartialEq, Eq)]
pub struct FcLink {
    /// Id.
    pub id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// The provider's issuer.
    pub issuer: String,
    /// The provider's identifier of the person (`sub`).
    pub subject: String,
    /// The level of the login that made the link (`eidas1`).
    pub acr: String,
    /// When it was made.
    pub linked_at: Instant,
    /// The latest login through it.
    pub last_login_at: Instant,
}

impl std::fmt::Debug for FcLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FcLink")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("acr", &self.acr)
            .finish_non_exhaustive()
    }
}

fn link(row: fc_link::Model) -> FcLink {
    FcLink {
        id: row.id,
        member_id: row.member_id,
        issuer: row.issuer,
        subject: row.subject,
        acr: row.acr,
        linked_at: instant(row.linked_at),
        last_login_at: instant(row.last_login_at),
    }
}

/// The link of this identity, if it is linked.
pub async fn find_link<C: ConnectionTrait>(
    db: &C,
    issuer: &str,
    subject: &str,
) -> Result<Option<FcLink>, StoreError> {
    Ok(fc_link::Entity::find()
        .filter(fc_link::Column::Issuer.eq(issuer))
        .filter(fc_link::Column::Subject.eq(subject))
        .one(db)
        .await?
        .map(link))
}

/// A member's links, oldest first.
pub async fn links_of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<FcLink>, StoreError> {
    Ok(fc_link::Entity::find()
        .filter(fc_link::Column::MemberId.eq(member_id))
        .order_by_asc(fc_link::Column::LinkedAt)
        .all(db)
        .await?
        .into_iter()
        .map(link)
        .collect())
}

/// Links an identity to a member, replacing the member's earlier link with the same provider
/// (a new `sub` after a civil-status change); returns the link's id. Fails on the unique index
/// when the identity is already linked to someone else.
pub async fn insert_link<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    issuer: &str,
    subject: &str,
    acr: &str,
    now: Instant,
) -> Result<Uuid, StoreError> {
    fc_link::Entity::delete_many()
        .filter(fc_link::Column::MemberId.eq(member_id))
        .filter(fc_link::Column::Issuer.eq(issuer))
        .exec(db)
        .await?;
    let id = Uuid::now_v7();
    fc_link::ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        issuer: Set(issuer.to_owned()),
        subject: Set(subject.to_owned()),
        acr: Set(acr.to_owned()),
        linked_at: Set(now.get()),
        last_login_at: Set(now.get()),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Records a login through a link.
pub async fn touch_link<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: Instant,
) -> Result<(), StoreError> {
    fc_link::Entity::update_many()
        .col_expr(
            fc_link::Column::LastLoginAt,
            sea_orm::sea_query::Expr::value(now.get()),
        )
        .filter(fc_link::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes one of the member's links; returns whether it existed.
pub async fn delete_link<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    id: Uuid,
) -> Result<bool, StoreError> {
    let deleted = fc_link::Entity::delete_many()
        .filter(fc_link::Column::Id.eq(id))
        .filter(fc_link::Column::MemberId.eq(member_id))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected == 1)
}

/// Removes every link of a member (they disowned an operation: whoever linked an identity
/// must not keep it); returns how many.
pub async fn delete_links_of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<u64, StoreError> {
    let deleted = fc_link::Entity::delete_many()
        .filter(fc_link::Column::MemberId.eq(member_id))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// An identity matched to one member file, to link once the member proved it is theirs.
#[derive(Clone)]
pub struct NewPendingLink {
    /// Digest of the browser cookie.
    pub binding: String,
    /// The only candidate.
    pub member_id: Uuid,
    /// The provider's issuer.
    pub issuer: String,
    /// The person's `sub`.
    pub subject: String,
    /// The login's level.
    pub acr: String,
    /// The ID token, sealed by `caisse-core`, for the session's logout.
    pub sealed_id_token: String,
    /// End of validity.
    pub expires_at: Instant,
}

/// A live pending link. `Debug` hides the subject and the token.
#[derive(Clone)]
pub struct PendingLink {
    /// Id.
    pub id: Uuid,
    /// The only candidate.
    pub member_id: Uuid,
    /// The provider's issuer.
    pub issuer: String,
    /// The person's `sub`.
    pub subject: String,
    /// The login's level.
    pub acr: String,
    /// The ID token, sealed.
    pub sealed_id_token: String,
    /// The code sent for the proof, when the member asked for one.
    pub challenge_id: Option<Uuid>,
}

impl std::fmt::Debug for PendingLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingLink")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .finish_non_exhaustive()
    }
}

/// Stores a pending link, replacing this browser's earlier ones; returns its id.
pub async fn insert_pending<C: ConnectionTrait>(
    db: &C,
    new: NewPendingLink,
    now: Instant,
) -> Result<Uuid, StoreError> {
    fc_pending_link::Entity::delete_many()
        .filter(fc_pending_link::Column::Binding.eq(new.binding.as_str()))
        .exec(db)
        .await?;
    let id = Uuid::now_v7();
    fc_pending_link::ActiveModel {
        id: Set(id),
        binding: Set(new.binding),
        member_id: Set(new.member_id),
        issuer: Set(new.issuer),
        subject: Set(new.subject),
        acr: Set(new.acr),
        sealed_id_token: Set(new.sealed_id_token),
        challenge_id: Set(None),
        created_at: Set(now.get()),
        expires_at: Set(new.expires_at.get()),
        consumed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

fn live_pending(now: Instant) -> Condition {
    Condition::all()
        .add(fc_pending_link::Column::ConsumedAt.is_null())
        .add(fc_pending_link::Column::ExpiresAt.gt(now.get()))
}

/// This browser's live pending link, if any.
pub async fn pending_of_browser<C: ConnectionTrait>(
    db: &C,
    binding: &str,
    now: Instant,
) -> Result<Option<PendingLink>, StoreError> {
    Ok(fc_pending_link::Entity::find()
        .filter(fc_pending_link::Column::Binding.eq(binding))
        .filter(live_pending(now))
        .order_by_desc(fc_pending_link::Column::CreatedAt)
        .one(db)
        .await?
        .map(|row| PendingLink {
            id: row.id,
            member_id: row.member_id,
            issuer: row.issuer,
            subject: row.subject,
            acr: row.acr,
            sealed_id_token: row.sealed_id_token,
            challenge_id: row.challenge_id,
        }))
}

/// Notes the code sent for a pending link's proof.
pub async fn set_pending_challenge<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    challenge_id: Uuid,
) -> Result<(), StoreError> {
    fc_pending_link::Entity::update_many()
        .col_expr(
            fc_pending_link::Column::ChallengeId,
            sea_orm::sea_query::Expr::value(challenge_id),
        )
        .filter(fc_pending_link::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Spends a pending link once its proof is made; returns whether this call did.
pub async fn consume_pending<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: Instant,
) -> Result<bool, StoreError> {
    let updated = fc_pending_link::Entity::update_many()
        .col_expr(
            fc_pending_link::Column::ConsumedAt,
            sea_orm::sea_query::Expr::value(now.get()),
        )
        .filter(fc_pending_link::Column::Id.eq(id))
        .filter(live_pending(now))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Keeps the sealed ID token of a session opened through `provider`.
pub async fn insert_session_token<C: ConnectionTrait>(
    db: &C,
    session_hash: &str,
    provider: LoginProvider,
    sealed_id_token: String,
    now: Instant,
) -> Result<(), StoreError> {
    oidc_session::ActiveModel {
        session_hash: Set(session_hash.to_owned()),
        provider: Set(provider.code().to_owned()),
        sealed_id_token: Set(sealed_id_token),
        created_at: Set(now.get()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Takes (deletes and returns) the sealed ID token of a session, if it was opened through
/// `provider` (another provider's token stays for its own logout).
pub async fn take_session_token<C: ConnectionTrait>(
    db: &C,
    session_hash: &str,
    provider: LoginProvider,
) -> Result<Option<String>, StoreError> {
    let matching = || {
        Condition::all()
            .add(oidc_session::Column::SessionHash.eq(session_hash))
            .add(oidc_session::Column::Provider.eq(provider.code()))
    };
    let Some(row) = oidc_session::Entity::find()
        .filter(matching())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    oidc_session::Entity::delete_many()
        .filter(matching())
        .exec(db)
        .await?;
    Ok(Some(row.sealed_id_token))
}

/// Deletes requests and pending links whose validity ended before `cutoff`, and the tokens of
/// sessions that no longer exist; returns how many rows went.
pub async fn purge<C: ConnectionTrait>(db: &C, cutoff: Instant) -> Result<u64, StoreError> {
    let requests = oidc_request::Entity::delete_many()
        .filter(oidc_request::Column::ExpiresAt.lt(cutoff.get()))
        .exec(db)
        .await?;
    let pending = fc_pending_link::Entity::delete_many()
        .filter(fc_pending_link::Column::ExpiresAt.lt(cutoff.get()))
        .exec(db)
        .await?;
    let orphans = db
        .execute_unprepared(
            "DELETE FROM oidc_sessions WHERE NOT EXISTS \
             (SELECT 1 FROM sessions s WHERE s.token_hash = oidc_sessions.session_hash \
              AND s.revoked_at IS NULL)",
        )
        .await?;
    Ok(requests.rows_affected + pending.rows_affected + orphans.rows_affected())
}
