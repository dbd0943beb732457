//! Queries on back-office accounts.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
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
