//! A fund's branches and their closures, and advisors' absences: what the configuration
//! screens edit and a slot search subtracts.

use caisse_domain::CaisseCode;
use caisse_domain::agenda::Interval;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{agenda_absence, agenda_closure, agenda_site, staff};

/// A branch of a fund. `Debug` is whole: nothing personal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// « Accueil de Lyon Part-Dieu ».
    pub name: String,
    /// Street and number.
    pub address: String,
    /// Postcode.
    pub postcode: String,
    /// City.
    pub city: String,
    /// As members read it.
    pub opening_hours: String,
    /// Offered to members.
    pub active: bool,
}

fn site_of(row: agenda_site::Model) -> Result<Site, StoreError> {
    Ok(Site {
        caisse: CaisseCode::parse(&row.caisse_code)
            .map_err(|_| StoreError::corrupt("agenda_sites", "caisse_code", row.id))?,
        id: row.id,
        name: row.name,
        address: row.address,
        postcode: row.postcode,
        city: row.city,
        opening_hours: row.opening_hours,
        active: row.active,
    })
}

/// Records a branch, or updates it when its id exists in its fund.
pub async fn save_site<C: ConnectionTrait>(db: &C, site: &Site) -> Result<(), StoreError> {
    let row = agenda_site::ActiveModel {
        id: Set(site.id),
        caisse_code: Set(site.caisse.as_str().to_owned()),
        name: Set(site.name.clone()),
        address: Set(site.address.clone()),
        postcode: Set(site.postcode.clone()),
        city: Set(site.city.clone()),
        opening_hours: Set(site.opening_hours.clone()),
        active: Set(site.active),
    };
    let exists = agenda_site::Entity::find_by_id(site.id)
        .filter(agenda_site::Column::CaisseCode.eq(site.caisse.as_str()))
        .one(db)
        .await?
        .is_some();
    if exists {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

/// The branches of fund `caisse` by name; only the active ones with `active_only`.
pub async fn sites<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    active_only: bool,
) -> Result<Vec<Site>, StoreError> {
    let mut query =
        agenda_site::Entity::find().filter(agenda_site::Column::CaisseCode.eq(caisse.as_str()));
    if active_only {
        query = query.filter(agenda_site::Column::Active.eq(true));
    }
    query
        .order_by_asc(agenda_site::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(site_of)
        .collect()
}

/// A closure of a branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closure {
    /// Id.
    pub id: Uuid,
    /// The branch.
    pub site: Uuid,
    /// When.
    pub span: Interval,
    /// Why (« travaux »).
    pub reason: String,
}

/// Records a closure of branch `site`.
pub async fn insert_closure<C: ConnectionTrait>(
    db: &C,
    closure: &Closure,
) -> Result<(), StoreError> {
    agenda_closure::ActiveModel {
        id: Set(closure.id),
        site_id: Set(closure.site),
        starts_at: Set(closure.span.start),
        ends_at: Set(closure.span.end),
        reason: Set(closure.reason.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The closures of the branches of fund `caisse` ending after `from`, by start.
pub async fn closures<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    from: OffsetDateTime,
) -> Result<Vec<Closure>, StoreError> {
    let fund_sites = agenda_site::Entity::find()
        .select_only()
        .column(agenda_site::Column::Id)
        .filter(agenda_site::Column::CaisseCode.eq(caisse.as_str()))
        .into_query();
    Ok(agenda_closure::Entity::find()
        .filter(agenda_closure::Column::SiteId.in_subquery(fund_sites))
        .filter(agenda_closure::Column::EndsAt.gt(from))
        .order_by_asc(agenda_closure::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| Closure {
            id: row.id,
            site: row.site_id,
            span: Interval {
                start: row.starts_at,
                end: row.ends_at,
            },
            reason: row.reason,
        })
        .collect())
}

/// Deletes closure `id` of a branch of fund `caisse`; `false` when there was none.
pub async fn delete_closure<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    id: Uuid,
) -> Result<bool, StoreError> {
    let fund_sites = agenda_site::Entity::find()
        .select_only()
        .column(agenda_site::Column::Id)
        .filter(agenda_site::Column::CaisseCode.eq(caisse.as_str()))
        .into_query();
    let result = agenda_closure::Entity::delete_many()
        .filter(agenda_closure::Column::Id.eq(id))
        .filter(agenda_closure::Column::SiteId.in_subquery(fund_sites))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// An advisor's absence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Absence {
    /// Id.
    pub id: Uuid,
    /// The advisor.
    pub staff_id: Uuid,
    /// When.
    pub span: Interval,
    /// Why (« congés », « formation »).
    pub reason: String,
}

/// The absences of the advisors of fund `caisse` (of `staff_id` only, when given) overlapping
/// `from`..`to`, by start: one query whatever the number of advisors.
pub async fn absences<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    staff_id: Option<Uuid>,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<Absence>, StoreError> {
    let advisors = staff::Entity::find()
        .select_only()
        .column(staff::Column::Id)
        .filter(staff::Column::CaisseCode.eq(caisse.as_str()))
        .into_query();
    let mut query = agenda_absence::Entity::find()
        .filter(agenda_absence::Column::StaffId.in_subquery(advisors))
        .filter(agenda_absence::Column::StartsAt.lt(to))
        .filter(agenda_absence::Column::EndsAt.gt(from));
    if let Some(staff_id) = staff_id {
        query = query.filter(agenda_absence::Column::StaffId.eq(staff_id));
    }
    Ok(query
        .order_by_asc(agenda_absence::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| Absence {
            id: row.id,
            staff_id: row.staff_id,
            span: Interval {
                start: row.starts_at,
                end: row.ends_at,
            },
            reason: row.reason,
        })
        .collect())
}

/// Deletes absence `id` of advisor `staff_id`; `false` when there was none.
pub async fn delete_absence<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    id: Uuid,
) -> Result<bool, StoreError> {
    let result = agenda_absence::Entity::delete_many()
        .filter(agenda_absence::Column::Id.eq(id))
        .filter(agenda_absence::Column::StaffId.eq(staff_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Turns motif `id` of fund `caisse` on or off; `false` when there is none.
pub async fn set_motif_active<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    id: Uuid,
    active: bool,
) -> Result<bool, StoreError> {
    let result = crate::entities::agenda_motif::Entity::update_many()
        .col_expr(
            crate::entities::agenda_motif::Column::Active,
            Expr::value(active),
        )
        .filter(crate::entities::agenda_motif::Column::Id.eq(id))
        .filter(crate::entities::agenda_motif::Column::CaisseCode.eq(caisse.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
