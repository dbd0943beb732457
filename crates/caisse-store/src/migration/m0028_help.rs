//! Help (issue 17): each fund's FAQ, versioned (`faq_entries` points at its published and its
//! draft version in `faq_versions`), the generation that tells every node when to rebuild its
//! index (`faq_funds`), the questions asked of the search and the assistant, and whether an
//! answer helped.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0028_help"
    }
}

#[derive(DeriveIden)]
enum FaqFunds {
    Table,
    CaisseCode,
    Generation,
    SeededAt,
}

#[derive(DeriveIden)]
enum FaqEntries {
    Table,
    Id,
    CaisseCode,
    Slug,
    CreatedAt,
    PublishedVersion,
    DraftVersion,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum FaqVersions {
    Table,
    Id,
    EntryId,
    Version,
    Category,
    Question,
    Alternatives,
    Answer,
    LinkLabel,
    LinkHref,
    ReviewOn,
    SavedBy,
    SavedAt,
    PublishedAt,
    PublishedBy,
}

#[derive(DeriveIden)]
enum HelpQueries {
    Table,
    Id,
    CaisseCode,
    AskedAt,
    Channel,
    Question,
    Normalized,
    Outcome,
    TopSlug,
    Confidence,
    Helped,
}

#[derive(DeriveIden)]
enum HelpFeedback {
    Table,
    Id,
    CaisseCode,
    EntryId,
    Helped,
    At,
}

const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX ux_faq_entries_slug ON faq_entries (caisse_code, slug)",
    "CREATE UNIQUE INDEX ux_faq_versions_entry ON faq_versions (entry_id, version)",
    "CREATE INDEX ix_help_queries_fund ON help_queries (caisse_code, outcome, asked_at)",
    "CREATE INDEX ix_help_queries_asked ON help_queries (asked_at)",
    "CREATE INDEX ix_help_feedback_fund ON help_feedback (caisse_code, helped, at)",
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
                    .table(FaqFunds::Table)
                    .col(string_len(FaqFunds::CaisseCode, 3).primary_key())
                    .col(big_integer(FaqFunds::Generation))
                    .col(timestamp_with_time_zone(FaqFunds::SeededAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaqEntries::Table)
                    .col(uuid(FaqEntries::Id).primary_key())
                    .col(string_len(FaqEntries::CaisseCode, 3))
                    .col(string_len(FaqEntries::Slug, 60))
                    .col(timestamp_with_time_zone(FaqEntries::CreatedAt))
                    .col(integer_null(FaqEntries::PublishedVersion))
                    .col(integer_null(FaqEntries::DraftVersion))
                    .col(timestamp_with_time_zone_null(FaqEntries::ArchivedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaqVersions::Table)
                    .col(uuid(FaqVersions::Id).primary_key())
                    .col(uuid(FaqVersions::EntryId))
                    .col(integer(FaqVersions::Version))
                    .col(string_len(FaqVersions::Category, 24))
                    .col(string_len(FaqVersions::Question, 300))
                    .col(text(FaqVersions::Alternatives))
                    .col(text(FaqVersions::Answer))
                    .col(string_len_null(FaqVersions::LinkLabel, 100))
                    .col(string_len_null(FaqVersions::LinkHref, 200))
                    .col(date(FaqVersions::ReviewOn))
                    .col(uuid_null(FaqVersions::SavedBy))
                    .col(timestamp_with_time_zone(FaqVersions::SavedAt))
                    .col(timestamp_with_time_zone_null(FaqVersions::PublishedAt))
                    .col(uuid_null(FaqVersions::PublishedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HelpQueries::Table)
                    .col(uuid(HelpQueries::Id).primary_key())
                    .col(string_len(HelpQueries::CaisseCode, 3))
                    .col(timestamp_with_time_zone(HelpQueries::AskedAt))
                    .col(string_len(HelpQueries::Channel, 16))
                    .col(string_len(HelpQueries::Question, 300))
                    .col(string_len(HelpQueries::Normalized, 300))
                    .col(string_len(HelpQueries::Outcome, 16))
                    .col(string_len_null(HelpQueries::TopSlug, 60))
                    .col(integer(HelpQueries::Confidence))
                    .col(boolean_null(HelpQueries::Helped))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HelpFeedback::Table)
                    .col(uuid(HelpFeedback::Id).primary_key())
                    .col(string_len(HelpFeedback::CaisseCode, 3))
                    .col(uuid(HelpFeedback::EntryId))
                    .col(boolean(HelpFeedback::Helped))
                    .col(timestamp_with_time_zone(HelpFeedback::At))
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
            HelpFeedback::Table.into_iden(),
            HelpQueries::Table.into_iden(),
            FaqVersions::Table.into_iden(),
            FaqEntries::Table.into_iden(),
            FaqFunds::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
