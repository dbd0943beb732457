//! The `.ics` file of an appointment (RFC 5545, with the `icalendar` crate): one event, in
//! UTC, whose UID is the appointment's, so a calendar updates it when the appointment moves
//! or is cancelled (a later file has a greater `SEQUENCE`; `STATUS:CANCELLED` once cancelled).

use caisse_domain::agenda::{AppointmentStatus, Channel};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use super::{Agenda, Appointment, Motif, Site};

impl Agenda {
    /// The `.ics` text of `appointment`. It names the motif: the file is the member's, in
    /// their own calendar, and the mail it travels with says nothing of it.
    pub(super) fn ics_of(
        &self,
        appointment: &Appointment,
        motif: &Motif,
        site: Option<&Site>,
    ) -> String {
        let fund = caisse_domain::Fund::by_code(&appointment.caisse).name();
        let location = match (appointment.channel, site) {
            (Channel::Agence, Some(site)) => {
                format!(
                    "{}, {}, {} {}",
                    site.name, site.address, site.postcode, site.city
                )
            }
            (Channel::Telephone, _) => "Par téléphone : un conseiller vous appelle".to_owned(),
            (Channel::Visio, _) => "En visio : le lien est sur la page du rendez-vous".to_owned(),
            (Channel::Agence, None) => fund.to_owned(),
        };
        let link = format!("{}/rendez-vous/{}", self.base_url(), appointment.id);
        let now = self.now().to_offset(time::UtcOffset::UTC);
        let mut event = Event::with_uid(&format!("{}@caisse", appointment.id));
        event
            .summary(&format!("Rendez-vous {fund} : {}", motif.label))
            .description(&format!("{}\n{link}", appointment.channel.label_fr()))
            .location(&location)
            .starts(appointment.span.start)
            .ends(appointment.span.end)
            .url(&link)
            .add_property("DTSTAMP", now.format(ICS_UTC).unwrap_or_default())
            // Each file is newer than the ones before it: a calendar takes the latest.
            .add_property("SEQUENCE", now.unix_timestamp().to_string());
        if appointment.status == AppointmentStatus::Confirmed {
            event.status(EventStatus::Confirmed);
        } else {
            event.status(EventStatus::Cancelled);
        }
        let mut calendar = Calendar::new();
        calendar.name(fund).push(event.done());
        calendar.done().to_string()
    }
}

/// `20261207T083000Z`.
const ICS_UTC: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
