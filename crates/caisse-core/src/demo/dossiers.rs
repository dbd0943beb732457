//! The demo's dossiers: for the advisors, a birth declaration waiting in the queue and a
//! change of address to complete; for Julien, a draft to finish. Made through the engine, as
//! a member would, so they follow every rule.

use caisse_domain::Nir;
use caisse_domain::demarches::{FieldId, RawInput};
use caisse_pdf::{Block, Document, HeadingLevel};
use caisse_store::{Db, members, staff};

use crate::CoreError;
use crate::audit::RequestContext;
use crate::demarches::{Demarches, DossierError, PieceUpload};

fn inputs(pairs: &[(&str, &str)]) -> RawInput {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A one-page PDF standing for a scanned piece.
fn scanned(title: &str) -> Result<Vec<u8>, CoreError> {
    let document = Document {
        title: title.to_owned(),
        sender: caisse_pdf::Sender {
            organisation: "Document de démonstration".to_owned(),
            address_lines: Vec::new(),
            phone: String::new(),
            website: String::new(),
        },
        blocks: vec![
            Block::heading(HeadingLevel::Title, title),
            Block::paragraph(
                "Pièce justificative fictive, jointe par les données de démonstration.",
            ),
        ],
    };
    Ok(caisse_pdf::render_documents(title, &[document])?)
}

fn demo_error(error: DossierError) -> CoreError {
    CoreError::DemoSeed(format!("dossier: {error}"))
}

/// The member the demo's dossiers are for: Julien MARTIN, of the advisors' fund.
pub const DOSSIERS_MEMBER_NIR: &str = "185057800608491";

/// Files the demo's dossiers once (nothing when the member already has some).
///
/// # Errors
/// When a dossier cannot be made (a bad seed).
pub async fn seed_dossiers(
    db: &Db,
    demarches: &Demarches,
    member_nir: &str,
) -> Result<(), CoreError> {
    let nir = Nir::parse(member_nir).map_err(|_| CoreError::DemoSeed("NIR".into()))?;
    let Some(member) = members::find_by_nir(db, &nir).await? else {
        return Ok(());
    };
    if !demarches
        .dossiers(member.id)
        .await
        .map_err(demo_error)?
        .is_empty()
    {
        return Ok(());
    }
    let run = async {
        // A birth declaration, filed: it waits in the advisors' queue.
        let birth = demarches.open(member.id, "declaration-naissance").await?;
        demarches
            .save_step(
                member.id,
                birth,
                "enfant",
                &inputs(&[
                    ("nom", &member.last_name),
                    ("prenoms", "Chloé"),
                    ("date_naissance", "2026-11-24"),
                    ("sexe", "F"),
                ]),
            )
            .await?;
        demarches
            .save_step(
                member.id,
                birth,
                "rattachement",
                &inputs(&[("rattachement", "moi")]),
            )
            .await?;
        let acte = scanned("Acte de naissance").map_err(DossierError::Core)?;
        demarches
            .add_pieces(
                member.id,
                birth,
                "acte_naissance",
                vec![PieceUpload {
                    name: "acte-de-naissance.pdf".to_owned(),
                    bytes: acte,
                }],
            )
            .await?;
        demarches.submit(member.id, birth).await?;

        // A change of address, taken by the advisor, who asks for a proof of address.
        let moved = demarches.open(member.id, "changement-adresse").await?;
        demarches
            .save_step(
                member.id,
                moved,
                "adresse",
                &inputs(&[
                    ("nouvelle_adresse.ligne1", "12 rue de la Paroisse"),
                    ("nouvelle_adresse.code_postal", "78000"),
                    ("nouvelle_adresse.commune", "Versailles"),
                    ("date_demenagement", "2026-11-15"),
                ]),
            )
            .await?;
        let proof = scanned("Facture d'électricité").map_err(DossierError::Core)?;
        demarches
            .add_pieces(
                member.id,
                moved,
                "justificatif_domicile",
                vec![PieceUpload {
                    name: "facture.pdf".to_owned(),
                    bytes: proof,
                }],
            )
            .await?;
        demarches.submit(member.id, moved).await?;
        if let Some(advisor) = staff::by_login(db, "conseiller").await? {
            let context = RequestContext::default();
            demarches.take(advisor.id, moved, &context).await?;
            let field = FieldId::parse("justificatif_domicile")
                .ok_or_else(|| DossierError::BadDecision("field"))?;
            demarches
                .ask_completion(
                    advisor.id,
                    moved,
                    "La facture jointe date de plus de trois mois : joignez un justificatif de domicile récent.",
                    vec![field],
                    &context,
                )
                .await?;
        }

        // A CEAM, started and left as a draft.
        demarches.open(member.id, "ceam").await?;
        Ok::<(), DossierError>(())
    };
    run.await.map_err(demo_error)
}
