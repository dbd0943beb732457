//! Hashed one-time secrets: the rules every table of them shares, written once.
//!
//! Sessions, API tokens, trusted devices, account links, password-reset links, SMS codes,
//! provisional codes, login challenges and pending staff logins all keep the same shape: a
//! secret stored only as a digest (or, for short codes, an Argon2id hash), an end of validity
//! and a column set once the secret served, was replaced or was revoked. Each table says
//! which of its columns play those parts (`SecretTable`); the rules are here:
//!
//! - a secret is **usable** while it is unspent and unexpired (`usable`);
//! - it is **consumed once**, by one conditional `UPDATE` that only an usable secret passes, so
//!   of two concurrent uses exactly one wins on both databases (`consume`);
//! - secrets are **spent together** when a newer one replaces them or the account is secured
//!   (`spend_all`);
//! - an **attempt** on a code is counted *before* the code is checked, by one conditional
//!   `UPDATE … RETURNING` that succeeds only while the code is usable and under its limit
//!   (`reserve_attempt`), so parallel guesses never get more checks than the limit.
//!
//! The tables stay apart: they are keyed differently (a digest for what a browser or a mail
//! presents, an id for a code typed against a known row), carry different data, and each keeps
//! the indexes its own lookups need. [`CodeRef`] and [`LinkKind`] name a code or a link
//! whatever its table, so `caisse_core::one_time` applies the rules to any of them.

use caisse_domain::{Instant, LinkPurpose};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Set, Value,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{
    account_link, contact_code, login_challenge, password_reset, provisional_code,
};

/// A table of one-time secrets: which of its columns the shared rules read and write.
pub(crate) trait SecretTable: EntityTrait<Column: Copy> {
    /// The column a secret is found by: its digest, or its id.
    const KEY: Self::Column;
    /// Set once the secret served, was replaced or was revoked.
    const SPENT_AT: Self::Column;
    /// The end of validity, for secrets that have one.
    const EXPIRES_AT: Option<Self::Column>;
}

/// A table of codes whose attempts are counted.
pub(crate) trait CountedTable: SecretTable {
    /// The attempts counted so far.
    const ATTEMPTS: Self::Column;

    /// The attempts of a row.
    fn attempts_of(row: &Self::Model) -> i32;
}

/// Unspent and, when the secret expires, unexpired at `now`.
pub(crate) fn usable<T: SecretTable>(now: Instant) -> Condition {
    let unspent = Condition::all().add(T::SPENT_AT.is_null());
    match T::EXPIRES_AT {
        Some(expires_at) => unspent.add(expires_at.gt(now.get())),
        None => unspent,
    }
}

/// The value of the spent-at column when spending at `now`.
fn spent(now: Instant) -> SimpleExpr {
    Expr::value(Some(now.get()))
}

/// Spends the secret `key` if it is usable at `now`; returns whether this call did. One
/// conditional `UPDATE`: of two concurrent uses, exactly one sees `true`.
pub(crate) async fn consume<T, C>(
    db: &C,
    key: impl Into<Value>,
    now: Instant,
) -> Result<bool, StoreError>
where
    T: SecretTable,
    C: ConnectionTrait,
{
    let result = T::update_many()
        .col_expr(T::SPENT_AT, spent(now))
        .filter(T::KEY.eq(key))
        .filter(usable::<T>(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Spends every unspent secret that `filter` selects (a newer one replaces them, the account
/// is being secured), whatever its expiry; returns how many.
pub(crate) async fn spend_all<T, C>(
    db: &C,
    filter: Condition,
    now: Instant,
) -> Result<u64, StoreError>
where
    T: SecretTable,
    C: ConnectionTrait,
{
    let result = T::update_many()
        .col_expr(T::SPENT_AT, spent(now))
        .filter(filter)
        .filter(T::SPENT_AT.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Counts an attempt on code `id` *before* it is checked: one conditional update that succeeds
/// only while the code is usable and under `max_attempts`. Returns the attempts counted so far,
/// this one included, or `None` when no attempt is left (then the code must not be checked).
pub(crate) async fn reserve_attempt<T, C>(
    db: &C,
    id: Uuid,
    max_attempts: u32,
    now: Instant,
) -> Result<Option<u32>, StoreError>
where
    T: CountedTable,
    C: ConnectionTrait,
{
    let max = i32::try_from(max_attempts).unwrap_or(i32::MAX);
    let rows = T::update_many()
        .col_expr(T::ATTEMPTS, Expr::col(T::ATTEMPTS).add(1))
        .filter(T::KEY.eq(id))
        .filter(T::ATTEMPTS.lt(max))
        .filter(usable::<T>(now))
        .exec_with_returning(db)
        .await?;
    Ok(rows
        .first()
        .map(|row| u32::try_from(T::attempts_of(row)).unwrap_or(0)))
}

/// Gives back an attempt counted on code `id` that turned out right, when what came with it
/// was refused (a new password that breaks the rules): the code may be typed again.
pub(crate) async fn give_back_attempt<T, C>(db: &C, id: Uuid) -> Result<(), StoreError>
where
    T: CountedTable,
    C: ConnectionTrait,
{
    T::update_many()
        .col_expr(T::ATTEMPTS, Expr::col(T::ATTEMPTS).sub(1))
        .filter(T::KEY.eq(id))
        .filter(T::ATTEMPTS.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the secrets whose validity ended before `cutoff`; returns how many.
pub(crate) async fn delete_expired_before<T, C>(db: &C, cutoff: Instant) -> Result<u64, StoreError>
where
    T: SecretTable,
    C: ConnectionTrait,
{
    let Some(expires_at) = T::EXPIRES_AT else {
        return Ok(0);
    };
    let result = T::delete_many()
        .filter(expires_at.lt(cutoff.get()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// An instant read from a row.
pub(crate) fn instant(at: OffsetDateTime) -> Instant {
    Instant::from(at)
}

// --- Codes: typed against a row found first, attempts counted. ---

/// A table of single-use codes whose attempts are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeTable {
    /// Codes sent by SMS to confirm a new mobile number.
    ContactCodes,
    /// Codes sent by post.
    ProvisionalCodes,
    /// Codes confirming a login from a new device.
    LoginChallenges,
}

/// One code, whatever its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeRef {
    /// Its table.
    pub table: CodeTable,
    /// Its id.
    pub id: Uuid,
}

impl SecretTable for contact_code::Entity {
    const KEY: contact_code::Column = contact_code::Column::Id;
    const SPENT_AT: contact_code::Column = contact_code::Column::UsedAt;
    const EXPIRES_AT: Option<contact_code::Column> = Some(contact_code::Column::ExpiresAt);
}

impl CountedTable for contact_code::Entity {
    const ATTEMPTS: contact_code::Column = contact_code::Column::Attempts;

    fn attempts_of(row: &contact_code::Model) -> i32 {
        row.attempts
    }
}

impl SecretTable for provisional_code::Entity {
    const KEY: provisional_code::Column = provisional_code::Column::Id;
    const SPENT_AT: provisional_code::Column = provisional_code::Column::UsedAt;
    const EXPIRES_AT: Option<provisional_code::Column> = Some(provisional_code::Column::ExpiresAt);
}

impl CountedTable for provisional_code::Entity {
    const ATTEMPTS: provisional_code::Column = provisional_code::Column::Attempts;

    fn attempts_of(row: &provisional_code::Model) -> i32 {
        row.attempts
    }
}

impl SecretTable for login_challenge::Entity {
    const KEY: login_challenge::Column = login_challenge::Column::Id;
    const SPENT_AT: login_challenge::Column = login_challenge::Column::ConsumedAt;
    const EXPIRES_AT: Option<login_challenge::Column> = Some(login_challenge::Column::ExpiresAt);
}

impl CountedTable for login_challenge::Entity {
    const ATTEMPTS: login_challenge::Column = login_challenge::Column::Attempts;

    fn attempts_of(row: &login_challenge::Model) -> i32 {
        row.attempts
    }
}

/// Runs the generic rule `$rule` on the table of `$code`.
macro_rules! on_code_table {
    ($code:expr, $rule:ident($($arg:expr),*)) => {
        match $code.table {
            CodeTable::ContactCodes => $rule::<contact_code::Entity, _>($($arg),*).await,
            CodeTable::ProvisionalCodes => $rule::<provisional_code::Entity, _>($($arg),*).await,
            CodeTable::LoginChallenges => $rule::<login_challenge::Entity, _>($($arg),*).await,
        }
    };
}

/// Counts an attempt on `code` before it is checked (see the module documentation); `None`
/// when no attempt is left.
pub async fn reserve_code_attempt<C: ConnectionTrait>(
    db: &C,
    code: CodeRef,
    max_attempts: u32,
    now: Instant,
) -> Result<Option<u32>, StoreError> {
    on_code_table!(code, reserve_attempt(db, code.id, max_attempts, now))
}

/// Gives back an attempt counted on `code` (see `give_back_attempt`).
pub async fn give_back_code_attempt<C: ConnectionTrait>(
    db: &C,
    code: CodeRef,
) -> Result<(), StoreError> {
    on_code_table!(code, give_back_attempt(db, code.id))
}

/// Consumes `code` if it is still usable; returns false when a concurrent use won or it
/// expired meanwhile.
pub async fn consume_code<C: ConnectionTrait>(
    db: &C,
    code: CodeRef,
    now: Instant,
) -> Result<bool, StoreError> {
    on_code_table!(code, consume(db, code.id, now))
}

// --- Links: a token mailed to a member, found by its digest. ---

/// What a single-use link mailed to a member is for, and so where it is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// An account link (`account_links`) for this purpose.
    Account(LinkPurpose),
    /// A password-reset link (`password_resets`).
    PasswordReset,
}

/// A link to store: its token's digest only.
#[derive(Clone)]
pub struct NewLink {
    /// SHA-256 of the token, hex.
    pub digest: String,
    /// Whose link.
    pub member_id: Uuid,
    /// What the purpose needs (JSON); account links only.
    pub payload: Option<String>,
    /// End of validity.
    pub expires_at: Instant,
}

/// A stored link, whatever its state. `Debug` shows neither the digest nor the payload.
#[derive(Clone)]
pub struct Link {
    /// SHA-256 of the token, hex.
    pub digest: String,
    /// Whose link.
    pub member_id: Uuid,
    /// What the purpose needs (JSON).
    pub payload: Option<String>,
    /// When it was issued.
    pub created_at: Instant,
    /// End of validity.
    pub expires_at: Instant,
    /// When it served or was replaced.
    pub used_at: Option<Instant>,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("member_id", &self.member_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("used_at", &self.used_at)
            .finish_non_exhaustive()
    }
}

impl SecretTable for account_link::Entity {
    const KEY: account_link::Column = account_link::Column::TokenHash;
    const SPENT_AT: account_link::Column = account_link::Column::UsedAt;
    const EXPIRES_AT: Option<account_link::Column> = Some(account_link::Column::ExpiresAt);
}

impl SecretTable for password_reset::Entity {
    const KEY: password_reset::Column = password_reset::Column::TokenHash;
    const SPENT_AT: password_reset::Column = password_reset::Column::UsedAt;
    const EXPIRES_AT: Option<password_reset::Column> = Some(password_reset::Column::ExpiresAt);
}

/// Stores a link.
pub async fn insert_link<C: ConnectionTrait>(
    db: &C,
    kind: LinkKind,
    link: NewLink,
    now: Instant,
) -> Result<(), StoreError> {
    match kind {
        LinkKind::Account(purpose) => {
            account_link::ActiveModel {
                token_hash: Set(link.digest),
                member_id: Set(link.member_id),
                purpose: Set(purpose.code().to_owned()),
                payload: Set(link.payload),
                created_at: Set(now.get()),
                expires_at: Set(link.expires_at.get()),
                used_at: Set(None),
            }
            .insert(db)
            .await?;
        }
        LinkKind::PasswordReset => {
            password_reset::ActiveModel {
                token_hash: Set(link.digest),
                member_id: Set(link.member_id),
                created_at: Set(now.get()),
                expires_at: Set(link.expires_at.get()),
                used_at: Set(None),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// The link of `kind` with this digest, whatever its state (the caller tells expired from
/// used).
pub async fn find_link<C: ConnectionTrait>(
    db: &C,
    kind: LinkKind,
    digest: &str,
) -> Result<Option<Link>, StoreError> {
    Ok(match kind {
        LinkKind::Account(purpose) => account_link::Entity::find_by_id(digest.to_owned())
            .filter(account_link::Column::Purpose.eq(purpose.code()))
            .one(db)
            .await?
            .map(|row| Link {
                digest: row.token_hash,
                member_id: row.member_id,
                payload: row.payload,
                created_at: instant(row.created_at),
                expires_at: instant(row.expires_at),
                used_at: row.used_at.map(instant),
            }),
        LinkKind::PasswordReset => password_reset::Entity::find_by_id(digest.to_owned())
            .one(db)
            .await?
            .map(|row| Link {
                digest: row.token_hash,
                member_id: row.member_id,
                payload: None,
                created_at: instant(row.created_at),
                expires_at: instant(row.expires_at),
                used_at: row.used_at.map(instant),
            }),
    })
}

/// Consumes the link of `kind` with this digest if it is unused and unexpired; returns
/// whether this call did (of two concurrent uses, exactly one).
pub async fn consume_link<C: ConnectionTrait>(
    db: &C,
    kind: LinkKind,
    digest: &str,
    now: Instant,
) -> Result<bool, StoreError> {
    match kind {
        LinkKind::Account(purpose) => {
            let result = account_link::Entity::update_many()
                .col_expr(account_link::Column::UsedAt, spent(now))
                .filter(account_link::Column::TokenHash.eq(digest))
                .filter(account_link::Column::Purpose.eq(purpose.code()))
                .filter(usable::<account_link::Entity>(now))
                .exec(db)
                .await?;
            Ok(result.rows_affected == 1)
        }
        LinkKind::PasswordReset => consume::<password_reset::Entity, _>(db, digest, now).await,
    }
}

/// Uses up every unused link of `kind` of a member (a newer one replaces them, or the account
/// is being secured); returns how many.
pub async fn spend_unused_links<C: ConnectionTrait>(
    db: &C,
    kind: LinkKind,
    member_id: Uuid,
    now: Instant,
) -> Result<u64, StoreError> {
    match kind {
        LinkKind::Account(purpose) => {
            spend_all::<account_link::Entity, _>(
                db,
                Condition::all()
                    .add(account_link::Column::MemberId.eq(member_id))
                    .add(account_link::Column::Purpose.eq(purpose.code())),
                now,
            )
            .await
        }
        LinkKind::PasswordReset => {
            spend_all::<password_reset::Entity, _>(
                db,
                Condition::all().add(password_reset::Column::MemberId.eq(member_id)),
                now,
            )
            .await
        }
    }
}

/// How many links of `kind` were issued to a member since `since` (used or not).
pub async fn links_issued_since<C: ConnectionTrait>(
    db: &C,
    kind: LinkKind,
    member_id: Uuid,
    since: Instant,
) -> Result<u64, StoreError> {
    Ok(match kind {
        LinkKind::Account(purpose) => {
            account_link::Entity::find()
                .filter(account_link::Column::MemberId.eq(member_id))
                .filter(account_link::Column::Purpose.eq(purpose.code()))
                .filter(account_link::Column::CreatedAt.gte(since.get()))
                .count(db)
                .await?
        }
        LinkKind::PasswordReset => {
            password_reset::Entity::find()
                .filter(password_reset::Column::MemberId.eq(member_id))
                .filter(password_reset::Column::CreatedAt.gte(since.get()))
                .count(db)
                .await?
        }
    })
}

/// Which table of links a purge runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkTable {
    /// `account_links`, every purpose.
    AccountLinks,
    /// `password_resets`.
    PasswordResets,
}

/// Deletes the links of `table` that expired before `cutoff`; returns how many.
pub async fn delete_expired_links<C: ConnectionTrait>(
    db: &C,
    table: LinkTable,
    cutoff: Instant,
) -> Result<u64, StoreError> {
    match table {
        LinkTable::AccountLinks => {
            delete_expired_before::<account_link::Entity, _>(db, cutoff).await
        }
        LinkTable::PasswordResets => {
            delete_expired_before::<password_reset::Entity, _>(db, cutoff).await
        }
    }
}
