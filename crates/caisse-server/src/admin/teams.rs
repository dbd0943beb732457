//! `caisse admin team …`: a fund's teams, the objets they handle, who works in them.

use anyhow::{Context, bail};
use caisse_core::audit::RequestContext;
use caisse_core::messaging::teams::{self, TeamAdminError, TeamDraft};
use caisse_domain::CaisseCode;
use caisse_domain::messaging::Catalogue;

use crate::cli::TeamCommand;

fn context(command: &str) -> RequestContext {
    RequestContext {
        ip: String::new(),
        user_agent: format!("caisse admin team {command}"),
    }
}

/// The operator's wording of a refusal.
pub fn refusal(error: TeamAdminError) -> anyhow::Error {
    match error {
        TeamAdminError::Invalid(problem) => anyhow::anyhow!(problem.message_fr()),
        TeamAdminError::CodeTaken => anyhow::anyhow!("cette caisse a déjà une équipe de ce code"),
        TeamAdminError::UnknownObjet(objet) => {
            anyhow::anyhow!("thème inconnu : {objet} (voir docs/back-office.md)")
        }
        TeamAdminError::ObjetTaken { objet, team } => {
            anyhow::anyhow!("le thème {objet} est déjà traité par l'équipe {team} de cette caisse")
        }
        TeamAdminError::UnknownTeam => anyhow::anyhow!("aucune équipe de ce code dans la caisse"),
        TeamAdminError::UnknownStaff => anyhow::anyhow!("aucun compte agent de cet identifiant"),
        TeamAdminError::Core(error) => anyhow::Error::new(error).context("team command"),
    }
}

/// Runs a team command.
pub async fn run(db: &caisse_store::Db, command: TeamCommand) -> anyhow::Result<()> {
    let now = caisse_store::now_utc();
    match command {
        TeamCommand::Create {
            caisse,
            code,
            name,
            objets,
        } => {
            let caisse = CaisseCode::parse(&caisse)
                .map_err(|e| anyhow::anyhow!("fund code {caisse:?}: {e}"))?;
            let count = objets.len();
            let draft = TeamDraft {
                caisse,
                code: code.clone(),
                name,
                objets,
            };
            teams::create(db, &Catalogue::default_fr(), draft, &context("create"), now)
                .await
                .map_err(refusal)?;
            let s = super::plural(count);
            println!("Équipe « {code} » créée ({count} thème{s}).");
        }
        TeamCommand::List { caisse } => {
            // A code no fund has lists no team, as a fund without teams does.
            let views = match caisse.as_deref().map(CaisseCode::parse) {
                Some(Err(_)) => Vec::new(),
                Some(Ok(caisse)) => teams::list(db, Some(caisse))
                    .await
                    .context("listing teams")?,
                None => teams::list(db, None).await.context("listing teams")?,
            };
            if views.is_empty() {
                println!("Aucune équipe.");
            }
            for team in views {
                println!("{} {:<20} {}", team.caisse_code, team.code, team.name);
                println!("    thèmes : {}", list_or_none(&team.objets));
                println!("    agents : {}", list_or_none(&team.staff));
            }
        }
        TeamCommand::AddStaff { team, login } => {
            let added = teams::add_staff(db, &login, &team, &context("add-staff"), now)
                .await
                .map_err(refusal)?;
            if added {
                println!("« {login} » fait désormais partie de l'équipe « {team} ».");
            } else {
                println!("« {login} » faisait déjà partie de l'équipe « {team} ».");
            }
        }
        TeamCommand::RemoveStaff { team, login } => {
            let removed = teams::remove_staff(db, &login, &team, &context("remove-staff"), now)
                .await
                .map_err(refusal)?;
            if !removed {
                bail!("« {login} » ne fait pas partie de l'équipe « {team} »");
            }
            println!("« {login} » ne fait plus partie de l'équipe « {team} ».");
        }
    }
    Ok(())
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "aucun".to_owned()
    } else {
        items.join(", ")
    }
}
