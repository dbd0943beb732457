//! Wiring: opens the database, builds the services and runs the server and workers until a
//! shutdown signal, letting in-flight requests and deliveries finish.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use caisse_core::agenda::VideoRooms;
use caisse_core::auth::LoginSettings;
use caisse_core::claims::worker::ClaimsWorker;
use caisse_core::clock::{Clock, SystemClock};
use caisse_core::demarches::Catalogue;
use caisse_core::files::{FileStore, ObjectFiles};
use caisse_core::log_retention::LogRetention;
use caisse_core::mail::Transport;
use caisse_core::outbox::OutboxSeal;
use caisse_core::outbox_worker::{OutboxWorker, Transports, WorkerSettings};
use caisse_core::passwords::PasswordHasherPool;
use caisse_core::sessions::SessionPolicy;
use caisse_core::shared_limits::{CounterStore, DatabaseCounters, SharedLimits};
use caisse_core::{ServiceKeys, ServiceSettings, Services};
use caisse_store::Db;
use caisse_web::{AppState, Brand, WebConfig};
use secrecy::{ExposeSecret, SecretSlice};
use tokio_util::sync::CancellationToken;

use crate::cli::{ServeOptions, WorkerOptions};
use crate::mail_dir::MailDirectory;
use crate::private_files;
use crate::settings::{DatabaseUrl, Settings};
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
pub async fn open_database(settings: &Settings, mode: Mode) -> anyhow::Result<(Db, DatabaseUrl)> {
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
    let db = caisse_store::connect(url.expose(), settings.database_max_connections)
        .await
        .with_context(|| format!("connecting to the database ({})", url.redacted()))?;
    for path in private_files::sqlite_files(url.expose()) {
        private_files::tighten(&path)?;
    }
    Ok((db, url))
}

/// `caisse migrate`.
pub async fn migrate(settings: Settings) -> anyhow::Result<()> {
    let (db, url) = open_database(&settings, Mode::Production).await?;
    let applied = caisse_store::run_migrations(&db)
        .await
        .context("applying migrations")?;
    let s = crate::admin::plural(applied);
    println!("{applied} migration{s} appliquée{s} sur {}", url.redacted());
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
    PasswordHasherPool::new(settings.argon2(), workers).context("configuring Argon2")
}

/// The fund's branding; a demo not given a name of its own says it is one.
fn brand(settings: &Settings, mode: Mode) -> Brand {
    let mut brand = settings.brand();
    if mode == Mode::Demo && brand.name == Brand::default().name {
        "Caisse de démonstration".clone_into(&mut brand.name);
    }
    brand
}

/// The keys the services seal and sign with: derived from the server key, attestations signed
/// with the configured keys if any.
fn service_keys(settings: &Settings, secret_key: &SecretSlice<u8>) -> anyhow::Result<ServiceKeys> {
    let keys = ServiceKeys::derive(secret_key.expose_secret()).context("deriving the keys")?;
    Ok(match &settings.attestation_signing_keys {
        Some(configured) => keys.with_attestation_keys(configured.0.clone()),
        None => keys,
    })
}

/// The procedures served: the shipped definitions and the fund's files of
/// `CAISSE_DEMARCHES_DIR`, all checked. A definition with a problem stops the start, naming
/// the file, the place in it and the problem.
pub fn catalogue(settings: &Settings) -> anyhow::Result<Arc<Catalogue>> {
    let mut files = Vec::new();
    if let Some(dir) = &settings.demarches_dir {
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("reading the procedure definitions in {}", dir.display()))?;
        let mut paths: Vec<std::path::PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push((name, text));
        }
    }
    let catalogue = Catalogue::shipped_and(files).map_err(|errors| anyhow::anyhow!("{errors}"))?;
    Ok(Arc::new(catalogue))
}

/// What the services need to know about the deployment.
fn service_settings(settings: &Settings, mode: Mode, brand: &Brand) -> ServiceSettings {
    let password_policy = caisse_domain::PasswordPolicy {
        min_length: settings.password_min_length,
        ..caisse_domain::PasswordPolicy::default()
    };
    ServiceSettings {
        base_url: settings.effective_base_url(),
        phone: brand.phone.clone(),
        fallback_fund_name: brand.name.clone(),
        // A demo is explored with the printed logins; the code mail would have to be read in
        // the outbox first, so the confirmation is off there unless asked for.
        login: LoginSettings {
            lockout: settings.lockout(),
            new_device_confirmation: settings
                .new_device_confirmation
                .unwrap_or(mode == Mode::Production),
            ..LoginSettings::default()
        },
        sessions: SessionPolicy::default(),
        password_policy,
        bank_change_cool_off: settings.bank_change_cool_off(),
        sms_codes_per_hour: settings.sms_codes_per_hour,
        sms_codes_per_day: settings.sms_codes_per_day,
        messaging_quotas: settings.messaging_quotas(),
        file_workers: settings.file_workers,
        debts: settings.debt_settings(),
        corrections: settings.correction_settings(),
        payment_provider: settings
            .payment_provider()
            .map(|p| Arc::new(p) as Arc<dyn caisse_core::debts::PaymentProvider>),
        // A demo's visitors read the demo fund's FAQ, which its supervisors edit.
        help_fund: settings.help_fund.or_else(|| {
            (mode == Mode::Demo)
                .then(caisse_core::demo::demo_fund)
                .flatten()
        }),
        // The shipped procedures; `serve` puts the fund's checked catalogue in their place.
        ..ServiceSettings::default()
    }
}

/// What the web layer needs besides the services.
fn web_config(settings: &Settings, brand: Brand, secret_key: SecretSlice<u8>) -> WebConfig {
    let base_url = settings.effective_base_url();
    let mut web = WebConfig::new(brand, secret_key);
    web.https = base_url.starts_with("https://");
    web.base_url = base_url;
    web.trust_forwarded_for = settings.trust_forwarded_for;
    web.requests_per_second_per_ip = settings.rate_limit_requests_per_second;
    web.request_burst_per_ip = settings.rate_limit_burst;
    web.logins_per_minute_per_ip = settings.rate_limit_logins_per_minute;
    web.logins_per_second_per_node = settings.rate_limit_node_logins_per_second;
    web
}

/// The transports, and the mail directory when messages are written there (the development
/// transport: always for SMS, which have no gateway adapter yet; for mail without SMTP).
fn transports(settings: &Settings) -> anyhow::Result<(Transports, std::path::PathBuf)> {
    let dir = settings.effective_mail_dir();
    let directory: Arc<dyn Transport> = Arc::new(
        MailDirectory::open(&dir, settings.mail_from.as_str()).map_err(anyhow::Error::msg)?,
    );
    let email: Arc<dyn Transport> = match &settings.smtp_url {
        Some(url) => Arc::new(
            SmtpTransport::new(url.expose(), settings.mail_from.as_str())
                .map_err(anyhow::Error::msg)?,
        ),
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

/// Seals the outbox bodies an upgrade left in clear.
async fn seal_legacy_bodies(db: &Db, seal: &OutboxSeal) -> anyhow::Result<()> {
    let sealed = caisse_core::outbox::seal_legacy_bodies(db, seal)
        .await
        .context("sealing the outbox bodies left in clear")?;
    if sealed > 0 {
        tracing::info!(sealed, "outbox bodies sealed");
    }
    Ok(())
}

fn worker_settings(settings: &Settings) -> WorkerSettings {
    WorkerSettings {
        poll_interval: settings.outbox_poll_interval(),
        lease: settings.outbox_lease(),
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
    // Before anything else: a definition with a problem stops the start.
    let catalogue = catalogue(&settings)?;
    let (db, url) = open_database(&settings, mode).await?;
    if !options.no_migrate {
        caisse_store::run_migrations(&db)
            .await
            .context("applying migrations")?;
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let hasher = hasher(&settings)?;
    let secret_key =
        crate::secret::load_or_create(settings.secret_key.as_ref(), &settings.data_dir)?;
    let keys = service_keys(&settings, &secret_key)?;
    seal_legacy_bodies(&db, &keys.outbox).await?;
    let demo = if mode == Mode::Demo {
        let summary = caisse_core::demo::seed(&db, &hasher, &keys.sealing, clock.now())
            .await
            .context("seeding demo data")?;
        caisse_core::demo::seed_care(&db, clock.now())
            .await
            .context("seeding the demo year of care")?;
        Some(summary)
    } else {
        None
    };
    let brand = brand(&settings, mode);
    caisse_web::install_metrics_recorder();
    // Every service of the node, built once here.
    let services = Services::build(
        db.clone(),
        clock.clone(),
        hasher,
        keys.clone(),
        file_store(&settings)?,
        ServiceSettings {
            catalogue,
            video: settings
                .video_url
                .as_ref()
                .map(|url| VideoRooms::new(url.as_str(), secret_key.expose_secret()))
                .transpose()
                .context("deriving the key of video rooms")?,
            franceconnect: settings.franceconnect().context("FranceConnect")?,
            staff_idp: settings
                .staff_idp()
                .context("the staff identity provider")?,
            replica: replica(&settings).await?,
            ..service_settings(&settings, mode, &brand)
        },
    );
    if mode == Mode::Demo {
        caisse_core::demo::seed_dossiers(
            &db,
            &services.demarches,
            caisse_core::demo::DOSSIERS_MEMBER_NIR,
        )
        .await
        .context("seeding the demo dossiers")?;
    }
    services
        .help
        .load_shipped()
        .await
        .context("loading the shipped FAQ")?;
    let shutdown = CancellationToken::new();
    shutdown_on_signal(shutdown.clone());
    let mut background = Vec::new();
    let mut state = AppState::new(services.clone(), web_config(&settings, brand, secret_key));
    if let Some(shared) = shared_limits(&settings, &db).await? {
        background.push(tokio::spawn(
            shared.clone().run(SHARED_LIMITS_FLUSH, shutdown.clone()),
        ));
        state = state.with_shared_limits(shared);
    }
    let app = caisse_web::router(state.clone());
    background.push(tokio::spawn(
        services
            .reads
            .clone()
            .watch_replica(REPLICA_CHECK, shutdown.clone()),
    ));
    let (transports, mail_dir) = transports(&settings)?;
    if !options.no_workers {
        let worker = OutboxWorker::new(
            db.clone(),
            transports,
            clock.clone(),
            worker_settings(&settings),
            keys.outbox,
        );
        background.push(tokio::spawn(worker.run(shutdown.clone())));
        let claims = claims_worker_thread(&settings, &url, db.clone(), clock.clone(), &shutdown)?;
        background.push(tokio::task::spawn_blocking(move || {
            if claims.join().is_err() {
                tracing::error!("the claims worker's thread panicked");
            }
        }));
    }
    background.push(tokio::spawn(maintenance(
        db.clone(),
        services.clone(),
        state,
        (node_name(&settings), settings.log_retention()),
        shutdown.clone(),
    )));

    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("listening on {}", settings.listen))?;
    let address = listener.local_addr().context("reading the bound address")?;
    tracing::info!(%address, database = %url.redacted(), startup_ms = started.elapsed().as_millis() as u64, "caisse ready");
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
    if tokio::time::timeout(Duration::from_secs(30), services.settle_background())
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

/// Runs the claims worker on a thread of its own, with its own runtime: a liquidation batch
/// computes for tens of milliseconds between two awaits, which on the pages' runtime holds the
/// requests queued behind it (`docs/perf.md`, « Mes paiements » during a liquidation); on
/// their own threads, the system shares the cores between both. On PostgreSQL the worker has
/// its own connections (a connection belongs to the runtime that opened it); SQLite
/// connections run on threads of their own, so the pool is shared.
fn claims_worker_thread(
    settings: &Settings,
    url: &DatabaseUrl,
    db: Db,
    clock: Arc<dyn Clock>,
    shutdown: &CancellationToken,
) -> anyhow::Result<std::thread::JoinHandle<()>> {
    let worker_settings = settings.claims_worker();
    let account = settings.debt_settings().account;
    let own_pool =
        (caisse_store::database_backend(&db) == caisse_store::Backend::Postgres).then(|| {
            (
                url.clone(),
                u32::try_from(worker_settings.liquidators).unwrap_or(1) + 2,
            )
        });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_settings.liquidators.max(1))
        .thread_name("claims-worker")
        .enable_all()
        .build()
        .context("starting the claims worker's runtime")?;
    let shutdown = shutdown.clone();
    std::thread::Builder::new()
        .name("claims-worker".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                let db = match own_pool {
                    None => db,
                    Some((url, connections)) => {
                        match caisse_store::connect(url.expose(), connections).await {
                            Ok(own) => own,
                            Err(error) => {
                                tracing::error!(%error, "the claims worker cannot connect");
                                return;
                            }
                        }
                    }
                };
                ClaimsWorker::new(db, clock, worker_settings)
                    .with_transfer_account(account)
                    .run(shutdown)
                    .await;
            });
        })
        .context("starting the claims worker's thread")
}

/// How often a node checks how far its read replica has replayed.
const REPLICA_CHECK: Duration = Duration::from_secs(1);

/// The read replica's pool, when one is set (connected on first use).
async fn replica(settings: &Settings) -> anyhow::Result<Option<Db>> {
    let Some(url) = &settings.database_replica_url else {
        return Ok(None);
    };
    let db = caisse_store::connect_replica(url.expose(), settings.database_max_connections)
        .await
        .with_context(|| format!("the read replica ({})", url.redacted()))?;
    Ok(Some(db))
}

/// How often a node adds its requests to the cluster's rate-limit counts.
const SHARED_LIMITS_FLUSH: Duration = Duration::from_millis(250);

/// The cluster's rate-limit counts: in Redis when one is set, in the database on PostgreSQL,
/// none on SQLite (one node: its own limits are the cluster's).
async fn shared_limits(settings: &Settings, db: &Db) -> anyhow::Result<Option<Arc<SharedLimits>>> {
    let store: Arc<dyn CounterStore> = match &settings.redis_url {
        Some(url) => Arc::new(
            crate::redis_counters::RedisCounters::connect(url.expose())
                .await
                .context("connecting to Redis (CAISSE_REDIS_URL)")?,
        ),
        None if caisse_store::database_backend(db) == caisse_store::Backend::Postgres => {
            Arc::new(DatabaseCounters::new(db.clone()))
        }
        None => return Ok(None),
    };
    Ok(Some(Arc::new(SharedLimits::new(store))))
}

/// This node's name in `cluster_jobs`: the host and the port it listens on.
fn node_name(settings: &Settings) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}:{}", settings.listen.port())
}

/// How often the housekeeping runs, across the cluster.
const MAINTENANCE_PERIOD: time::Duration = time::Duration::minutes(10);

/// How often each node asks whether the housekeeping is due: a node that stops leaves it to
/// another within this delay.
const MAINTENANCE_POLL: Duration = Duration::from_secs(60);

/// Housekeeping every ten minutes, by one node of the cluster (`cluster_jobs`): purge ended
/// sessions, pending staff logins, idle login throttles, expired links and attachment drafts
/// (with their files), run the account, dossier and agenda jobs; and on every node, forget idle
/// rate-limit keys.
async fn maintenance(
    db: Db,
    services: Services,
    state: AppState,
    (node, retention): (String, LogRetention),
    shutdown: CancellationToken,
) {
    // Exported at 0 from the start, so the first run shows as an increase.
    let runs = metrics::counter!("caisse_jobs_runs_total", "task" => MAINTENANCE);
    runs.increment(0);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(MAINTENANCE_POLL) => {}
        }
        state.shrink_rate_limits();
        let now = caisse_domain::Instant::new(caisse_store::now_utc());
        match caisse_store::cluster_jobs::claim(
            &db,
            MAINTENANCE,
            &node,
            now,
            now + MAINTENANCE_PERIOD,
        )
        .await
        {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) => {
                tracing::warn!(%error, "cannot tell whether the housekeeping is due");
                continue;
            }
        }
        runs.increment(1);
        housekeeping(&db, &services, retention).await;
        let finished = caisse_domain::Instant::new(caisse_store::now_utc());
        if let Err(error) =
            caisse_store::cluster_jobs::finish(&db, MAINTENANCE, &node, finished).await
        {
            tracing::warn!(%error, "cannot record the end of the housekeeping");
        }
    }
}

/// The name of the housekeeping in `cluster_jobs`.
const MAINTENANCE: &str = "maintenance";

/// One run of the housekeeping.
async fn housekeeping(db: &Db, services: &Services, retention: LogRetention) {
    match caisse_core::log_retention::run(db, retention, caisse_store::now_utc()).await {
        Ok(removed) => {
            if removed.audit_events > 0 || removed.outbox > 0 {
                tracing::info!(
                    audit_events = removed.audit_events,
                    outbox = removed.outbox,
                    "logs past their retention removed"
                );
            }
            if !removed.outbox_months_kept.is_empty() {
                tracing::warn!(months = ?removed.outbox_months_kept, "outbox months past their retention kept: a message there still waits");
            }
        }
        Err(error) => tracing::warn!(%error, "log retention failed"),
    }
    match services.sessions.purge_ended().await {
        Ok(n) if n > 0 => tracing::info!(purged = n, "ended sessions purged"),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "session purge failed"),
    }
    match services.run_account_jobs().await {
        Ok(n) if n > 0 => tracing::info!(applied = n, "bank-detail changes applied"),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "account jobs failed"),
    }
    if let Err(error) = services.purge_expired_reset_links().await {
        tracing::warn!(%error, "password-reset link purge failed");
    }
    match services.demarches.run_jobs().await {
        Ok(run) if run != caisse_core::demarches::JobsRun::default() => {
            tracing::info!(?run, "dossiers' timed work done");
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "dossiers' timed work failed"),
    }
    match services.agenda.run_jobs().await {
        Ok(n) if n > 0 => tracing::info!(reminded = n, "appointment reminders queued"),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "appointment reminders failed"),
    }
    match services.help.purge_questions().await {
        Ok(n) if n > 0 => tracing::info!(purged = n, "old help questions forgotten"),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "help question purge failed"),
    }
    match services.purge_expired_drafts().await {
        Ok(n) if n > 0 => tracing::info!(purged = n, "expired attachment drafts purged"),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "attachment draft purge failed"),
    }
    if let Err(error) = caisse_core::lockout::purge_idle(db, caisse_store::now_utc()).await {
        tracing::warn!(%error, "login throttle purge failed");
    }
    if let Err(error) = caisse_core::staff_login::purge_ended(db, caisse_store::now_utc()).await {
        tracing::warn!(%error, "pending staff login purge failed");
    }
    if let Err(error) = caisse_core::oidc::purge_expired(db, caisse_store::now_utc()).await {
        tracing::warn!(%error, "OpenID Connect purge failed");
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
        crate::secret::load_or_create(settings.secret_key.as_ref(), &settings.data_dir)?;
    let seal = OutboxSeal::derive(secret_key.expose_secret())
        .context("deriving the outbox sealing key")?;
    seal_legacy_bodies(&db, &seal).await?;
    let shutdown = CancellationToken::new();
    shutdown_on_signal(shutdown.clone());
    let (transports, mail_dir) = transports(&settings)?;
    tracing::info!(database = %url.redacted(), "caisse worker ready");
    print_mail_directory(&settings, &mail_dir);
    let worker = OutboxWorker::new(
        db.clone(),
        transports,
        Arc::new(SystemClock),
        worker_settings(&settings),
        seal,
    );
    let claims = ClaimsWorker::new(db.clone(), Arc::new(SystemClock), settings.claims_worker())
        .with_transfer_account(settings.debt_settings().account);
    tokio::join!(worker.run(shutdown.clone()), claims.run(shutdown));
    db.close().await.ok();
    Ok(())
}

fn print_demo_banner(
    settings: &Settings,
    address: &str,
    url: &DatabaseUrl,
    demo: &caisse_core::demo::DemoSummary,
) {
    let base = settings
        .base_url
        .as_ref()
        .map_or_else(|| format!("http://{address}"), |u| u.as_str().to_owned());
    println!();
    println!("Caisse (démonstration) est prête : {base}");
    println!("Base de données : {}", url.redacted());
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
            "Aucun serveur SMTP configuré : les e-mails et SMS envoyés sont écrits, lisibles par \
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

    use std::path::Path;

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

    /// Every secret the configuration can hold, set at once: none may appear in the `Debug` of
    /// any configuration type built from it, nor in `caisse config check`.
    #[test]
    fn no_configuration_type_shows_a_secret_in_debug() {
        const SERVER_KEY: &str = "Th3-s3rver-key-shared-by-every-node-0123";
        const DB_PASSWORD: &str = "db-pa55w0rd";
        const SMTP_PASSWORD: &str = "smtp-pa55w0rd";
        const SEED: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
        const FC_SECRET: &str = "franceconnect-s3cret-of-the-fund";
        const STAFF_IDP_SECRET: &str = "keycloak-s3cret-of-the-fund";
        let env = [
            ("CAISSE_SECRET_KEY", SERVER_KEY.to_owned()),
            (
                "DATABASE_URL",
                format!("postgres://caisse:{DB_PASSWORD}@db.example.fr:5432/caisse"),
            ),
            (
                "CAISSE_SMTP_URL",
                format!("smtps://relay:{SMTP_PASSWORD}@mail.example.fr:465"),
            ),
            ("CAISSE_ATTESTATION_SIGNING_KEYS", format!("2026-a:{SEED}")),
            (
                "CAISSE_FRANCECONNECT_ISSUER",
                "https://fc.example.fr".to_owned(),
            ),
            ("CAISSE_FRANCECONNECT_CLIENT_ID", "caisse".to_owned()),
            ("CAISSE_FRANCECONNECT_CLIENT_SECRET", FC_SECRET.to_owned()),
            (
                "CAISSE_STAFF_OIDC_ISSUER",
                "https://idp.example.fr".to_owned(),
            ),
            ("CAISSE_STAFF_OIDC_CLIENT_ID", "caisse".to_owned()),
            (
                "CAISSE_STAFF_OIDC_CLIENT_SECRET",
                STAFF_IDP_SECRET.to_owned(),
            ),
            ("CAISSE_STAFF_OIDC_FUND", "781".to_owned()),
            (
                "CAISSE_STAFF_OIDC_ROLES",
                "caisse-conseillers=conseiller".to_owned(),
            ),
        ];
        let lookup = |name: &str| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
        let loaded = crate::settings::Loaded::read(None, &lookup).unwrap();
        let settings = loaded.settings.clone();
        let secret_key =
            crate::secret::load_or_create(settings.secret_key.as_ref(), Path::new("/nonexistent"))
                .unwrap();
        let keys = service_keys(&settings, &secret_key).unwrap();
        let brand = brand(&settings, Mode::Production);
        let services = ServiceSettings {
            franceconnect: settings.franceconnect().unwrap(),
            staff_idp: settings.staff_idp().unwrap(),
            ..service_settings(&settings, Mode::Production, &brand)
        };
        assert!(services.franceconnect.is_some() && services.staff_idp.is_some());
        let web = web_config(&settings, brand, secret_key.clone());
        let shown = [
            ("Settings", format!("{settings:?}")),
            ("Loaded", format!("{loaded:?}")),
            ("config check", loaded.report().unwrap()),
            ("secret key", format!("{secret_key:?}")),
            ("ServiceKeys", format!("{keys:?}")),
            ("ServiceSettings", format!("{services:?}")),
            ("WebConfig", format!("{web:?}")),
            (
                "WorkerSettings",
                format!("{:?}", worker_settings(&settings)),
            ),
            (
                "DatabaseUrl",
                format!("{:?}", settings.effective_database_url("x")),
            ),
        ];
        // The server key as text, and as the list of bytes a derived `Debug` of a `Vec<u8>`
        // would print.
        let key_bytes = format!("{:?}", &SERVER_KEY.as_bytes()[..8]);
        let key_bytes = key_bytes.trim_end_matches(']');
        let secrets = [
            SERVER_KEY,
            DB_PASSWORD,
            SMTP_PASSWORD,
            SEED,
            key_bytes,
            FC_SECRET,
            STAFF_IDP_SECRET,
        ];
        for (what, text) in &shown {
            for secret in secrets {
                assert!(!text.contains(secret), "{what} shows a secret: {text}");
            }
        }
        // What is not secret is still there to read.
        assert!(shown[0].1.contains("db.example.fr") && shown[0].1.contains("2026-a"));
        // The detector itself: a plain `Debug` of the raw values shows them all.
        let raw = format!("{env:?} {:?}", SERVER_KEY.as_bytes());
        for secret in secrets {
            assert!(raw.contains(secret));
        }
    }
}
