//! « Mes démarches » (issue 15): one table of dossiers for every procedure, their
//! hash-chained events (the timeline the member sees and the audit of every change), their
//! pieces (files), and the two records some procedures write on acceptance that no earlier
//! table holds: card orders (carte Vitale, CEAM) and procurations.
//!
//! A dossier stores its answers as one JSON text (tagged values, `demarches::codec`), the
//! procedure's code and the version it was opened with. The advisors' queue reads
//! `(caisse_code, state, due_on)`, a team's queue `(team_id, state, due_on)`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0025_dossiers"
    }
}

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    Id,
    CaisseCode,
    MemberId,
    PersonRank,
    ProcedureCode,
    ProcedureVersion,
    FiledAs,
    FiledBy,
    State,
    Answers,
    TeamId,
    AssigneeId,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    DueOn,
    PausedOn,
    DecidedAt,
    Reasons,
    CompletionRequest,
    ExpiresOn,
    ExpiryNoticeSent,
    EventCount,
    EventHead,
}

#[derive(DeriveIden)]
enum DossierEvents {
    Table,
    Id,
    DossierId,
    Seq,
    At,
    ActorKind,
    ActorId,
    Action,
    FromState,
    ToState,
    Note,
    Details,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum DossierPieces {
    Table,
    Id,
    DossierId,
    FieldId,
    FileName,
    Kind,
    SizeBytes,
    StorageKey,
    IdentityDocument,
    UploadedAt,
    ErasedAt,
}

#[derive(DeriveIden)]
enum CardOrders {
    Table,
    Id,
    MemberId,
    PersonRank,
    Card,
    Reason,
    State,
    DossierId,
    OrderedAt,
    UpdatedAt,
    ValidTo,
}

#[derive(DeriveIden)]
enum Procurations {
    Table,
    Id,
    MemberId,
    MandataireLastName,
    MandataireFirstName,
    MandataireBirthDate,
    ValidFrom,
    ValidTo,
    RevokedAt,
    DossierId,
    CreatedAt,
}

const INDEXES: &[&str] = &[
    "CREATE INDEX ix_dossiers_queue ON dossiers (caisse_code, state, due_on)",
    // The advisors' default queue: every open dossier of the fund, due date first, read
    // from this small index in order whatever the number of decided ones.
    "CREATE INDEX ix_dossiers_open ON dossiers (caisse_code, due_on, id) \
     WHERE state IN ('deposee', 'en_instruction', 'a_completer')",
    "CREATE INDEX ix_dossiers_team_queue ON dossiers (team_id, state, due_on)",
    "CREATE INDEX ix_dossiers_member ON dossiers (member_id, created_at)",
    "CREATE INDEX ix_dossiers_filed_by ON dossiers (filed_by, created_at)",
    "CREATE INDEX ix_dossiers_drafts ON dossiers (state, expires_on)",
    "CREATE UNIQUE INDEX ux_dossier_events_seq ON dossier_events (dossier_id, seq)",
    "CREATE INDEX ix_dossier_pieces_dossier ON dossier_pieces (dossier_id, field_id)",
    "CREATE INDEX ix_card_orders_member ON card_orders (member_id, ordered_at)",
    "CREATE INDEX ix_procurations_member ON procurations (member_id, valid_to)",
    "CREATE INDEX ix_procurations_mandataire ON procurations (mandataire_birth_date, valid_to)",
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
                    .table(Dossiers::Table)
                    .col(uuid(Dossiers::Id).primary_key())
                    .col(string_len(Dossiers::CaisseCode, 3))
                    .col(uuid(Dossiers::MemberId))
                    .col(small_integer(Dossiers::PersonRank))
                    .col(string_len(Dossiers::ProcedureCode, 48))
                    .col(integer(Dossiers::ProcedureVersion))
                    .col(string_len(Dossiers::FiledAs, 16))
                    .col(uuid_null(Dossiers::FiledBy))
                    .col(string_len(Dossiers::State, 24))
                    .col(text(Dossiers::Answers))
                    .col(uuid_null(Dossiers::TeamId))
                    .col(uuid_null(Dossiers::AssigneeId))
                    .col(timestamp_with_time_zone(Dossiers::CreatedAt))
                    .col(timestamp_with_time_zone(Dossiers::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Dossiers::SubmittedAt))
                    .col(date_null(Dossiers::DueOn))
                    .col(date_null(Dossiers::PausedOn))
                    .col(timestamp_with_time_zone_null(Dossiers::DecidedAt))
                    .col(text_null(Dossiers::Reasons))
                    .col(text_null(Dossiers::CompletionRequest))
                    .col(date_null(Dossiers::ExpiresOn))
                    .col(boolean(Dossiers::ExpiryNoticeSent).default(false))
                    .col(integer(Dossiers::EventCount).default(0))
                    .col(string_len(Dossiers::EventHead, 64).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierEvents::Table)
                    .col(uuid(DossierEvents::Id).primary_key())
                    .col(uuid(DossierEvents::DossierId))
                    .col(integer(DossierEvents::Seq))
                    .col(timestamp_with_time_zone(DossierEvents::At))
                    .col(string_len(DossierEvents::ActorKind, 16))
                    .col(uuid_null(DossierEvents::ActorId))
                    .col(string_len(DossierEvents::Action, 32))
                    .col(string_len_null(DossierEvents::FromState, 24))
                    .col(string_len_null(DossierEvents::ToState, 24))
                    .col(text_null(DossierEvents::Note))
                    .col(text(DossierEvents::Details))
                    .col(string_len(DossierEvents::PrevHash, 64))
                    .col(string_len(DossierEvents::Hash, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_dossier_events_dossier")
                            .from(DossierEvents::Table, DossierEvents::DossierId)
                            .to(Dossiers::Table, Dossiers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierPieces::Table)
                    .col(uuid(DossierPieces::Id).primary_key())
                    .col(uuid(DossierPieces::DossierId))
                    .col(string_len(DossierPieces::FieldId, 40))
                    .col(string_len(DossierPieces::FileName, 255))
                    .col(string_len(DossierPieces::Kind, 16))
                    .col(big_integer(DossierPieces::SizeBytes))
                    .col(string_len(DossierPieces::StorageKey, 128))
                    .col(boolean(DossierPieces::IdentityDocument))
                    .col(timestamp_with_time_zone(DossierPieces::UploadedAt))
                    .col(timestamp_with_time_zone_null(DossierPieces::ErasedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_dossier_pieces_dossier")
                            .from(DossierPieces::Table, DossierPieces::DossierId)
                            .to(Dossiers::Table, Dossiers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CardOrders::Table)
                    .col(uuid(CardOrders::Id).primary_key())
                    .col(uuid(CardOrders::MemberId))
                    .col(small_integer(CardOrders::PersonRank))
                    .col(string_len(CardOrders::Card, 8))
                    .col(string_len(CardOrders::Reason, 16))
                    .col(string_len(CardOrders::State, 16))
                    .col(uuid_null(CardOrders::DossierId))
                    .col(timestamp_with_time_zone(CardOrders::OrderedAt))
                    .col(timestamp_with_time_zone(CardOrders::UpdatedAt))
                    .col(date_null(CardOrders::ValidTo))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Procurations::Table)
                    .col(uuid(Procurations::Id).primary_key())
                    .col(uuid(Procurations::MemberId))
                    .col(string_len(Procurations::MandataireLastName, 100))
                    .col(string_len(Procurations::MandataireFirstName, 100))
                    .col(date(Procurations::MandataireBirthDate))
                    .col(date(Procurations::ValidFrom))
                    .col(date(Procurations::ValidTo))
                    .col(timestamp_with_time_zone_null(Procurations::RevokedAt))
                    .col(uuid_null(Procurations::DossierId))
                    .col(timestamp_with_time_zone(Procurations::CreatedAt))
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
            Procurations::Table.into_iden(),
            CardOrders::Table.into_iden(),
            DossierPieces::Table.into_iden(),
            DossierEvents::Table.into_iden(),
            Dossiers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
