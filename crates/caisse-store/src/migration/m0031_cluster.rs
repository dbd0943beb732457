//! Several nodes on one database (issue 19).
//!
//! - `rate_counters`: the hits of a rate limit's key in one fixed window, shared by every node,
//!   so N nodes do not give a client N times the budget. Kept until `expires_at`.
//! - `cluster_jobs`: one row per periodic job; a node runs a job only when it moves `due_at`
//!   forward from a past value itself (one conditional update), so a job runs once per period
//!   across the cluster, whichever node wakes first.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0031_cluster"
    }
}

#[derive(DeriveIden)]
enum RateCounters {
    Table,
    Key,
    WindowStart,
    Hits,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ClusterJobs {
    Table,
    Name,
    DueAt,
    Node,
    StartedAt,
    FinishedAt,
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
                    .table(RateCounters::Table)
                    .col(string_len(RateCounters::Key, 128))
                    .col(big_integer(RateCounters::WindowStart))
                    .col(big_integer(RateCounters::Hits))
                    .col(timestamp_with_time_zone(RateCounters::ExpiresAt))
                    .primary_key(
                        Index::create()
                            .col(RateCounters::Key)
                            .col(RateCounters::WindowStart),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClusterJobs::Table)
                    .col(string_len(ClusterJobs::Name, 64).primary_key())
                    .col(timestamp_with_time_zone(ClusterJobs::DueAt))
                    .col(string_len_null(ClusterJobs::Node, 128))
                    .col(timestamp_with_time_zone_null(ClusterJobs::StartedAt))
                    .col(timestamp_with_time_zone_null(ClusterJobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_rate_counters_expires ON rate_counters (expires_at)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ClusterJobs::Table.into_iden(),
            RateCounters::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
