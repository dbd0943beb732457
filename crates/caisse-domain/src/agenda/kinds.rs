//! The channels and statuses of appointments, as stored.

use crate::coded::coded_enum;

coded_enum! {
    /// How the appointment takes place.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Channel {
        /// The advisor calls the member at the time booked (« à l'heure que vous souhaitez »).
        Telephone => "telephone",
        /// At a branch of the fund.
        Agence => "agence",
        /// By video, through the fund's video service.
        Visio => "visio",
    }
}

impl Channel {
    /// What the member reads.
    pub fn label_fr(self) -> &'static str {
        match self {
            Channel::Telephone => "Rendez-vous téléphonique",
            Channel::Agence => "Rendez-vous en agence",
            Channel::Visio => "Rendez-vous en visio",
        }
    }
}

coded_enum! {
    /// Where an appointment stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum AppointmentStatus {
        /// Booked.
        Confirmed => "confirme",
        /// Cancelled by the member.
        CancelledByMember => "annule_membre",
        /// Cancelled by the fund.
        CancelledByFund => "annule_caisse",
        /// Held.
        Honoured => "honore",
        /// The member excused themself.
        Excused => "excuse",
        /// The member did not come or answer.
        NoShow => "absent",
    }
}

impl AppointmentStatus {
    /// What the member reads.
    pub fn label_fr(self) -> &'static str {
        match self {
            AppointmentStatus::Confirmed => "Confirmé",
            AppointmentStatus::CancelledByMember => "Annulé par vous",
            AppointmentStatus::CancelledByFund => "Annulé par votre caisse",
            AppointmentStatus::Honoured => "Honoré",
            AppointmentStatus::Excused => "Excusé",
            AppointmentStatus::NoShow => "Absent",
        }
    }
}
