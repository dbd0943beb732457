//! Referral of a réclamation to the fund's médiateur (*saisir le médiateur*, domain.md §10).
//!
//! # Who may refer
//!
//! Each fund has a médiateur, seized « after an unsuccessful réclamation » (ameli, « Comment
//! saisir le médiateur ? »; service-public F20849 adds « vous n'avez pas reçu de réponse de
//! la part de votre caisse »). In Caisse, a member may refer one of their threads when it is
//! a **réclamation** (nature [`Nature::Reclamation`]) and one of these holds:
//!
//! 1. its outcome is « Défavorable » or « Partiellement favorable »;
//! 2. it is past its delay: still unanswered on a day after its due date (in the fund's
//!    legal time), or first answered after its due date.
//!
//! A favorable answer given in time closes the matter; a question or a report never opens
//! the médiateur (the member writes a réclamation first). One referral per thread.
//!
//! # What happens to a referral
//!
//! It is « À traiter » until a supervisor of the fund takes it (« En cours »), answers the
//! member once, then closes it (« Clos »). Answering an untaken referral takes it; closing
//! needs the answer, so a member is never left without one.

use time::Date;

use super::{Nature, Outcome};

/// Why a réclamation may go to the médiateur. Stored by [`ReferralReason::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralReason {
    /// The fund answered « Défavorable ».
    Defavorable,
    /// The fund answered « Partiellement favorable ».
    PartiellementFavorable,
    /// The first answer came after the due date.
    AnswerLate,
    /// No answer yet, and the due date has passed.
    NoAnswer,
}

impl ReferralReason {
    /// Every reason.
    pub const ALL: [ReferralReason; 4] = [
        ReferralReason::Defavorable,
        ReferralReason::PartiellementFavorable,
        ReferralReason::AnswerLate,
        ReferralReason::NoAnswer,
    ];

    /// Returns the stable code stored with a referral. Never change a code.
    pub fn code(self) -> &'static str {
        match self {
            ReferralReason::Defavorable => "defavorable",
            ReferralReason::PartiellementFavorable => "partiellement_favorable",
            ReferralReason::AnswerLate => "reponse_tardive",
            ReferralReason::NoAnswer => "sans_reponse",
        }
    }

    /// Returns the reason of a [`ReferralReason::code`], or `None` for any other string.
    pub fn from_code(code: &str) -> Option<ReferralReason> {
        ReferralReason::ALL
            .into_iter()
            .find(|reason| reason.code() == code)
    }

    /// Returns the short French label shown to staff, e.g. « Réponse défavorable ».
    pub fn label_fr(self) -> &'static str {
        match self {
            ReferralReason::Defavorable => "Réponse défavorable",
            ReferralReason::PartiellementFavorable => "Réponse partiellement favorable",
            ReferralReason::AnswerLate => "Réponse après le délai",
            ReferralReason::NoAnswer => "Sans réponse dans le délai",
        }
    }

    /// Returns the French sentence that tells the member why they may refer.
    pub fn explanation_fr(self) -> &'static str {
        match self {
            ReferralReason::Defavorable => {
                "Votre caisse a donné une réponse défavorable à votre réclamation."
            }
            ReferralReason::PartiellementFavorable => {
                "Votre caisse a donné une réponse partiellement favorable à votre réclamation."
            }
            ReferralReason::AnswerLate => {
                "Votre caisse a répondu à votre réclamation après la date annoncée."
            }
            ReferralReason::NoAnswer => {
                "Votre réclamation n'a pas reçu de réponse à la date annoncée."
            }
        }
    }
}

/// What the rule needs to know about a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReclamationFacts {
    /// The thread's nature.
    pub nature: Nature,
    /// The thread's due date.
    pub due_on: Date,
    /// Whether the first answer came by the due date; `None` while unanswered.
    pub first_answer_in_time: Option<bool>,
    /// The outcome the staff member recorded, if any.
    pub outcome: Option<Outcome>,
}

/// Returns why the member may refer this thread to the médiateur on `today` (the date in the
/// fund's legal time), or `None` when they may not (rules of the module documentation). An
/// outcome wins over lateness: it is what the member disputes.
pub fn referral_reason(facts: &ReclamationFacts, today: Date) -> Option<ReferralReason> {
    if facts.nature != Nature::Reclamation {
        return None;
    }
    match (facts.outcome, facts.first_answer_in_time) {
        (Some(Outcome::Defavorable), _) => Some(ReferralReason::Defavorable),
        (Some(Outcome::PartiellementFavorable), _) => Some(ReferralReason::PartiellementFavorable),
        (_, Some(false)) => Some(ReferralReason::AnswerLate),
        (_, None) if today > facts.due_on => Some(ReferralReason::NoAnswer),
        _ => None,
    }
}

/// Where a referral stands. Stored by [`ReferralStatus::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralStatus {
    /// « À traiter »: nobody has taken it yet.
    ATraiter,
    /// « En cours »: a supervisor handles it.
    EnCours,
    /// « Clos »: answered and closed.
    Clos,
}

impl ReferralStatus {
    /// Every status, in processing order.
    pub const ALL: [ReferralStatus; 3] = [
        ReferralStatus::ATraiter,
        ReferralStatus::EnCours,
        ReferralStatus::Clos,
    ];

    /// Returns the stable code: `"a_traiter"`, `"en_cours"` or `"clos"`.
    pub fn code(self) -> &'static str {
        match self {
            ReferralStatus::ATraiter => "a_traiter",
            ReferralStatus::EnCours => "en_cours",
            ReferralStatus::Clos => "clos",
        }
    }

    /// Returns the status of a [`ReferralStatus::code`], or `None` for any other string.
    pub fn from_code(code: &str) -> Option<ReferralStatus> {
        ReferralStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }

    /// Returns the French label: « À traiter », « En cours » or « Clos ».
    pub fn label_fr(self) -> &'static str {
        match self {
            ReferralStatus::ATraiter => "À traiter",
            ReferralStatus::EnCours => "En cours",
            ReferralStatus::Clos => "Clos",
        }
    }
}

/// What a supervisor does to a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralEvent {
    /// Takes it in charge.
    Taken,
    /// Answers the member (once).
    Answered,
    /// Closes it.
    Closed,
}

/// Why a referral cannot take an event. Carries no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ReferralRefused {
    /// Someone already took it.
    #[error("the referral is already taken")]
    AlreadyTaken,
    /// The member already has the médiateur's answer.
    #[error("the referral is already answered")]
    AlreadyAnswered,
    /// Closing needs an answer first.
    #[error("the referral has no answer yet")]
    NotAnswered,
    /// It is closed.
    #[error("the referral is closed")]
    Closed,
}

impl ReferralRefused {
    /// Returns the sentence shown to the supervisor, in French.
    pub fn message_fr(self) -> &'static str {
        match self {
            ReferralRefused::AlreadyTaken => "Cette saisine est déjà prise en charge.",
            ReferralRefused::AlreadyAnswered => "Le médiateur a déjà répondu à cette saisine.",
            ReferralRefused::NotAnswered => {
                "Répondez à l'assuré avant de clore la saisine : il doit toujours recevoir une réponse."
            }
            ReferralRefused::Closed => "Cette saisine est close.",
        }
    }
}

/// A referral's status and whether it holds the médiateur's answer: all its rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferralState {
    /// Its status.
    pub status: ReferralStatus,
    /// True once the médiateur answered.
    pub answered: bool,
}

impl ReferralState {
    /// The state of a new referral.
    pub const INITIAL: ReferralState = ReferralState {
        status: ReferralStatus::ATraiter,
        answered: false,
    };

    /// Returns the state after `event` (rules of the module documentation), or why not.
    pub fn after(self, event: ReferralEvent) -> Result<ReferralState, ReferralRefused> {
        use ReferralStatus::{ATraiter, Clos, EnCours};
        match (self.status, event) {
            (Clos, _) => Err(ReferralRefused::Closed),
            (EnCours, ReferralEvent::Taken) => Err(ReferralRefused::AlreadyTaken),
            (ATraiter, ReferralEvent::Taken) => Ok(ReferralState {
                status: EnCours,
                ..self
            }),
            (_, ReferralEvent::Answered) if self.answered => Err(ReferralRefused::AlreadyAnswered),
            (_, ReferralEvent::Answered) => Ok(ReferralState {
                status: EnCours,
                answered: true,
            }),
            (_, ReferralEvent::Closed) if !self.answered => Err(ReferralRefused::NotAnswered),
            (_, ReferralEvent::Closed) => Ok(ReferralState {
                status: Clos,
                ..self
            }),
        }
    }
}

#[cfg(test)]
mod tests;
