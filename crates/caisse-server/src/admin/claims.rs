//! `caisse admin claim-sender …`, `caisse admin import-claims`, `caisse admin claims …`: the
//! senders' keys, lots from files, and the engine's work on demand.

use std::fs::File;
use std::io::{BufReader, Write as _};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use caisse_core::claims::import::{ImportOutcome, Submitter, import_lot};
use caisse_core::claims::sepa::Debtor;
use caisse_core::claims::worker::{ClaimsWorker, ClaimsWorkerSettings};
use caisse_core::claims::{export, reference_data, senders};
use caisse_core::clock::SystemClock;
use caisse_domain::claims::ProfessionalId;
use caisse_domain::{Bic, CaisseCode, Iban};
use caisse_store::claims::lots::LotSource;
use caisse_store::claims::sheets;

use crate::cli::{ClaimSenderCommand, ClaimsCommand, PaymentsCommand, SenderArgs};

pub(super) fn fund(raw: &str) -> anyhow::Result<CaisseCode> {
    CaisseCode::parse(raw).map_err(|e| anyhow!("{}", e.message_fr()))
}

/// A day written `2026-12-07`.
pub(super) fn iso_day(raw: &str) -> anyhow::Result<time::Date> {
    time::Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| anyhow!("date attendue sous la forme AAAA-MM-JJ, par exemple 2026-12-07"))
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

fn named(args: &SenderArgs) -> anyhow::Result<(CaisseCode, ProfessionalId)> {
    Ok((fund(&args.caisse)?, professional(&args.kind, &args.number)?))
}

/// Runs a `claim-sender` command.
pub async fn senders(db: &caisse_store::Db, command: ClaimSenderCommand) -> anyhow::Result<()> {
    let now = caisse_store::now_utc();
    match command {
        ClaimSenderCommand::Add { sender, name, iban } => {
            let (caisse, sender) = named(&sender)?;
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
        ClaimSenderCommand::Revoke { sender } => {
            let (caisse, sender) = named(&sender)?;
            let revoked = senders::revoke(db, caisse, &sender, now).await?;
            let s = super::plural(revoked);
            println!("{revoked} clé{s} révoquée{s}.");
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
            let (accepted, rejected) = (ack.sheets_accepted, ack.sheets_rejected);
            let (a, r) = (super::plural(accepted), super::plural(rejected));
            println!(
                "Lot {} de {} : {accepted} feuille{a} acceptée{a}, {rejected} rejetée{r}.",
                ack.lot_number, ack.sender
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
            let liquidated = pass.liquidation.liquidated;
            let rejected = pass.liquidation.rejected;
            let (payments, paid) = (pass.payments, pass.sheets_paid);
            let (l, r) = (super::plural(liquidated), super::plural(rejected));
            let (p, f) = (super::plural(payments), super::plural(paid));
            println!(
                "{liquidated} feuille{l} liquidée{l}, {rejected} rejetée{r} ; \
                 {payments} paiement{p} pour {paid} feuille{f}."
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

/// Runs a `payments` command.
pub async fn payments(db: &caisse_store::Db, command: PaymentsCommand) -> anyhow::Result<()> {
    let PaymentsCommand::Export {
        caisse,
        day,
        iban,
        bic,
        output,
        again,
    } = command;
    let caisse = fund(&caisse)?;
    let day = iso_day(&day)?;
    let debtor = Debtor {
        name: caisse_domain::Fund::by_code(&caisse).name().to_owned(),
        iban: Iban::parse(&iban).map_err(|e| anyhow!("{}", e.message_fr()))?,
        bic: Bic::parse(&bic).map_err(|e| anyhow!("{}", e.message_fr()))?,
    };
    let (count, exported) = export::day_status(db, caisse, day).await?;
    if count == 0 {
        println!(
            "Aucun virement pour la caisse {} le {day} : aucun fichier écrit.",
            caisse.as_str()
        );
        return Ok(());
    }
    if exported > 0 && !again {
        bail!(
            "{exported} des {count} virements du {day} ont déjà été exportés : relancez avec --again pour réécrire le fichier entier (ne remettez pas les deux fichiers à la banque)"
        );
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&output)
        .with_context(|| format!("création de {}", output.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let summary =
        match export::export_day(db, caisse, day, &debtor, &mut out, caisse_store::now_utc()).await
        {
            Ok(summary) => summary,
            Err(error) => {
                drop(out);
                std::fs::remove_file(&output).ok();
                return Err(error.into());
            }
        };
    out.flush().context("écriture du fichier")?;
    let s = super::plural(summary.transfers);
    println!(
        "{} virement{s}, {} au total, écrit{s} dans {} (message {}).",
        summary.transfers,
        caisse_domain::french::amount(summary.sum),
        output.display(),
        summary.message_id.unwrap_or_default()
    );
    Ok(())
}
