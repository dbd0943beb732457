//! What an appointment is booked from: a message thread (`fil=`) or a dossier (`dossier=`)
//! of the member's. The ids come from the address, so each is checked against the member's
//! own threads and dossiers before it is carried or stored; a foreign or unknown id is
//! dropped silently, as if none had been given.

use caisse_core::agenda::AppointmentLink;
use uuid::Uuid;

use crate::state::AppState;

/// The `fil` and `dossier` fields of the booking's forms.
#[derive(Clone, Debug, Default)]
pub(super) struct LinkFields {
    pub fil: String,
    pub dossier: String,
}

impl LinkFields {
    /// The link these fields name, when it is the member's.
    pub(super) async fn owned(&self, state: &AppState, member_id: Uuid) -> Option<AppointmentLink> {
        if let Ok(thread) = Uuid::parse_str(self.fil.trim()) {
            // Reading who viewed the thread changes nothing, unlike reading the thread.
            if state
                .messaging
                .member
                .member_thread_viewers(member_id, thread)
                .await
                .is_ok()
            {
                return Some(AppointmentLink::Thread(thread));
            }
        }
        if let Ok(dossier) = Uuid::parse_str(self.dossier.trim())
            && state.demarches.dossier(member_id, dossier).await.is_ok()
        {
            return Some(AppointmentLink::Dossier(dossier));
        }
        None
    }

    /// Only the fields naming the member's own thread or dossier, to carry to the next step.
    pub(super) async fn checked(&self, state: &AppState, member_id: Uuid) -> LinkFields {
        match self.owned(state, member_id).await {
            Some(AppointmentLink::Thread(id)) => LinkFields {
                fil: id.to_string(),
                dossier: String::new(),
            },
            Some(AppointmentLink::Dossier(id)) => LinkFields {
                fil: String::new(),
                dossier: id.to_string(),
            },
            None => LinkFields::default(),
        }
    }
}
