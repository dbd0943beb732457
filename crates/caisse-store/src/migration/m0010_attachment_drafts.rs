//! Attachment drafts: files a member has joined to a message not sent yet. They carry the
//! files across the « Vérifier » step and a refused submission, and expire after a day; a
//! sent message turns them into `message_attachments` rows under the same storage key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_attachment_drafts"
    }
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AttachmentDrafts {
    Table,
    Id,
    MemberId,
    FileName,
    ContentType,
    SizeBytes,
    StorageKey,
    CreatedAt,
    ExpiresAt,
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
        manager
            .create_table(
                Table::create()
                    .table(AttachmentDrafts::Table)
                    .col(uuid(AttachmentDrafts::Id).primary_key())
                    .col(uuid(AttachmentDrafts::MemberId))
                    .col(string_len(AttachmentDrafts::FileName, 255))
                    .col(string_len(AttachmentDrafts::ContentType, 64))
                    .col(big_integer(AttachmentDrafts::SizeBytes))
                    .col(string_len(AttachmentDrafts::StorageKey, 255).unique_key())
                    .col(timestamp_with_time_zone(AttachmentDrafts::CreatedAt))
                    .col(timestamp_with_time_zone(AttachmentDrafts::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachment_drafts_member")
                            .from(AttachmentDrafts::Table, AttachmentDrafts::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            // A member's drafts, looked up by id and owner at each submission.
            ("ix_attachment_drafts_member", AttachmentDrafts::MemberId),
            // The housekeeping purge of expired drafts.
            ("ix_attachment_drafts_expires", AttachmentDrafts::ExpiresAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AttachmentDrafts::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttachmentDrafts::Table).to_owned())
            .await
    }
}
