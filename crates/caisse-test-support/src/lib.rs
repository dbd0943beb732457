//! Test harness shared by the test suites: a fresh, migrated database per test, an SMTP sink
//! (`smtp`) and PDFs read back with the command-line tools (`pdf`).
//!
//! `TEST_DATABASE_URL` chooses the engine. Unset: a SQLite file in the temporary directory.
//! `postgres://…`: a new database `caisse_test_<uuid>` is created on that server for each test
//! (the URL must name a database the role can connect to, such as `postgres`).

pub mod files;
pub mod fixtures;
pub mod pdf;
pub mod smtp;

use std::path::PathBuf;

use caisse_store::{Db, connect, run_migrations};
use sea_orm::{ConnectionTrait, Database};

/// A database that exists for one test.
pub struct TestDb {
    /// The connection pool, already migrated.
    pub db: Db,
    /// The URL of this test's database (to hand to a spawned binary).
    pub url: String,
    sqlite_file: Option<PathBuf>,
}

impl TestDb {
    /// Creates and migrates a fresh database.
    ///
    /// # Panics
    /// When the database cannot be created: a test cannot run without one.
    pub async fn new() -> TestDb {
        let test_db = TestDb::empty().await;
        run_migrations(&test_db.db).await.expect("migrations apply");
        test_db
    }

    /// Creates a fresh database without applying migrations.
    ///
    /// # Panics
    /// When the database cannot be created.
    pub async fn empty() -> TestDb {
        let name = format!("caisse_test_{}", uuid::Uuid::new_v4().simple());
        match std::env::var("TEST_DATABASE_URL") {
            Ok(server) if server.starts_with("postgres") => {
                let admin = Database::connect(server.as_str())
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let url = replace_database(&server, &name);
                let db = connect(&url, 5).await.expect("connect to test database");
                TestDb {
                    db,
                    url,
                    sqlite_file: None,
                }
            }
            _ => {
                let path = std::env::temp_dir().join(format!("{name}.sqlite"));
                let url = format!("sqlite://{}?mode=rwc", path.display());
                let db = connect(&url, 4).await.expect("open test SQLite file");
                TestDb {
                    db,
                    url,
                    sqlite_file: Some(path),
                }
            }
        }
    }

    /// True when the suite runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.sqlite_file.is_none()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // PostgreSQL test databases are dropped by the test script after the run: dropping here
        // would need an async runtime inside Drop.
        if let Some(path) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
    }
}

/// Replaces the database name (the path) of a PostgreSQL URL, keeping any query string.
pub fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| base[start..].find('/').map(|slash| start + slash))
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..authority_end], database);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn replaces_the_database_and_keeps_the_query() {
        assert_eq!(
            replace_database("postgres://u@h:5/postgres?sslmode=disable", "x"),
            "postgres://u@h:5/x?sslmode=disable"
        );
        assert_eq!(
            replace_database("postgres://u@h:5", "x"),
            "postgres://u@h:5/x"
        );
    }
}
