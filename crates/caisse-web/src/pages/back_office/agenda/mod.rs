//! `/agent/agenda` and `/agent/rendez-vous`: the back office of « Mon agenda ». An advisor's
//! day or week and a branch's day (`day`), an appointment beside the member file with its
//! outcome and the fund's cancellation (`appointment`), booking for a member on the phone
//! (`booking`), the supervisors' figures (`figures`) and the configuration (`settings`, its forms in `settings_forms`). Core
//! scopes every call to the staff member's fund: another fund's object is a 404.

pub mod appointment;
pub mod booking;
pub mod day;
pub mod figures;
pub mod settings;
pub mod settings_forms;

use caisse_core::agenda::{AgendaLine, AppointmentStatus, Channel, StaffAgendaError};
use caisse_domain::french::{letter_date, time_of_day, weekday_name};
use time::{Date, PrimitiveDateTime};
use uuid::Uuid;

use crate::error::AppError;

/// Layout section of the agenda pages.
const SECTION_AGENDA: &str = "agent-agenda";

/// The refusals that have no page of their own.
fn refusal(error: StaffAgendaError) -> AppError {
    match error {
        StaffAgendaError::NotFound => AppError::NotFound,
        StaffAgendaError::NotAllowed => AppError::Forbidden,
        other => AppError::unexpected(other),
    }
}

/// « 2026-12-07 » as a date; `None` for anything else.
fn parse_day(value: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value.trim(), format).ok()
}

/// « 2026-12-07 ».
fn day_code(day: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    day.format(format).unwrap_or_default()
}

/// « lundi 7 décembre 2026 ».
fn day_label(day: Date) -> String {
    format!("{} {}", weekday_name(day.weekday()), letter_date(day))
}

/// Short label of a channel, for tables.
fn channel_label(channel: Channel) -> &'static str {
    match channel {
        Channel::Telephone => "Téléphone",
        Channel::Agence => "Agence",
        Channel::Visio => "Visio",
    }
}

/// What the advisor reads of a status (the member's labels speak to the member).
fn status_label(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Confirmed => "Confirmé",
        AppointmentStatus::CancelledByMember => "Annulé par l'assuré",
        AppointmentStatus::CancelledByFund => "Annulé par la caisse",
        AppointmentStatus::Honoured => "Honoré",
        AppointmentStatus::Excused => "Excusé",
        AppointmentStatus::NoShow => "Absent",
    }
}

/// CSS modifier of a status's badge.
fn status_class(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Confirmed => "info",
        AppointmentStatus::Honoured => "succes",
        AppointmentStatus::NoShow => "erreur",
        AppointmentStatus::Excused => "attention",
        AppointmentStatus::CancelledByMember | AppointmentStatus::CancelledByFund => "neutre",
    }
}

/// One appointment of a list, as shown.
struct LineRow {
    id: Uuid,
    day: String,
    time: String,
    channel: &'static str,
    motif: String,
    member: String,
    status: &'static str,
    status_class: &'static str,
    site: String,
    advisor: String,
}

impl LineRow {
    fn of(line: &AgendaLine) -> LineRow {
        LineRow {
            id: line.id,
            day: day_label(line.starts.date()),
            time: format!(
                "{} – {}",
                time_of_day(line.starts.time()),
                time_of_day(line.ends.time())
            ),
            channel: channel_label(line.channel),
            motif: line.motif.clone(),
            member: line.member.clone(),
            status: status_label(line.status),
            status_class: status_class(line.status),
            site: line.site.clone().unwrap_or_default(),
            advisor: line.advisor.clone(),
        }
    }
}

/// « lundi 7 décembre 2026 à 9 h 30 ».
fn when(at: PrimitiveDateTime) -> String {
    caisse_domain::french::appointment_time(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_and_write_as_iso_dates() {
        let day = parse_day("2026-12-07").unwrap_or_else(|| unreachable!());
        assert_eq!(day_code(day), "2026-12-07");
        assert_eq!(day_label(day), "lundi 7 décembre 2026");
        assert!(parse_day("07/12/2026").is_none());
    }
}
