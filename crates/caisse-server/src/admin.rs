//! `caisse admin …`: operator commands.

mod arrets;
mod claims;
mod debts;
mod reference;
mod teams;

use std::path::Path;

use anyhow::{Context, bail};
use caisse_core::member_import::{self, ImportOutcome};
use caisse_core::staff::{self, StaffDraft, StaffRole};
use caisse_domain::CaisseCode;

use crate::app::{Mode, open_database};
use caisse_store::TransactionTrait;

use crate::cli::{AdminCommand, StaffCommand};
use crate::settings::Settings;

/// The plural mark of a French word counted `n` times: « s » from two on (« 0 feuille
/// rejetée », « 2 feuilles acceptées »), never « (s) ».
pub(crate) fn plural<T: PartialOrd + From<u8>>(n: T) -> &'static str {
    if n > T::from(1) { "s" } else { "" }
}

/// Runs an operator command.
pub async fn run(settings: Settings, command: AdminCommand) -> anyhow::Result<()> {
    if let AdminCommand::AttestationKey { id } = &command {
        let entry = caisse_core::attestations::generate_key_entry(id)
            .with_context(|| "generating an attestation signing key")?;
        println!("{entry}");
        return Ok(());
    }
    let (db, _) = open_database(&settings, Mode::Production).await?;
    caisse_store::run_migrations(&db)
        .await
        .context("applying migrations")?;
    match command {
        AdminCommand::Staff(StaffCommand::Create {
            login,
            name,
            role,
            caisse,
            email,
            password_stdin,
            teams: team_codes,
        }) => {
            let Some(role) = StaffRole::from_code(&role) else {
                bail!("unknown role {role:?}: expected conseiller, superviseur or administrateur");
            };
            let caisse = CaisseCode::parse(&caisse)
                .map_err(|e| anyhow::anyhow!("fund code {caisse:?}: {e}"))?;
            let team_ids = caisse_core::messaging::teams::resolve(&db, caisse, &team_codes)
                .await
                .map_err(teams::refusal)?;
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (
                    caisse_core::tokens::random_token().context("generating a password")?,
                    true,
                )
            };
            let hasher = caisse_core::passwords::PasswordHasherPool::new(settings.argon2(), 1)?;
            let now = caisse_store::now_utc();
            let draft = StaffDraft {
                login: login.clone(),
                display_name: name,
                email,
                role,
                caisse,
                password: password.clone(),
            };
            let context = caisse_core::audit::RequestContext {
                ip: String::new(),
                user_agent: "caisse admin staff create".to_owned(),
            };
            let txn = db.begin().await.context("starting a transaction")?;
            let id = staff::create(&txn, &hasher, draft, now).await?;
            caisse_core::messaging::teams::join(&txn, id, &team_ids, &context, now)
                .await
                .map_err(teams::refusal)?;
            txn.commit().await.context("saving the staff account")?;
            println!("Compte agent « {login} » créé ({}).", role.label_fr());
            if !team_codes.is_empty() {
                println!("Équipes : {}.", team_codes.join(", "));
            }
            if generated {
                println!("Mot de passe initial (affiché une seule fois) : {password}");
            }
        }
        AdminCommand::Staff(StaffCommand::List) => {
            for p in staff::list(&db).await? {
                println!(
                    "{:<20} {:<30} {:<15} {:<4} {:<10} {}",
                    p.login,
                    p.display_name,
                    p.role.label_fr(),
                    p.caisse_code,
                    if p.active { "actif" } else { "désactivé" },
                    if p.totp_enrolled {
                        "code configuré"
                    } else {
                        "code à configurer"
                    }
                );
            }
        }
        AdminCommand::Staff(StaffCommand::Disable { login }) => {
            set_active(&db, &login, false).await?
        }
        AdminCommand::Staff(StaffCommand::Enable { login }) => {
            set_active(&db, &login, true).await?
        }
        AdminCommand::Staff(StaffCommand::ResetTotp { login }) => reset_totp(&db, &login).await?,
        AdminCommand::Team(command) => teams::run(&db, command).await?,
        AdminCommand::ImportMembers { file } => import_members(&db, &file).await?,
        AdminCommand::Reference(command) => reference::run(&db, command).await?,
        AdminCommand::ClaimSender(command) => claims::senders(&db, command).await?,
        AdminCommand::ImportClaims { file, caisse } => {
            claims::import(&db, &file, &caisse).await?;
        }
        AdminCommand::ImportArrets { file, caisse } => {
            arrets::import(&db, &file, &caisse).await?;
        }
        AdminCommand::Claims(command) => claims::run(&db, command).await?,
        AdminCommand::Payments(command) => claims::payments(&db, command).await?,
        AdminCommand::Debts(command) => debts::run(&db, command).await?,
        AdminCommand::AttestationKey { .. } => {}
    }
    Ok(())
}

/// Errors printed before the rest is summed up: enough to see a pattern, not a flood.
const MAX_ERRORS_SHOWN: usize = 100;

async fn import_members(db: &caisse_store::Db, path: &Path) -> anyhow::Result<()> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("opening the member file {}", path.display()))?;
    let now = caisse_store::now_utc();
    // Parsing 100,000 rows takes a moment of CPU: keep it off the async workers.
    let parsed = tokio::task::spawn_blocking(move || member_import::parse(file, now.date()))
        .await
        .context("parsing the member file")??;
    match member_import::load(db, parsed, now).await? {
        ImportOutcome::Loaded(summary) => {
            println!("Fichier des membres chargé : {summary}.");
            Ok(())
        }
        ImportOutcome::Rejected(errors) => {
            for line in member_import::error_report(&errors, MAX_ERRORS_SHOWN) {
                eprintln!("{line}");
            }
            bail!(
                "fichier refusé, rien n'a été chargé : {} erreur{}",
                errors.len(),
                if errors.len() > 1 { "s" } else { "" }
            )
        }
    }
}

async fn set_active(db: &caisse_store::Db, login: &str, active: bool) -> anyhow::Result<()> {
    if !caisse_store::staff::set_active(db, login, active).await? {
        bail!("no staff account with login {login:?}");
    }
    println!(
        "Compte « {login} » {}.",
        if active { "réactivé" } else { "désactivé" }
    );
    Ok(())
}

async fn reset_totp(db: &caisse_store::Db, login: &str) -> anyhow::Result<()> {
    let context = caisse_core::audit::RequestContext {
        ip: String::new(),
        user_agent: "caisse admin staff reset-totp".to_owned(),
    };
    let reset =
        caisse_core::staff_login::reset_totp(db, login, &context, caisse_store::now_utc()).await?;
    if reset.is_none() {
        bail!("no staff account with login {login:?}");
    }
    println!(
        "Code de connexion de « {login} » réinitialisé : une nouvelle application \
         d'authentification sera configurée à la prochaine connexion."
    );
    Ok(())
}
