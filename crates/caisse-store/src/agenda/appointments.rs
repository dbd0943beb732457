//! Appointments: booking (the database refuses a double booking), moving, statuses, the
//! reminders due, and the views of an advisor's or a branch's days.

use caisse_domain::agenda::{AppointmentStatus, Channel, Interval};
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::appointment;

/// What an appointment was booked from, which the advisor sees beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AppointmentLink {
    /// A message thread.
    Thread(Uuid),
    /// A dossier of « Mes démarches ».
    Dossier(Uuid),
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
    /// The branch, for an appointment at a branch.
    pub site: Option<Uuid>,
    /// When.
    pub span: Interval,
    /// Where it stands.
    pub status: AppointmentStatus,
    /// The number to call, for a phone appointment.
    pub phone: Option<String>,
    /// The advisor who booked it for the member, if not the member.
    pub booked_by: Option<Uuid>,
    /// What it was booked from.
    pub link: Option<AppointmentLink>,
    /// When its reminder goes (`None`: gone, or too late for one).
    pub reminder_due_at: Option<OffsetDateTime>,
    /// The advisor who recorded how it went.
    pub outcome_by: Option<Uuid>,
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
    let link = match (row.thread_id, row.dossier_id) {
        (Some(thread), None) => Some(AppointmentLink::Thread(thread)),
        (None, Some(dossier)) => Some(AppointmentLink::Dossier(dossier)),
        (None, None) => None,
        (Some(_), Some(_)) => return Err(corrupt("dossier_id")),
    };
    Ok(Appointment {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        channel: Channel::from_code(&row.channel).ok_or_else(|| corrupt("channel"))?,
        status: AppointmentStatus::from_code(&row.status).ok_or_else(|| corrupt("status"))?,
        id: row.id,
        member_id: row.member_id,
        staff_id: row.staff_id,
        motif_id: row.motif_id,
        site: row.site_id,
        span: Interval {
            start: row.starts_at,
            end: row.ends_at,
        },
        phone: row.phone,
        booked_by: row.booked_by,
        link,
        reminder_due_at: row.reminder_due_at,
        outcome_by: row.outcome_by,
    })
}

fn appointments_of(rows: Vec<appointment::Model>) -> Result<Vec<Appointment>, StoreError> {
    rows.into_iter().map(appointment_of).collect()
}

/// Longer than any appointment (motifs last 5 to 240 minutes): an appointment overlapping an
/// instant started less than this before it.
pub const LONGEST_APPOINTMENT: time::Duration = time::Duration::days(1);

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
    let (thread_id, dossier_id) = match appointment.link {
        Some(AppointmentLink::Thread(id)) => (Some(id), None),
        Some(AppointmentLink::Dossier(id)) => (None, Some(id)),
        None => (None, None),
    };
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
        site_id: Set(appointment.site),
        thread_id: Set(thread_id),
        dossier_id: Set(dossier_id),
        reminder_due_at: Set(appointment.reminder_due_at),
        reminded_at: Set(None),
        outcome_by: Set(None),
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

/// Where a confirmed appointment moves: another advisor, time, branch and reminder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewTime {
    /// The advisor free then.
    pub staff_id: Uuid,
    /// When.
    pub span: Interval,
    /// The branch, at a branch.
    pub site: Option<Uuid>,
    /// When the new reminder goes.
    pub reminder_due_at: Option<OffsetDateTime>,
}

/// Why a move was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveOutcome {
    /// Moved.
    Moved,
    /// The new time overlaps another appointment of that advisor.
    Taken,
    /// The appointment is no longer confirmed at the time it was read.
    Changed,
}

/// Moves confirmed appointment `id`, still at `was`, to `to`: the database refuses it like
/// a double booking when the advisor is taken then.
pub async fn reschedule<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    was: OffsetDateTime,
    to: NewTime,
    now: Instant,
) -> Result<MoveOutcome, StoreError> {
    let updated = appointment::Entity::update_many()
        .col_expr(appointment::Column::StaffId, Expr::value(to.staff_id))
        .col_expr(appointment::Column::StartsAt, Expr::value(to.span.start))
        .col_expr(appointment::Column::EndsAt, Expr::value(to.span.end))
        .col_expr(appointment::Column::SiteId, Expr::value(to.site))
        .col_expr(
            appointment::Column::ReminderDueAt,
            Expr::value(to.reminder_due_at),
        )
        .col_expr(
            appointment::Column::RemindedAt,
            Expr::value(Option::<OffsetDateTime>::None),
        )
        .col_expr(appointment::Column::UpdatedAt, Expr::value(now.get()))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::StartsAt.eq(was))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Confirmed.code()))
        .exec(db)
        .await;
    match updated {
        Ok(result) if result.rows_affected == 1 => Ok(MoveOutcome::Moved),
        Ok(_) => Ok(MoveOutcome::Changed),
        Err(error) if is_double_booking(&error) => Ok(MoveOutcome::Taken),
        Err(error) => Err(error.into()),
    }
}

/// Appointment `id`, whoever's.
pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<Appointment>, StoreError> {
    appointment::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(appointment_of)
        .transpose()
}

/// Member `member_id`'s appointments, newest first.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<Appointment>, StoreError> {
    appointments_of(
        appointment::Entity::find()
            .filter(appointment::Column::MemberId.eq(member_id))
            .order_by_desc(appointment::Column::StartsAt)
            .all(db)
            .await?,
    )
}

/// Which appointments of a fund a view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole fund.
    Fund,
    /// One advisor's.
    Advisor(Uuid),
    /// One branch's.
    Site(Uuid),
}

/// The appointments of fund `caisse` in `scope` starting within `from`..`to`, by time, every
/// status.
pub async fn of_fund_between<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    scope: Scope,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<Appointment>, StoreError> {
    let mut query = appointment::Entity::find()
        .filter(appointment::Column::CaisseCode.eq(caisse.as_str()))
        .filter(appointment::Column::StartsAt.gte(from))
        .filter(appointment::Column::StartsAt.lt(to));
    query = match scope {
        Scope::Fund => query,
        Scope::Advisor(staff) => query.filter(appointment::Column::StaffId.eq(staff)),
        Scope::Site(site) => query.filter(appointment::Column::SiteId.eq(site)),
    };
    appointments_of(
        query
            .order_by_asc(appointment::Column::StartsAt)
            .order_by_asc(appointment::Column::Id)
            .all(db)
            .await?,
    )
}

/// Moves appointment `id` from `from` to `to` status; `false` when it was not in `from`.
/// `outcome_by` is the advisor recording how it went.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    from: AppointmentStatus,
    to: AppointmentStatus,
    outcome_by: Option<Uuid>,
    now: Instant,
) -> Result<bool, StoreError> {
    let mut update = appointment::Entity::update_many()
        .col_expr(appointment::Column::Status, Expr::value(to.code()))
        .col_expr(appointment::Column::UpdatedAt, Expr::value(now.get()))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::Status.eq(from.code()));
    if outcome_by.is_some() {
        update = update.col_expr(appointment::Column::OutcomeBy, Expr::value(outcome_by));
    }
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Confirmed appointments whose reminder is due at `now`, at most `limit`, earliest first.
pub async fn reminders_due<C: ConnectionTrait>(
    db: &C,
    now: OffsetDateTime,
    limit: u64,
) -> Result<Vec<Appointment>, StoreError> {
    appointments_of(
        appointment::Entity::find()
            .filter(appointment::Column::ReminderDueAt.lte(now))
            .filter(appointment::Column::Status.eq(AppointmentStatus::Confirmed.code()))
            .order_by_asc(appointment::Column::ReminderDueAt)
            .limit(limit)
            .all(db)
            .await?,
    )
}

/// Records that the reminder of appointment `id`, due at `due`, went: `false` when another
/// worker sent it first or it moved meanwhile.
pub async fn mark_reminded<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    due: OffsetDateTime,
    now: Instant,
) -> Result<bool, StoreError> {
    let result = appointment::Entity::update_many()
        .col_expr(
            appointment::Column::ReminderDueAt,
            Expr::value(Option::<OffsetDateTime>::None),
        )
        .col_expr(appointment::Column::RemindedAt, Expr::value(now.get()))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::ReminderDueAt.eq(due))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The confirmed appointments of fund `caisse` overlapping `from`..`to`, by advisor: what
/// a slot search subtracts, in one query whatever the number of advisors.
pub async fn booked_of_fund<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<(Uuid, Interval)>, StoreError> {
    Ok(appointment::Entity::find()
        .select_only()
        .column(appointment::Column::StaffId)
        .column(appointment::Column::StartsAt)
        .column(appointment::Column::EndsAt)
        .filter(appointment::Column::CaisseCode.eq(caisse.as_str()))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Confirmed.code()))
        .filter(appointment::Column::StartsAt.lt(to))
        // Bounds the index scan on (caisse_code, starts_at) from below too: without it the
        // search would read the fund's whole history before `to`.
        .filter(appointment::Column::StartsAt.gt(from - LONGEST_APPOINTMENT))
        .filter(appointment::Column::EndsAt.gt(from))
        .into_tuple::<(Uuid, OffsetDateTime, OffsetDateTime)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(staff, start, end)| (staff, Interval { start, end }))
        .collect())
}

/// How many appointments of fund `caisse` starting within `from`..`to` each advisor has, by
/// status: the supervisors' view of load and no-shows.
pub async fn counts_by_advisor<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<(Uuid, AppointmentStatus, u64)>, StoreError> {
    appointment::Entity::find()
        .select_only()
        .column(appointment::Column::StaffId)
        .column(appointment::Column::Status)
        .column_as(appointment::Column::Id.count(), "n")
        .filter(appointment::Column::CaisseCode.eq(caisse.as_str()))
        .filter(appointment::Column::StartsAt.gte(from))
        .filter(appointment::Column::StartsAt.lt(to))
        .group_by(appointment::Column::StaffId)
        .group_by(appointment::Column::Status)
        .into_tuple::<(Uuid, String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(staff, status, n)| {
            let status = AppointmentStatus::from_code(&status)
                .ok_or_else(|| StoreError::corrupt("appointments", "status", staff))?;
            Ok((staff, status, u64::try_from(n).unwrap_or(0)))
        })
        .collect()
}
