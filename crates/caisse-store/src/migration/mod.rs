//! The one migration source for both databases: SeaQuery builds each dialect's DDL.
//!
//! Migrations follow the expand/contract rule: each one must work with the code that is already
//! running on other nodes, so a column is added (expand) in one release and old ones dropped
//! (contract) in a later one. Never edit a migration that has shipped; add a new one.

mod m0001_foundation;
mod m0002_login_throttles;
mod m0003_password_resets;
mod m0004_devices_and_tokens;
mod m0005_account_lifecycle;
mod m0006_staff_totp;
mod m0007_messaging;
mod m0008_teams_and_canned_answers;
mod m0009_delays_and_mediation;
mod m0010_attachment_drafts;
mod m0011_rights_and_attestations;
mod m0012_outbox_funds_and_sealed_bodies;
mod m0014_member_quotas;
mod m0015_reference_data;
mod m0016_claims;
mod m0017_ij_reference;
mod m0018_arrets;
mod m0019_tariff_price_limits;
mod m0020_debt_payments;
mod m0021_member_payments;
mod m0022_payable_order;
mod m0023_line_corrections;
mod m0024_sender_debts;
mod m0025_dossiers;
mod m0026_agenda;
mod m0027_agenda_sites;
mod m0028_help;
mod m0029_forum;
mod m0030_oidc;
mod m0031_cluster;
mod m0032_member_key;
mod m0033_log_partitions;
mod m0034_message_partitions;
mod m0035_sheet_payment_day;
mod m0036_member_search;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait};
use sea_orm_migration::{MigrationTrait, MigratorTrait};

/// Every migration, in order.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_login_throttles::Migration),
            Box::new(m0003_password_resets::Migration),
            Box::new(m0004_devices_and_tokens::Migration),
            Box::new(m0005_account_lifecycle::Migration),
            Box::new(m0006_staff_totp::Migration),
            Box::new(m0007_messaging::Migration),
            Box::new(m0008_teams_and_canned_answers::Migration),
            Box::new(m0009_delays_and_mediation::Migration),
            Box::new(m0010_attachment_drafts::Migration),
            Box::new(m0011_rights_and_attestations::Migration),
            Box::new(m0012_outbox_funds_and_sealed_bodies::Migration),
            Box::new(m0014_member_quotas::Migration),
            Box::new(m0015_reference_data::Migration),
            Box::new(m0016_claims::Migration),
            Box::new(m0017_ij_reference::Migration),
            Box::new(m0018_arrets::Migration),
            Box::new(m0019_tariff_price_limits::Migration),
            Box::new(m0020_debt_payments::Migration),
            Box::new(m0021_member_payments::Migration),
            Box::new(m0022_payable_order::Migration),
            Box::new(m0023_line_corrections::Migration),
            Box::new(m0024_sender_debts::Migration),
            Box::new(m0025_dossiers::Migration),
            Box::new(m0026_agenda::Migration),
            Box::new(m0027_agenda_sites::Migration),
            Box::new(m0028_help::Migration),
            Box::new(m0029_forum::Migration),
            Box::new(m0030_oidc::Migration),
            Box::new(m0031_cluster::Migration),
            Box::new(m0032_member_key::Migration),
            Box::new(m0033_log_partitions::Migration),
            Box::new(m0034_message_partitions::Migration),
            Box::new(m0035_sheet_payment_day::Migration),
            Box::new(m0036_member_search::Migration),
        ]
    }
}

/// The advisory lock that nodes starting together take before migrating (an arbitrary key,
/// « caisse » in ASCII).
const MIGRATION_LOCK: i64 = 0x63_61_69_73_73_65;

/// Applies every pending migration; returns how many were applied. On PostgreSQL, nodes that
/// start together migrate one after the other: the first takes an advisory lock in a
/// transaction and migrates in it (one connection, the whole upgrade or none of it); the others
/// wait for the lock, then find nothing pending. A crashed node's lock goes with its connection.
pub async fn run_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        let pending = Migrator::get_pending_migrations(db).await?.len();
        Migrator::up(db, None).await?;
        return Ok(pending);
    }
    let tx = db.begin().await?;
    tx.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        .await?;
    let pending = Migrator::get_pending_migrations(&tx).await?.len();
    Migrator::up(&tx, None).await?;
    tx.commit().await?;
    Ok(pending)
}

/// Names of the migrations not yet applied (empty when the schema is current). Read-only: it
/// never creates the bookkeeping table, so a probe cannot change the database.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    Ok(Migrator::get_pending_migrations_read_only(db)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect())
}
