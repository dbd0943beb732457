//! The questions asked of a fund's help (search box and assistant), kept with numbers masked,
//! and « Cette réponse vous a-t-elle aidé ? »: what the supervisors read to write new entries.

use caisse_domain::help::QueryOutcome;
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{help_feedback, help_query};

/// Where a question was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryChannel {
    /// The help's search box.
    Search,
    /// The assistant.
    Assistant,
}

impl QueryChannel {
    fn code(self) -> &'static str {
        match self {
            QueryChannel::Search => "search",
            QueryChannel::Assistant => "assistant",
        }
    }
}

/// A question to keep. `Debug` shows no text.
#[derive(Clone)]
pub struct NewQuery<'a> {
    /// The fund whose help answered.
    pub caisse: CaisseCode,
    /// Where.
    pub channel: QueryChannel,
    /// The question, numbers already masked.
    pub question: &'a str,
    /// The same, normalised (what groups it).
    pub normalized: &'a str,
    /// How it ended.
    pub outcome: QueryOutcome,
    /// The best entry found, if any.
    pub top_slug: Option<&'a str>,
    /// Its confidence, percent.
    pub confidence: i32,
}

impl std::fmt::Debug for NewQuery<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewQuery")
            .field("caisse", &self.caisse)
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

/// Keeps `query`; returns its id (for « m'a aidé »).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    query: &NewQuery<'_>,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    help_query::ActiveModel {
        id: Set(id),
        caisse_code: Set(query.caisse.as_str().to_owned()),
        asked_at: Set(now.get()),
        channel: Set(query.channel.code().to_owned()),
        question: Set(query.question.to_owned()),
        normalized: Set(query.normalized.to_owned()),
        outcome: Set(query.outcome.code().to_owned()),
        top_slug: Set(query.top_slug.map(str::to_owned)),
        confidence: Set(query.confidence),
        helped: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Records whether the answer to question `id` of fund `caisse` helped; the first answer
/// counts. Returns whether it was recorded.
pub async fn set_helped<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    id: Uuid,
    helped: bool,
) -> Result<bool, StoreError> {
    Ok(help_query::Entity::update_many()
        .col_expr(help_query::Column::Helped, Expr::value(helped))
        .filter(help_query::Column::Id.eq(id))
        .filter(help_query::Column::CaisseCode.eq(caisse.as_str()))
        .filter(help_query::Column::Helped.is_null())
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// Records « Cette réponse vous a-t-elle aidé ? » on entry `entry_id`.
pub async fn record_feedback<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    entry_id: Uuid,
    helped: bool,
    now: Instant,
) -> Result<(), StoreError> {
    help_feedback::ActiveModel {
        id: Set(Uuid::new_v4()),
        caisse_code: Set(caisse.as_str().to_owned()),
        entry_id: Set(entry_id),
        helped: Set(helped),
        at: Set(now.get()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The same question asked several times. `Debug` shows no text.
#[derive(Clone, PartialEq, Eq)]
pub struct QueryGroup {
    /// The normalised question.
    pub normalized: String,
    /// How many times.
    pub count: u64,
    /// The last time.
    pub last_at: OffsetDateTime,
    /// The entry found nearest, the last time (below the threshold for unanswered ones).
    pub top_slug: Option<String>,
}

impl std::fmt::Debug for QueryGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryGroup")
            .field("count", &self.count)
            .finish_non_exhaustive()
    }
}

/// Fund `caisse`'s questions since `since` that nothing answered (`helped: None`) or whose
/// answer did not help (`helped: Some(false)`), grouped by normalised text, most asked first.
pub async fn groups<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    since: OffsetDateTime,
    not_helped: bool,
    limit: u64,
) -> Result<Vec<QueryGroup>, StoreError> {
    let mut select = help_query::Entity::find()
        .select_only()
        .column(help_query::Column::Normalized)
        .column_as(help_query::Column::Id.count(), "n")
        .column_as(help_query::Column::AskedAt.max(), "last_at")
        .column_as(help_query::Column::TopSlug.max(), "top_slug")
        .filter(help_query::Column::CaisseCode.eq(caisse.as_str()))
        .filter(help_query::Column::AskedAt.gte(since));
    select = if not_helped {
        select.filter(help_query::Column::Helped.eq(false))
    } else {
        select.filter(help_query::Column::Outcome.eq(QueryOutcome::Unanswered.code()))
    };
    Ok(select
        .group_by(help_query::Column::Normalized)
        .order_by_desc(Expr::col(help_query::Column::Id).count())
        .order_by_asc(help_query::Column::Normalized)
        .limit(limit)
        .into_tuple::<(String, i64, OffsetDateTime, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(normalized, n, last_at, top_slug)| QueryGroup {
            normalized,
            count: u64::try_from(n).unwrap_or(0),
            last_at,
            top_slug,
        })
        .collect())
}

/// For each entry of fund `caisse` marked « pas aidé » on its page since `since`: the entry
/// and how many times, most first.
pub async fn not_helped_entries<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    since: OffsetDateTime,
) -> Result<Vec<(Uuid, u64)>, StoreError> {
    Ok(help_feedback::Entity::find()
        .select_only()
        .column(help_feedback::Column::EntryId)
        .column_as(help_feedback::Column::Id.count(), "n")
        .filter(help_feedback::Column::CaisseCode.eq(caisse.as_str()))
        .filter(help_feedback::Column::Helped.eq(false))
        .filter(help_feedback::Column::At.gte(since))
        .group_by(help_feedback::Column::EntryId)
        .order_by_desc(Expr::col(help_feedback::Column::Id).count())
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(entry, n)| (entry, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Forgets the questions asked before `before` (the retention of docs/operations.md); returns
/// how many.
pub async fn purge<C: ConnectionTrait>(db: &C, before: OffsetDateTime) -> Result<u64, StoreError> {
    let questions = help_query::Entity::delete_many()
        .filter(help_query::Column::AskedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected;
    let feedback = help_feedback::Entity::delete_many()
        .filter(help_feedback::Column::At.lt(before))
        .exec(db)
        .await?
        .rows_affected;
    Ok(questions + feedback)
}
