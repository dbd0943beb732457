//! Delays, the supervisor dashboard and the médiateur (issue 4, point 9).
//!
//! - `message_threads` gains the facts of its first answer (when, how many seconds after the
//!   thread was created, whether by the due date) and a réclamation's outcome. They are
//!   written once, with the first answer, so the dashboard reads figures instead of
//!   re-deriving them from `messages` on every page view. All nullable (expand): threads
//!   answered before this migration simply count as unanswered in the figures.
//! - `mediation_referrals`: a member's referral of a réclamation to the fund's médiateur, one
//!   per thread, with the médiateur's single answer.
//!
//! Sizing behind the indexes: 65 M members, 500 000 messages a day, about a hundred funds, the
//! largest holding a few per cent of the volume, so up to some 10⁶ threads of one fund in 30
//! days. Every dashboard figure is a range scan of one fund in an index that holds every
//! column the query reads (SQLite and PostgreSQL can answer from the index alone), never a
//! scan of the table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_delays_and_mediation"
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
    CaisseCode,
    Status,
    DueOn,
    Team,
    CreatedAt,
    FirstAnsweredAt,
    FirstAnswerSeconds,
    AnsweredWithinDelay,
    Outcome,
}

#[derive(DeriveIden)]
enum MediationReferrals {
    Table,
    Id,
    Reference,
    ThreadId,
    MemberId,
    CaisseCode,
    Reason,
    MemberText,
    Status,
    AssignedStaffId,
    Answer,
    AnsweredAt,
    AnsweredStaffId,
    Version,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

/// (name, table, columns, unique).
type IndexSpec = (&'static str, DynIden, Vec<DynIden>, bool);

fn indexes() -> Vec<IndexSpec> {
    use MessageThreads as T;
    vec![
        // Incoming volume of a fund since a date, in all and by team: a range of
        // (caisse_code, created_at), the team read from the index.
        (
            "ix_message_threads_created",
            T::Table.into_iden(),
            vec![
                T::CaisseCode.into_iden(),
                T::CreatedAt.into_iden(),
                T::Team.into_iden(),
            ],
            false,
        ),
        // First answers a fund gave since a date: their count, the share in time and the
        // median delay (sorting only the range's seconds). Unanswered threads (NULL) sit
        // outside every range.
        (
            "ix_message_threads_first_answer",
            T::Table.into_iden(),
            vec![
                T::CaisseCode.into_iden(),
                T::FirstAnsweredAt.into_iden(),
                T::FirstAnswerSeconds.into_iden(),
                T::AnsweredWithinDelay.into_iden(),
            ],
            false,
        ),
        // The same per team: the per-team median is its own range, not a filter over the
        // whole fund's.
        (
            "ix_message_threads_team_first_answer",
            T::Table.into_iden(),
            vec![
                T::CaisseCode.into_iden(),
                T::Team.into_iden(),
                T::FirstAnsweredAt.into_iden(),
                T::FirstAnswerSeconds.into_iden(),
                T::AnsweredWithinDelay.into_iden(),
            ],
            false,
        ),
        // The backlog: open threads of a fund (one range per open status) and how many are
        // overdue, by team. m0007's queue index has no team, which would cost one row read
        // per open thread.
        (
            "ix_message_threads_backlog",
            T::Table.into_iden(),
            vec![
                T::CaisseCode.into_iden(),
                T::Status.into_iden(),
                T::Team.into_iden(),
                T::DueOn.into_iden(),
            ],
            false,
        ),
        // One referral per thread; also how a thread page finds its referral.
        (
            "ux_mediation_referrals_thread",
            MediationReferrals::Table.into_iden(),
            vec![MediationReferrals::ThreadId.into_iden()],
            true,
        ),
        // The médiateur's queue: a fund's referrals of some statuses, oldest first.
        (
            "ix_mediation_referrals_queue",
            MediationReferrals::Table.into_iden(),
            vec![
                MediationReferrals::CaisseCode.into_iden(),
                MediationReferrals::Status.into_iden(),
                MediationReferrals::CreatedAt.into_iden(),
            ],
            false,
        ),
    ]
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
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [
            timestamp_with_time_zone_null(MessageThreads::FirstAnsweredAt),
            big_integer_null(MessageThreads::FirstAnswerSeconds),
            boolean_null(MessageThreads::AnsweredWithinDelay),
            string_len_null(MessageThreads::Outcome, 32),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MessageThreads::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(MediationReferrals::Table)
                    .col(uuid(MediationReferrals::Id).primary_key())
                    .col(string_len(MediationReferrals::Reference, 24).unique_key())
                    .col(uuid(MediationReferrals::ThreadId))
                    .col(uuid(MediationReferrals::MemberId))
                    .col(string_len(MediationReferrals::CaisseCode, 3))
                    .col(string_len(MediationReferrals::Reason, 32))
                    .col(text(MediationReferrals::MemberText))
                    .col(string_len(MediationReferrals::Status, 16))
                    .col(uuid_null(MediationReferrals::AssignedStaffId))
                    .col(text_null(MediationReferrals::Answer))
                    .col(timestamp_with_time_zone_null(
                        MediationReferrals::AnsweredAt,
                    ))
                    .col(uuid_null(MediationReferrals::AnsweredStaffId))
                    .col(integer(MediationReferrals::Version))
                    .col(timestamp_with_time_zone(MediationReferrals::CreatedAt))
                    .col(timestamp_with_time_zone(MediationReferrals::UpdatedAt))
                    .col(timestamp_with_time_zone_null(MediationReferrals::ClosedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mediation_referrals_thread")
                            .from(MediationReferrals::Table, MediationReferrals::ThreadId)
                            .to(MessageThreads::Table, MessageThreads::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mediation_referrals_member")
                            .from(MediationReferrals::Table, MediationReferrals::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, columns, unique) in indexes() {
            let mut index = Index::create().name(name).table(table).to_owned();
            for column in columns {
                index.col(column);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _, _) in indexes() {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(MediationReferrals::Table).to_owned())
            .await?;
        for column in [
            MessageThreads::Outcome,
            MessageThreads::AnsweredWithinDelay,
            MessageThreads::FirstAnswerSeconds,
            MessageThreads::FirstAnsweredAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MessageThreads::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
