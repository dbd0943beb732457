//! The status of a thread (*échange*) as the member sees it, and what moves it.
//!
//! The three labels are seed A's (domain.md §4.1; ameli's official names are
//! unconfirmed). A thread starts « En attente de traitement ». The transitions:
//!
//! | from \ event          | member writes | takes charge | staff member replies | closes | returns to queue |
//! |-----------------------|---------------|--------------|-----------------|--------|------------------|
//! | En attente            | En attente    | En cours     | En cours        | Traité | En attente       |
//! | En cours d'instruction| En cours      | refused      | En cours        | Traité | En attente       |
//! | Traité                | **En attente**| refused      | Traité          | refused| refused          |
//!
//! **A member's reply reopens a « Traité » thread** (back to « En attente de
//! traitement »), with a due date counted afresh from the reply. No seed says what ameli
//! does; seed B shows « Répondre » under every message and nothing that stops it, and
//! keeping the follow-up in the same thread keeps its history in front of the staff member.
//! An application that wants replies to old threads to start new ones refuses them
//! before this point. A staff member may add a message to a « Traité » thread (a forgotten
//! document) without reopening it.

/// Where a thread stands. Stored by [`ThreadStatus::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThreadStatus {
    /// « En attente de traitement »: no staff member has taken it yet, or the member wrote
    /// again after it was closed.
    EnAttente,
    /// « En cours d'instruction »: a staff member is handling it.
    EnCours,
    /// « Traité »: answered and closed.
    Traite,
}

/// Something that happens to a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThreadEvent {
    /// The member sent a message in the thread (a reply or an addition).
    MemberWrote,
    /// A staff member took the thread in charge without answering yet.
    StaffTookCharge,
    /// A staff member answered and keeps the thread open (e.g. asked for a document).
    StaffReplied,
    /// A staff member answered, or decided no answer is needed, and closed the thread.
    StaffClosed,
    /// A staff member put the thread back in a queue, e.g. reassigned it to another service.
    StaffReturnedToQueue,
}

/// An event that a thread in status `from` cannot take. Carries no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("a thread with status {from:?} cannot take {event:?}")]
pub struct TransitionRefused {
    /// The thread's status.
    pub from: ThreadStatus,
    /// The refused event.
    pub event: ThreadEvent,
}

impl TransitionRefused {
    /// Returns the sentence shown to the staff member, in French.
    pub fn message_fr(&self) -> &'static str {
        match self.from {
            ThreadStatus::EnAttente => "Cette action n'est pas possible sur cet échange.",
            ThreadStatus::EnCours => "Cet échange est déjà en cours d'instruction.",
            ThreadStatus::Traite => {
                "Cet échange est traité : il ne sera rouvert que si l'assuré écrit de nouveau."
            }
        }
    }
}

impl ThreadStatus {
    /// Every status, in processing order.
    pub const ALL: [ThreadStatus; 3] = [
        ThreadStatus::EnAttente,
        ThreadStatus::EnCours,
        ThreadStatus::Traite,
    ];

    /// The status of a new thread.
    pub const INITIAL: ThreadStatus = ThreadStatus::EnAttente;

    /// Returns the stable code stored in the database: `"en_attente"`, `"en_cours"` or
    /// `"traite"`.
    pub fn code(self) -> &'static str {
        match self {
            ThreadStatus::EnAttente => "en_attente",
            ThreadStatus::EnCours => "en_cours",
            ThreadStatus::Traite => "traite",
        }
    }

    /// Returns the status of a [`ThreadStatus::code`], or `None` for any other string.
    pub fn from_code(code: &str) -> Option<ThreadStatus> {
        ThreadStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }

    /// Returns the French label: « En attente de traitement », « En cours
    /// d'instruction » or « Traité ».
    pub fn label_fr(self) -> &'static str {
        match self {
            ThreadStatus::EnAttente => "En attente de traitement",
            ThreadStatus::EnCours => "En cours d'instruction",
            ThreadStatus::Traite => "Traité",
        }
    }

    /// Returns true if and only if the thread still awaits an answer (not « Traité »):
    /// the threads whose due date matters.
    pub fn is_open(self) -> bool {
        self != ThreadStatus::Traite
    }

    /// Returns the status after `event`, following the table of the module
    /// documentation, or [`TransitionRefused`] where the table says refused.
    pub fn after(self, event: ThreadEvent) -> Result<ThreadStatus, TransitionRefused> {
        use ThreadEvent::*;
        use ThreadStatus::*;
        match (self, event) {
            (EnAttente | Traite, MemberWrote) => Ok(EnAttente),
            (EnCours, MemberWrote) => Ok(EnCours),
            (EnAttente, StaffTookCharge) => Ok(EnCours),
            (EnAttente | EnCours, StaffReplied) => Ok(EnCours),
            (Traite, StaffReplied) => Ok(Traite),
            (EnAttente | EnCours, StaffClosed) => Ok(Traite),
            (EnAttente | EnCours, StaffReturnedToQueue) => Ok(EnAttente),
            (EnCours | Traite, StaffTookCharge) | (Traite, StaffClosed | StaffReturnedToQueue) => {
                Err(TransitionRefused { from: self, event })
            }
        }
    }

    /// Returns true if and only if some event moves a thread from `self` to `to`
    /// (staying in place counts when an event allows it).
    pub fn can_become(self, to: ThreadStatus) -> bool {
        ThreadEvent::ALL
            .into_iter()
            .any(|event| self.after(event) == Ok(to))
    }
}

impl ThreadEvent {
    /// Every event.
    pub const ALL: [ThreadEvent; 5] = [
        ThreadEvent::MemberWrote,
        ThreadEvent::StaffTookCharge,
        ThreadEvent::StaffReplied,
        ThreadEvent::StaffClosed,
        ThreadEvent::StaffReturnedToQueue,
    ];
}

#[cfg(test)]
mod tests {
    use super::ThreadEvent::*;
    use super::ThreadStatus::*;
    use super::*;

    #[test]
    fn labels_are_seed_as_and_codes_round_trip() {
        let labels: Vec<_> = ThreadStatus::ALL.map(ThreadStatus::label_fr).to_vec();
        assert_eq!(
            labels,
            [
                "En attente de traitement",
                "En cours d'instruction",
                "Traité"
            ]
        );
        for status in ThreadStatus::ALL {
            assert_eq!(ThreadStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(ThreadStatus::from_code("Traité"), None);
        assert_eq!(ThreadStatus::INITIAL, EnAttente);
        assert!(EnAttente.is_open() && EnCours.is_open() && !Traite.is_open());
    }

    #[test]
    fn the_usual_life_of_a_thread() {
        let status = ThreadStatus::INITIAL
            .after(StaffTookCharge)
            .and_then(|s| s.after(StaffReplied))
            .and_then(|s| s.after(MemberWrote))
            .and_then(|s| s.after(StaffClosed));
        assert_eq!(status, Ok(Traite));
        assert_eq!(EnAttente.after(StaffClosed), Ok(Traite));
        assert_eq!(EnCours.after(StaffReturnedToQueue), Ok(EnAttente));
    }

    #[test]
    fn a_member_reply_reopens_a_closed_thread_and_a_staff_reply_does_not() {
        assert_eq!(Traite.after(MemberWrote), Ok(EnAttente));
        assert_eq!(Traite.after(StaffReplied), Ok(Traite));
        assert!(Traite.can_become(EnAttente));
        assert!(!Traite.can_become(EnCours));
    }

    #[test]
    fn refused_transitions_name_the_status_and_the_event() {
        for (from, event) in [
            (EnCours, StaffTookCharge),
            (Traite, StaffTookCharge),
            (Traite, StaffClosed),
            (Traite, StaffReturnedToQueue),
        ] {
            let refused = from.after(event).unwrap_err();
            assert_eq!(refused, TransitionRefused { from, event });
            assert!(!refused.message_fr().is_empty());
        }
        assert_eq!(
            Traite.after(StaffClosed).unwrap_err().message_fr(),
            "Cet échange est traité : il ne sera rouvert que si l'assuré écrit de nouveau."
        );
    }

    #[test]
    fn every_status_is_reachable_from_every_other() {
        for from in ThreadStatus::ALL {
            for to in ThreadStatus::ALL {
                let direct = from.can_become(to);
                let via = ThreadStatus::ALL
                    .into_iter()
                    .any(|mid| from.can_become(mid) && mid.can_become(to));
                assert!(direct || via, "{from:?} -> {to:?}");
            }
        }
    }
}
