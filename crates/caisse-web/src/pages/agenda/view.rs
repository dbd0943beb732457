//! How an appointment reads on the pages: its local date and time, how it takes place, its
//! status badge; and the home page's « Prochain rendez-vous ».

use caisse_core::agenda::{AppointmentView, Motif, Site};
use caisse_domain::agenda::{AppointmentStatus, Channel, LocalZone};
use caisse_domain::{Fund, PhoneNumber, french};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::state::AppState;

/// The legal time of the sites of `motif`'s fund.
pub(super) fn zone_of(motif: &Motif) -> LocalZone {
    LocalZone::for_department(Fund::by_code(&motif.caisse).department())
}

/// « lundi 7 décembre 2026 à 9 h 30 », in the fund's legal time.
pub(super) fn when(motif: &Motif, at: OffsetDateTime) -> String {
    french::appointment_time(zone_of(motif).local(at))
}

/// « 06 12 34 56 78 » for a number stored as E.164, or the stored text when it does not
/// parse any more.
pub(super) fn national(phone: &str) -> String {
    PhoneNumber::parse(phone)
        .map_or_else(|_| phone.to_owned(), |p| p.formatted_national().to_owned())
}

/// A branch's address on one line.
pub(super) fn address(site: &Site) -> String {
    format!(
        "{}, {}, {} {}",
        site.name, site.address, site.postcode, site.city
    )
}

/// How it takes place, in one sentence.
pub(super) fn how(view: &AppointmentView) -> String {
    let appointment = &view.appointment;
    match (appointment.channel, &view.site) {
        (Channel::Telephone, _) => match appointment.phone.as_deref() {
            // No-break spaces: a number is not cut at the end of a line.
            Some(phone) => format!(
                "Un conseiller vous appellera au {}.",
                national(phone).replace(' ', "\u{a0}")
            ),
            None => "Un conseiller vous appellera au numéro de votre compte.".to_owned(),
        },
        (Channel::Agence, Some(site)) => format!("À l'accueil {}.", address(site)),
        (Channel::Agence, None) => "À l'accueil de votre caisse.".to_owned(),
        (Channel::Visio, _) => {
            "En visio : le lien pour rejoindre le conseiller est sur cette page.".to_owned()
        }
    }
}

/// The badge of a status: CSS modifier.
pub(super) fn badge_of(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Confirmed => "info",
        AppointmentStatus::Honoured => "succes",
        AppointmentStatus::CancelledByMember | AppointmentStatus::CancelledByFund => "neutre",
        AppointmentStatus::Excused => "neutre",
        AppointmentStatus::NoShow => "erreur",
    }
}

/// An appointment as a card of the list.
pub(super) struct AppointmentCard {
    pub href: String,
    pub motif: String,
    pub channel: &'static str,
    pub when: String,
    pub how: String,
    pub status: &'static str,
    pub badge: &'static str,
    pub video_link: Option<String>,
}

impl AppointmentCard {
    pub(super) fn of(view: &AppointmentView) -> AppointmentCard {
        let a = &view.appointment;
        AppointmentCard {
            href: super::appointment_href(a.id),
            motif: view.motif.label.clone(),
            channel: a.channel.label_fr(),
            when: when(&view.motif, a.span.start),
            how: how(view),
            status: a.status.label_fr(),
            badge: badge_of(a.status),
            video_link: view.video_link.clone(),
        }
    }
}

/// Whether `view` is still ahead: confirmed and not over at `now`.
pub(super) fn is_upcoming(view: &AppointmentView, now: OffsetDateTime) -> bool {
    view.appointment.status == AppointmentStatus::Confirmed && view.appointment.span.end > now
}

/// The home page's « Prochain rendez-vous ».
pub struct NextAppointment {
    /// The appointment's page.
    pub href: String,
    /// « lundi 7 décembre 2026 à 9 h 30 ».
    pub when: String,
    /// « Rendez-vous téléphonique ».
    pub channel: &'static str,
}

/// Member `member_id`'s next confirmed appointment, if any; `None` as well when the agenda
/// cannot be read (the home page still shows).
pub async fn next_appointment(state: &AppState, member_id: Uuid) -> Option<NextAppointment> {
    let now = super::now(state);
    let views = state
        .agenda
        .appointments(member_id)
        .await
        .map_err(|error| tracing::warn!(%error, "appointments not read for the home page"))
        .ok()?;
    views
        .iter()
        .filter(|v| is_upcoming(v, now))
        .min_by_key(|v| v.appointment.span.start)
        .map(|v| NextAppointment {
            href: super::appointment_href(v.appointment.id),
            when: when(&v.motif, v.appointment.span.start),
            channel: v.appointment.channel.label_fr(),
        })
}
