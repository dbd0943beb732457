//! Logging in through an OpenID Connect provider (issue 18): FranceConnect for members, the
//! fund's own identity provider for staff.
//!
//! - `oidc_requests`: an authorization request on its way, found by the digest of its `state`,
//!   bound to the browser that started it; its nonce and PKCE verifier are sealed. Deleted when
//!   the provider comes back, so a replayed answer finds nothing.
//! - `fc_links`: a member's FranceConnect identity (`issuer`, `subject`), one per member and
//!   provider.
//! - `fc_pending_links`: a FranceConnect identity matched to exactly one member file, waiting
//!   for the extra proof (password or code) before it is linked.
//! - `oidc_sessions`: the ID token of a session opened through a provider, sealed, for the
//!   logout (`id_token_hint`).
//! - `ix_members_birth_date`: the candidates of a pivot identity are looked up by birth date.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0030_oidc"
    }
}

#[derive(DeriveIden)]
enum OidcRequests {
    Table,
    StateDigest,
    Provider,
    Binding,
    Sealed,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum FcLinks {
    Table,
    Id,
    MemberId,
    Issuer,
    Subject,
    Acr,
    LinkedAt,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum FcPendingLinks {
    Table,
    Id,
    Binding,
    MemberId,
    Issuer,
    Subject,
    Acr,
    SealedIdToken,
    ChallengeId,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
}

#[derive(DeriveIden)]
enum OidcSessions {
    Table,
    SessionHash,
    Provider,
    SealedIdToken,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX ux_fc_links_subject ON fc_links (issuer, subject)",
    "CREATE UNIQUE INDEX ux_fc_links_member ON fc_links (member_id, issuer)",
    "CREATE INDEX ix_fc_pending_links_binding ON fc_pending_links (binding)",
    "CREATE INDEX ix_oidc_requests_expires ON oidc_requests (expires_at)",
    "CREATE INDEX ix_members_birth_date ON members (birth_date)",
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
                    .table(OidcRequests::Table)
                    .col(string_len(OidcRequests::StateDigest, 64).primary_key())
                    .col(string_len(OidcRequests::Provider, 16))
                    .col(string_len(OidcRequests::Binding, 64))
                    .col(text(OidcRequests::Sealed))
                    .col(timestamp_with_time_zone(OidcRequests::CreatedAt))
                    .col(timestamp_with_time_zone(OidcRequests::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FcLinks::Table)
                    .col(uuid(FcLinks::Id).primary_key())
                    .col(uuid(FcLinks::MemberId))
                    .col(string_len(FcLinks::Issuer, 255))
                    .col(string_len(FcLinks::Subject, 255))
                    .col(string_len(FcLinks::Acr, 32))
                    .col(timestamp_with_time_zone(FcLinks::LinkedAt))
                    .col(timestamp_with_time_zone(FcLinks::LastLoginAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_fc_links_member")
                            .from(FcLinks::Table, FcLinks::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FcPendingLinks::Table)
                    .col(uuid(FcPendingLinks::Id).primary_key())
                    .col(string_len(FcPendingLinks::Binding, 64))
                    .col(uuid(FcPendingLinks::MemberId))
                    .col(string_len(FcPendingLinks::Issuer, 255))
                    .col(string_len(FcPendingLinks::Subject, 255))
                    .col(string_len(FcPendingLinks::Acr, 32))
                    .col(text(FcPendingLinks::SealedIdToken))
                    .col(uuid_null(FcPendingLinks::ChallengeId))
                    .col(timestamp_with_time_zone(FcPendingLinks::CreatedAt))
                    .col(timestamp_with_time_zone(FcPendingLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(FcPendingLinks::ConsumedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_fc_pending_links_member")
                            .from(FcPendingLinks::Table, FcPendingLinks::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OidcSessions::Table)
                    .col(string_len(OidcSessions::SessionHash, 64).primary_key())
                    .col(string_len(OidcSessions::Provider, 16))
                    .col(text(OidcSessions::SealedIdToken))
                    .col(timestamp_with_time_zone(OidcSessions::CreatedAt))
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
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ix_members_birth_date")
            .await?;
        for table in [
            OidcSessions::Table.into_iden(),
            FcPendingLinks::Table.into_iden(),
            FcLinks::Table.into_iden(),
            OidcRequests::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
