//! Public questions of the help (issue 17): members' questions under a pseudonym, their
//! moderation, and the fund's answers. `folded` is the title and text in lower case without
//! accents, which the public search compares with `LIKE`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0029_forum"
    }
}

#[derive(DeriveIden)]
enum ForumQuestions {
    Table,
    Id,
    CaisseCode,
    AccountId,
    Pseudonym,
    Title,
    Body,
    Folded,
    Status,
    Warnings,
    CreatedAt,
    ModeratedAt,
    ModeratedBy,
    RejectionReason,
    PublishedAt,
}

#[derive(DeriveIden)]
enum ForumAnswers {
    Table,
    Id,
    QuestionId,
    StaffId,
    Body,
    CreatedAt,
}

const INDEXES: &[&str] = &[
    "CREATE INDEX ix_forum_questions_published ON forum_questions (status, published_at)",
    "CREATE INDEX ix_forum_questions_account ON forum_questions (account_id, created_at)",
    "CREATE INDEX ix_forum_questions_queue ON forum_questions (caisse_code, status, created_at)",
    "CREATE INDEX ix_forum_answers_question ON forum_answers (question_id, created_at)",
];

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
        manager
            .create_table(
                Table::create()
                    .table(ForumQuestions::Table)
                    .col(uuid(ForumQuestions::Id).primary_key())
                    .col(string_len(ForumQuestions::CaisseCode, 3))
                    .col(uuid(ForumQuestions::AccountId))
                    .col(string_len(ForumQuestions::Pseudonym, 30))
                    .col(string_len(ForumQuestions::Title, 150))
                    .col(text(ForumQuestions::Body))
                    .col(text(ForumQuestions::Folded))
                    .col(string_len(ForumQuestions::Status, 16))
                    .col(string_len(ForumQuestions::Warnings, 64))
                    .col(timestamp_with_time_zone(ForumQuestions::CreatedAt))
                    .col(timestamp_with_time_zone_null(ForumQuestions::ModeratedAt))
                    .col(uuid_null(ForumQuestions::ModeratedBy))
                    .col(string_len_null(ForumQuestions::RejectionReason, 500))
                    .col(timestamp_with_time_zone_null(ForumQuestions::PublishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumAnswers::Table)
                    .col(uuid(ForumAnswers::Id).primary_key())
                    .col(uuid(ForumAnswers::QuestionId))
                    .col(uuid(ForumAnswers::StaffId))
                    .col(text(ForumAnswers::Body))
                    .col(timestamp_with_time_zone(ForumAnswers::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_forum_answers_question")
                            .from(ForumAnswers::Table, ForumAnswers::QuestionId)
                            .to(ForumQuestions::Table, ForumQuestions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ForumAnswers::Table.into_iden(),
            ForumQuestions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
