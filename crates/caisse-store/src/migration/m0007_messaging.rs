//! Secure messaging (issue 4): threads between a member and their fund, their messages
//! (with staff members' internal notes), and attachments (schema only; uploads come later).
//!
//! Staff views of a thread are not a table here: they go to `audit_events`
//! (`staff.thread.viewed`), the append-only personal-data access log, from which the member's
//! « qui a consulté mon message » list is read.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_messaging"
    }
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MessageThreads {
    Table,
    Id,
    Reference,
    MemberId,
    CaisseCode,
    RecipientCode,
    ObjetCode,
    NatureCode,
    Subject,
    SubjectSearch,
    Status,
    DueOn,
    AssignedStaffId,
    Team,
    Version,
    UnreadByMember,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    ThreadId,
    AuthorKind,
    AuthorStaffId,
    Body,
    Internal,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MessageAttachments {
    Table,
    Id,
    MessageId,
    FileName,
    ContentType,
    SizeBytes,
    StorageKey,
    CreatedAt,
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
                    .table(MessageThreads::Table)
                    .col(uuid(MessageThreads::Id).primary_key())
                    .col(string_len(MessageThreads::Reference, 24).unique_key())
                    .col(uuid(MessageThreads::MemberId))
                    .col(string_len(MessageThreads::CaisseCode, 3))
                    .col(string_len(MessageThreads::RecipientCode, 64))
                    .col(string_len(MessageThreads::ObjetCode, 64))
                    .col(string_len(MessageThreads::NatureCode, 32))
                    .col(text(MessageThreads::Subject))
                    .col(text(MessageThreads::SubjectSearch))
                    .col(string_len(MessageThreads::Status, 16))
                    .col(date(MessageThreads::DueOn))
                    .col(uuid_null(MessageThreads::AssignedStaffId))
                    .col(string_len_null(MessageThreads::Team, 32))
                    .col(integer(MessageThreads::Version))
                    .col(boolean(MessageThreads::UnreadByMember))
                    .col(timestamp_with_time_zone(MessageThreads::CreatedAt))
                    .col(timestamp_with_time_zone(MessageThreads::UpdatedAt))
                    .col(timestamp_with_time_zone_null(MessageThreads::ClosedAt))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_message_threads_member")
                            .from(MessageThreads::Table, MessageThreads::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .col(uuid(Messages::Id).primary_key())
                    .col(uuid(Messages::ThreadId))
                    .col(string_len(Messages::AuthorKind, 8))
                    .col(uuid_null(Messages::AuthorStaffId))
                    .col(text(Messages::Body))
                    .col(boolean(Messages::Internal))
                    .col(timestamp_with_time_zone(Messages::CreatedAt))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_messages_thread")
                            .from(Messages::Table, Messages::ThreadId)
                            .to(MessageThreads::Table, MessageThreads::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MessageAttachments::Table)
                    .col(uuid(MessageAttachments::Id).primary_key())
                    .col(uuid(MessageAttachments::MessageId))
                    .col(string_len(MessageAttachments::FileName, 255))
                    .col(string_len(MessageAttachments::ContentType, 64))
                    .col(big_integer(MessageAttachments::SizeBytes))
                    .col(string_len(MessageAttachments::StorageKey, 255).unique_key())
                    .col(timestamp_with_time_zone(MessageAttachments::CreatedAt))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_message_attachments_message")
                            .from(MessageAttachments::Table, MessageAttachments::MessageId)
                            .to(Messages::Table, Messages::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, columns) in [
            // A member's threads, newest activity first.
            (
                "ix_message_threads_member",
                MessageThreads::Table.into_iden(),
                vec![
                    MessageThreads::MemberId.into_iden(),
                    MessageThreads::UpdatedAt.into_iden(),
                ],
            ),
            // A fund's queue by status, earliest due first.
            (
                "ix_message_threads_queue",
                MessageThreads::Table.into_iden(),
                vec![
                    MessageThreads::CaisseCode.into_iden(),
                    MessageThreads::Status.into_iden(),
                    MessageThreads::DueOn.into_iden(),
                ],
            ),
            // A staff member's own threads.
            (
                "ix_message_threads_assigned",
                MessageThreads::Table.into_iden(),
                vec![
                    MessageThreads::AssignedStaffId.into_iden(),
                    MessageThreads::DueOn.into_iden(),
                ],
            ),
            (
                "ix_messages_thread",
                Messages::Table.into_iden(),
                vec![
                    Messages::ThreadId.into_iden(),
                    Messages::CreatedAt.into_iden(),
                ],
            ),
            (
                "ix_message_attachments_message",
                MessageAttachments::Table.into_iden(),
                vec![MessageAttachments::MessageId.into_iden()],
            ),
        ] {
            let mut index = Index::create().name(name).table(table).to_owned();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MessageAttachments::Table.into_iden(),
            Messages::Table.into_iden(),
            MessageThreads::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
