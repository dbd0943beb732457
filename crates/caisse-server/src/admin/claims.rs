//! `caisse admin claim-sender …`, `caisse admin import-claims`, `caisse admin claims …`: the
//! senders' keys, lots from files, and the engine's work on demand.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use caisse_core::claims::import::{ImportOutcome, Submitter, import_lot};
use caisse_core::claims::worker::{ClaimsWorker, ClaimsWorkerSettings};
use caisse_core::claims::{reference_data, senders};
use caisse_core::clock::SystemClock;
use caisse_domain::claims::ProfessionalId;
use caisse_domain::{CaisseCode, Iban};
use caisse_store::claims::lots::LotSource;
use caisse_store::claims::sheets;

use crate::cli::{ClaimSenderCommand, ClaimsCommand};

fn fund(raw: &str) -> anyhow::Result<CaisseCode> {
    CaisseCode::parse(raw).map_err(|e| anyhow!("{}", e.message_fr()))
}

fn professional(kind: &str, number: &str) -> anyhow::Result<ProfessionalId> {
    let parsed = match kind.trim().to_ascii_lowercase().as_str() {
        "rpps" => ProfessionalId::rpps(number),
        "adeli" => ProfessionalId::adeli(number),
        "finess" => ProfessionalId::finess(number),
        _ => bail!("type d'émetteur inconnu « {kind} » : rpps, adeli ou finess"),
    };
    parsed.map_err(|e| anyhow!("{}", e.message_fr()))
}

/// Runs a `claim-sender` command.
pub async fn senders(db: &caisse_store::Db, command: ClaimSenderCommand) -> anyhow::Result<()> {
    let now = caisse_store::now_utc();
    match command {
        ClaimSenderCommand::Add {
            caisse,
            kind,
            number,
            name,
            iban,
        } => {
            let caisse = fund(&caisse)?;
            let sender = professional(&kind, &number)?;
            let iban = Iban::parse(&iban).map_err(|e| anyhow!("{}", e.message_fr()))?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                bail!("le nom de l'émetteur compte de 1 à 200 caractères");
            }
            let key = senders::add(db, caisse, &sender, name, &iban, now).await?;
            println!(
                "Clé créée pour {} auprès de la caisse {} :",
                sender.code(),
                caisse.as_str()
            );
            println!("  {}", key.key);
            println!("Elle ne sera plus affichée : transmettez-la à l'émetteur par un canal sûr.");
        }
        ClaimSenderCommand::Revoke {
            caisse,
            kind,
            number,
        } => {
            let revoked =
                senders::revoke(db, fund(&caisse)?, &professional(&kind, &number)?, now).await?;
            println!("{revoked} clé(s) révoquée(s).");
        }
        ClaimSenderCommand::List { caisse } => {
            for key in senders::of_fund(db, fund(&caisse)?).await? {
                let state = if key.revoked_at.is_some() {
                    "révoquée"
                } else {
                    "active"
                };
                println!(
                    "{}  {:<20} {:<9} {}",
                    key.id,
                    key.sender.code(),
                    state,
                    key.name
                );
            }
        }
    }
    Ok(())
}

/// `caisse admin import-claims FILE --caisse CODE`.
pub async fn import(db: &caisse_store::Db, file: &Path, caisse: &str) -> anyhow::Result<()> {
    let caisse = fund(caisse)?;
    let tables = reference_data::current(db).await?;
    let open = || File::open(file).map(|f| BufReader::with_capacity(1 << 16, f));
    open().with_context(|| format!("ouverture de {}", file.display()))?;
    let outcome = import_lot(
        db,
        &tables,
        open,
        None,
        Submitter::Operator(caisse),
        LotSource::File,
        caisse_store::now_utc(),
    )
    .await?;
    match outcome {
        ImportOutcome::Accepted(ack) | ImportOutcome::AlreadyAccepted(ack) => {
            println!(
                "Lot {} de {} : {} feuille(s) acceptée(s), {} rejetée(s).",
                ack.lot_number, ack.sender, ack.sheets_accepted, ack.sheets_rejected
            );
            for r in &ack.rejected {
                println!("  feuille {} (ligne {}) : {}", r.sheet, r.line, r.message);
            }
            Ok(())
        }
        ImportOutcome::Refused(refusal) => {
            for line in refusal.report_fr() {
                eprintln!("{line}");
            }
            bail!("fichier refusé, rien n'a été importé")
        }
        ImportOutcome::UnknownSender(sender) => bail!(
            "l'émetteur {} n'a pas de clé active auprès de la caisse {} : « caisse admin claim-sender add »",
            sender.code(),
            caisse.as_str()
        ),
    }
}

/// Runs a `claims` command.
pub async fn run(db: &caisse_store::Db, command: ClaimsCommand) -> anyhow::Result<()> {
    match command {
        ClaimsCommand::Run => {
            let worker = ClaimsWorker::new(
                db.clone(),
                Arc::new(SystemClock),
                ClaimsWorkerSettings::default(),
            );
            let pass = worker.pass().await?;
            println!(
                "{} feuille(s) liquidée(s), {} rejetée(s) ; {} paiement(s) pour {} feuille(s).",
                pass.liquidation.liquidated,
                pass.liquidation.rejected,
                pass.payments,
                pass.sheets_paid
            );
        }
        ClaimsCommand::Status => {
            for (state, n) in sheets::count_by_state(db).await? {
                println!("{:<24} {n}", state.label_fr());
            }
        }
    }
    Ok(())
}
