//! The staff members' back office (issue 4, points 7 and 8): a fund's teams, the objets each team
//! handles (an objet goes to at most one team of a fund: the primary key says so), which staff
//! work in which teams, and the fund's canned answers.
//!
//! `message_threads.team` (m0007) holds the code of the team a thread is routed to; a new
//! index serves the queue filtered by team.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_teams_and_canned_answers"
    }
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MessageThreads {
    Table,
    CaisseCode,
    Team,
    DueOn,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    CaisseCode,
    Code,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TeamObjets {
    Table,
    CaisseCode,
    ObjetCode,
    TeamId,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    TeamId,
    StaffId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CannedAnswers {
    Table,
    Id,
    CaisseCode,
    TeamId,
    Title,
    Body,
    Active,
    CreatedAt,
    UpdatedAt,
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
                    .table(Teams::Table)
                    .col(uuid(Teams::Id).primary_key())
                    .col(string_len(Teams::CaisseCode, 3))
                    .col(string_len(Teams::Code, 32))
                    .col(string_len(Teams::Name, 100))
                    .col(timestamp_with_time_zone(Teams::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_teams_fund_code")
                    .table(Teams::Table)
                    .col(Teams::CaisseCode)
                    .col(Teams::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TeamObjets::Table)
                    .col(string_len(TeamObjets::CaisseCode, 3))
                    .col(string_len(TeamObjets::ObjetCode, 64))
                    .col(uuid(TeamObjets::TeamId))
                    .primary_key(
                        Index::create()
                            .col(TeamObjets::CaisseCode)
                            .col(TeamObjets::ObjetCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_team_objets_team")
                            .from(TeamObjets::Table, TeamObjets::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TeamMembers::Table)
                    .col(uuid(TeamMembers::TeamId))
                    .col(uuid(TeamMembers::StaffId))
                    .col(timestamp_with_time_zone(TeamMembers::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(TeamMembers::TeamId)
                            .col(TeamMembers::StaffId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_team_members_team")
                            .from(TeamMembers::Table, TeamMembers::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_team_members_staff")
                            .from(TeamMembers::Table, TeamMembers::StaffId)
                            .to(Staff::Table, Staff::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CannedAnswers::Table)
                    .col(uuid(CannedAnswers::Id).primary_key())
                    .col(string_len(CannedAnswers::CaisseCode, 3))
                    .col(uuid_null(CannedAnswers::TeamId))
                    .col(string_len(CannedAnswers::Title, 100))
                    .col(text(CannedAnswers::Body))
                    .col(boolean(CannedAnswers::Active))
                    .col(timestamp_with_time_zone(CannedAnswers::CreatedAt))
                    .col(timestamp_with_time_zone(CannedAnswers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_canned_answers_team")
                            .from(CannedAnswers::Table, CannedAnswers::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, columns) in [
            // A team's objets, and a staff member's teams.
            (
                "ix_team_objets_team",
                TeamObjets::Table.into_iden(),
                vec![TeamObjets::TeamId.into_iden()],
            ),
            (
                "ix_team_members_staff",
                TeamMembers::Table.into_iden(),
                vec![TeamMembers::StaffId.into_iden()],
            ),
            // A fund's canned answers, active ones first.
            (
                "ix_canned_answers_fund",
                CannedAnswers::Table.into_iden(),
                vec![
                    CannedAnswers::CaisseCode.into_iden(),
                    CannedAnswers::Active.into_iden(),
                ],
            ),
            // A team's queue, earliest due first.
            (
                "ix_message_threads_team",
                MessageThreads::Table.into_iden(),
                vec![
                    MessageThreads::CaisseCode.into_iden(),
                    MessageThreads::Team.into_iden(),
                    MessageThreads::DueOn.into_iden(),
                ],
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
        manager
            .drop_index(
                Index::drop()
                    .name("ix_message_threads_team")
                    .table(MessageThreads::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            CannedAnswers::Table.into_iden(),
            TeamMembers::Table.into_iden(),
            TeamObjets::Table.into_iden(),
            Teams::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
