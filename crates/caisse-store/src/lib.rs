//! Persistence for Caisse: SeaORM entities, queries and the one migration source that builds
//! the schema on SQLite and on PostgreSQL.
//!
//! This is the only crate that knows SQL. Callers get plain functions that take a connection or a
//! transaction (anything implementing [`ConnectionTrait`]); the application layer decides where
//! transactions start and end. The account modules take and return domain values (`Nir`,
//! `Email`, `Iban`, enums for states and roles, [`caisse_domain::Instant`] for time) and records
//! of their own, never row models; a stored value that no longer parses is
//! [`StoreError::Corrupt`].

pub mod agenda;
pub mod api_tokens;
pub mod attachments;
pub mod attestations;
pub mod audit;
pub mod availability;
pub mod bank_changes;
pub mod canned_answers;
pub mod claims;
pub mod cluster_jobs;
mod connect;
pub mod contact_codes;
pub mod devices;
pub mod dossiers;
pub mod entities;
mod error;
pub mod forum;
pub mod help;
pub mod log_partitions;
pub mod login_throttles;
pub mod mediation;
pub mod member_quotas;
pub mod members;
pub mod messaging;
pub mod migration;
pub mod new_threads;
pub mod oidc;
pub mod one_time;
pub mod outbox;
pub mod postal_letters;
pub mod provisional_codes;
pub mod rate_counters;
pub mod reference;
pub mod replication;
pub mod rights;
pub mod security_alerts;
pub mod sessions;
pub mod staff;
pub mod staff_challenges;
pub mod teams;
pub mod thread_delays;

pub use connect::{Backend, connect, connect_replica, database_backend};
pub use error::StoreError;
pub use migration::{Migrator, pending_migrations, run_migrations};
pub use sea_orm::{
    ConnectionTrait, DatabaseConnection as Db, DatabaseTransaction as Tx, DbErr, SqlErr,
    TransactionTrait,
};

/// The current instant in the stored form (UTC, whole seconds): what store functions take as
/// a [`caisse_domain::Instant`] (`Instant::from(now_utc())`).
pub fn now_utc() -> time::OffsetDateTime {
    caisse_domain::Instant::new(time::OffsetDateTime::now_utc()).get()
}
