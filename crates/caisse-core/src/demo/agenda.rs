//! The demo's « Mon agenda »: the motifs of the seeds (C2S, sick leave, spa cures and care
//! abroad, death capital, invalidity pension), one branch, and the demo advisor's hours — by
//! phone every weekday morning, at the branch in the afternoons, by video on Friday.

use caisse_domain::CaisseCode;
use caisse_domain::agenda::Channel;
use caisse_store::agenda::{self as store, Hours, Motif, Site};
use caisse_store::{ConnectionTrait, staff};
use time::{Time, Weekday};
use uuid::Uuid;

use crate::CoreError;

/// A demo motif: code, label, channels, minutes, documents, démarche.
type DemoMotif = (
    &'static str,
    &'static str,
    &'static [Channel],
    u32,
    &'static str,
    Option<&'static str>,
);

const MOTIFS: &[DemoMotif] = &[
    (
        "c2s",
        "Ouvrir un dossier de Complémentaire santé solidaire",
        &[Channel::Telephone, Channel::Agence, Channel::Visio],
        30,
        "Vos ressources des douze derniers mois (avis d'imposition, bulletins de salaire, \
         allocations) et celles des personnes de votre foyer.",
        Some("complementaire-sante-solidaire"),
    ),
    (
        "arret-travail",
        "Suivre un arrêt de travail ou vos indemnités journalières",
        &[Channel::Telephone, Channel::Visio],
        20,
        "Votre avis d'arrêt de travail et vos trois derniers bulletins de salaire.",
        None,
    ),
    (
        "cure-soins-etranger",
        "Cure thermale ou soins à l'étranger",
        &[Channel::Telephone, Channel::Agence],
        30,
        "La prescription de votre médecin, les devis ou factures des soins.",
        None,
    ),
    (
        "capital-deces",
        "Capital décès d'un proche",
        &[Channel::Agence, Channel::Telephone],
        45,
        "L'acte de décès, le livret de famille et un RIB.",
        None,
    ),
    (
        "pension-invalidite",
        "Pension d'invalidité",
        &[Channel::Telephone, Channel::Agence, Channel::Visio],
        45,
        "Le courrier de notification de votre caisse et vos derniers bulletins de salaire.",
        Some("pension-invalidite"),
    ),
];

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];

fn at(hour: u8, minute: u8) -> Result<Time, CoreError> {
    Time::from_hms(hour, minute, 0).map_err(|e| CoreError::DemoSeed(format!("demo hours: {e}")))
}

/// Seeds fund `caisse`'s demo agenda, inside the caller's transaction.
///
/// # Errors
/// When the database fails.
pub(super) async fn seed<C: ConnectionTrait>(db: &C, caisse: CaisseCode) -> Result<(), CoreError> {
    for (code, label, channels, minutes, documents, demarche) in MOTIFS {
        store::save_motif(
            db,
            &Motif {
                id: Uuid::new_v4(),
                caisse,
                code: (*code).to_owned(),
                label: (*label).to_owned(),
                channels: channels.to_vec(),
                duration_minutes: *minutes,
                min_notice_hours: 24,
                horizon_days: 60,
                documents: (*documents).to_owned(),
                demarche_code: demarche.map(str::to_owned),
                active: true,
            },
        )
        .await?;
    }
    let site = Site {
        id: Uuid::new_v4(),
        caisse,
        name: "Accueil du centre-ville".to_owned(),
        address: "12 place de la République".to_owned(),
        postcode: "78000".to_owned(),
        city: "Versailles".to_owned(),
        opening_hours: "Du lundi au jeudi, de 13 h 30 à 16 h 30, sur rendez-vous".to_owned(),
        active: true,
    };
    store::save_site(db, &site).await?;
    let Some(advisor) = staff::by_login(db, "conseiller").await? else {
        return Ok(());
    };
    let mut hours = Vec::new();
    for weekday in WEEKDAYS {
        hours.push((Channel::Telephone, None, weekday, at(9, 0)?, at(12, 0)?));
        if weekday != Weekday::Friday {
            hours.push((
                Channel::Agence,
                Some(site.id),
                weekday,
                at(13, 30)?,
                at(16, 30)?,
            ));
        }
    }
    hours.push((
        Channel::Visio,
        None,
        Weekday::Friday,
        at(14, 0)?,
        at(16, 0)?,
    ));
    for (channel, site, weekday, start, end) in hours {
        store::insert_hours(
            db,
            &Hours {
                id: Uuid::new_v4(),
                site,
                staff_id: advisor.id,
                channel,
                weekday,
                start,
                end,
            },
        )
        .await?;
    }
    Ok(())
}
