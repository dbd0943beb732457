//! « Mes démarches »: dossiers of every procedure, their hash-chained events and their pieces
//! (issue 15). Every function takes and returns domain values and the records below; a state
//! change is a compare-and-set on the state read, so two advisors (or an advisor and the
//! silence job) never both move one dossier.

pub mod cards;
pub mod codec;
pub mod events;
pub mod pieces;
pub mod procurations;
mod queue;

use caisse_domain::demarches::{Answers, DossierState, FieldId, FiledAs, ProcedureCode};
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Value, json};
use time::Date;
use uuid::Uuid;

pub use queue::{QueueFilter, QueueRow, StateCount, count_by_state, queue};

use crate::StoreError;
use crate::entities::dossier::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// What an advisor asked the member to complete.
#[derive(Clone, PartialEq, Eq)]
pub struct CompletionRequest {
    /// The advisor's message.
    pub message: String,
    /// The fields (answers or files) the member may change.
    pub fields: Vec<FieldId>,
}

impl std::fmt::Debug for CompletionRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompletionRequest")
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

/// A draft to insert.
#[derive(Clone)]
pub struct NewDossier {
    /// Id, chosen by the caller.
    pub id: Uuid,
    /// The member's fund.
    pub caisse: CaisseCode,
    /// The member whose file it concerns.
    pub member_id: Uuid,
    /// The person concerned: 1 the member, 2–19 a beneficiary.
    pub person_rank: u8,
    /// The procedure.
    pub procedure: ProcedureCode,
    /// Its version.
    pub version: u32,
    /// Who files it.
    pub filed_as: FiledAs,
    /// The mandataire's member id.
    pub filed_by: Option<Uuid>,
    /// The answers so far.
    pub answers: Answers,
    /// When the draft expires.
    pub expires_on: Date,
}

impl std::fmt::Debug for NewDossier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDossier")
            .field("id", &self.id)
            .field("procedure", &self.procedure)
            .finish_non_exhaustive()
    }
}

/// A dossier as stored. `Debug` shows ids, procedure and state only.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredDossier {
    /// Id.
    pub id: Uuid,
    /// The member's fund.
    pub caisse: CaisseCode,
    /// The member whose file it concerns.
    pub member_id: Uuid,
    /// The person concerned.
    pub person_rank: u8,
    /// The procedure.
    pub procedure: ProcedureCode,
    /// The version it was opened with.
    pub version: u32,
    /// Who filed it.
    pub filed_as: FiledAs,
    /// The mandataire's member id.
    pub filed_by: Option<Uuid>,
    /// Where it stands.
    pub state: DossierState,
    /// The answers.
    pub answers: Answers,
    /// The team instructing it.
    pub team_id: Option<Uuid>,
    /// The advisor instructing it.
    pub assignee_id: Option<Uuid>,
    /// Opened.
    pub created_at: Instant,
    /// Last changed.
    pub updated_at: Instant,
    /// Filed.
    pub submitted_at: Option<Instant>,
    /// The due date.
    pub due_on: Option<Date>,
    /// Since when the delay is paused.
    pub paused_on: Option<Date>,
    /// Decided.
    pub decided_at: Option<Instant>,
    /// The decision's reasons.
    pub reasons: Vec<String>,
    /// What the member was asked to complete, while it waits.
    pub completion: Option<CompletionRequest>,
    /// When the draft expires.
    pub expires_on: Option<Date>,
    /// Whether the expiry notice went.
    pub expiry_notice_sent: bool,
    /// Events recorded.
    pub event_count: u32,
    /// The last event's hash.
    pub event_head: String,
}

impl std::fmt::Debug for StoredDossier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredDossier")
            .field("id", &self.id)
            .field("procedure", &self.procedure)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

fn stored(row: Model) -> Result<StoredDossier, StoreError> {
    let id = row.id;
    let corrupt = |column| StoreError::corrupt("dossiers", column, id);
    let completion = match row.completion_request.as_deref() {
        None => None,
        Some(text) => Some(completion_from(text).ok_or_else(|| corrupt("completion_request"))?),
    };
    let reasons = match row.reasons.as_deref() {
        None => Vec::new(),
        Some(text) => serde_json::from_str(text).map_err(|_| corrupt("reasons"))?,
    };
    Ok(StoredDossier {
        id,
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        member_id: row.member_id,
        person_rank: u8::try_from(row.person_rank).map_err(|_| corrupt("person_rank"))?,
        procedure: ProcedureCode::parse(&row.procedure_code)
            .ok_or_else(|| corrupt("procedure_code"))?,
        version: u32::try_from(row.procedure_version).map_err(|_| corrupt("procedure_version"))?,
        filed_as: FiledAs::from_code(&row.filed_as).ok_or_else(|| corrupt("filed_as"))?,
        filed_by: row.filed_by,
        state: DossierState::from_code(&row.state).ok_or_else(|| corrupt("state"))?,
        answers: codec::decode(&row.answers, id)?,
        team_id: row.team_id,
        assignee_id: row.assignee_id,
        created_at: instant(row.created_at),
        updated_at: instant(row.updated_at),
        submitted_at: row.submitted_at.map(instant),
        due_on: row.due_on,
        paused_on: row.paused_on,
        decided_at: row.decided_at.map(instant),
        reasons,
        completion,
        expires_on: row.expires_on,
        expiry_notice_sent: row.expiry_notice_sent,
        event_count: u32::try_from(row.event_count).map_err(|_| corrupt("event_count"))?,
        event_head: row.event_head,
    })
}

fn completion_text(request: &CompletionRequest) -> String {
    json!({
        "message": request.message,
        "fields": request.fields.iter().map(FieldId::as_str).collect::<Vec<_>>(),
    })
    .to_string()
}

fn completion_from(text: &str) -> Option<CompletionRequest> {
    let value: Value = serde_json::from_str(text).ok()?;
    Some(CompletionRequest {
        message: value.get("message")?.as_str()?.to_owned(),
        fields: value
            .get("fields")?
            .as_array()?
            .iter()
            .map(|f| FieldId::parse(f.as_str()?))
            .collect::<Option<Vec<_>>>()?,
    })
}

/// Records a new draft.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewDossier,
    now: Instant,
) -> Result<(), StoreError> {
    ActiveModel {
        id: Set(new.id),
        caisse_code: Set(new.caisse.as_str().to_owned()),
        member_id: Set(new.member_id),
        person_rank: Set(i16::from(new.person_rank)),
        procedure_code: Set(new.procedure.as_str().to_owned()),
        procedure_version: Set(i32::try_from(new.version).unwrap_or(i32::MAX)),
        filed_as: Set(new.filed_as.code().to_owned()),
        filed_by: Set(new.filed_by),
        state: Set(DossierState::Draft.code().to_owned()),
        answers: Set(codec::encode(&new.answers)),
        team_id: Set(None),
        assignee_id: Set(None),
        created_at: Set(now.get()),
        updated_at: Set(now.get()),
        submitted_at: Set(None),
        due_on: Set(None),
        paused_on: Set(None),
        decided_at: Set(None),
        reasons: Set(None),
        completion_request: Set(None),
        expires_on: Set(Some(new.expires_on)),
        expiry_notice_sent: Set(false),
        event_count: Set(0),
        event_head: Set(String::new()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The dossier `id`, if any.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<StoredDossier>, StoreError> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(stored)
        .transpose()
}

/// The dossier `id`, read for a change: on PostgreSQL the row stays locked until the
/// transaction ends, so concurrent moves wait and then see the new state.
pub async fn find_for_update<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<StoredDossier>, StoreError> {
    let mut query = Entity::find_by_id(id);
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(db).await?.map(stored).transpose()
}

/// Dossiers concerning member `member_id` or filed by them as a mandataire, newest first,
/// drafts included, at most `limit`.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    limit: u64,
) -> Result<Vec<StoredDossier>, StoreError> {
    Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(Column::MemberId.eq(member_id))
                .add(Column::FiledBy.eq(member_id)),
        )
        .filter(Column::State.ne(DossierState::Expired.code()))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// How many dossiers of [`of_member`] wait for the member: drafts to finish and dossiers to
/// complete. One count over the member's two indexes, for the menu's badge.
pub async fn waiting_for_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(Column::MemberId.eq(member_id))
                .add(Column::FiledBy.eq(member_id)),
        )
        .filter(Column::State.is_in([
            DossierState::Draft.code(),
            DossierState::AwaitingCompletion.code(),
        ]))
        .count(db)
        .await?)
}

/// What a change of a dossier writes besides its state. `None` leaves a column as it is.
#[derive(Clone, Debug, Default)]
pub struct Change {
    /// The new answers.
    pub answers: Option<Answers>,
    /// Filed at.
    pub submitted_at: Option<Instant>,
    /// A new due date (`Some(None)` clears it).
    pub due_on: Option<Option<Date>>,
    /// Paused since (`Some(None)` resumes).
    pub paused_on: Option<Option<Date>>,
    /// Decided at.
    pub decided_at: Option<Instant>,
    /// The decision's reasons.
    pub reasons: Option<Vec<String>>,
    /// The completion request (`Some(None)` clears it).
    pub completion: Option<Option<CompletionRequest>>,
    /// The team (`Some(None)`: the fund's general queue).
    pub team_id: Option<Option<Uuid>>,
    /// The advisor (`Some(None)`: nobody).
    pub assignee_id: Option<Option<Uuid>>,
    /// A new expiry of the draft (its notice is then due again).
    pub expires_on: Option<Option<Date>>,
    /// The person concerned, known once filed.
    pub person_rank: Option<u8>,
}

/// Moves dossier `id` from `from` to `to` with `change`, if it is still in `from`: `false`
/// when another move came first (nothing written).
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    from: DossierState,
    to: DossierState,
    change: Change,
    now: Instant,
) -> Result<bool, StoreError> {
    let mut update = Entity::update_many()
        .col_expr(Column::State, Expr::value(to.code()))
        .col_expr(Column::UpdatedAt, Expr::value(now.get()));
    if let Some(answers) = change.answers {
        update = update.col_expr(Column::Answers, Expr::value(codec::encode(&answers)));
    }
    if let Some(at) = change.submitted_at {
        update = update.col_expr(Column::SubmittedAt, Expr::value(at.get()));
    }
    if let Some(due_on) = change.due_on {
        update = update.col_expr(Column::DueOn, Expr::value(due_on));
    }
    if let Some(paused_on) = change.paused_on {
        update = update.col_expr(Column::PausedOn, Expr::value(paused_on));
    }
    if let Some(at) = change.decided_at {
        update = update.col_expr(Column::DecidedAt, Expr::value(at.get()));
    }
    if let Some(reasons) = change.reasons {
        update = update.col_expr(Column::Reasons, Expr::value(json!(reasons).to_string()));
    }
    if let Some(completion) = change.completion {
        update = update.col_expr(
            Column::CompletionRequest,
            Expr::value(completion.as_ref().map(completion_text)),
        );
    }
    if let Some(team_id) = change.team_id {
        update = update.col_expr(Column::TeamId, Expr::value(team_id));
    }
    if let Some(assignee_id) = change.assignee_id {
        update = update.col_expr(Column::AssigneeId, Expr::value(assignee_id));
    }
    if let Some(rank) = change.person_rank {
        update = update.col_expr(Column::PersonRank, Expr::value(i16::from(rank)));
    }
    if let Some(expires_on) = change.expires_on {
        // A new expiry calls for a new notice.
        update = update
            .col_expr(Column::ExpiresOn, Expr::value(expires_on))
            .col_expr(Column::ExpiryNoticeSent, Expr::value(false));
    }
    let result = update
        .filter(Column::Id.eq(id))
        .filter(Column::State.eq(from.code()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Open dossiers of `procedures` whose due date is before `today`: the silence job's work,
/// oldest due first, at most `limit`.
pub async fn past_due<C: ConnectionTrait>(
    db: &C,
    procedures: &[ProcedureCode],
    today: Date,
    limit: u64,
) -> Result<Vec<Uuid>, StoreError> {
    if procedures.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::State.is_in([
            DossierState::Submitted.code(),
            DossierState::InInstruction.code(),
        ]))
        .filter(Column::ProcedureCode.is_in(procedures.iter().map(ProcedureCode::as_str)))
        .filter(Column::DueOn.lt(today))
        .order_by_asc(Column::DueOn)
        .limit(limit)
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

/// Drafts expiring on or before `notice_from` that were not told yet, at most `limit`.
pub async fn drafts_to_notify<C: ConnectionTrait>(
    db: &C,
    notice_from: Date,
    limit: u64,
) -> Result<Vec<StoredDossier>, StoreError> {
    Entity::find()
        .filter(Column::State.eq(DossierState::Draft.code()))
        .filter(Column::ExpiresOn.lte(notice_from))
        .filter(Column::ExpiryNoticeSent.eq(false))
        .order_by_asc(Column::ExpiresOn)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// Records that the expiry notice of draft `id` went, and that it expires on `expires_on`.
pub async fn mark_notice_sent<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    expires_on: Date,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::ExpiryNoticeSent, Expr::value(true))
        .col_expr(Column::ExpiresOn, Expr::value(expires_on))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Drafts whose expiry is before `today` and whose notice went, at most `limit`.
pub async fn expired_drafts<C: ConnectionTrait>(
    db: &C,
    today: Date,
    limit: u64,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::State.eq(DossierState::Draft.code()))
        .filter(Column::ExpiryNoticeSent.eq(true))
        .filter(Column::ExpiresOn.lt(today))
        .limit(limit)
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

/// Moves member `member_id`'s drafts and open dossiers (but `except`) to fund `caisse`, back
/// in its general queue (no team, no advisor): a move to another department; returns how
/// many.
pub async fn move_to_fund<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    caisse: CaisseCode,
    except: Uuid,
    now: Instant,
) -> Result<u64, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::CaisseCode, Expr::value(caisse.as_str()))
        .col_expr(Column::TeamId, Expr::value(Option::<Uuid>::None))
        .col_expr(Column::AssigneeId, Expr::value(Option::<Uuid>::None))
        .col_expr(Column::UpdatedAt, Expr::value(now.get()))
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::Id.ne(except))
        .filter(Column::State.is_in([
            DossierState::Draft.code(),
            DossierState::Submitted.code(),
            DossierState::InInstruction.code(),
            DossierState::AwaitingCompletion.code(),
        ]))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
