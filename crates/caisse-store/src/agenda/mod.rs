//! « Mon agenda »: motifs, advisors' weekly hours and absences, branches, appointments and
//! the waiting list. Booking is an insert the database refuses when it would overlap another
//! confirmed appointment of the advisor (`m0026_agenda`): [`book`] says so instead of
//! failing.

use caisse_domain::CaisseCode;
use caisse_domain::agenda::{Channel, Interval};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use time::{Time, Weekday};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{agenda_absence, agenda_hour, agenda_motif, staff};

mod appointments;
mod sites;
mod waiting;

pub use appointments::*;
pub use sites::*;
pub use waiting::*;

/// A motif of appointment. `Debug` is whole: nothing personal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Motif {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// Stable code, e.g. `c2s`.
    pub code: String,
    /// What the member reads.
    pub label: String,
    /// The channels offered.
    pub channels: Vec<Channel>,
    /// Minutes.
    pub duration_minutes: u32,
    /// Least notice, in hours.
    pub min_notice_hours: u32,
    /// Furthest booking, in days.
    pub horizon_days: u32,
    /// Documents to bring or have at hand.
    pub documents: String,
    /// The démarche it relates to.
    pub demarche_code: Option<String>,
    /// Offered to members.
    pub active: bool,
}

fn motif_of(row: agenda_motif::Model) -> Result<Motif, StoreError> {
    let corrupt = |column| StoreError::corrupt("agenda_motifs", column, row.id);
    Ok(Motif {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        channels: row
            .channels
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| Channel::from_code(c).ok_or_else(|| corrupt("channels")))
            .collect::<Result<_, _>>()?,
        duration_minutes: u32::try_from(row.duration_minutes)
            .map_err(|_| corrupt("duration_minutes"))?,
        min_notice_hours: u32::try_from(row.min_notice_hours)
            .map_err(|_| corrupt("min_notice_hours"))?,
        horizon_days: u32::try_from(row.horizon_days).map_err(|_| corrupt("horizon_days"))?,
        id: row.id,
        code: row.code,
        label: row.label,
        documents: row.documents,
        demarche_code: row.demarche_code,
        active: row.active,
    })
}

/// Records a motif, or updates it when its id exists in its fund.
pub async fn save_motif<C: ConnectionTrait>(db: &C, motif: &Motif) -> Result<(), StoreError> {
    let row = agenda_motif::ActiveModel {
        id: Set(motif.id),
        caisse_code: Set(motif.caisse.as_str().to_owned()),
        code: Set(motif.code.clone()),
        label: Set(motif.label.clone()),
        channels: Set(motif
            .channels
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>()
            .join(",")),
        duration_minutes: Set(i32::try_from(motif.duration_minutes).unwrap_or(i32::MAX)),
        min_notice_hours: Set(i32::try_from(motif.min_notice_hours).unwrap_or(i32::MAX)),
        horizon_days: Set(i32::try_from(motif.horizon_days).unwrap_or(i32::MAX)),
        documents: Set(motif.documents.clone()),
        demarche_code: Set(motif.demarche_code.clone()),
        active: Set(motif.active),
    };
    let exists = agenda_motif::Entity::find_by_id(motif.id)
        .filter(agenda_motif::Column::CaisseCode.eq(motif.caisse.as_str()))
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

/// The motifs of fund `caisse` by label; only the active ones with `active_only`.
pub async fn motifs<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    active_only: bool,
) -> Result<Vec<Motif>, StoreError> {
    let mut query =
        agenda_motif::Entity::find().filter(agenda_motif::Column::CaisseCode.eq(caisse.as_str()));
    if active_only {
        query = query.filter(agenda_motif::Column::Active.eq(true));
    }
    query
        .order_by_asc(agenda_motif::Column::Label)
        .all(db)
        .await?
        .into_iter()
        .map(motif_of)
        .collect()
}

/// One advisor's weekly hours for a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hours {
    /// Id.
    pub id: Uuid,
    /// The branch, for hours at a branch.
    pub site: Option<Uuid>,
    /// The advisor.
    pub staff_id: Uuid,
    /// The channel.
    pub channel: Channel,
    /// The day.
    pub weekday: Weekday,
    /// First local time.
    pub start: Time,
    /// Local time the last slot ends by.
    pub end: Time,
}

fn weekday_number(day: Weekday) -> i16 {
    i16::from(day.number_from_monday())
}

fn minutes(time: Time) -> i16 {
    i16::from(time.hour()) * 60 + i16::from(time.minute())
}

/// Records an advisor's weekly hours.
pub async fn insert_hours<C: ConnectionTrait>(db: &C, hours: &Hours) -> Result<(), StoreError> {
    agenda_hour::ActiveModel {
        id: Set(hours.id),
        site_id: Set(hours.site),
        staff_id: Set(hours.staff_id),
        channel: Set(hours.channel.code().to_owned()),
        weekday: Set(weekday_number(hours.weekday)),
        start_minute: Set(minutes(hours.start)),
        end_minute: Set(minutes(hours.end)),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The weekly hours for `channel` of the active advisors of fund `caisse`.
pub async fn hours_of_fund<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    channel: Channel,
) -> Result<Vec<Hours>, StoreError> {
    let advisors = staff::Entity::find()
        .select_only()
        .column(staff::Column::Id)
        .filter(staff::Column::CaisseCode.eq(caisse.as_str()))
        .filter(staff::Column::Active.eq(true))
        .into_query();
    agenda_hour::Entity::find()
        .filter(agenda_hour::Column::Channel.eq(channel.code()))
        .filter(agenda_hour::Column::StaffId.in_subquery(advisors))
        .all(db)
        .await?
        .into_iter()
        .map(hours_of)
        .collect()
}

/// Advisor `staff_id`'s weekly hours, every channel, by day and time.
pub async fn hours_of_staff<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
) -> Result<Vec<Hours>, StoreError> {
    let mut hours: Vec<Hours> = agenda_hour::Entity::find()
        .filter(agenda_hour::Column::StaffId.eq(staff_id))
        .all(db)
        .await?
        .into_iter()
        .map(hours_of)
        .collect::<Result<_, _>>()?;
    hours.sort_by_key(|h| (h.weekday.number_from_monday(), h.start));
    Ok(hours)
}

/// Deletes weekly hours `id` of advisor `staff_id`; `false` when there were none.
pub async fn delete_hours<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    id: Uuid,
) -> Result<bool, StoreError> {
    let result = agenda_hour::Entity::delete_many()
        .filter(agenda_hour::Column::Id.eq(id))
        .filter(agenda_hour::Column::StaffId.eq(staff_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

fn hours_of(row: agenda_hour::Model) -> Result<Hours, StoreError> {
    let corrupt = |column| StoreError::corrupt("agenda_hours", column, row.id);
    let time_of = |m: i16, column| {
        let m = u16::try_from(m).map_err(|_| corrupt(column))?;
        Time::from_hms(
            u8::try_from(m / 60).map_err(|_| corrupt(column))?,
            u8::try_from(m % 60).map_err(|_| corrupt(column))?,
            0,
        )
        .map_err(|_| corrupt(column))
    };
    let weekday = match row.weekday {
        1 => Weekday::Monday,
        2 => Weekday::Tuesday,
        3 => Weekday::Wednesday,
        4 => Weekday::Thursday,
        5 => Weekday::Friday,
        6 => Weekday::Saturday,
        7 => Weekday::Sunday,
        _ => return Err(corrupt("weekday")),
    };
    Ok(Hours {
        id: row.id,
        site: row.site_id,
        staff_id: row.staff_id,
        channel: Channel::from_code(&row.channel).ok_or_else(|| corrupt("channel"))?,
        weekday,
        start: time_of(row.start_minute, "start_minute")?,
        end: time_of(row.end_minute, "end_minute")?,
    })
}

/// Records an advisor's absence.
pub async fn insert_absence<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    span: Interval,
    reason: &str,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    agenda_absence::ActiveModel {
        id: Set(id),
        staff_id: Set(staff_id),
        starts_at: Set(span.start),
        ends_at: Set(span.end),
        reason: Set(reason.to_owned()),
    }
    .insert(db)
    .await?;
    Ok(id)
}
