//! `caisse admin import-arrets FILE --caisse CODE`: a file of arrêts de travail imported for
//! a fund, each arrêt stored with its schedule of indemnités journalières, or the file
//! refused whole with its line numbers.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use caisse_core::claims::arrets::{ArretsOutcome, ArretsSubmitter, import_arrets};
use caisse_core::claims::reference_data;
use caisse_domain::CaisseCode;

/// Imports the arrêts of `file` for the fund `caisse`; prints the acknowledgement in French.
pub async fn import(db: &caisse_store::Db, file: &Path, caisse: &str) -> anyhow::Result<()> {
    let caisse = CaisseCode::parse(caisse).map_err(|e| anyhow!("{}", e.message_fr()))?;
    let tables = reference_data::current(db).await?;
    let open = || File::open(file).map(|f| BufReader::with_capacity(1 << 16, f));
    open().with_context(|| format!("ouverture de {}", file.display()))?;
    let outcome = import_arrets(
        db,
        &tables,
        open,
        None,
        ArretsSubmitter::Operator(caisse),
        caisse_store::now_utc(),
    )
    .await?;
    match outcome {
        ArretsOutcome::Accepted(ack) => {
            let (accepted, received) = (ack.accepted, ack.already_received);
            let rejected = ack.rejected_count;
            let (a, d) = (super::plural(accepted), super::plural(received));
            let r = super::plural(rejected);
            println!(
                "Caisse {} : {accepted} arrêt{a} accepté{a}, {received} déjà reçu{d}, \
                 {rejected} rejeté{r}.",
                caisse.as_str()
            );
            for r in &ack.rejected {
                println!("  ligne {} ({}) : {}", r.line, r.reference, r.message);
            }
            let more = ack
                .rejected_count
                .saturating_sub(u64::try_from(ack.rejected.len()).unwrap_or(u64::MAX));
            if more > 0 {
                let s = super::plural(more);
                println!("  … et {more} autre{s} arrêt{s} rejeté{s}");
            }
            Ok(())
        }
        ArretsOutcome::Refused(refusal) => {
            for line in refusal.report_fr() {
                eprintln!("{line}");
            }
            bail!("fichier refusé, aucun arrêt n'a été importé")
        }
    }
}
