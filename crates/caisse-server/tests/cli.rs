//! The `caisse` binary as an operator uses it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("caisse-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn caisse(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caisse"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("CAISSE_DATA_DIR", dir)
        // Cheap hashing: these tests exercise the commands, not Argon2.
        .env("CAISSE_ARGON2_MEMORY_KIB", "64")
        .env("CAISSE_ARGON2_ITERATIONS", "1");
    // The commands are the same on both databases (the storage and HTTP suites cover
    // PostgreSQL); these tests stay on SQLite in a directory of their own.
    command
}

#[test]
fn a_bad_setting_stops_start_up_with_one_line_naming_the_key() {
    let dir = data_dir();
    let output = caisse(&dir)
        .arg("serve")
        .env("CAISSE_LISTEN", "partout")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("CAISSE_LISTEN") && stderr.contains("127.0.0.1:8080"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn config_check_prints_every_key_its_value_and_origin_with_secrets_masked() {
    let dir = data_dir();
    let file = dir.join("caisse.toml");
    std::fs::write(
        &file,
        "log_format = \"json\"\n[brand]\nname = \"CPAM de test\"\n",
    )
    .unwrap();
    let secrets = [
        "Th3-s3rver-key-shared-by-every-node-0123",
        "db-pa55w0rd",
        "smtp-pa55w0rd",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
    ];
    let output = caisse(&dir)
        .args(["config", "check", "--config"])
        .arg(&file)
        .env("CAISSE_SECRET_KEY", secrets[0])
        .env(
            "DATABASE_URL",
            format!("postgres://caisse:{}@db.example.fr:5432/caisse", secrets[1]),
        )
        .env(
            "CAISSE_SMTP_URL",
            format!("smtps://relay:{}@mail.example.fr:465", secrets[2]),
        )
        .env(
            "CAISSE_ATTESTATION_SIGNING_KEYS",
            format!("2026-a:{}", secrets[3]),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for secret in secrets {
        assert!(!stdout.contains(secret), "{stdout}");
    }
    let line = |key: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("{key} in {stdout}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        line("brand_name"),
        format!("brand_name = \"CPAM de test\" # {}", file.display())
    );
    assert_eq!(
        line("log_format"),
        format!("log_format = \"json\" # {}", file.display())
    );
    assert_eq!(
        line("data_dir"),
        format!(
            "data_dir = \"{}\" # environment (CAISSE_DATA_DIR)",
            dir.display()
        )
    );
    assert_eq!(
        line("argon2_iterations"),
        "argon2_iterations = 1 # environment (CAISSE_ARGON2_ITERATIONS)"
    );
    assert_eq!(line("listen"), "listen = \"127.0.0.1:8080\" # default");
    assert_eq!(
        line("database_url"),
        "database_url = \"postgres://caisse:***@db.example.fr:5432/caisse\" # environment (DATABASE_URL)"
    );
    assert_eq!(
        line("smtp_url"),
        "smtp_url = \"smtps://relay:***@mail.example.fr:465\" # environment (CAISSE_SMTP_URL)"
    );
    for key in ["secret_key", "attestation_signing_keys"] {
        assert!(line(key).starts_with(&format!("{key} = \"(hidden)\" # environment")));
    }
    // Every key of the README's table is listed.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    for name in [
        "CAISSE_LISTEN",
        "CAISSE_FILE_WORKERS",
        "CAISSE_LOCKOUT_SCHEDULE",
    ] {
        assert!(readme.contains(name));
        let key = name.trim_start_matches("CAISSE_").to_lowercase();
        line(&key);
    }
    assert!(!dir.join("caisse.sqlite").exists(), "no database is opened");

    // A refused value: the same one line as at start-up, the secret not repeated.
    let refused = caisse(&dir)
        .args(["config", "check"])
        .env("DATABASE_URL", format!("mysql://caisse:{}@db", secrets[1]))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("caisse: invalid DATABASE_URL (environment): expected sqlite://")
            && stderr.trim_end().ends_with("got \"(hidden)\""),
        "{stderr}"
    );
    assert!(refused.stdout.is_empty());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn help_lists_every_command_including_config_check() {
    let dir = data_dir();
    let help = caisse(&dir).arg("--help").output().unwrap();
    assert!(help.status.success());
    let help = String::from_utf8(help.stdout).unwrap();
    for command in ["serve", "demo", "worker", "migrate", "admin", "config"] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "{command} in {help}"
        );
    }
    let config = caisse(&dir).args(["config", "--help"]).output().unwrap();
    let config = String::from_utf8(config.stdout).unwrap();
    assert!(
        config.contains("check") && config.contains("secrets masked"),
        "{config}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn migrate_creates_the_sqlite_database_in_the_data_directory() {
    let dir = data_dir();
    let output = caisse(&dir).arg("migrate").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.join("caisse.sqlite").exists());
    let again = caisse(&dir).arg("migrate").output().unwrap();
    assert!(
        String::from_utf8_lossy(&again.stdout).starts_with("0 migration"),
        "idempotent"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// `caisse admin staff create` of a supervisor, the password on standard input.
fn create_staff(dir: &std::path::Path, login: &str) -> std::process::Output {
    let mut child = caisse(dir)
        .args(["admin", "staff", "create", "--login", login])
        .args(["--name", "Marie Curie", "--role", "superviseur"])
        .args(["--caisse", "751", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Un-Mot-De-Passe-Long\n")
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn an_operator_creates_lists_and_disables_staff_accounts() {
    let dir = data_dir();
    let create = |login: &str| create_staff(&dir, login);
    let first = create("marie.curie");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let duplicate = create("marie.curie");
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("login already exists"));

    let list = caisse(&dir)
        .args(["admin", "staff", "list"])
        .output()
        .unwrap();
    let listing = String::from_utf8(list.stdout).unwrap();
    assert!(
        listing.contains("marie.curie")
            && listing.contains("Superviseur")
            && listing.contains("actif")
    );

    let disable = caisse(&dir)
        .args(["admin", "staff", "disable", "--login", "marie.curie"])
        .output()
        .unwrap();
    assert!(disable.status.success());
    let listing = String::from_utf8(
        caisse(&dir)
            .args(["admin", "staff", "list"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(listing.contains("désactivé"));
    let unknown = caisse(&dir)
        .args(["admin", "staff", "disable", "--login", "personne"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_operator_creates_teams_routes_objets_and_puts_staff_in_them() {
    let dir = data_dir();
    let run = |args: &[&str]| caisse(&dir).arg("admin").args(args).output().unwrap();
    let created = run(&[
        "team",
        "create",
        "--caisse",
        "751",
        "--code",
        "prestations",
        "--name",
        "Service prestations",
        "--objet",
        "remboursement.question",
        "--objet",
        "transport.remboursement",
    ]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let taken = run(&[
        "team",
        "create",
        "--caisse",
        "751",
        "--code",
        "autre",
        "--name",
        "Autre",
        "--objet",
        "remboursement.question",
    ]);
    assert!(!taken.status.success());
    assert!(
        String::from_utf8_lossy(&taken.stderr).contains("déjà traité par l'équipe prestations")
    );
    let unknown = run(&[
        "team", "create", "--caisse", "751", "--code", "x1", "--name", "X", "--objet", "rien",
    ]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("thème inconnu : rien"));

    // `staff create --team` puts the new account in the team in the same transaction.
    let mut child = caisse(&dir)
        .args(["admin", "staff", "create", "--login", "marie.curie"])
        .args(["--name", "Marie Curie", "--role", "conseiller"])
        .args([
            "--caisse",
            "751",
            "--team",
            "prestations",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Un-Mot-De-Passe-Long\n")
        .unwrap();
    let staff = child.wait_with_output().unwrap();
    assert!(
        staff.status.success(),
        "{}",
        String::from_utf8_lossy(&staff.stderr)
    );
    let listing = |dir: &std::path::Path| {
        String::from_utf8(
            caisse(dir)
                .args(["admin", "team", "list", "--caisse", "751"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    let listed = listing(&dir);
    assert!(listed.contains("prestations") && listed.contains("Service prestations"));
    assert!(listed.contains("thèmes : remboursement.question, transport.remboursement"));
    assert!(listed.contains("agents : marie.curie"), "{listed}");
    let wrong_team = caisse(&dir)
        .args([
            "admin",
            "staff",
            "create",
            "--login",
            "jean.dupont",
            "--name",
            "Jean",
        ])
        .args([
            "--role",
            "conseiller",
            "--caisse",
            "751",
            "--team",
            "inconnue",
        ])
        .output()
        .unwrap();
    assert!(!wrong_team.status.success());

    let removed = run(&[
        "team",
        "remove-staff",
        "--team",
        "prestations",
        "--login",
        "marie.curie",
    ]);
    assert!(removed.status.success());
    assert!(listing(&dir).contains("agents : aucun"));
    let added = run(&[
        "team",
        "add-staff",
        "--team",
        "prestations",
        "--login",
        "marie.curie",
    ]);
    assert!(added.status.success());
    assert!(listing(&dir).contains("agents : marie.curie"));
    let again = run(&[
        "team",
        "remove-staff",
        "--team",
        "prestations",
        "--login",
        "personne",
    ]);
    assert!(!again.status.success());
    std::fs::remove_dir_all(dir).ok();
}

/// Runs `f` on the SQLite database of `caisse admin` in `dir`.
fn with_database<T>(dir: &std::path::Path, f: impl AsyncFnOnce(&caisse_store::Db) -> T) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}", dir.join("caisse.sqlite").display());
        let db = caisse_store::connect(&url, 1).await.unwrap();
        let out = f(&db).await;
        db.close().await.ok();
        out
    })
}

#[test]
fn reset_totp_makes_a_staff_user_configure_a_new_app_and_is_audited() {
    let dir = data_dir();
    assert!(create_staff(&dir, "marie.curie").status.success());
    let list = || {
        String::from_utf8(
            caisse(&dir)
                .args(["admin", "staff", "list"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    assert!(list().contains("code à configurer"), "{}", list());

    // As if Marie had enrolled an app (the value is opaque to the command).
    let id = with_database(&dir, async |db| {
        let row = caisse_store::staff::by_login(db, "marie.curie")
            .await
            .unwrap()
            .unwrap();
        assert!(
            caisse_store::staff::set_totp_secret_if_unset(db, row.id, "v1.sealed".into(), Some(42))
                .await
                .unwrap()
        );
        row.id
    });
    assert!(list().contains("code configuré"), "{}", list());

    let reset = caisse(&dir)
        .args(["admin", "staff", "reset-totp", "--login", "marie.curie"])
        .output()
        .unwrap();
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    assert!(String::from_utf8_lossy(&reset.stdout).contains("réinitialisé"));
    assert!(list().contains("code à configurer"), "{}", list());
    with_database(&dir, async |db| {
        let row = caisse_store::staff::find(db, id).await.unwrap().unwrap();
        assert_eq!((row.totp_secret, row.totp_last_step), (None, None));
        let events = caisse_store::audit::for_subject(db, "staff", id, 10)
            .await
            .unwrap();
        assert!(
            events
                .iter()
                .any(|e| e.action.code() == "staff.totp.reset" && e.actor_kind.code() == "system"),
            "{events:?}"
        );
    });

    let unknown = caisse(&dir)
        .args(["admin", "staff", "reset-totp", "--login", "personne"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no staff account"));
    std::fs::remove_dir_all(dir).ok();
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

#[test]
fn demo_prints_its_url_and_logins_serves_and_stops_gracefully_on_sigterm() {
    let dir = data_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = caisse(&dir)
        .arg("demo")
        .env("CAISSE_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.starts_with("Arrêt");
        banner.push_str(&line);
        banner.push('\n');
        if done {
            break;
        }
    }
    assert!(
        banner.contains(&format!("http://127.0.0.1:{port}")),
        "{banner}"
    );
    assert!(
        banner.contains("1 85 05 78 006 084 91") && banner.contains("Caisse-Demo-2026"),
        "{banner}"
    );
    assert!(
        banner.contains("admin") && banner.contains("Agent-Demo-2026"),
        "{banner}"
    );
    for (login, secret) in caisse_core::demo::DEMO_STAFF_TOTP_SECRETS {
        let grouped = caisse_core::staff_totp::TotpSecret::from_base32(secret)
            .unwrap()
            .base32_grouped();
        assert!(
            banner
                .lines()
                .any(|line| line.contains(login) && line.contains(&grouped)),
            "{banner}"
        );
    }

    assert!(
        banner.contains("équipes : Service prestations, Droits et affiliation"),
        "the demo conseiller's teams: {banner}"
    );

    let start = Instant::now();
    let mut ready = None;
    while start.elapsed() < Duration::from_secs(30) {
        ready = http_get(port, "/readyz");
        if ready
            .as_deref()
            .is_some_and(|r| r.starts_with("HTTP/1.0 200") || r.starts_with("HTTP/1.1 200"))
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        ready.unwrap_or_default().contains(" 200 "),
        "readyz never answered 200"
    );
    let home = http_get(port, "/").unwrap();
    assert!(home.contains("Caisse de démonstration"));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let exited = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        exited.is_some_and(|s| s.success()),
        "demo exits cleanly on SIGTERM"
    );
    assert!(dir.join("demo.sqlite").exists() && dir.join("secret.key").exists());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn import_members_loads_a_file_whole_or_refuses_it_whole() {
    let dir = data_dir();
    let import = |file: &std::path::Path| {
        caisse(&dir)
            .args(["admin", "import-members"])
            .arg(file)
            .output()
            .unwrap()
    };
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/membres.csv");
    let first = import(&sample);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        String::from_utf8_lossy(&first.stdout)
            .contains("10 assurés créés, 0 mis à jour, 8 ayants droit"),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );

    // 2 55 08 14 168 025 38 (domain.md §1.3) is new; the second row has a wrong key and a
    // wrong postal code.
    let header =
        "type,nir,rang,nom,prenom,date_naissance,sexe,caisse,adresse_ligne1,code_postal,ville";
    let newcomer =
        "assure,255081416802538,01,LEMAIRE,Anne,1955-08-02,2,141,1 rue Écuyère,14000,CAEN";
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        format!("{header}\n{newcomer}\nassure,255081416802539,01,LEMAIRE,Luce,1955-08-02,2,141,1 rue Écuyère,1400,CAEN\n"),
    )
    .unwrap();
    let refused = import(&bad);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr
            .contains("ligne 3, colonne nir : la clé (les 2 derniers chiffres) ne correspond pas")
            && stderr.contains("ligne 3, colonne code_postal")
            && stderr.contains("rien n'a été chargé : 2 erreurs"),
        "{stderr}"
    );

    // The valid row of the refused file was not loaded: importing it alone creates it.
    let good = dir.join("good.csv");
    std::fs::write(&good, format!("{header}\n{newcomer}\n")).unwrap();
    let second = import(&good);
    assert!(
        String::from_utf8_lossy(&second.stdout)
            .contains("1 assuré créé, 0 mis à jour, 0 ayant droit"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );

    let missing = import(&dir.join("absent.csv"));
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("opening the member file"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn reference_load_replaces_the_reference_data_whole_or_refuses_the_files() {
    let dir = data_dir();
    let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = |output: &std::process::Output| {
        (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    // Without a directory: `reference/` of the working directory.
    let loaded = caisse(&dir)
        .current_dir(&repository)
        .args(["admin", "reference", "load"])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&loaded);
    assert!(loaded.status.success(), "{stderr}");
    assert!(
        stdout.contains("Données de référence chargées")
            && stdout.contains("tariffs.csv")
            && stdout.contains("Empreinte des fichiers : "),
        "{stdout}"
    );
    let show = || {
        let output = caisse(&dir)
            .args(["admin", "reference", "show"])
            .output()
            .unwrap();
        assert!(output.status.success());
        text(&output).0
    };
    let shown = show();
    assert!(
        shown.contains("Dernier chargement : ")
            && shown.contains("ij.csv")
            && shown.contains("ij_charges.csv")
            && shown.contains("à partir du 01/01/2024"),
        "{shown}"
    );

    // A copy with one bad amount is refused with its place, and nothing changes.
    let broken = dir.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    for name in [
        "tariffs.csv",
        "rates.csv",
        "regime_local.csv",
        "deductions.csv",
        "ij.csv",
        "ij_maternite.csv",
        "ij_at_mp.csv",
        "ij_charges.csv",
    ] {
        let content = std::fs::read_to_string(repository.join("reference").join(name)).unwrap();
        std::fs::write(broken.join(name), content.replacen(",2650,", ",26.50,", 1)).unwrap();
    }
    let refused = caisse(&dir)
        .args(["admin", "reference", "load"])
        .arg(&broken)
        .output()
        .unwrap();
    let (_, stderr) = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("tariffs.csv, ligne 6, colonne « base_cents »")
            && stderr.contains("rien n'a été chargé"),
        "{stderr}"
    );
    assert_eq!(show(), shown);

    let missing = caisse(&dir)
        .args(["admin", "reference", "load"])
        .arg(dir.join("absent"))
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(text(&missing).1.contains("lecture du fichier de référence"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_operator_registers_a_sender_imports_a_lot_runs_the_engine_and_exports_the_payments() {
    let dir = data_dir();
    let run = |args: &[&str]| caisse(&dir).args(args).output().unwrap();
    let stdout = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../reference");
    let loaded = run(&["admin", "reference", "load", reference.to_str().unwrap()]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));

    let nir = "185057800608491";
    with_database(&dir, async |db| {
        use caisse_domain::rights::{CodeGestion, Period, RegimeCode};
        use caisse_store::rights::{Coverage, Doctor, Rights};
        let mut member = caisse_test_support::fixtures::new_member(nir, "781", None);
        member.iban = Some(caisse_domain::Iban::parse("FR7630006000011234567890189").unwrap());
        let now = caisse_store::now_utc();
        let id = caisse_store::members::insert(db, member, Vec::new(), now)
            .await
            .unwrap();
        let rights = Rights {
            coverages: vec![Coverage {
                regime: RegimeCode::parse("01").unwrap(),
                code_gestion: CodeGestion::parse("10").unwrap(),
                caisse: caisse_domain::CaisseCode::parse("781").unwrap(),
                period: Period::new(time::macros::date!(2020 - 01 - 01), None).unwrap(),
                local_regime: false,
            }],
            doctors: vec![Doctor {
                rank: 1,
                name: "Dr Anne MARTIN".to_owned(),
                declared_on: None,
            }],
            ..Rights::default()
        };
        caisse_store::rights::insert(db, id, rights).await.unwrap();
    });

    let added = run(&[
        "admin",
        "claim-sender",
        "add",
        "--caisse",
        "781",
        "--type",
        "rpps",
        "--number",
        "10003456789",
        "--name",
        "Dr Anne MARTIN",
        "--iban",
        "FR7630006000011234567890189",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("cs_"), "{}", stdout(&added));

    let today = caisse_domain::paris_time::paris_time(caisse_store::now_utc()).date();
    let yesterday = today.previous_day().unwrap();
    let lot = |number: u32| {
        format!(
            "{{\"lot\": {{\"type_emetteur\": \"rpps\", \"emetteur\": \"10003456789\", \"numero_lot\": {number}}}}}\n\
             {{\"numero_feuille\": 1, \"nir\": \"{nir}\", \"rang\": 1, \"type_professionnel\": \"rpps\", \"professionnel\": \"10003456789\", \"date_soins\": \"{yesterday}\", \"tiers_payant\": {}, \"part_complementaire\": false, \"parcours\": \"medecin_traitant\", \"actes\": [{{\"code_acte\": \"G\", \"quantite\": 1, \"coefficient\": 1, \"montant_cents\": {}, \"ald\": false, \"at_mp\": false}}]}}\n",
            number == 2,
            3000 - number
        )
    };
    let file = dir.join("lot.jsonl");
    std::fs::write(&file, lot(1)).unwrap();
    let imported = run(&[
        "admin",
        "import-claims",
        file.to_str().unwrap(),
        "--caisse",
        "781",
    ]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stdout(&imported).contains("1 feuille acceptée, 0 rejetée"),
        "{}",
        stdout(&imported)
    );
    let tp = dir.join("lot2.jsonl");
    std::fs::write(&tp, lot(2)).unwrap();
    assert!(
        run(&[
            "admin",
            "import-claims",
            tp.to_str().unwrap(),
            "--caisse",
            "781"
        ])
        .status
        .success()
    );
    let malformed = dir.join("bad.jsonl");
    std::fs::write(&malformed, "{\"lot\": {\"type_emetteur\": \"rpps\"}}\n").unwrap();
    let refused = run(&[
        "admin",
        "import-claims",
        malformed.to_str().unwrap(),
        "--caisse",
        "781",
    ]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("rien n'a été importé"),
        "{}",
        stderr(&refused)
    );

    let engine = run(&["admin", "claims", "run"]);
    assert!(engine.status.success(), "{}", stderr(&engine));
    assert!(
        stdout(&engine).contains("2 feuilles liquidées, 0 rejetée ; 2 paiements pour 2 feuilles"),
        "{}",
        stdout(&engine)
    );

    let day = today.to_string();
    let export = |output: &std::path::Path, again: bool| {
        let mut args = vec![
            "admin",
            "payments",
            "export",
            "--caisse",
            "781",
            "--day",
            &day,
            "--iban",
            "FR7630006000011234567890189",
            "--bic",
            "BNPAFRPPXXX",
            "--output",
            output.to_str().unwrap(),
        ];
        if again {
            args.push("--again");
        }
        run(&args)
    };
    let sepa = dir.join("virements.xml");
    let written = export(&sepa, false);
    assert!(written.status.success(), "{}", stderr(&written));
    assert!(
        stdout(&written).contains("2 virements"),
        "{}",
        stdout(&written)
    );
    let xsd = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../caisse-core/tests/data/pain.001.001.09.xsd");
    let valid = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(&sepa)
        .output()
        .expect("xmllint (Debian's libxml2-utils) is installed by scripts/test-all");
    assert!(
        valid.status.success(),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
    let twice = export(&dir.join("again.xml"), false);
    assert!(!twice.status.success());
    assert!(stderr(&twice).contains("--again"), "{}", stderr(&twice));
    assert!(!dir.join("again.xml").exists());
    assert!(export(&dir.join("again.xml"), true).status.success());

    let revoked = run(&[
        "admin",
        "claim-sender",
        "revoke",
        "--caisse",
        "781",
        "--type",
        "rpps",
        "--number",
        "10003456789",
    ]);
    assert!(
        stdout(&revoked).contains("1 clé révoquée"),
        "{}",
        stdout(&revoked)
    );
    std::fs::write(&file, lot(3)).unwrap();
    let after = run(&[
        "admin",
        "import-claims",
        file.to_str().unwrap(),
        "--caisse",
        "781",
    ]);
    assert!(!after.status.success());
    assert!(
        stderr(&after).contains("pas de clé active"),
        "{}",
        stderr(&after)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn import_arrets_prints_each_rejected_arret_or_refuses_the_file_whole() {
    let dir = data_dir();
    let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let loaded = caisse(&dir)
        .current_dir(&repository)
        .args(["admin", "reference", "load"])
        .output()
        .unwrap();
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    let import = |file: &std::path::Path| {
        caisse(&dir)
            .args(["admin", "import-arrets", "--caisse", "781"])
            .arg(file)
            .output()
            .unwrap()
    };
    // The example's members are not in this fund's (empty) member file.
    let example = import(&repository.join("docs/examples/arrets.jsonl"));
    let stdout = String::from_utf8_lossy(&example.stdout);
    assert!(
        example.status.success(),
        "{}",
        String::from_utf8_lossy(&example.stderr)
    );
    assert!(
        stdout.contains("Caisse 781 : 0 arrêt accepté, 0 déjà reçu, 4 rejetés.")
            && stdout.contains("ligne 1 (AT-2026-0001) : Assuré inconnu de la caisse"),
        "{stdout}"
    );

    let bad = dir.join("arrets.csv");
    let csv = std::fs::read_to_string(repository.join("docs/examples/arrets.csv"))
        .unwrap()
        .replace("73282932000074", "73282932000075");
    std::fs::write(&bad, csv).unwrap();
    let refused = import(&bad);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("ligne 2, champ siret_employeur : numéro SIRET erroné")
            && stderr.contains("fichier refusé, aucun arrêt n'a été importé"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_operator_records_transfers_paying_a_debt_by_its_reference() {
    let dir = data_dir();
    let run = |args: &[&str]| caisse(&dir).args(args).output().unwrap();
    let stdout = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(run(&["migrate"]).status.success());
    let reference = with_database(&dir, async |db| {
        let member = caisse_test_support::fixtures::new_member("185057800608491", "781", None);
        let now = caisse_store::now_utc();
        let id = caisse_store::members::insert(db, member, Vec::new(), now)
            .await
            .unwrap();
        let caisse = caisse_domain::CaisseCode::parse("781").unwrap();
        let debt = caisse_store::claims::debts::insert(
            db,
            caisse,
            id,
            uuid::Uuid::now_v7(),
            time::macros::date!(2026 - 01 - 05),
            caisse_domain::AmountCents::new(1900),
            caisse_domain::Instant::from(now),
        )
        .await
        .unwrap();
        caisse_store::claims::debt_payments::of_member(db, id, debt)
            .await
            .unwrap()
            .unwrap()
            .reference
            .unwrap()
    });
    let grouped = reference.grouped();
    let transfer = |cents: &str, bank_id: &str, reference: &str| {
        run(&[
            "admin",
            "debts",
            "record-transfer",
            "--caisse",
            "781",
            "--reference",
            reference,
            "--amount-cents",
            cents,
            "--date",
            "2026-02-02",
            "--bank-transaction-id",
            bank_id,
        ])
    };

    let partial = transfer("500", "STMT-1", &grouped);
    assert!(partial.status.success(), "{}", stderr(&partial));
    assert!(
        stdout(&partial).contains("reste à payer 14,00"),
        "{}",
        stdout(&partial)
    );
    let replayed = transfer("500", "STMT-1", reference.as_str());
    assert!(replayed.status.success(), "{}", stderr(&replayed));
    assert!(stdout(&replayed).contains("déjà enregistrée"));

    let above = transfer("1401", "STMT-2", &grouped);
    assert!(!above.status.success());
    assert!(
        stderr(&above).contains("dépasse le reste à payer"),
        "{}",
        stderr(&above)
    );
    let unknown = transfer("100", "STMT-3", "RF18 5390 0754 7034");
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("aucune somme à payer"),
        "{}",
        stderr(&unknown)
    );
    let typo = transfer("100", "STMT-4", "RF18 5390 0754 7035");
    assert!(!typo.status.success());
    assert!(stderr(&typo).contains("vérifiez"), "{}", stderr(&typo));

    let full = transfer("1400", "STMT-5", &grouped);
    assert!(full.status.success(), "{}", stderr(&full));
    assert!(
        stdout(&full).contains("la somme est réglée"),
        "{}",
        stdout(&full)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_procedure_definition_with_an_error_stops_start_up_naming_the_file_and_the_field() {
    let dir = data_dir();
    let definitions = dir.join("demarches");
    std::fs::create_dir_all(&definitions).unwrap();
    let shipped = include_str!("../../../demarches/declaration-naissance.v1.toml");
    let broken = shipped
        .replace("version = 1", "version = 2")
        .replace("equals = \"deux_parents\"", "equals = \"les_deux\"");
    std::fs::write(definitions.join("declaration-naissance.v2.toml"), broken).unwrap();
    let output = caisse(&dir)
        .arg("serve")
        .env("CAISSE_DEMARCHES_DIR", &definitions)
        .env("CAISSE_LISTEN", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("declaration-naissance.v2.toml")
            && stderr.contains("steps.rattachement.fields.nir_autre_parent.show_if")
            && stderr.contains("never has the value \"les_deux\""),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).ok();
}
