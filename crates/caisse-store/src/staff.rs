//! Queries on back-office accounts.
//!
//! Every query returns [`StaffMember`]s, never row models.

use caisse_domain::{CaisseCode, Email, Instant, StaffRole};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::staff::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// A staff account to insert. `Debug` shows neither the email nor the hash.
#[derive(Clone)]
pub struct NewStaff {
    /// Unique login.
    pub login: String,
    /// Name shown in the back office and, by role, to members.
    pub display_name: String,
    /// Work email.
    pub email: Option<Email>,
    /// Role.
    pub role: StaffRole,
    /// Fund the person works for.
    pub caisse_code: CaisseCode,
    /// Argon2id PHC string.
    pub password_hash: String,
}

impl std::fmt::Debug for NewStaff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewStaff")
            .field("login", &self.login)
            .field("role", &self.role)
            .field("caisse_code", &self.caisse_code)
            .finish_non_exhaustive()
    }
}

/// A back-office account as stored. `Debug` shows neither the email nor the secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// Id.
    pub id: Uuid,
    /// Unique login.
    pub login: String,
    /// Name shown in the back office.
    pub display_name: String,
    /// Work email.
    pub email: Option<Email>,
    /// Role.
    pub role: StaffRole,
    /// Fund the person works for.
    pub caisse_code: CaisseCode,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// The TOTP secret, sealed by `caisse-core`.
    pub totp_secret: Option<String>,
    /// The last TOTP time step accepted.
    pub totp_last_step: Option<i64>,
    /// Whether the account may log in.
    pub active: bool,
    /// Created at.
    pub created_at: Instant,
}

impl std::fmt::Debug for StaffMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffMember")
            .field("id", &self.id)
            .field("login", &self.login)
            .field("role", &self.role)
            .field("caisse_code", &self.caisse_code)
            .field("active", &self.active)
            .field("totp_enrolled", &self.totp_secret.is_some())
            .finish_non_exhaustive()
    }
}

fn member(row: Model) -> Result<StaffMember, StoreError> {
    let id = row.id;
    let corrupt = |column| StoreError::corrupt("staff", column, id);
    Ok(StaffMember {
        role: StaffRole::from_code(&row.role).ok_or_else(|| corrupt("role"))?,
        caisse_code: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        email: row
            .email
            .as_deref()
            .map(|email| Email::parse(email).map_err(|_| corrupt("email")))
            .transpose()?,
        id,
        login: row.login,
        display_name: row.display_name,
        password_hash: row.password_hash,
        totp_secret: row.totp_secret,
        totp_last_step: row.totp_last_step,
        active: row.active,
        created_at: instant(row.created_at),
    })
}

/// Inserts a staff account; returns its id. `now` may still be an `OffsetDateTime` (the
/// messaging suites' helpers pass one).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewStaff,
    now: impl Into<Instant>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        login: Set(new.login),
        display_name: Set(new.display_name),
        email: Set(new.email.map(|e| e.as_str().to_owned())),
        role: Set(new.role.code().to_owned()),
        caisse_code: Set(new.caisse_code.as_str().to_owned()),
        password_hash: Set(new.password_hash),
        totp_secret: Set(None),
        active: Set(true),
        created_at: Set(now.into().get()),
        totp_last_step: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The staff account with this login.
pub async fn by_login<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> Result<Option<StaffMember>, StoreError> {
    Entity::find()
        .filter(Column::Login.eq(login))
        .one(db)
        .await?
        .map(member)
        .transpose()
}

/// The staff account with this id.
pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<StaffMember>, StoreError> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(member)
        .transpose()
}

/// Every staff account, by login.
pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<StaffMember>, StoreError> {
    Entity::find()
        .order_by_asc(Column::Login)
        .all(db)
        .await?
        .into_iter()
        .map(member)
        .collect()
}

/// The active staff accounts of fund `caisse_code`, by display name.
pub async fn active_of_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: &CaisseCode,
) -> Result<Vec<StaffMember>, StoreError> {
    Entity::find()
        .filter(Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(Column::Active.eq(true))
        .order_by_asc(Column::DisplayName)
        .order_by_asc(Column::Login)
        .all(db)
        .await?
        .into_iter()
        .map(member)
        .collect()
}

/// The staff accounts with these ids (any fund, active or not).
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<Vec<StaffMember>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(member)
        .collect()
}

/// Enables or disables an account; returns false when the login is unknown.
pub async fn set_active<C: ConnectionTrait>(
    db: &C,
    login: &str,
    active: bool,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Active, Expr::value(active))
        .filter(Column::Login.eq(login))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Sets the role and name an identity provider gives a staff member at each login (the fund's
/// directory is the authority once it is used).
pub async fn set_role_and_name<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    role: StaffRole,
    display_name: &str,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::Role, Expr::value(role.code()))
        .col_expr(Column::DisplayName, Expr::value(display_name))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Replaces a password hash.
pub async fn set_password_hash<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    password_hash: String,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::PasswordHash, Expr::value(password_hash))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Saves a first TOTP secret (already sealed) and the step of the code that proved it, if any,
/// only if the account has none; returns false when it already has one (another enrolment
/// won).
pub async fn set_totp_secret_if_unset<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    sealed_secret: String,
    accepted_step: Option<i64>,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::TotpSecret, Expr::value(Some(sealed_secret)))
        .col_expr(Column::TotpLastStep, Expr::value(accepted_step))
        .filter(Column::Id.eq(id))
        .filter(Column::TotpSecret.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records that a TOTP code of time step `step` was accepted, only if no code of that step or a
/// later one was accepted before; returns false otherwise (a replay, possibly on another node).
pub async fn accept_totp_step<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    step: i64,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::TotpLastStep, Expr::value(Some(step)))
        .filter(Column::Id.eq(id))
        .filter(Column::TotpSecret.is_not_null())
        .filter(
            Condition::any()
                .add(Column::TotpLastStep.is_null())
                .add(Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Forgets the TOTP secret of an account and its last accepted step; returns the account's id,
/// or `None` when the login is unknown.
pub async fn clear_totp<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> Result<Option<Uuid>, StoreError> {
    let Some(id) = Entity::find()
        .filter(Column::Login.eq(login))
        .one(db)
        .await?
        .map(|row| row.id)
    else {
        return Ok(None);
    };
    Entity::update_many()
        .col_expr(Column::TotpSecret, Expr::value(Option::<String>::None))
        .col_expr(Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(Some(id))
}

/// Stores an account's TOTP secret sealed anew (under another key): the secret is the same, so
/// the last accepted step stays.
pub async fn reseal_totp_secret<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    sealed_secret: String,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::TotpSecret, Expr::value(Some(sealed_secret)))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
