//! Every table of a member's rows carries `member_id` (issue 19), the key a distributed
//! PostgreSQL (Citus) would shard them by, beside `members` sharded by `id`: a member's
//! threads, messages, files, dossiers and their events, debts and their payments then live on
//! one shard, and every query of a member's pages stays on it (`docs/capacity.md`).
//!
//! - `messages`, `message_attachments` (through their thread), `dossier_events`,
//!   `dossier_pieces` (through their dossier), `debt_payments`, `debt_recoveries` (through
//!   their debt) gain `member_id`, filled from the parent row.
//! - `forum_questions.account_id`, which always held the member's id, is named `member_id`.
//!
//! The column is added with the nil UUID as default so SQLite can add it `NOT NULL`, filled
//! from the parent, and, on PostgreSQL, its default dropped (on SQLite it stays, unused: every
//! insert sets the column).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0032_member_key"
    }
}

/// (table, the statement that fills `member_id` from the parent).
const FILLED: &[(&str, &str)] = &[
    (
        "messages",
        "UPDATE messages SET member_id = (SELECT t.member_id FROM message_threads t \
         WHERE t.id = messages.thread_id)",
    ),
    (
        "message_attachments",
        "UPDATE message_attachments SET member_id = (SELECT m.member_id FROM messages m \
         WHERE m.id = message_attachments.message_id)",
    ),
    (
        "dossier_events",
        "UPDATE dossier_events SET member_id = (SELECT d.member_id FROM dossiers d \
         WHERE d.id = dossier_events.dossier_id)",
    ),
    (
        "dossier_pieces",
        "UPDATE dossier_pieces SET member_id = (SELECT d.member_id FROM dossiers d \
         WHERE d.id = dossier_pieces.dossier_id)",
    ),
    (
        "debt_payments",
        "UPDATE debt_payments SET member_id = (SELECT d.member_id FROM member_debts d \
         WHERE d.id = debt_payments.debt_id)",
    ),
    (
        "debt_recoveries",
        "UPDATE debt_recoveries SET member_id = (SELECT d.member_id FROM member_debts d \
         WHERE d.id = debt_recoveries.debt_id)",
    ),
];

#[derive(DeriveIden)]
enum ForumQuestions {
    Table,
    AccountId,
    MemberId,
}

#[expect(
    elided_lifetimes_in_paths,
    reason = "the signature must match MigrationTrait's async_trait declaration"
)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == sea_orm::DbBackend::Postgres;
        for (table, fill) in FILLED {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(*table))
                        .add_column(
                            ColumnDef::new(Alias::new("member_id"))
                                .uuid()
                                .not_null()
                                .default(uuid::Uuid::nil()),
                        )
                        .to_owned(),
                )
                .await?;
            db.execute_unprepared(fill).await?;
            if postgres {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN member_id DROP DEFAULT"
                ))
                .await?;
            }
            db.execute_unprepared(&format!(
                "CREATE INDEX ix_{table}_member ON {table} (member_id)"
            ))
            .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(ForumQuestions::Table)
                    .rename_column(ForumQuestions::AccountId, ForumQuestions::MemberId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ForumQuestions::Table)
                    .rename_column(ForumQuestions::MemberId, ForumQuestions::AccountId)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for (table, _) in FILLED.iter().rev() {
            db.execute_unprepared(&format!("DROP INDEX ix_{table}_member"))
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(*table))
                        .drop_column(Alias::new("member_id"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
