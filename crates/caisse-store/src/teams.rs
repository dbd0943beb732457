//! Queries on a fund's teams: the teams, the objets each handles (routing) and their staff.
//!
//! Every lookup names the fund: a team code means something only within its fund.

use caisse_domain::messaging::{TeamCode, TeamName};
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{team, team_member, team_objet};

/// A team to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTeam {
    /// The fund.
    pub caisse_code: CaisseCode,
    /// Code, unique in the fund.
    pub code: TeamCode,
    /// French name.
    pub name: TeamName,
}

/// A team as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    /// Id.
    pub id: Uuid,
    /// The fund, its code and its name.
    pub team: NewTeam,
}

impl TryFrom<team::Model> for Team {
    type Error = StoreError;

    fn try_from(row: team::Model) -> Result<Team, StoreError> {
        let corrupt = |column| StoreError::corrupt("teams", column, row.id);
        Ok(Team {
            id: row.id,
            team: NewTeam {
                caisse_code: CaisseCode::parse(&row.caisse_code)
                    .map_err(|_| corrupt("caisse_code"))?,
                code: TeamCode::parse(&row.code).map_err(|_| corrupt("code"))?,
                name: TeamName::parse(&row.name).map_err(|_| corrupt("name"))?,
            },
        })
    }
}

fn teams(rows: Vec<team::Model>) -> Result<Vec<Team>, StoreError> {
    rows.into_iter().map(Team::try_from).collect()
}

/// An objet a team handles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The objet's code.
    pub objet_code: String,
    /// The team that handles it.
    pub team_id: Uuid,
}

/// A staff member in a team.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Membership {
    /// The team.
    pub team_id: Uuid,
    /// The staff member.
    pub staff_id: Uuid,
}

/// Inserts a team; returns its id. A code already used in the fund breaks the unique index.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewTeam,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    team::ActiveModel {
        id: Set(id),
        caisse_code: Set(new.caisse_code.as_str().to_owned()),
        code: Set(new.code.as_str().to_owned()),
        name: Set(new.name.as_str().to_owned()),
        created_at: Set(now.get()),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The team of fund `caisse_code` with this code.
pub async fn by_code<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    code: &TeamCode,
) -> Result<Option<Team>, StoreError> {
    team::Entity::find()
        .filter(team::Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(team::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .map(Team::try_from)
        .transpose()
}

/// The team with this id if it belongs to fund `caisse_code`.
pub async fn in_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    id: Uuid,
) -> Result<Option<Team>, StoreError> {
    team::Entity::find_by_id(id)
        .filter(team::Column::CaisseCode.eq(caisse_code.as_str()))
        .one(db)
        .await?
        .map(Team::try_from)
        .transpose()
}

/// The teams of a fund, by name.
pub async fn of_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
) -> Result<Vec<Team>, StoreError> {
    teams(
        team::Entity::find()
            .filter(team::Column::CaisseCode.eq(caisse_code.as_str()))
            .order_by_asc(team::Column::Name)
            .order_by_asc(team::Column::Code)
            .all(db)
            .await?,
    )
}

/// Every team, by fund then code.
pub async fn all<C: ConnectionTrait>(db: &C) -> Result<Vec<Team>, StoreError> {
    teams(
        team::Entity::find()
            .order_by_asc(team::Column::CaisseCode)
            .order_by_asc(team::Column::Code)
            .all(db)
            .await?,
    )
}

/// Sends objet `objet_code` of fund `caisse_code` to team `team_id`. An objet the fund
/// already routes breaks the primary key: an objet goes to at most one team of a fund.
pub async fn route<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    objet_code: &str,
    team_id: Uuid,
) -> Result<(), StoreError> {
    team_objet::ActiveModel {
        caisse_code: Set(caisse_code.as_str().to_owned()),
        objet_code: Set(objet_code.to_owned()),
        team_id: Set(team_id),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Every routed objet of a fund, by objet code.
pub async fn routes_of_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
) -> Result<Vec<Route>, StoreError> {
    Ok(team_objet::Entity::find()
        .filter(team_objet::Column::CaisseCode.eq(caisse_code.as_str()))
        .order_by_asc(team_objet::Column::ObjetCode)
        .all(db)
        .await?
        .into_iter()
        .map(|row| Route {
            objet_code: row.objet_code,
            team_id: row.team_id,
        })
        .collect())
}

/// The code of the team of fund `caisse_code` that handles `objet_code`, if one does.
pub async fn team_for_objet<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
    objet_code: &str,
) -> Result<Option<TeamCode>, StoreError> {
    let Some(route) =
        team_objet::Entity::find_by_id((caisse_code.as_str().to_owned(), objet_code.to_owned()))
            .one(db)
            .await?
    else {
        return Ok(None);
    };
    Ok(team::Entity::find_by_id(route.team_id)
        .one(db)
        .await?
        .map(Team::try_from)
        .transpose()?
        .map(|t| t.team.code))
}

/// Puts a staff member in a team; returns false if they already were in it.
pub async fn add_member<C: ConnectionTrait>(
    db: &C,
    team_id: Uuid,
    staff_id: Uuid,
    now: Instant,
) -> Result<bool, StoreError> {
    let result = team_member::Entity::insert(team_member::ActiveModel {
        team_id: Set(team_id),
        staff_id: Set(staff_id),
        created_at: Set(now.get()),
    })
    .on_conflict(
        OnConflict::columns([team_member::Column::TeamId, team_member::Column::StaffId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(result == 1)
}

/// Takes a staff member out of a team; returns false if they were not in it.
pub async fn remove_member<C: ConnectionTrait>(
    db: &C,
    team_id: Uuid,
    staff_id: Uuid,
) -> Result<bool, StoreError> {
    let result = team_member::Entity::delete_many()
        .filter(team_member::Column::TeamId.eq(team_id))
        .filter(team_member::Column::StaffId.eq(staff_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The memberships of a fund's teams.
pub async fn members_of_fund<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
) -> Result<Vec<Membership>, StoreError> {
    let teams: Vec<Uuid> = of_fund(db, caisse_code)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    Ok(team_member::Entity::find()
        .filter(team_member::Column::TeamId.is_in(teams))
        .order_by_asc(team_member::Column::TeamId)
        .order_by_asc(team_member::Column::StaffId)
        .all(db)
        .await?
        .into_iter()
        .map(|row| Membership {
            team_id: row.team_id,
            staff_id: row.staff_id,
        })
        .collect())
}

/// The teams a staff member works in, by name.
pub async fn of_staff<C: ConnectionTrait>(db: &C, staff_id: Uuid) -> Result<Vec<Team>, StoreError> {
    let ids: Vec<Uuid> = team_member::Entity::find()
        .filter(team_member::Column::StaffId.eq(staff_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.team_id)
        .collect();
    teams(
        team::Entity::find()
            .filter(team::Column::Id.is_in(ids))
            .order_by_asc(team::Column::Name)
            .all(db)
            .await?,
    )
}
