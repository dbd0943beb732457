//! A fund's teams (used by `caisse admin team …` and the back-office pages): creating a team
//! with the objets it handles, putting staff in teams and taking them out, listing them.
//!
//! Routing itself happens when a member sends (`member::send`): the thread gets the code of
//! the team of the member's fund that handles its objet, or none (« Accueil (non routé) »).
//! An objet goes to at most one team of a fund; a team's code is unique in its fund. Every
//! change is audited as the system's (the command line has no logged-in person).

use caisse_domain::messaging::{Catalogue, TeamCode, TeamError, TeamName};
use caisse_domain::{AuditAction, CaisseCode, Instant};
use caisse_store::teams::{self, NewTeam, Team};
use caisse_store::{ConnectionTrait, Db, TransactionTrait};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::people::{self, StaffName};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// Audit subject kind of a team.
pub const SUBJECT_TEAM: &str = "team";

/// A team to create.
#[derive(Clone, Debug)]
pub struct TeamDraft {
    /// The fund.
    pub caisse: CaisseCode,
    /// Code, unique in the fund.
    pub code: String,
    /// French name.
    pub name: String,
    /// Codes of the objets it handles (from the catalogue; possibly none).
    pub objets: Vec<String>,
}

/// Why a team operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum TeamAdminError {
    /// The code or the name has the wrong form.
    #[error(transparent)]
    Invalid(#[from] TeamError),
    /// The fund already has a team with this code.
    #[error("the fund already has a team with this code")]
    CodeTaken,
    /// An objet code that the catalogue does not have.
    #[error("unknown objet {0}")]
    UnknownObjet(String),
    /// An objet another team of the fund already handles.
    #[error("objet {objet} is already handled by team {team}")]
    ObjetTaken {
        /// The objet's code.
        objet: String,
        /// The code of the team that handles it.
        team: String,
    },
    /// No team with this code in the staff member's fund.
    #[error("no team with this code in the fund")]
    UnknownTeam,
    /// No staff account with this login.
    #[error("no staff account with this login")]
    UnknownStaff,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for TeamAdminError {
    fn from(error: caisse_store::StoreError) -> Self {
        TeamAdminError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for TeamAdminError {
    fn from(error: caisse_store::DbErr) -> Self {
        TeamAdminError::Core(error.into())
    }
}

/// A team as listed: its objets and the logins of its staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamView {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse_code: String,
    /// Code.
    pub code: String,
    /// French name.
    pub name: String,
    /// Codes of the objets it handles, sorted.
    pub objets: Vec<String>,
    /// Logins of its staff, sorted.
    pub staff: Vec<String>,
}

/// A team of the staff member's fund, as pages name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundTeam {
    /// Id.
    pub id: Uuid,
    /// Code (stored with threads).
    pub code: TeamCode,
    /// French name.
    pub name: String,
}

impl From<Team> for FundTeam {
    fn from(row: Team) -> Self {
        FundTeam {
            id: row.id,
            code: row.team.code,
            name: row.team.name.as_str().to_owned(),
        }
    }
}

/// The teams of fund `caisse_code`, by name.
///
/// # Errors
/// When the database fails.
pub async fn of_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
) -> Result<Vec<FundTeam>, CoreError> {
    Ok(teams::of_fund(db, caisse_code)
        .await?
        .into_iter()
        .map(FundTeam::from)
        .collect())
}

/// Creates a team of `draft.caisse` handling `draft.objets` (checked against `catalogue`),
/// in one transaction with its audit event; returns its id.
///
/// # Errors
/// `Invalid` for a malformed code or name, `CodeTaken`, `UnknownObjet`, `ObjetTaken` (the
/// first problem found), or `Core`.
pub async fn create(
    db: &Db,
    catalogue: &Catalogue,
    draft: TeamDraft,
    context: &RequestContext,
    now: OffsetDateTime,
) -> Result<Uuid, TeamAdminError> {
    let code = TeamCode::parse(&draft.code)?;
    let name = TeamName::parse(&draft.name)?;
    let caisse = draft.caisse;
    let now = Instant::from(now);
    if teams::by_code(db, caisse, &code).await?.is_some() {
        return Err(TeamAdminError::CodeTaken);
    }
    let mut objets = draft.objets;
    objets.sort();
    objets.dedup();
    for objet in &objets {
        if catalogue.get(objet).is_none() {
            return Err(TeamAdminError::UnknownObjet(objet.clone()));
        }
        if let Some(team) = teams::team_for_objet(db, caisse, objet).await? {
            return Err(TeamAdminError::ObjetTaken {
                objet: objet.clone(),
                team: team.as_str().to_owned(),
            });
        }
    }
    let tx = db.begin().await?;
    let id = teams::insert(
        &tx,
        NewTeam {
            caisse_code: caisse,
            code: code.clone(),
            name,
        },
        now,
    )
    .await?;
    for objet in &objets {
        teams::route(&tx, caisse, objet, id).await?;
    }
    audit::record(
        &tx,
        context,
        Actor::System,
        AuditAction::AdminTeamCreated,
        Some((SUBJECT_TEAM, id)),
        json!({ "caisse": caisse.as_str(), "code": code.as_str(), "objets": objets }),
        now.get(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The ids of the teams of fund `caisse_code` with these codes, in order.
///
/// # Errors
/// `UnknownTeam` for a code the fund does not have, or `Core`.
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    codes: &[String],
) -> Result<Vec<Uuid>, TeamAdminError> {
    let mut ids = Vec::with_capacity(codes.len());
    for code in codes {
        let code = TeamCode::parse(code).map_err(|_| TeamAdminError::UnknownTeam)?;
        let team = teams::by_code(db, caisse_code, &code)
            .await?
            .ok_or(TeamAdminError::UnknownTeam)?;
        ids.push(team.id);
    }
    Ok(ids)
}

/// Puts staff member `staff_id` in teams `team_ids` (of their fund, from [`resolve`]) inside
/// the caller's transaction, auditing each new membership.
///
/// # Errors
/// When the database fails.
pub async fn join<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    team_ids: &[Uuid],
    context: &RequestContext,
    now: OffsetDateTime,
) -> Result<(), TeamAdminError> {
    for team_id in team_ids {
        if teams::add_member(db, *team_id, staff_id, Instant::from(now)).await? {
            audit::record(
                db,
                context,
                Actor::System,
                AuditAction::AdminTeamStaffAdded,
                Some((SUBJECT_TEAM, *team_id)),
                json!({ "staff_id": staff_id }),
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// Puts the staff member `login` in the team `team_code` of their fund; returns false if they
/// already were in it.
///
/// # Errors
/// `UnknownStaff`, `UnknownTeam` (also for a team of another fund), or `Core`.
pub async fn add_staff(
    db: &Db,
    login: &str,
    team_code: &str,
    context: &RequestContext,
    now: OffsetDateTime,
) -> Result<bool, TeamAdminError> {
    change_membership(db, login, team_code, true, context, now).await
}

/// Takes the staff member `login` out of the team `team_code` of their fund; returns false if
/// they were not in it.
///
/// # Errors
/// `UnknownStaff`, `UnknownTeam`, or `Core`.
pub async fn remove_staff(
    db: &Db,
    login: &str,
    team_code: &str,
    context: &RequestContext,
    now: OffsetDateTime,
) -> Result<bool, TeamAdminError> {
    change_membership(db, login, team_code, false, context, now).await
}

/// Adds (`join`) or removes a membership with its audit event; returns whether it changed.
async fn change_membership(
    db: &Db,
    login: &str,
    team_code: &str,
    join: bool,
    context: &RequestContext,
    now: OffsetDateTime,
) -> Result<bool, TeamAdminError> {
    let (staff_id, caisse_code) = people::by_login(db, login)
        .await?
        .ok_or(TeamAdminError::UnknownStaff)?;
    let code = TeamCode::parse(team_code).map_err(|_| TeamAdminError::UnknownTeam)?;
    let team = teams::by_code(db, caisse_code, &code)
        .await?
        .ok_or(TeamAdminError::UnknownTeam)?;
    let tx = db.begin().await?;
    let (changed, action) = if join {
        (
            teams::add_member(&tx, team.id, staff_id, Instant::from(now)).await?,
            AuditAction::AdminTeamStaffAdded,
        )
    } else {
        (
            teams::remove_member(&tx, team.id, staff_id).await?,
            AuditAction::AdminTeamStaffRemoved,
        )
    };
    if changed {
        audit::record(
            &tx,
            context,
            Actor::System,
            action,
            Some((SUBJECT_TEAM, team.id)),
            json!({ "staff_id": staff_id }),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Every team (of one fund if `caisse_code` is given) with its objets and staff, by fund then
/// code.
///
/// # Errors
/// When the database fails.
pub async fn list(db: &Db, caisse_code: Option<CaisseCode>) -> Result<Vec<TeamView>, CoreError> {
    let rows = match caisse_code {
        Some(caisse) => teams::of_fund(db, caisse).await?,
        None => teams::all(db).await?,
    };
    let mut funds: Vec<CaisseCode> = rows.iter().map(|t| t.team.caisse_code).collect();
    funds.sort_unstable_by_key(|code| code.as_str());
    funds.dedup();
    let mut routes = Vec::new();
    let mut members = Vec::new();
    for fund in funds {
        routes.extend(teams::routes_of_fund(db, fund).await?);
        members.extend(teams::members_of_fund(db, fund).await?);
    }
    let staff_ids: Vec<Uuid> = members.iter().map(|m| m.staff_id).collect();
    let staff_rows = people::names(db, &staff_ids, StaffName::Login).await?;
    let mut views: Vec<TeamView> = rows
        .into_iter()
        .map(|t| {
            let objets = routes
                .iter()
                .filter(|r| r.team_id == t.id)
                .map(|r| r.objet_code.clone())
                .collect();
            let mut logins: Vec<String> = members
                .iter()
                .filter(|m| m.team_id == t.id)
                .filter_map(|m| staff_rows.iter().find(|(id, _)| *id == m.staff_id))
                .map(|(_, login)| login.clone())
                .collect();
            logins.sort();
            TeamView {
                id: t.id,
                caisse_code: t.team.caisse_code.as_str().to_owned(),
                code: t.team.code.as_str().to_owned(),
                name: t.team.name.as_str().to_owned(),
                objets,
                staff: logins,
            }
        })
        .collect();
    views.sort_by(|a, b| (&a.caisse_code, &a.code).cmp(&(&b.caisse_code, &b.code)));
    Ok(views)
}
