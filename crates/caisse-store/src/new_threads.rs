//! Creating new threads, many at a time: one `INSERT` for the threads, one for their first
//! messages, one for their audit events and one for their mails, whatever their number (on
//! PostgreSQL, all four as one statement). The group commit of member sends (caisse-core's
//! `messaging::writer`) writes every send waiting for the database through this module; a
//! single thread is a batch of one.

use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::{Expr, ExprTrait, InsertStatement, Query, SelectStatement};
use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryTrait, Set, Statement, StatementBuilder,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;
use crate::audit::{self, NewEvent};
use crate::entities::message_thread::{self, Column};
use crate::entities::{message, team, team_objet};
use crate::messaging::{Author, NewThread, TeamRouting, search_key};
use crate::outbox::{self, NewMessage};

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
    pub at: Instant,
}

impl ThreadRow {
    /// A row with fresh time-ordered ids.
    pub fn new(new: NewThread, at: Instant) -> ThreadRow {
        ThreadRow {
            id: Uuid::now_v7(),
            first_message_id: Uuid::now_v7(),
            new,
            at,
        }
    }
}

/// Writes the threads of `rows` with their first messages, the audit `events` and the `mails`.
/// On PostgreSQL it is one statement (the threads, the events and the mails in
/// data-modifying `WITH` clauses, then the messages), atomic on its own: a caller with nothing
/// else to write needs no transaction, and saves the `BEGIN` and `COMMIT` round trips. On
/// SQLite it is one statement per table, in the caller's transaction. A reference already
/// taken fails the threads' statement (the unique index), and nothing of it is written.
pub async fn insert_with_events_and_mails<C: ConnectionTrait>(
    db: &C,
    rows: &[&ThreadRow],
    events: Vec<(NewEvent, OffsetDateTime)>,
    mails: Vec<(NewMessage, OffsetDateTime)>,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut inserts = vec![threads_insert(rows)?];
    inserts.extend(audit::insert_many(events));
    inserts.extend(outbox::insert_many(mails));
    // Last: the messages refer to the threads, checked at the end of the statement.
    inserts.push(messages_insert(rows));
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_raw(one_statement(&inserts)).await?;
        }
        _ => {
            for insert in &inserts {
                db.execute(insert).await?;
            }
        }
    }
    Ok(())
}

/// `WITH w0 AS (…), w1 AS (…) last`: the statements as one, their parameters renumbered.
fn one_statement(inserts: &[InsertStatement]) -> Statement {
    let mut sql = String::new();
    let mut values = Vec::new();
    let last = inserts.len().saturating_sub(1);
    for (index, insert) in inserts.iter().enumerate() {
        let built = StatementBuilder::build(insert, &DbBackend::Postgres);
        let part = shift_placeholders(&built.sql, values.len());
        values.extend(built.values.map(|v| v.0).unwrap_or_default());
        if index < last {
            sql.push_str(if index == 0 { "WITH " } else { ", " });
            sql.push_str(&format!("w{index} AS ({part})"));
        } else {
            if index > 0 {
                sql.push(' ');
            }
            sql.push_str(&part);
        }
    }
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// `sql` with each PostgreSQL placeholder `$n` made `$(n + by)`. Every value of these
/// statements is a bound parameter, so a `$` only ever starts a placeholder.
fn shift_placeholders(sql: &str, by: usize) -> String {
    let mut shifted = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        shifted.push(c);
        if c != '$' {
            continue;
        }
        let mut number = String::new();
        while let Some(digit) = chars.peek().copied().filter(char::is_ascii_digit) {
            number.push(digit);
            chars.next();
        }
        match number.parse::<usize>() {
            Ok(n) => shifted.push_str(&(n + by).to_string()),
            Err(_) => shifted.push_str(&number),
        }
    }
    shifted
}

fn threads_insert(rows: &[&ThreadRow]) -> Result<InsertStatement, StoreError> {
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
                Box::new(routed_team(new.caisse_code, &new.objet_code).into()),
            ),
            TeamRouting::Fixed(team) => {
                Expr::val(team.as_ref().map(|code| code.as_str().to_owned()))
            }
        };
        threads
            .values([
                Expr::val(row.id),
                Expr::val(new.reference.clone()),
                Expr::val(new.member_id),
                Expr::val(new.caisse_code.as_str()),
                Expr::val(new.recipient_code.clone()),
                Expr::val(new.objet_code.clone()),
                Expr::val(new.nature.code()),
                Expr::val(search_key(&new.subject)),
                Expr::val(new.subject.clone()),
                Expr::val(new.status.code()),
                Expr::val(new.due_on),
                team,
                Expr::val(1_i32),
                Expr::val(false),
                Expr::val(row.at.get()),
                Expr::val(row.at.get()),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    Ok(threads)
}

fn messages_insert(rows: &[&ThreadRow]) -> InsertStatement {
    message::Entity::insert_many(rows.iter().map(|row| message::ActiveModel {
        id: Set(row.first_message_id),
        thread_id: Set(row.id),
        member_id: Set(row.new.member_id),
        author_kind: Set(Author::Member.kind().to_owned()),
        author_staff_id: Set(None),
        body: Set(row.new.body.clone()),
        internal: Set(false),
        created_at: Set(row.at.get()),
    }))
    .into_query()
}

/// `SELECT teams.code …`: the code of the team of `caisse_code` that handles `objet_code`.
fn routed_team(caisse_code: CaisseCode, objet_code: &str) -> SelectStatement {
    Query::select()
        .column((team::Entity, team::Column::Code))
        .from(team_objet::Entity)
        .inner_join(
            team::Entity,
            Expr::col((team::Entity, team::Column::Id))
                .equals((team_objet::Entity, team_objet::Column::TeamId)),
        )
        .and_where(
            Expr::col((team_objet::Entity, team_objet::Column::CaisseCode))
                .eq(caisse_code.as_str()),
        )
        .and_where(Expr::col((team_objet::Entity, team_objet::Column::ObjetCode)).eq(objet_code))
        .to_owned()
}

/// Whether the thread `id` was written: after a commit whose answer was lost (the connection
/// broke), this tells whether the batch that held it is in.
pub async fn written<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<bool, StoreError> {
    Ok(message_thread::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::shift_placeholders;

    #[test]
    fn placeholders_are_renumbered_and_nothing_else_changes() {
        assert_eq!(
            shift_placeholders(
                r#"INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $10)"#,
                4
            ),
            r#"INSERT INTO "t" ("a", "b") VALUES ($5, $6), ($7, $14)"#
        );
        assert_eq!(shift_placeholders("SELECT $", 2), "SELECT $");
    }
}
