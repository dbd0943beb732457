//! Opening a connection pool from a `DATABASE_URL`.

use std::time::Duration;

use log::LevelFilter;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr};

/// A statement that runs longer than this is logged as a warning.
const SLOW_STATEMENT: Duration = Duration::from_secs(1);

/// The database engines Caisse runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (default, one node).
    Sqlite,
    /// PostgreSQL server (production, several nodes).
    Postgres,
}

impl Backend {
    /// Chooses the backend from a URL scheme; there is no fallback for unknown schemes.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The backend a live connection talks to.
pub fn database_backend(db: &DatabaseConnection) -> Backend {
    match db.get_database_backend() {
        DbBackend::Sqlite => Backend::Sqlite,
        _ => Backend::Postgres,
    }
}

/// Opens a pool on a PostgreSQL replica without connecting yet: a node starts, and serves
/// from the primary, while its replica is down.
pub async fn connect_replica(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    if Backend::from_url(url) != Some(Backend::Postgres) {
        return Err(DbErr::Custom("a replica is a postgres:// URL".into()));
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(true)
        .sqlx_logging_level(LevelFilter::Debug)
        .sqlx_slow_statements_logging_settings(LevelFilter::Warn, SLOW_STATEMENT)
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        // A replica that does not answer is left for the primary quickly.
        .connect_timeout(Duration::from_secs(2))
        .acquire_timeout(Duration::from_secs(2))
        .max_connections(max_connections.max(1))
        .connect_lazy(true);
    let mut db = Database::connect(options).await?;
    db.set_metric_callback(crate::availability::observe);
    Ok(db)
}

/// Opens a pool. SQLite gets WAL, foreign keys and a busy timeout on every connection (these
/// pragmas are per connection); the file is created when missing.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let backend = Backend::from_url(url).ok_or_else(|| {
        DbErr::Custom("DATABASE_URL must start with sqlite: or postgres://".into())
    })?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        // sqlx logs each statement's text, its placeholders never their values, under
        // `sqlx::query`: debug for all, warn for the slow ones.
        .sqlx_logging(true)
        .sqlx_logging_level(LevelFilter::Debug)
        .sqlx_slow_statements_logging_settings(LevelFilter::Warn, SLOW_STATEMENT)
        // Pinging every connection taken from the pool doubled the round trips of short
        // requests; only a connection idle long enough to have been dropped is checked.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    match backend {
        Backend::Sqlite => {
            options
                .max_connections(max_connections.clamp(1, 8))
                .map_sqlx_sqlite_opts(|o| {
                    o.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(5))
                });
        }
        Backend::Postgres => {
            options.max_connections(max_connections.max(1));
        }
    }
    let mut db = Database::connect(options).await?;
    db.set_metric_callback(crate::availability::observe);
    Ok(db)
}
