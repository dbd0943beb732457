//! The demo's back office: three teams of the Yvelines fund that share the default objets
//! (the others wait at « Accueil (non routé) »), the demo staff in them, and a few canned
//! answers that use the variables.

use caisse_domain::messaging::{Catalogue, TeamCode, TeamName};
use caisse_domain::{CaisseCode, Instant};
use caisse_store::canned_answers::{self, CannedAnswerText};
use caisse_store::teams::{self, NewTeam};
use caisse_store::{ConnectionTrait, staff};
use time::OffsetDateTime;

use crate::CoreError;

/// A demo team: code, name, the objets it handles and the demo logins in it.
pub(super) struct DemoTeam {
    pub code: &'static str,
    pub name: &'static str,
    objets: &'static [&'static str],
    pub staff: &'static [&'static str],
}

pub(super) const TEAMS: &[DemoTeam] = &[
    DemoTeam {
        code: "prestations",
        name: "Service prestations",
        objets: &[
            "remboursement.question",
            "remboursement.feuille_de_soins",
            "remboursement.contestation",
            "transport.remboursement",
            "sommes_a_payer.avis",
            "sommes_a_payer.franchises",
        ],
        staff: &["conseiller", "superviseur"],
    },
    DemoTeam {
        code: "droits",
        name: "Droits et affiliation",
        objets: &[
            "attestation.droits",
            "attestation.indemnites_journalieres",
            "attestation.fiscale",
            "carte_vitale.commande",
            "carte_vitale.perte_vol",
            "carte_vitale.dysfonctionnement",
            "situation.adresse",
            "situation.coordonnees_bancaires",
            "situation.etat_civil",
            "situation.naissance",
            "medecin_traitant.declaration",
            "c2s.demande",
            "c2s.renouvellement",
            "etranger.ceam",
            "etranger.soins",
        ],
        staff: &["conseiller", "superviseur"],
    },
    DemoTeam {
        code: "ij",
        name: "Indemnités journalières",
        objets: &[
            "arret_travail.declaration",
            "arret_travail.indemnites_journalieres",
            "maternite.maternite",
            "maternite.paternite",
            "at_mp.accident_travail",
            "at_mp.maladie_professionnelle",
            "invalidite_deces.invalidite",
            "invalidite_deces.capital_deces",
        ],
        staff: &["superviseur"],
    },
];

/// Canned answers: title, team code (or none), text.
const CANNED: &[(&str, Option<&str>, &str)] = &[
    (
        "Accusé de réception",
        None,
        "Bonjour {prenom} {nom},\n\n\
         Nous avons bien reçu votre message {reference}. Il est en cours d'examen : vous \
         recevrez une réponse au plus tard le {date_echeance}.\n\n\
         Cordialement,\n{conseiller}\n{caisse}",
    ),
    (
        "Attestation de droits disponible dans votre espace",
        Some("droits"),
        "Bonjour {prenom} {nom},\n\n\
         Votre attestation de droits est disponible à tout moment dans votre compte, rubrique \
         « Mes attestations » : vous pouvez la télécharger et l'imprimer vous-même, sans \
         attendre de courrier.\n\n\
         Cordialement,\n{conseiller}\n{caisse}",
    ),
    (
        "Délai de remboursement",
        Some("prestations"),
        "Bonjour {prenom} {nom},\n\n\
         Une feuille de soins électronique (transmise avec votre carte Vitale) est en général \
         remboursée en moins d'une semaine. Une feuille de soins papier demande davantage de \
         délai, compté à partir de sa réception par nos services. Vous pouvez suivre vos \
         paiements dans la rubrique « Mes paiements » de votre compte.\n\n\
         Cordialement,\n{conseiller}\n{caisse}",
    ),
    (
        "Pièce manquante",
        None,
        "Bonjour {prenom} {nom},\n\n\
         Pour traiter votre demande {reference}, il nous manque un justificatif : [précisez \
         le document]. Vous pouvez nous le transmettre en répondant à ce message, avec le \
         document en pièce jointe.\n\n\
         Dès sa réception, nous reprendrons l'examen de votre dossier.\n\n\
         Cordialement,\n{conseiller}\n{caisse}",
    ),
];

/// Names of the demo teams `login` is in, in the order of [`TEAMS`].
pub(super) fn teams_of(login: &str) -> Vec<String> {
    TEAMS
        .iter()
        .filter(|t| t.staff.contains(&login))
        .map(|t| t.name.to_owned())
        .collect()
}

/// Creates the teams, memberships and canned answers of fund `caisse_code` inside the
/// caller's transaction (the demo staff must exist). Call it once, on a fund without teams.
///
/// # Errors
/// When the database fails or the demo's routing names an objet the catalogue lacks.
pub(super) async fn seed<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    now: OffsetDateTime,
) -> Result<(), CoreError> {
    let catalogue = Catalogue::default_fr();
    let now = Instant::from(now);
    let mut ids = Vec::new();
    for team in TEAMS {
        let id = teams::insert(
            db,
            NewTeam {
                caisse_code,
                code: TeamCode::parse(team.code)
                    .map_err(|_| CoreError::DemoSeed(format!("demo team {}", team.code)))?,
                name: TeamName::parse(team.name)
                    .map_err(|_| CoreError::DemoSeed(format!("demo team {}", team.code)))?,
            },
            now,
        )
        .await?;
        for objet in team.objets {
            if catalogue.get(objet).is_none() {
                return Err(CoreError::DemoSeed(format!("objet {objet}")));
            }
            teams::route(db, caisse_code, objet, id).await?;
        }
        for login in team.staff {
            if let Some(member) = staff::by_login(db, login).await? {
                teams::add_member(db, id, member.id, now).await?;
            }
        }
        ids.push((team.code, id));
    }
    for (title, team, body) in CANNED {
        let team_id = team.and_then(|code| ids.iter().find(|(c, _)| *c == code).map(|(_, id)| *id));
        canned_answers::insert(
            db,
            caisse_code,
            CannedAnswerText {
                team_id,
                title: (*title).to_owned(),
                body: (*body).to_owned(),
            },
            now,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use caisse_domain::messaging::Template;

    use super::*;

    #[test]
    fn demo_routing_and_canned_answers_are_valid() {
        let catalogue = Catalogue::default_fr();
        let mut routed: Vec<&str> = TEAMS
            .iter()
            .flat_map(|t| t.objets.iter().copied())
            .collect();
        for objet in &routed {
            assert!(catalogue.get(objet).is_some(), "{objet}");
        }
        let count = routed.len();
        routed.sort_unstable();
        routed.dedup();
        assert_eq!(routed.len(), count, "an objet goes to one team");
        for (title, team, body) in CANNED {
            assert!(Template::parse(body).is_ok(), "{title}");
            assert!(team.is_none_or(|code| TEAMS.iter().any(|t| t.code == code)));
        }
        assert_eq!(
            teams_of("conseiller"),
            ["Service prestations", "Droits et affiliation"]
        );
        assert!(teams_of("admin").is_empty());
    }
}
