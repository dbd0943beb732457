//! « Mon agenda » (issue 16): a member books an appointment with an advisor of their fund
//! about a motif — a phone call-back at the time they choose, at a branch, or by video — in a
//! free slot computed on the spot from the advisors' weekly hours, the fund's holidays,
//! absences, branch closures and bookings (`caisse_domain::agenda::free_slots`); the database
//! refuses a double booking whatever the concurrency, and the member is then offered the
//! next slots. Mails with the `.ics`, reminders two days before, moving and cancelling until
//! four hours before, the waiting list (`member`, `notify`, [`jobs`]) and the back office
//! ([`staff`]) build on this search.

mod ics;
pub mod jobs;
mod load;
mod member;
mod notify;
mod search;
mod settings_admin;
mod settings_input;
pub mod staff;
mod staff_booking;
mod video;

use std::sync::Arc;

use caisse_domain::Instant;
use caisse_store::Db;
pub use caisse_store::agenda::{
    Absence, Appointment, AppointmentLink, Closure, Hours, Motif, Site, Waiting,
};
use time::OffsetDateTime;

use crate::CoreError;
use crate::clock::Clock;
pub use caisse_domain::agenda::{AppointmentStatus, Channel};
pub use load::{AdvisorFigures, Figures, LOAD_DAYS, per_mille};
pub use member::{AppointmentView, BookingRequest};
pub use search::{SLOTS_OFFERED, SlotOffer};
pub use settings_admin::{
    AdvisorSetup, Configuration, HoursDraft, MotifDraft, PeriodDraft, SiteDraft,
};
pub use staff::{AgendaLine, DayQuery, DayView, Outcome, StaffAgendaError, StaffAppointment};
pub use staff_booking::BookingChoices;
pub use video::VideoRooms;

/// Why a booking, a move or a cancellation was not made.
#[derive(Debug, thiserror::Error)]
pub enum AgendaError {
    /// No such appointment or member for this person.
    #[error("not found")]
    NotFound,
    /// No such motif in the member's fund.
    #[error("unknown motif")]
    UnknownMotif,
    /// The motif is not offered on that channel.
    #[error("channel not offered")]
    ChannelNotOffered,
    /// No such branch in the fund, or a branch for a channel that has none.
    #[error("unknown site")]
    UnknownSite,
    /// A phone call-back needs a number to call.
    #[error("no phone number")]
    NoPhone,
    /// The time asked is not a slot offered (outside hours, notice or horizon).
    #[error("not a slot offered")]
    NotOffered,
    /// Another booking took the slot first: the next slots.
    #[error("slot taken")]
    Taken {
        /// The next slots offered now.
        next: Vec<SlotOffer>,
    },
    /// Less than four hours before: call the fund.
    #[error("too late to change")]
    TooLate,
    /// Not confirmed any more.
    #[error("not confirmed")]
    NotConfirmed,
    /// The waiting list is for slots more than a week ahead.
    #[error("waiting list not open")]
    WaitingListNotOpen,
    /// A configuration value is not valid: what to correct, in French.
    #[error("invalid: {0}")]
    Invalid(&'static str),
    /// Unexpected.
    #[error(transparent)]
    Core(#[from] CoreError),
}

from_store!(AgendaError);

impl From<crate::mails::TextError> for AgendaError {
    fn from(error: crate::mails::TextError) -> Self {
        AgendaError::Core(error.into())
    }
}

impl AgendaError {
    /// What the member or advisor reads.
    pub fn message_fr(&self) -> &'static str {
        match self {
            AgendaError::NotFound => "Ce rendez-vous est introuvable.",
            AgendaError::UnknownMotif => "Ce motif de rendez-vous n'existe pas.",
            AgendaError::ChannelNotOffered => {
                "Ce motif ne se traite pas de cette façon : choisissez un autre type de rendez-vous."
            }
            AgendaError::UnknownSite => "Choisissez l'un des accueils de la liste.",
            AgendaError::NoPhone => "Saisissez le numéro auquel le conseiller vous appellera.",
            AgendaError::NotOffered => {
                "Ce créneau n'est pas proposé : choisissez-en un dans la liste."
            }
            AgendaError::Taken { .. } => {
                "Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez l'un des suivants."
            }
            AgendaError::TooLate => {
                "Moins de quatre heures avant le rendez-vous, appelez votre caisse pour le modifier ou l'annuler."
            }
            AgendaError::NotConfirmed => "Ce rendez-vous n'est plus confirmé.",
            AgendaError::WaitingListNotOpen => {
                "La liste d'attente est ouverte quand le premier créneau est à plus d'une semaine."
            }
            AgendaError::Invalid(message) => message,
            AgendaError::Core(_) => "Une erreur est survenue. Réessayez plus tard.",
        }
    }
}

/// What « Mon agenda » needs to know of the deployment.
#[derive(Clone, Debug, Default)]
pub struct AgendaSettings {
    /// Public base URL, for the links of mails.
    pub base_url: String,
    /// The fund's video service, when it has one (video appointments are offered only then).
    pub video: Option<VideoRooms>,
}

/// « Mon agenda ».
#[derive(Clone)]
pub struct Agenda {
    db: Db,
    clock: Arc<dyn Clock>,
    settings: Arc<AgendaSettings>,
}

impl Agenda {
    /// The service over `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, settings: AgendaSettings) -> Agenda {
        Agenda {
            db,
            clock,
            settings: Arc::new(settings),
        }
    }

    fn now(&self) -> OffsetDateTime {
        Instant::from(self.clock.now()).get()
    }

    fn instant(&self) -> Instant {
        Instant::from(self.clock.now())
    }

    fn base_url(&self) -> &str {
        self.settings.base_url.trim_end_matches('/')
    }
}
