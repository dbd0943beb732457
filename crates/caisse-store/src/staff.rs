//! Queries on back-office accounts.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::staff::{ActiveModel, Column, Entity, Model};
use crate::{StoreError, normalize_instant};

/// A staff account to insert.
#[derive(Clone, Debug)]
pub struct NewStaff {
    /// Unique login.
    pub login: String,
    /// Name shown in the back office and, by role, to members.
    pub display_name: String,
    /// Work email.
    pub email: Option<String>,
    /// Role code.
    pub role: String,
    /// Fund the person works for.
    pub caisse_code: String,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// Inserts a staff account; returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewStaff,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        login: Set(new.login),
        display_name: Set(new.display_name),
        email: Set(new.email),
        role: Set(new.role),
        caisse_code: Set(new.caisse_code),
        password_hash: Set(new.password_hash),
        totp_secret: Set(None),
        active: Set(true),
        created_at: Set(normalize_instant(now)),
        totp_last_step: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The staff account with this login.
pub async fn find_by_login<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::Login.eq(login))
        .one(db)
        .await?)
}

/// The staff account with this id.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<Model>, StoreError> {
    Ok(Entity::find_by_id(id).one(db).await?)
}

/// Every staff account, by login.
pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find().order_by_asc(Column::Login).all(db).await?)
}

/// The active staff accounts of fund `caisse_code`, by display name.
pub async fn active_of_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: &str,
) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find()
        .filter(Column::CaisseCode.eq(caisse_code))
        .filter(Column::Active.eq(true))
        .order_by_asc(Column::DisplayName)
        .order_by_asc(Column::Login)
        .all(db)
        .await?)
}

/// The staff accounts with these ids (any fund, active or not).
pub async fn by_ids<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> Result<Vec<Model>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
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
    let Some(row) = find_by_login(db, login).await? else {
        return Ok(None);
    };
    Entity::update_many()
        .col_expr(Column::TotpSecret, Expr::value(Option::<String>::None))
        .col_expr(Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(Some(row.id))
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
