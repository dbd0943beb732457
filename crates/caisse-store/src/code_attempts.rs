//! Attempts on a single-use code (login, SMS, provisional codes), counted *before* the code is
//! checked: one conditional `UPDATE … RETURNING` that succeeds only while the code is unused,
//! unexpired and under its limit. Atomic on both databases, so parallel guesses never get more
//! checks than the limit.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{StoreError, normalize_instant};

/// The columns of a table of codes that an attempt reads and counts.
pub(crate) struct CodeColumns<C> {
    pub(crate) id: C,
    pub(crate) attempts: C,
    /// Set once the code served (or was replaced).
    pub(crate) used_at: C,
    pub(crate) expires_at: C,
}

/// Counts an attempt on code `id`; returns the attempts counted so far, this one included, or
/// `None` when no attempt is left (then the code must not be checked).
pub(crate) async fn reserve<E, C>(
    db: &C,
    columns: CodeColumns<E::Column>,
    id: Uuid,
    max_attempts: i32,
    now: OffsetDateTime,
    attempts_of: fn(&E::Model) -> i32,
) -> Result<Option<i32>, StoreError>
where
    E: EntityTrait,
    E::Column: Copy,
    C: ConnectionTrait,
{
    let rows = E::update_many()
        .col_expr(columns.attempts, Expr::col(columns.attempts).add(1))
        .filter(columns.id.eq(id))
        .filter(columns.attempts.lt(max_attempts))
        .filter(columns.used_at.is_null())
        .filter(columns.expires_at.gt(normalize_instant(now)))
        .exec_with_returning(db)
        .await?;
    Ok(rows.first().map(attempts_of))
}
