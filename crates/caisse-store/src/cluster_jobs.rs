//! Periodic jobs run once per period across the cluster: the node that moves a job's `due_at`
//! from the past to the next period (one conditional update, atomic on both engines) runs it;
//! the others find nothing due. A node that dies mid-run leaves the job to the next period.

use caisse_domain::Instant;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::StoreError;
use crate::entities::cluster_job::{ActiveModel, Column, Entity};
use crate::one_time::instant;

/// The last run of a job, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRun {
    /// The job's name.
    pub name: String,
    /// When it is next due.
    pub due_at: Instant,
    /// The node that ran it last.
    pub node: Option<String>,
    /// When that run started.
    pub started_at: Option<Instant>,
    /// When it finished (`None` while it runs, or if its node died).
    pub finished_at: Option<Instant>,
}

/// Claims `name`'s run if it is due at `now`: true for the one node that gets it, which must
/// run it; the job is then due again at `next_due`.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    name: &str,
    node: &str,
    now: Instant,
    next_due: Instant,
) -> Result<bool, StoreError> {
    // A job nobody ran yet is due now.
    Entity::insert(ActiveModel {
        name: Set(name.to_owned()),
        due_at: Set(now.get()),
        node: Set(None),
        started_at: Set(None),
        finished_at: Set(None),
    })
    .on_conflict(OnConflict::column(Column::Name).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    let claimed = Entity::update_many()
        .col_expr(Column::DueAt, Expr::value(next_due.get()))
        .col_expr(Column::Node, Expr::value(node.to_owned()))
        .col_expr(Column::StartedAt, Expr::value(now.get()))
        .col_expr(
            Column::FinishedAt,
            Expr::value(Option::<time::OffsetDateTime>::None),
        )
        .filter(Column::Name.eq(name))
        .filter(Column::DueAt.lte(now.get()))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Records that `node`'s run of `name` finished at `now`.
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    name: &str,
    node: &str,
    now: Instant,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::FinishedAt, Expr::value(now.get()))
        .filter(Column::Name.eq(name))
        .filter(Column::Node.eq(node))
        .exec(db)
        .await?;
    Ok(())
}

/// Every job's last run, by name.
pub async fn runs<C: ConnectionTrait>(db: &C) -> Result<Vec<JobRun>, StoreError> {
    Ok(Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| JobRun {
            name: row.name,
            due_at: instant(row.due_at),
            node: row.node,
            started_at: row.started_at.map(instant),
            finished_at: row.finished_at.map(instant),
        })
        .collect())
}
