//! Rights in the member file and the attestations issued from them (issue 5): coverage
//! periods, exemptions of the *ticket modérateur*, declared *médecins traitants*, C2S periods,
//! and every attestation issued, so that its short code finds its signed statement again.
//!
//! Person-level rights (exemptions, doctor) are keyed by the member and the person's rank (01
//! for the insured person, 02–19 for ayants droit), the way the member file names people.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_rights_and_attestations"
    }
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CoveragePeriods {
    Table,
    Id,
    MemberId,
    RegimeCode,
    CodeGestion,
    CaisseCode,
    ValidFrom,
    ValidTo,
    LocalRegime,
}

#[derive(DeriveIden)]
enum Exemptions {
    Table,
    Id,
    MemberId,
    Rank,
    Nature,
    RatePercent,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum DeclaredDoctors {
    Table,
    Id,
    MemberId,
    Rank,
    DoctorName,
    DeclaredOn,
}

#[derive(DeriveIden)]
enum C2sPeriods {
    Table,
    Id,
    MemberId,
    Kind,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum Attestations {
    Table,
    Id,
    Code,
    MemberId,
    Kind,
    KeyId,
    Sealed,
    IssuedAt,
    ValidFrom,
    ValidTo,
}

fn member_fk(name: &str, table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Members::Table, Members::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
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
                    .table(CoveragePeriods::Table)
                    .col(uuid(CoveragePeriods::Id).primary_key())
                    .col(uuid(CoveragePeriods::MemberId))
                    .col(string_len(CoveragePeriods::RegimeCode, 2))
                    .col(string_len(CoveragePeriods::CodeGestion, 2))
                    .col(string_len(CoveragePeriods::CaisseCode, 3))
                    .col(date(CoveragePeriods::ValidFrom))
                    .col(date_null(CoveragePeriods::ValidTo))
                    .col(boolean(CoveragePeriods::LocalRegime))
                    .foreign_key(&mut member_fk(
                        "fk_coverage_periods_member",
                        CoveragePeriods::Table,
                        CoveragePeriods::MemberId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Exemptions::Table)
                    .col(uuid(Exemptions::Id).primary_key())
                    .col(uuid(Exemptions::MemberId))
                    .col(small_integer(Exemptions::Rank))
                    .col(string_len(Exemptions::Nature, 16))
                    .col(small_integer(Exemptions::RatePercent))
                    .col(date(Exemptions::ValidFrom))
                    .col(date_null(Exemptions::ValidTo))
                    .foreign_key(&mut member_fk(
                        "fk_exemptions_member",
                        Exemptions::Table,
                        Exemptions::MemberId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeclaredDoctors::Table)
                    .col(uuid(DeclaredDoctors::Id).primary_key())
                    .col(uuid(DeclaredDoctors::MemberId))
                    .col(small_integer(DeclaredDoctors::Rank))
                    .col(string_len(DeclaredDoctors::DoctorName, 200))
                    .col(date_null(DeclaredDoctors::DeclaredOn))
                    .foreign_key(&mut member_fk(
                        "fk_declared_doctors_member",
                        DeclaredDoctors::Table,
                        DeclaredDoctors::MemberId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(C2sPeriods::Table)
                    .col(uuid(C2sPeriods::Id).primary_key())
                    .col(uuid(C2sPeriods::MemberId))
                    .col(string_len(C2sPeriods::Kind, 16))
                    .col(date(C2sPeriods::ValidFrom))
                    .col(date_null(C2sPeriods::ValidTo))
                    .foreign_key(&mut member_fk(
                        "fk_c2s_periods_member",
                        C2sPeriods::Table,
                        C2sPeriods::MemberId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attestations::Table)
                    .col(uuid(Attestations::Id).primary_key())
                    .col(string_len(Attestations::Code, 12).unique_key())
                    .col(uuid(Attestations::MemberId))
                    .col(string_len(Attestations::Kind, 16))
                    .col(string_len(Attestations::KeyId, 32))
                    .col(text(Attestations::Sealed))
                    .col(timestamp_with_time_zone(Attestations::IssuedAt))
                    .col(date(Attestations::ValidFrom))
                    .col(date(Attestations::ValidTo))
                    .foreign_key(&mut member_fk(
                        "fk_attestations_member",
                        Attestations::Table,
                        Attestations::MemberId,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, table, columns, unique) in [
            (
                "ix_coverage_periods_member",
                CoveragePeriods::Table.into_iden(),
                vec![
                    CoveragePeriods::MemberId.into_iden(),
                    CoveragePeriods::ValidFrom.into_iden(),
                ],
                false,
            ),
            (
                "ix_exemptions_member",
                Exemptions::Table.into_iden(),
                vec![
                    Exemptions::MemberId.into_iden(),
                    Exemptions::Rank.into_iden(),
                ],
                false,
            ),
            // One declared doctor per person.
            (
                "ux_declared_doctors_member_rank",
                DeclaredDoctors::Table.into_iden(),
                vec![
                    DeclaredDoctors::MemberId.into_iden(),
                    DeclaredDoctors::Rank.into_iden(),
                ],
                true,
            ),
            (
                "ix_c2s_periods_member",
                C2sPeriods::Table.into_iden(),
                vec![C2sPeriods::MemberId.into_iden()],
                false,
            ),
            (
                "ix_attestations_member",
                Attestations::Table.into_iden(),
                vec![
                    Attestations::MemberId.into_iden(),
                    Attestations::IssuedAt.into_iden(),
                ],
                false,
            ),
        ] {
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
        for table in [
            Attestations::Table.into_iden(),
            C2sPeriods::Table.into_iden(),
            DeclaredDoctors::Table.into_iden(),
            Exemptions::Table.into_iden(),
            CoveragePeriods::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
