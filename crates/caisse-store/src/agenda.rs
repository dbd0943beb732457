//! « Mon agenda »: motifs, advisors' weekly hours and absences, and appointments. Booking is
//! an insert the database refuses when it would overlap another confirmed appointment of the
//! advisor (`m0026_agenda`): [`book`] says so instead of failing.

use caisse_domain::agenda::{AppointmentStatus, Channel, Interval};
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use time::{OffsetDateTime, Time, Weekday};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{agenda_absence, agenda_hour, agenda_motif, appointment, staff};

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
    })
}

/// Records a motif.
pub async fn insert_motif<C: ConnectionTrait>(db: &C, motif: &Motif) -> Result<(), StoreError> {
    agenda_motif::ActiveModel {
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
        active: Set(true),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The active motifs of fund `caisse`, by label.
pub async fn motifs<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
) -> Result<Vec<Motif>, StoreError> {
    agenda_motif::Entity::find()
        .filter(agenda_motif::Column::CaisseCode.eq(caisse.as_str()))
        .filter(agenda_motif::Column::Active.eq(true))
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
        id: Set(Uuid::new_v4()),
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
        .map(|row| {
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
                staff_id: row.staff_id,
                channel,
                weekday,
                start: time_of(row.start_minute, "start_minute")?,
                end: time_of(row.end_minute, "end_minute")?,
            })
        })
        .collect()
}

/// Records an advisor's absence.
pub async fn insert_absence<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    span: Interval,
    reason: &str,
) -> Result<(), StoreError> {
    agenda_absence::ActiveModel {
        id: Set(Uuid::new_v4()),
        staff_id: Set(staff_id),
        starts_at: Set(span.start),
        ends_at: Set(span.end),
        reason: Set(reason.to_owned()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The absences and confirmed appointments of `staff_id` overlapping `from`..`to`.
pub async fn busy<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<Interval>, StoreError> {
    let mut spans: Vec<Interval> = agenda_absence::Entity::find()
        .filter(agenda_absence::Column::StaffId.eq(staff_id))
        .filter(agenda_absence::Column::StartsAt.lt(to))
        .filter(agenda_absence::Column::EndsAt.gt(from))
        .all(db)
        .await?
        .into_iter()
        .map(|a| Interval {
            start: a.starts_at,
            end: a.ends_at,
        })
        .collect();
    spans.extend(
        appointment::Entity::find()
            .filter(appointment::Column::StaffId.eq(staff_id))
            .filter(appointment::Column::Status.eq(AppointmentStatus::Confirmed.code()))
            .filter(appointment::Column::StartsAt.lt(to))
            .filter(appointment::Column::EndsAt.gt(from))
            .all(db)
            .await?
            .into_iter()
            .map(|a| Interval {
                start: a.starts_at,
                end: a.ends_at,
            }),
    );
    Ok(spans)
}

/// An appointment. `Debug` shows no phone number.
#[derive(Clone, PartialEq, Eq)]
pub struct Appointment {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// The member.
    pub member_id: Uuid,
    /// The advisor.
    pub staff_id: Uuid,
    /// The motif.
    pub motif_id: Uuid,
    /// How.
    pub channel: Channel,
    /// When.
    pub span: Interval,
    /// Where it stands.
    pub status: AppointmentStatus,
    /// The number to call, for a phone appointment.
    pub phone: Option<String>,
    /// The advisor who booked it for the member, if not the member.
    pub booked_by: Option<Uuid>,
}

impl std::fmt::Debug for Appointment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Appointment")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

fn appointment_of(row: appointment::Model) -> Result<Appointment, StoreError> {
    let corrupt = |column| StoreError::corrupt("appointments", column, row.id);
    Ok(Appointment {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        channel: Channel::from_code(&row.channel).ok_or_else(|| corrupt("channel"))?,
        status: AppointmentStatus::from_code(&row.status).ok_or_else(|| corrupt("status"))?,
        id: row.id,
        member_id: row.member_id,
        staff_id: row.staff_id,
        motif_id: row.motif_id,
        span: Interval {
            start: row.starts_at,
            end: row.ends_at,
        },
        phone: row.phone,
        booked_by: row.booked_by,
    })
}

/// Whether a database error is the refusal of a double booking (PostgreSQL's exclusion
/// constraint, SQLite's trigger).
fn is_double_booking(error: &sea_orm::DbErr) -> bool {
    error.to_string().contains("appointments_no_double_booking")
}

/// Books `appointment` (confirmed): `false` when the advisor has another confirmed
/// appointment overlapping it, refused by the database whatever the concurrency.
pub async fn book<C: ConnectionTrait>(
    db: &C,
    appointment: &Appointment,
    now: Instant,
) -> Result<bool, StoreError> {
    let inserted = appointment::ActiveModel {
        id: Set(appointment.id),
        caisse_code: Set(appointment.caisse.as_str().to_owned()),
        member_id: Set(appointment.member_id),
        staff_id: Set(appointment.staff_id),
        motif_id: Set(appointment.motif_id),
        channel: Set(appointment.channel.code().to_owned()),
        starts_at: Set(appointment.span.start),
        ends_at: Set(appointment.span.end),
        status: Set(AppointmentStatus::Confirmed.code().to_owned()),
        phone: Set(appointment.phone.clone()),
        booked_by: Set(appointment.booked_by),
        created_at: Set(now.get()),
        updated_at: Set(now.get()),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(error) if is_double_booking(&error) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// Member `member_id`'s appointments, newest first.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<Appointment>, StoreError> {
    appointment::Entity::find()
        .filter(appointment::Column::MemberId.eq(member_id))
        .order_by_desc(appointment::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(appointment_of)
        .collect()
}

/// Moves appointment `id` from `from` to `to` status; `false` when it was not in `from`.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    from: AppointmentStatus,
    to: AppointmentStatus,
    now: Instant,
) -> Result<bool, StoreError> {
    let result = appointment::Entity::update_many()
        .col_expr(appointment::Column::Status, Expr::value(to.code()))
        .col_expr(appointment::Column::UpdatedAt, Expr::value(now.get()))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::Status.eq(from.code()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
