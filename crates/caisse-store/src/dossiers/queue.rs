//! The advisors' queue: a fund's filed dossiers, due date first, with filters; and the
//! counts the supervisors' delay dashboard shows. Both read only what the list shows.

use caisse_domain::demarches::{DossierState, ProcedureCode};
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::Order;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::Date;
use uuid::Uuid;

use crate::entities::dossier::{Column, Entity};
use crate::one_time::instant;
use crate::{ConnectionTrait, StoreError};

/// Which dossiers of a fund the queue lists.
#[derive(Clone, Debug)]
pub struct QueueFilter {
    /// The staff member's fund.
    pub caisse: CaisseCode,
    /// One team's dossiers only (`Some(None)`: those routed to no team).
    pub team: Option<Option<Uuid>>,
    /// The states shown; empty: every open one.
    pub states: Vec<DossierState>,
    /// One procedure only.
    pub procedure: Option<ProcedureCode>,
    /// One advisor's only.
    pub assignee: Option<Uuid>,
    /// One member's only.
    pub member: Option<Uuid>,
    /// Only those due before this day, « À compléter » aside (its delay is paused): the late
    /// ones when it is today.
    pub due_before: Option<Date>,
}

/// One line of the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueRow {
    /// The dossier.
    pub id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// The person concerned.
    pub person_rank: u8,
    /// The procedure.
    pub procedure: ProcedureCode,
    /// Where it stands.
    pub state: DossierState,
    /// Filed.
    pub submitted_at: Option<Instant>,
    /// Due.
    pub due_on: Option<Date>,
    /// Paused since.
    pub paused_on: Option<Date>,
    /// The team.
    pub team_id: Option<Uuid>,
    /// The advisor.
    pub assignee_id: Option<Uuid>,
}

type Row = (
    Uuid,
    Uuid,
    i16,
    String,
    String,
    Option<time::OffsetDateTime>,
    Option<Date>,
    Option<Date>,
    Option<Uuid>,
    Option<Uuid>,
);

fn filtered(filter: &QueueFilter) -> sea_orm::Select<Entity> {
    let states: Vec<&str> = if filter.states.is_empty() {
        vec![
            DossierState::Submitted.code(),
            DossierState::InInstruction.code(),
            DossierState::AwaitingCompletion.code(),
        ]
    } else {
        filter.states.iter().map(|s| s.code()).collect()
    };
    let mut query = Entity::find()
        .filter(Column::CaisseCode.eq(filter.caisse.as_str()))
        .filter(Column::State.is_in(states));
    match filter.team {
        Some(Some(team)) => query = query.filter(Column::TeamId.eq(team)),
        Some(None) => query = query.filter(Column::TeamId.is_null()),
        None => {}
    }
    if let Some(procedure) = &filter.procedure {
        query = query.filter(Column::ProcedureCode.eq(procedure.as_str()));
    }
    if let Some(assignee) = filter.assignee {
        query = query.filter(Column::AssigneeId.eq(assignee));
    }
    if let Some(member) = filter.member {
        query = query.filter(Column::MemberId.eq(member));
    }
    if let Some(day) = filter.due_before {
        query = query
            .filter(Column::DueOn.lt(day))
            .filter(Column::State.ne(DossierState::AwaitingCompletion.code()));
    }
    query
}

/// A page of the queue: due date first (undated last), then the oldest filed.
pub async fn queue<C: ConnectionTrait>(
    db: &C,
    filter: &QueueFilter,
    limit: u64,
    offset: u64,
) -> Result<Vec<QueueRow>, StoreError> {
    let rows: Vec<Row> = filtered(filter)
        .select_only()
        .columns([
            Column::Id,
            Column::MemberId,
            Column::PersonRank,
            Column::ProcedureCode,
            Column::State,
            Column::SubmittedAt,
            Column::DueOn,
            Column::PausedOn,
            Column::TeamId,
            Column::AssigneeId,
        ])
        .order_by_with_nulls(
            Column::DueOn,
            Order::Asc,
            sea_orm::sea_query::NullOrdering::Last,
        )
        .order_by_asc(Column::Id)
        .limit(limit)
        .offset(offset)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(
            |(
                id,
                member_id,
                rank,
                procedure,
                state,
                submitted_at,
                due_on,
                paused_on,
                team_id,
                assignee_id,
            )| {
                let corrupt = |column| StoreError::corrupt("dossiers", column, id);
                Ok(QueueRow {
                    id,
                    member_id,
                    person_rank: u8::try_from(rank).map_err(|_| corrupt("person_rank"))?,
                    procedure: ProcedureCode::parse(&procedure)
                        .ok_or_else(|| corrupt("procedure_code"))?,
                    state: DossierState::from_code(&state).ok_or_else(|| corrupt("state"))?,
                    submitted_at: submitted_at.map(instant),
                    due_on,
                    paused_on,
                    team_id,
                    assignee_id,
                })
            },
        )
        .collect()
}

/// Open dossiers of a fund by state: how many, and how many are past their due date on
/// `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateCount {
    /// The state.
    pub state: DossierState,
    /// How many.
    pub total: u64,
    /// How many past due.
    pub late: u64,
}

/// The supervisors' counts of a fund's open dossiers.
pub async fn count_by_state<C: ConnectionTrait>(
    db: &C,
    caisse: &CaisseCode,
    today: Date,
) -> Result<Vec<StateCount>, StoreError> {
    let mut counts = Vec::new();
    for state in [
        DossierState::Submitted,
        DossierState::InInstruction,
        DossierState::AwaitingCompletion,
    ] {
        let base = Entity::find()
            .filter(Column::CaisseCode.eq(caisse.as_str()))
            .filter(Column::State.eq(state.code()));
        use sea_orm::PaginatorTrait;
        let total = base.clone().count(db).await?;
        let late = base.filter(Column::DueOn.lt(today)).count(db).await?;
        counts.push(StateCount { state, total, late });
    }
    Ok(counts)
}
