//! `caisse admin reference …`: load the claims reference files, show what is in force.

use std::path::Path;

use anyhow::{Context, bail};
use caisse_core::claims::ReferenceFiles;
use caisse_core::claims::reference_data::{self, LoadOutcome, TABLES};
use caisse_domain::french;

use crate::cli::ReferenceCommand;

/// Runs a reference command.
pub async fn run(db: &caisse_store::Db, command: ReferenceCommand) -> anyhow::Result<()> {
    match command {
        ReferenceCommand::Load { dir } => load(db, &dir).await,
        ReferenceCommand::Show => show(db).await,
    }
}

async fn load(db: &caisse_store::Db, dir: &Path) -> anyhow::Result<()> {
    let mut texts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let path = dir.join(table.file_name());
        texts.push(
            std::fs::read_to_string(&path)
                .with_context(|| format!("lecture du fichier de référence {}", path.display()))?,
        );
    }
    let files = ReferenceFiles::from_texts(std::array::from_fn(|i| {
        texts.get(i).map_or("", String::as_str)
    }));
    match reference_data::load(db, &files, caisse_store::now_utc()).await? {
        LoadOutcome::Loaded(summary) => {
            println!("Données de référence chargées depuis {} :", dir.display());
            for (table, rows) in TABLES.iter().zip(summary.rows) {
                println!("  {:<18} {rows} ligne{}", table.file_name(), plural(rows));
            }
            println!("Empreinte des fichiers : {}", summary.digest);
            Ok(())
        }
        LoadOutcome::Refused(error) => {
            eprintln!("{}", error.message_fr());
            bail!("fichiers refusés, rien n'a été chargé : les données en vigueur restent")
        }
    }
}

async fn show(db: &caisse_store::Db) -> anyhow::Result<()> {
    let Some(load) = reference_data::latest_load(db).await? else {
        println!("Aucune donnée de référence chargée : lancez « caisse admin reference load ».");
        return Ok(());
    };
    let at = caisse_domain::paris_time::paris_time(load.loaded_at.get());
    println!(
        "Dernier chargement : {}, empreinte {}",
        french::numeric_date_time(time::PrimitiveDateTime::new(at.date(), at.time())),
        load.digest
    );
    let tables = reference_data::current(db).await?;
    for span in reference_data::spans(&tables) {
        let dates = match (span.from, span.to) {
            (None, _) => String::new(),
            (Some(from), None) => format!(", à partir du {}", french::numeric_date(from)),
            (Some(from), Some(to)) => format!(
                ", du {} au {}",
                french::numeric_date(from),
                french::numeric_date(to)
            ),
        };
        println!(
            "  {:<18} {} ligne{}{dates}",
            span.table.file_name(),
            span.rows,
            plural(span.rows)
        );
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}
