//! Public questions of the help and the fund's answers (`m0029_forum`).
//!
//! A question moves only from the status it was read in: every change is an update filtered
//! on that status, which says whether it applied, so two advisors acting at once never both
//! move it. The daily limit is counted under the member's quota row lock
//! ([`crate::member_quotas::lock_row`]), so concurrent submissions are counted one after the
//! other.

use caisse_domain::forum::{Pseudonym, QuestionStatus};
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::forum_answer;
use crate::entities::forum_question::{self, Column, Entity};
use crate::messaging::{Paged, escape_like, search_key};

/// A stored question. `Debug` shows its id and status only: its text and pseudonym lead to a
/// member.
#[derive(Clone, PartialEq, Eq)]
pub struct Question {
    /// Id.
    pub id: Uuid,
    /// The member's fund, which answers.
    pub caisse: CaisseCode,
    /// The member (their account's id).
    pub account_id: Uuid,
    /// The name it is asked under.
    pub pseudonym: Pseudonym,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Where it stands.
    pub status: QuestionStatus,
    /// Codes of the sensitive data found in it (`iban`, `carte_bancaire`, `nir_tiers`).
    pub warnings: Vec<String>,
    /// When it was asked.
    pub created_at: OffsetDateTime,
    /// When an advisor last moderated it.
    pub moderated_at: Option<OffsetDateTime>,
    /// Who did.
    pub moderated_by: Option<Uuid>,
    /// Why it was refused, for the member.
    pub rejection_reason: Option<String>,
    /// When it was published.
    pub published_at: Option<OffsetDateTime>,
    /// It has at least one answer (filled by the listings; `false` from [`find`]).
    pub answered: bool,
}

impl std::fmt::Debug for Question {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Question")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A question's text as the member wrote it, checked.
#[derive(Clone, Debug)]
pub struct QuestionText<'a> {
    /// The name it is asked under.
    pub pseudonym: &'a Pseudonym,
    /// Title.
    pub title: &'a str,
    /// Text.
    pub body: &'a str,
    /// Held when it contains sensitive data, else pending.
    pub status: QuestionStatus,
    /// The warnings' codes.
    pub warnings: &'a [&'static str],
}

/// An answer of the fund.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Id.
    pub id: Uuid,
    /// The question.
    pub question_id: Uuid,
    /// The advisor who wrote it.
    pub staff_id: Uuid,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// The back office's tabs of a fund's questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueTab {
    /// Awaiting moderation.
    Pending,
    /// Held for sensitive data.
    Held,
    /// Published, not answered yet.
    Unanswered,
    /// Published and answered.
    Answered,
    /// Refused.
    Rejected,
}

impl QueueTab {
    /// Every tab, in the page's order.
    pub const ALL: [QueueTab; 5] = [
        QueueTab::Pending,
        QueueTab::Held,
        QueueTab::Unanswered,
        QueueTab::Answered,
        QueueTab::Rejected,
    ];
}

const ANSWERED: &str =
    "EXISTS (SELECT 1 FROM forum_answers a WHERE a.question_id = forum_questions.id)";

fn question_of(row: forum_question::Model) -> Result<Question, StoreError> {
    let corrupt = |column| StoreError::corrupt("forum_questions", column, row.id);
    Ok(Question {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        pseudonym: Pseudonym::parse(&row.pseudonym).map_err(|_| corrupt("pseudonym"))?,
        status: QuestionStatus::from_code(&row.status).ok_or_else(|| corrupt("status"))?,
        warnings: row
            .warnings
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        id: row.id,
        account_id: row.member_id,
        title: row.title,
        body: row.body,
        created_at: row.created_at,
        moderated_at: row.moderated_at,
        moderated_by: row.moderated_by,
        rejection_reason: row.rejection_reason,
        published_at: row.published_at,
        answered: false,
    })
}

/// Fills `answered` of `questions` in one query.
async fn with_answered<C: ConnectionTrait>(
    db: &C,
    rows: Vec<forum_question::Model>,
) -> Result<Vec<Question>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let answered: Vec<Uuid> = if ids.is_empty() {
        Vec::new()
    } else {
        forum_answer::Entity::find()
            .select_only()
            .column(forum_answer::Column::QuestionId)
            .filter(forum_answer::Column::QuestionId.is_in(ids))
            .distinct()
            .into_tuple()
            .all(db)
            .await?
    };
    rows.into_iter()
        .map(|row| {
            let mut question = question_of(row)?;
            question.answered = answered.contains(&question.id);
            Ok(question)
        })
        .collect()
}

fn folded(text: &QuestionText<'_>) -> String {
    search_key(&format!("{}\n{}", text.title, text.body))
}

/// Records question `id` of member `account_id` (fund `caisse`) unless they asked `limit`
/// or more since `since`; returns whether it was recorded. Call inside a transaction: the
/// member's quota row is locked first, so concurrent calls count one after the other.
#[expect(
    clippy::too_many_arguments,
    reason = "one insert's values and its limit"
)]
pub async fn ask_within_limit<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    caisse: &CaisseCode,
    account_id: Uuid,
    text: &QuestionText<'_>,
    limit: u64,
    since: OffsetDateTime,
    today: Date,
    now: Instant,
) -> Result<bool, StoreError> {
    crate::member_quotas::lock_row(db, account_id, today, now).await?;
    let asked = Entity::find()
        .filter(Column::MemberId.eq(account_id))
        .filter(Column::CreatedAt.gt(since))
        .count(db)
        .await?;
    if asked >= limit {
        return Ok(false);
    }
    forum_question::ActiveModel {
        id: Set(id),
        caisse_code: Set(caisse.as_str().to_owned()),
        member_id: Set(account_id),
        pseudonym: Set(text.pseudonym.as_str().to_owned()),
        title: Set(text.title.to_owned()),
        body: Set(text.body.to_owned()),
        folded: Set(folded(text)),
        status: Set(text.status.code().to_owned()),
        warnings: Set(text.warnings.join(",")),
        created_at: Set(now.get()),
        moderated_at: Set(None),
        moderated_by: Set(None),
        rejection_reason: Set(None),
        published_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(true)
}

/// Replaces the text of member `account_id`'s held question `id`; returns whether it was
/// (it must still be held).
pub async fn edit_held<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    account_id: Uuid,
    text: &QuestionText<'_>,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Pseudonym, Expr::value(text.pseudonym.as_str()))
        .col_expr(Column::Title, Expr::value(text.title))
        .col_expr(Column::Body, Expr::value(text.body))
        .col_expr(Column::Folded, Expr::value(folded(text)))
        .col_expr(Column::Status, Expr::value(text.status.code()))
        .col_expr(Column::Warnings, Expr::value(text.warnings.join(",")))
        .filter(Column::Id.eq(id))
        .filter(Column::MemberId.eq(account_id))
        .filter(Column::Status.eq(QuestionStatus::Held.code()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// An advisor's move of question `id` from status `from` to `to`; returns whether it applied
/// (the question was still in `from`). Publishing stamps `published_at`; refusing keeps
/// `reason`.
pub async fn moderate<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    from: QuestionStatus,
    to: QuestionStatus,
    staff_id: Uuid,
    reason: Option<&str>,
    now: Instant,
) -> Result<bool, StoreError> {
    let mut update = Entity::update_many()
        .col_expr(Column::Status, Expr::value(to.code()))
        .col_expr(Column::ModeratedAt, Expr::value(now.get()))
        .col_expr(Column::ModeratedBy, Expr::value(staff_id))
        .col_expr(
            Column::RejectionReason,
            Expr::value(reason.map(str::to_owned)),
        );
    if to == QuestionStatus::Published {
        update = update.col_expr(Column::PublishedAt, Expr::value(now.get()));
    }
    let result = update
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(from.code()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Question `id`, whatever its status.
pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<Question>, StoreError> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(question_of)
        .transpose()
}

/// The pseudonym member `account_id` asked under last.
pub async fn last_pseudonym<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
) -> Result<Option<String>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Pseudonym)
        .filter(Column::MemberId.eq(account_id))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .into_tuple()
        .one(db)
        .await?)
}

async fn paged<C: ConnectionTrait>(
    db: &C,
    select: Select<Entity>,
    offset: u64,
    limit: u64,
) -> Result<Paged<Question>, StoreError> {
    let total = select.clone().count(db).await?;
    let rows = select.offset(offset).limit(limit).all(db).await?;
    Ok(Paged {
        rows: with_answered(db, rows).await?,
        total,
    })
}

/// Published questions of every fund, newest first, whose title or text contains `search`
/// (case and accents aside).
pub async fn published<C: ConnectionTrait>(
    db: &C,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<Paged<Question>, StoreError> {
    let mut select = Entity::find().filter(Column::Status.eq(QuestionStatus::Published.code()));
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = escape_like(&search_key(search));
        select = select.filter(Column::Folded.like(LikeExpr::new(pattern).escape('\\')));
    }
    let select = select
        .order_by_desc(Column::PublishedAt)
        .order_by_desc(Column::Id);
    paged(db, select, offset, limit).await
}

/// Member `account_id`'s questions, newest first.
pub async fn of_account<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
) -> Result<Vec<Question>, StoreError> {
    let rows = Entity::find()
        .filter(Column::MemberId.eq(account_id))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .all(db)
        .await?;
    with_answered(db, rows).await
}

fn tab_filter(tab: QueueTab) -> Condition {
    let status = |s: QuestionStatus| Column::Status.eq(s.code());
    match tab {
        QueueTab::Pending => Condition::all().add(status(QuestionStatus::Pending)),
        QueueTab::Held => Condition::all().add(status(QuestionStatus::Held)),
        QueueTab::Rejected => Condition::all().add(status(QuestionStatus::Rejected)),
        QueueTab::Unanswered => Condition::all()
            .add(status(QuestionStatus::Published))
            .add(Expr::cust(ANSWERED).not()),
        QueueTab::Answered => Condition::all()
            .add(status(QuestionStatus::Published))
            .add(Expr::cust(ANSWERED)),
    }
}

/// Fund `caisse`'s questions of `tab`, oldest first.
pub async fn queue<C: ConnectionTrait>(
    db: &C,
    caisse: &CaisseCode,
    tab: QueueTab,
    offset: u64,
    limit: u64,
) -> Result<Paged<Question>, StoreError> {
    let select = Entity::find()
        .filter(Column::CaisseCode.eq(caisse.as_str()))
        .filter(tab_filter(tab))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id);
    paged(db, select, offset, limit).await
}

/// How many of fund `caisse`'s questions each tab holds, in [`QueueTab::ALL`]'s order.
pub async fn queue_counts<C: ConnectionTrait>(
    db: &C,
    caisse: &CaisseCode,
) -> Result<Vec<(QueueTab, u64)>, StoreError> {
    let mut counts = Vec::with_capacity(QueueTab::ALL.len());
    for tab in QueueTab::ALL {
        let count = Entity::find()
            .filter(Column::CaisseCode.eq(caisse.as_str()))
            .filter(tab_filter(tab))
            .count(db)
            .await?;
        counts.push((tab, count));
    }
    Ok(counts)
}

/// Records an answer.
pub async fn add_answer<C: ConnectionTrait>(db: &C, answer: &Answer) -> Result<(), StoreError> {
    forum_answer::ActiveModel {
        id: Set(answer.id),
        question_id: Set(answer.question_id),
        staff_id: Set(answer.staff_id),
        body: Set(answer.body.clone()),
        created_at: Set(answer.created_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Question `question_id`'s answers, oldest first.
pub async fn answers<C: ConnectionTrait>(
    db: &C,
    question_id: Uuid,
) -> Result<Vec<Answer>, StoreError> {
    Ok(forum_answer::Entity::find()
        .filter(forum_answer::Column::QuestionId.eq(question_id))
        .order_by_asc(forum_answer::Column::CreatedAt)
        .order_by_asc(forum_answer::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| Answer {
            id: row.id,
            question_id: row.question_id,
            staff_id: row.staff_id,
            body: row.body,
            created_at: row.created_at,
        })
        .collect())
}
