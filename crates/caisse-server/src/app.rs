//! Wiring: opens the database, builds the services and runs the server and workers until a
//! shutdown signal, letting in-flight requests and deliveries finish.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use caisse_core::clock::{Clock, SystemClock};
use caisse_core::files::{FileStore, ObjectFiles};
use caisse_core::mail::Transport;
use caisse_core::outbox::OutboxSeal;
use caisse_core::outbox_worker::{OutboxWorker, Transports, WorkerSettings};
use caisse_core::passwords::PasswordHasherPool;
use caisse_core::sessions::{SessionPolicy, SessionService};
use caisse_core::staff_totp::SealingKey;
use caisse_store::Db;
use caisse_web::{AppState, WebConfig};
use tokio_util::sync::CancellationToken;

use crate::cli::{ServeOptions, WorkerOptions};
use crate::mail_dir::MailDirectory;
use crate::private_files;
use crate::settings::Settings;
use crate::smtp::SmtpTransport;

/// Which database file and data a server uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `caisse serve`.
    Production,
    /// `caisse demo`: its own SQLite file, seeded.
    Demo,
}

/// Opens the database of these settings (creating the data directory for SQLite).
pub async fn open_database(settings: &Settings, mode: Mode) -> anyhow::Result<(Db, String)> {
    std::fs::create_dir_all(&settings.data_dir).with_context(|| {
        format!(
            "creating the data directory {}",
            settings.data_dir.display()
        )
    })?;
    let file = if mode == Mode::Demo {
        "demo.sqlite"
    } else {
        "caisse.sqlite"
    };
    private_files::tighten(&settings.data_dir)?;
    let url = settings.effective_database_url(file);
    let db = caisse_store::connect(&url, settings.database_max_connections)
        .await
        .with_context(|| format!("connecting to the database ({})", redact(&url)))?;
    for path in private_files::sqlite_files(&url) {
        private_files::tighten(&path)?;
    }
    Ok((db, url))
}

/// Hides the password of a database URL.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// `caisse migrate`.
pub async fn migrate(settings: Settings) -> anyhow::Result<()> {
    let (db, url) = open_database(&settings, Mode::Production).await?;
    let applied = caisse_store::run_migrations(&db)
        .await
        .context("applying migrations")?;
    println!("{applied} migration(s) appliquée(s) sur {}", redact(&url));
    Ok(())
}

/// Opens the directory of attachments (creating it), as an `object_store` local file system
/// that syncs each file to disk before the database records it.
fn file_store(settings: &Settings) -> anyhow::Result<Arc<dyn FileStore>> {
    let dir = settings.effective_files_dir();
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating the files directory {}", dir.display()))?;
    private_files::tighten(&dir)?;
    let local = object_store::local::LocalFileSystem::new_with_prefix(&dir)
        .with_context(|| format!("opening the files directory {}", dir.display()))?
        .with_fsync(true);
    Ok(Arc::new(ObjectFiles::new(Arc::new(local))))
}

fn hasher(settings: &Settings) -> anyhow::Result<PasswordHasherPool> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    PasswordHasherPool::new(settings.argon2, workers).context("configuring Argon2")
}

/// The transports, and the mail directory when messages are written there (the development
/// transport: always for SMS, which have no gateway adapter yet; for mail without SMTP).
fn transports(settings: &Settings) -> anyhow::Result<(Transports, std::path::PathBuf)> {
    let dir = settings.effective_mail_dir();
    let directory: Arc<dyn Transport> =
        Arc::new(MailDirectory::open(&dir, &settings.mail_from).map_err(anyhow::Error::msg)?);
    let email: Arc<dyn Transport> = match &settings.smtp_url {
        Some(url) => {
            Arc::new(SmtpTransport::new(url, &settings.mail_from).map_err(anyhow::Error::msg)?)
        }
        None => directory.clone(),
    };
    Ok((
        Transports {
            email,
            sms: directory,
        },
        dir,
    ))
}

/// The key of the outbox's sealed bodies, after sealing those an upgrade left in clear.
async fn outbox_seal(db: &Db, secret_key: &[u8]) -> anyhow::Result<OutboxSeal> {
    let seal = OutboxSeal::derive(secret_key).context("deriving the outbox sealing key")?;
    let sealed = caisse_core::outbox::seal_legacy_bodies(db, &seal)
        .await
        .context("sealing the outbox bodies left in clear")?;
    if sealed > 0 {
        tracing::info!(sealed, "outbox bodies sealed");
    }
    Ok(seal)
}

fn worker_settings(settings: &Settings) -> WorkerSettings {
    WorkerSettings {
        poll_interval: settings.outbox_poll_interval,
        lease: settings.outbox_lease,
        max_attempts: settings.outbox_max_attempts,
        ..WorkerSettings::default()
    }
}

fn shutdown_on_signal(token: CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(term) => term,
                    Err(error) => {
                        tracing::error!(%error, "cannot listen for SIGTERM");
                        let _ = ctrl_c.await;
                        token.cancel();
                        return;
                    }
                };
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutdown requested: finishing in-flight work");
        token.cancel();
    });
}

/// `caisse serve` and `caisse demo`.
pub async fn serve(settings: Settings, options: ServeOptions, mode: Mode) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (db, url) = open_database(&settings, mode).await?;
    if !options.no_migrate {
        caisse_store::run_migrations(&db)
            .await
            .context("applying migrations")?;
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let hasher = hasher(&settings)?;
    let secret_key =
        crate::secret::load_or_create(settings.secret_key.as_deref(), &settings.data_dir)?;
    let sealing = SealingKey::derive(&secret_key).context("deriving the TOTP sealing key")?;
    let outbox_seal = outbox_seal(&db, &secret_key).await?;
    let demo = if mode == Mode::Demo {
        Some(
            caisse_core::demo::seed(&db, &hasher, &sealing, clock.now())
                .await
                .context("seeding demo data")?,
        )
    } else {
        None
    };
    let base_url = settings.effective_base_url();
    let mut web = WebConfig::new(settings.brand.clone(), secret_key);
    web.https = base_url.starts_with("https://");
    web.base_url = base_url.clone();
    web.trust_forwarded_for = settings.trust_forwarded_for;
    web.requests_per_second_per_ip = settings.rate_limit_requests_per_second;
    web.request_burst_per_ip = settings.rate_limit_burst;
    web.logins_per_minute_per_ip = settings.rate_limit_logins_per_minute;
    web.logins_per_second_per_node = settings.rate_limit_node_logins_per_second;
    web.bank_change_cool_off = settings.bank_change_cool_off;
    web.sms_codes = settings.sms_codes;
    web.password_policy.min_length = settings.password_min_length;
    web.messaging_quotas = settings.messaging_quotas;
    web.file_workers = settings.file_workers;
    if let Some(keys) = &settings.attestation_keys {
        web.attestation_keys = keys.clone();
    }
    if mode == Mode::Demo && settings.brand.name == caisse_web::Brand::default().name {
        web.brand.name = "Caisse de démonstration".to_owned();
    }
    caisse_web::install_metrics_recorder();
    let sessions = SessionService::new(db.clone(), clock.clone(), SessionPolicy::default());
    // A demo is explored with the printed logins; the code mail would have to be read in the
    // outbox first, so the confirmation is off there unless asked for.
    let login_settings = caisse_core::auth::LoginSettings {
        lockout: settings.lockout.clone(),
        base_url: base_url.clone(),
        new_device_confirmation: settings
            .new_device_confirmation
            .unwrap_or(mode == Mode::Production),
        ..caisse_core::auth::LoginSettings::default()
    };
    let auth = caisse_core::auth::Authenticator::new(
        db.clone(),
        hasher,
        clock.clone(),
        login_settings,
        sealing,
        outbox_seal.clone(),
    );
    let state = AppState::new(
        db.clone(),
        clock.clone(),
        sessions.clone(),
        auth,
        web,
        file_store(&settings)?,
    );
    let app = caisse_web::router(state.clone());

    let shutdown = CancellationToken::new();
    shutdown_on_signal(shutdown.clone());
    let mut background = Vec::new();
    let (transports, mail_dir) = transports(&settings)?;
    if !options.no_workers {
        let worker = OutboxWorker::new(
            db.clone(),
            transports,
            clock.clone(),
            worker_settings(&settings),
            outbox_seal,
        );
        background.push(tokio::spawn(worker.run(shutdown.clone())));
    }
    let settle = state.clone();
    background.push(tokio::spawn(maintenance(
        db.clone(),
        sessions,
        state,
        shutdown.clone(),
    )));

    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("listening on {}", settings.listen))?;
    let address = listener.local_addr().context("reading the bound address")?;
    tracing::info!(%address, database = %redact(&url), startup_ms = started.elapsed().as_millis() as u64, "caisse ready");
    if let Some(demo) = demo {
        print_demo_banner(&settings, &address.to_string(), &url, &demo);
    } else {
        println!("Caisse est prête : http://{address}");
    }
    print_mail_directory(&settings, &mail_dir);
    if mode == Mode::Demo {
        println!("Arrêt : Ctrl+C.");
    }

    let server_shutdown = shutdown.clone();
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move { server_shutdown.cancelled().await })
    .await
    .context("serving HTTP")?;
    // Requests answered before they were handled (password resets) finish first.
    if tokio::time::timeout(Duration::from_secs(30), settle.settle_background())
        .await
        .is_err()
    {
        tracing::warn!("background requests did not finish within 30 s");
    }
    shutdown.cancel();
    for task in background {
        if tokio::time::timeout(Duration::from_secs(30), task)
            .await
            .is_err()
        {
            tracing::warn!("a background task did not stop within 30 s");
        }
    }
    db.close().await.ok();
    tracing::info!("caisse stopped");
    Ok(())
}

/// Housekeeping every ten minutes: purge ended sessions, pending staff logins, idle login
/// throttles and expired attachment drafts (with their files), forget idle rate-limit keys.
async fn maintenance(
    db: Db,
    sessions: SessionService,
    state: AppState,
    shutdown: CancellationToken,
) {
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(Duration::from_secs(600)) => {}
        }
        match sessions.purge_ended().await {
            Ok(n) if n > 0 => tracing::info!(purged = n, "ended sessions purged"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "session purge failed"),
        }
        match state.run_account_jobs().await {
            Ok(n) if n > 0 => tracing::info!(applied = n, "bank-detail changes applied"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "account jobs failed"),
        }
        if let Err(error) = state.purge_expired_reset_links().await {
            tracing::warn!(%error, "password-reset link purge failed");
        }
        match state.purge_expired_drafts().await {
            Ok(n) if n > 0 => tracing::info!(purged = n, "expired attachment drafts purged"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "attachment draft purge failed"),
        }
        if let Err(error) = caisse_core::lockout::purge_idle(&db, caisse_store::now_utc()).await {
            tracing::warn!(%error, "login throttle purge failed");
        }
        if let Err(error) =
            caisse_core::staff_login::purge_ended(&db, caisse_store::now_utc()).await
        {
            tracing::warn!(%error, "pending staff login purge failed");
        }
        state.shrink_rate_limits();
    }
}

/// `caisse worker`.
pub async fn worker(settings: Settings, options: WorkerOptions) -> anyhow::Result<()> {
    let (db, url) = open_database(&settings, Mode::Production).await?;
    if !options.no_migrate {
        caisse_store::run_migrations(&db)
            .await
            .context("applying migrations")?;
    }
    let secret_key =
        crate::secret::load_or_create(settings.secret_key.as_deref(), &settings.data_dir)?;
    let seal = outbox_seal(&db, &secret_key).await?;
    let shutdown = CancellationToken::new();
    shutdown_on_signal(shutdown.clone());
    let (transports, mail_dir) = transports(&settings)?;
    tracing::info!(database = %redact(&url), "caisse worker ready");
    print_mail_directory(&settings, &mail_dir);
    let worker = OutboxWorker::new(
        db.clone(),
        transports,
        Arc::new(SystemClock),
        worker_settings(&settings),
        seal,
    );
    worker.run(shutdown).await;
    db.close().await.ok();
    Ok(())
}

fn print_demo_banner(
    settings: &Settings,
    address: &str,
    url: &str,
    demo: &caisse_core::demo::DemoSummary,
) {
    let base = settings
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}"));
    println!();
    println!("Caisse (démonstration) est prête : {base}");
    println!("Base de données : {}", redact(url));
    println!();
    println!("Assurés — numéro de sécurité sociale / mot de passe (page {base}/connexion) :");
    for login in &demo.members {
        println!(
            "  {:<42} {:<24} {}",
            login.label, login.identifier, login.password
        );
    }
    println!();
    let newcomer = &demo.newcomer;
    println!("Assurée sans compte, pour essayer « Créer mon compte » ({base}/inscription) :");
    println!(
        "  {} — n° {}, née le {}, carte Vitale n° {}, IBAN {}",
        newcomer.label, newcomer.nir, newcomer.birth_date, newcomer.vitale_serial, newcomer.iban
    );
    println!();
    println!(
        "Agents — identifiant / mot de passe / clé TOTP de démonstration (page {base}/agent/connexion) :"
    );
    for login in &demo.staff {
        println!(
            "  {:<42} {:<12} {:<16} {}",
            login.label,
            login.identifier,
            login.password,
            login.totp_secret.as_deref().unwrap_or("")
        );
        if !login.teams.is_empty() {
            println!("  {:<42} équipes : {}", "", login.teams.join(", "));
        }
    }
    println!(
        "  Après le mot de passe, saisissez le code à 6 chiffres d'une application d'authentification \
         (TOTP, 30 s) où vous aurez ajouté la clé. Ces clés sont publiques : démonstration seulement."
    );
    println!();
}

/// Says where messages are written when they do not leave the machine.
fn print_mail_directory(settings: &Settings, dir: &std::path::Path) {
    if settings.smtp_url.is_none() {
        println!(
            "Aucun serveur SMTP configuré : les courriels et SMS envoyés sont écrits, lisibles par \
             vous seul, dans {} (la boîte d'envoi n'en garde que le texte masqué).",
            dir.display()
        );
    } else {
        println!(
            "SMS : aucune passerelle n'est configurée ; ils sont écrits, lisibles par vous seul, \
             dans {}.",
            dir.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every directory under `root` (itself included) and every file, with its mode.
    #[cfg(unix)]
    fn modes_under(root: &std::path::Path) -> Vec<(std::path::PathBuf, bool, u32)> {
        use std::os::unix::fs::PermissionsExt;
        let mut found = Vec::new();
        let mut pending = vec![root.to_path_buf()];
        while let Some(path) = pending.pop() {
            let metadata = std::fs::metadata(&path).unwrap();
            found.push((
                path.clone(),
                metadata.is_dir(),
                metadata.permissions().mode() & 0o777,
            ));
            if metadata.is_dir() {
                for entry in std::fs::read_dir(&path).unwrap() {
                    pending.push(entry.unwrap().path());
                }
            }
        }
        found
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn what_the_server_writes_is_private_to_its_user() {
        use std::os::unix::fs::PermissionsExt;
        crate::private_files::restrict_new_files();
        let data = std::env::temp_dir().join(format!("caisse-modes-{}", uuid::Uuid::new_v4()));
        // As an older version left it: readable by all.
        std::fs::create_dir_all(data.join("files")).unwrap();
        for dir in [&data, &data.join("files")] {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let data_dir = data.display().to_string();
        let settings = Settings::load(None, &|name: &str| {
            (name == "CAISSE_DATA_DIR").then(|| data_dir.clone())
        })
        .unwrap();
        let (db, _) = open_database(&settings, Mode::Production).await.unwrap();
        caisse_store::run_migrations(&db).await.unwrap();
        let files = file_store(&settings).unwrap();
        let key = caisse_core::files::FileKey::new_attachment();
        files.put(&key, b"%PDF-1.7\n".to_vec()).await.unwrap();

        let found = modes_under(&data);
        let names: Vec<String> = found
            .iter()
            .filter_map(|(path, _, _)| path.file_name()?.to_str().map(str::to_owned))
            .collect();
        for expected in ["caisse.sqlite", "caisse.sqlite-wal", "caisse.sqlite-shm"] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
        assert!(
            found.iter().filter(|(_, is_dir, _)| !is_dir).count() >= 4,
            "the attachment is there too: {names:?}"
        );
        for (path, is_dir, mode) in &found {
            let expected = if *is_dir { 0o700 } else { 0o600 };
            assert_eq!(*mode, expected, "{} is {mode:o}", path.display());
        }
        db.close().await.ok();
        std::fs::remove_dir_all(&data).ok();
    }

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/caisse"),
            "postgres://app:***@db:5432/caisse"
        );
        assert_eq!(
            redact("postgres://app@db/caisse"),
            "postgres://app@db/caisse"
        );
        assert_eq!(
            redact("sqlite://./data/caisse.sqlite"),
            "sqlite://./data/caisse.sqlite"
        );
    }
}
