//! Test harness shared by the test suites: a fresh, migrated database per test, an SMTP sink
//! (`smtp`) and PDFs read back with the command-line tools (`pdf`).
//!
//! `TEST_DATABASE_URL` chooses the engine. Unset: a SQLite file in the temporary directory.
//! `postgres://…`: a new database `caisse_test_<uuid>` is created on that server for each test
//! (the URL must name a database the role can connect to, such as `postgres`).
//!
//! Migrations run once into a template shared by every test process of a run: each test then
//! starts from a copy of it (`CREATE DATABASE … TEMPLATE` on PostgreSQL, a copied file on
//! SQLite), which costs a fraction of running every migration again (some 5 s per process
//! on PostgreSQL, times the suite's 50 test binaries). The template is named after a
//! fingerprint of the store's source files (`caisse_tpl_<fingerprint>`), where the
//! migrations live, so a migration edited between two runs is never served stale; the first
//! process builds it under a lock (an advisory lock on PostgreSQL, a rename on SQLite) and
//! the others wait for it. `scripts/test-all` drops the templates after the run.

pub mod files;
pub mod fixtures;
pub mod oidc_provider;
pub mod pdf;
pub mod polling;
pub mod smtp;

use std::path::{Path, PathBuf};

use caisse_store::{Db, connect, run_migrations};
use sea_orm::{ConnectionTrait, Database};
use tokio::sync::OnceCell;

/// The migrated template of this process: a database name (PostgreSQL) or a file (SQLite).
static TEMPLATE: OnceCell<Template> = OnceCell::const_new();

enum Template {
    Postgres(String),
    Sqlite(PathBuf),
}

/// A database that exists for one test.
pub struct TestDb {
    /// The connection pool, already migrated.
    pub db: Db,
    /// The URL of this test's database (to hand to a spawned binary).
    pub url: String,
    sqlite_file: Option<PathBuf>,
    /// On PostgreSQL: the server and this database's name, dropped with the value (each
    /// test database takes about 10 MB; thousands of runs filled a disk).
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// Creates and migrates a fresh database.
    ///
    /// # Panics
    /// When the database cannot be created: a test cannot run without one.
    pub async fn new() -> TestDb {
        let name = fresh_name();
        match (server_url(), template().await) {
            (Some(server), Template::Postgres(template)) => {
                create_postgres(&server, &format!("{name} TEMPLATE {template}")).await;
                TestDb::open_postgres(&server, &name).await
            }
            (_, Template::Sqlite(template)) => {
                let path = sqlite_path(&name);
                std::fs::copy(template, &path).expect("copy the template database");
                TestDb::open_sqlite(path).await
            }
            (None, Template::Postgres(_)) => unreachable!("the template follows the engine"),
        }
    }

    /// Creates a fresh database without applying migrations.
    ///
    /// # Panics
    /// When the database cannot be created.
    pub async fn empty() -> TestDb {
        let name = fresh_name();
        match server_url() {
            Some(server) => {
                create_postgres(&server, &name).await;
                TestDb::open_postgres(&server, &name).await
            }
            None => TestDb::open_sqlite(sqlite_path(&name)).await,
        }
    }

    async fn open_postgres(server: &str, name: &str) -> TestDb {
        let url = replace_database(server, name);
        let db = connect(&url, 5).await.expect("connect to test database");
        TestDb {
            db,
            url,
            sqlite_file: None,
            postgres: Some((server.to_owned(), name.to_owned())),
        }
    }

    async fn open_sqlite(path: PathBuf) -> TestDb {
        let url = sqlite_url(&path);
        let db = connect(&url, 4).await.expect("open test SQLite file");
        TestDb {
            db,
            url,
            sqlite_file: Some(path),
            postgres: None,
        }
    }

    /// True when the suite runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.sqlite_file.is_none()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = self.postgres.take() {
            // Drop needs its own runtime: the test's may be shutting down. `FORCE` ends the
            // pool's connections, which may still belong to the test's runtime.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                runtime.block_on(async {
                    let admin = Database::connect(server.as_str()).await.ok()?;
                    let done = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    admin.close().await.ok();
                    done.ok()
                })
            })
            .join();
            // A database left behind is dropped by `scripts/test-all` after the run.
            let _ = dropped;
        }
        if let Some(path) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
    }
}

fn fresh_name() -> String {
    format!("caisse_test_{}", uuid::Uuid::new_v4().simple())
}

/// The PostgreSQL server of `TEST_DATABASE_URL`, if the suite runs on PostgreSQL.
fn server_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres"))
}

fn sqlite_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("{name}.sqlite"))
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// `CREATE DATABASE {what}` on the server.
async fn create_postgres(server: &str, what: &str) {
    let admin = Database::connect(server)
        .await
        .expect("connect to TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {what}"))
        .await
        .expect("create test database");
    // A test database is thrown away: its commits need not wait for the disk (a server whose
    // fsync is on otherwise spends most of a suite's time there).
    if let Some(name) = what.split_whitespace().next() {
        admin
            .execute_unprepared(&format!(
                "ALTER DATABASE {name} SET synchronous_commit = off"
            ))
            .await
            .expect("relax the test database's commits");
    }
    admin.close().await.ok();
}

/// The shared template, built by the first process that needs it.
async fn template() -> &'static Template {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("caisse_tpl_{}", store_fingerprint());
            match server_url() {
                Some(server) => Template::Postgres(postgres_template(&server, &name).await),
                None => Template::Sqlite(sqlite_template(&name).await),
            }
        })
        .await
}

/// A fingerprint of the store crate's sources (its migrations and the code they call): a
/// new one whenever any of them changes. Read from the source tree, which the tests run in.
fn store_fingerprint() -> String {
    use std::hash::{DefaultHasher, Hasher};
    fn visit(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("../caisse-store");
    let mut files = Vec::new();
    visit(&store.join("src"), &mut files);
    files.push(store.join("Cargo.toml"));
    files.sort();
    // SipHash with fixed keys: the same sources give the same value in every process.
    let mut hasher = DefaultHasher::new();
    for file in files {
        hasher.write(file.to_string_lossy().as_bytes());
        hasher.write(&std::fs::read(&file).unwrap_or_default());
    }
    format!("{:016x}", hasher.finish())
}

/// The database `name` on `server`, migrated: built unless it exists, under an advisory lock
/// so that concurrent processes build it once.
async fn postgres_template(server: &str, name: &str) -> String {
    let admin = Database::connect(server)
        .await
        .expect("connect to TEST_DATABASE_URL");
    // A session lock: held by this connection until it unlocks or closes.
    admin
        .execute_unprepared("SELECT pg_advisory_lock(727364)")
        .await
        .expect("lock the test templates");
    let exists = admin
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT 1 AS found FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await
        .expect("look for the template")
        .is_some();
    if !exists {
        // Built under another name, renamed once complete: a half-built template (a process
        // killed meanwhile) is never used.
        let building = format!("{name}_building");
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .await
            .expect("drop a half-built template");
        create_postgres(server, &building).await;
        let db = connect(&replace_database(server, &building), 5)
            .await
            .expect("connect to the template");
        run_migrations(&db).await.expect("migrations apply");
        // A database with open connections cannot be copied.
        db.close().await.ok();
        admin
            .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .await
            .expect("name the template");
    }
    admin
        .execute_unprepared("SELECT pg_advisory_unlock(727364)")
        .await
        .ok();
    admin.close().await.ok();
    name.to_owned()
}

/// The SQLite file `name` in the temporary directory, migrated: built unless it exists, in a
/// file of this process's own, then renamed into place (atomic: another process sees the
/// whole file or none).
async fn sqlite_template(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("{name}.template.sqlite"));
    if path.exists() {
        return path;
    }
    let test_db = TestDb::empty().await;
    run_migrations(&test_db.db).await.expect("migrations apply");
    // Everything into the main file, so a plain copy is the whole database.
    test_db
        .db
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .expect("checkpoint the template");
    test_db.db.clone().close().await.ok();
    let built = test_db
        .sqlite_file
        .clone()
        .expect("a SQLite template has a file");
    std::fs::rename(&built, &path).expect("keep the template file");
    path
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
