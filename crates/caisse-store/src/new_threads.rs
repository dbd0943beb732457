//! Creating new threads, many at a time: one `INSERT` for the threads and one for their
//! first messages, whatever their number. The group commit of member sends (caisse-core's
//! `messaging::writer`) writes every send waiting for the database in one transaction
//! through this module; a single thread is a batch of one.

use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::message_thread::{self, Column};
use crate::entities::{message, team, team_objet};
use crate::messaging::{Author, NewThread, TeamRouting, search_key};
use crate::{StoreError, normalize_instant};

/// A thread to insert, with the ids it will have (chosen before the insert so a batch needs
/// no `RETURNING`).
#[derive(Clone, Debug)]
pub struct ThreadRow {
    /// The thread's id.
    pub id: Uuid,
    /// Its first message's id.
    pub first_message_id: Uuid,
    /// What the member wrote and where it goes.
    pub new: NewThread,
    /// When it was sent.
    pub at: OffsetDateTime,
}

impl ThreadRow {
    /// A row with fresh time-ordered ids.
    pub fn new(new: NewThread, at: OffsetDateTime) -> ThreadRow {
        ThreadRow {
            id: Uuid::now_v7(),
            first_message_id: Uuid::now_v7(),
            new,
            at: normalize_instant(at),
        }
    }
}

/// Inserts the threads of `rows` and their first messages (written by their member). Call it
/// in the caller's transaction, with the audit events and the confirmation mails. A reference
/// already taken fails the whole statement (the unique index), and nothing of it is written.
pub async fn insert_threads<C: ConnectionTrait>(
    db: &C,
    rows: &[&ThreadRow],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut threads = Query::insert();
    threads.into_table(message_thread::Entity).columns([
        Column::Id,
        Column::Reference,
        Column::MemberId,
        Column::CaisseCode,
        Column::RecipientCode,
        Column::ObjetCode,
        Column::NatureCode,
        Column::SubjectSearch,
        Column::Subject,
        Column::Status,
        Column::DueOn,
        Column::Team,
        Column::Version,
        Column::UnreadByMember,
        Column::CreatedAt,
        Column::UpdatedAt,
    ]);
    for &row in rows {
        let new = &row.new;
        let team = match &new.team {
            TeamRouting::ByObjet => Expr::SubQuery(
                None,
                Box::new(routed_team(&new.caisse_code, &new.objet_code).into()),
            ),
            TeamRouting::Fixed(team) => Expr::val(team.clone()),
        };
        threads
            .values([
                Expr::val(row.id),
                Expr::val(new.reference.clone()),
                Expr::val(new.member_id),
                Expr::val(new.caisse_code.clone()),
                Expr::val(new.recipient_code.clone()),
                Expr::val(new.objet_code.clone()),
                Expr::val(new.nature_code.clone()),
                Expr::val(search_key(&new.subject)),
                Expr::val(new.subject.clone()),
                Expr::val(new.status.clone()),
                Expr::val(new.due_on),
                team,
                Expr::val(1_i32),
                Expr::val(false),
                Expr::val(row.at),
                Expr::val(row.at),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    db.execute(&threads).await?;
    message::Entity::insert_many(rows.iter().map(|row| message::ActiveModel {
        id: Set(row.first_message_id),
        thread_id: Set(row.id),
        author_kind: Set(Author::Member.kind().to_owned()),
        author_staff_id: Set(None),
        body: Set(row.new.body.clone()),
        internal: Set(false),
        created_at: Set(row.at),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// `SELECT teams.code …`: the code of the team of `caisse_code` that handles `objet_code`.
fn routed_team(caisse_code: &str, objet_code: &str) -> SelectStatement {
    Query::select()
        .column((team::Entity, team::Column::Code))
        .from(team_objet::Entity)
        .inner_join(
            team::Entity,
            Expr::col((team::Entity, team::Column::Id))
                .equals((team_objet::Entity, team_objet::Column::TeamId)),
        )
        .and_where(Expr::col((team_objet::Entity, team_objet::Column::CaisseCode)).eq(caisse_code))
        .and_where(Expr::col((team_objet::Entity, team_objet::Column::ObjetCode)).eq(objet_code))
        .to_owned()
}
