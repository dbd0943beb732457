//! Where a dossier stands and the moves it may make (domain-2.md §2.4; the names follow
//! Démarches Simplifiées' `brouillon → en construction → en instruction → accepté | refusé |
//! sans suite`, with the member's French labels).

use crate::coded::coded_enum;

coded_enum! {
    /// A dossier's state.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum DossierState {
        /// Being filled; saved, resumable, expires after 30 days.
        Draft => "brouillon",
        /// Filed, waiting for an advisor.
        Submitted => "deposee",
        /// An advisor is instructing it.
        InInstruction => "en_instruction",
        /// The advisor asked for pieces or corrections; the delay is paused.
        AwaitingCompletion => "a_completer",
        /// Accepted by an advisor.
        Accepted => "acceptee",
        /// Refused, with reasons.
        Refused => "refusee",
        /// Closed without a decision on the merits.
        ClosedWithoutFollowUp => "sans_suite",
        /// Accepted by silence at the due date.
        AcceptedBySilence => "implicite_acceptee",
        /// Refused by silence at the due date.
        RefusedBySilence => "implicite_refusee",
        /// Cancelled by the member before instruction.
        Cancelled => "annulee",
        /// A draft left 30 days, erased.
        Expired => "expiree",
    }
}

coded_enum! {
    /// Who filed a dossier.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum FiledAs {
        /// The member, for themself or a beneficiary.
        Member => "member",
        /// A mandataire, under the member's procuration.
        Mandataire => "mandataire",
        /// Someone without an account, through a public form checked against the member file.
        Public => "public",
    }
}

/// A move of a dossier's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Move {
    /// The member files the draft.
    Submit,
    /// An advisor takes it.
    StartInstruction,
    /// The advisor asks for pieces or corrections.
    AskCompletion,
    /// The member sends what was asked.
    Complete,
    /// The advisor accepts.
    Accept,
    /// The advisor refuses.
    Refuse,
    /// The advisor closes it without a decision.
    CloseWithoutFollowUp,
    /// Silence at the due date accepts it.
    AcceptBySilence,
    /// Silence at the due date refuses it.
    RefuseBySilence,
    /// The member cancels it.
    Cancel,
    /// A draft left too long.
    Expire,
}

impl DossierState {
    /// The state after `step`, or `None` when the move is not allowed from here.
    pub fn after(self, step: Move) -> Option<DossierState> {
        use DossierState as S;
        let next = match (self, step) {
            (S::Draft, Move::Submit) => S::Submitted,
            (S::Draft, Move::Expire) => S::Expired,
            (S::Draft | S::Submitted, Move::Cancel) => S::Cancelled,
            (S::Submitted | S::AwaitingCompletion, Move::StartInstruction) => S::InInstruction,
            (S::Submitted | S::InInstruction, Move::AskCompletion) => S::AwaitingCompletion,
            (S::AwaitingCompletion, Move::Complete) => S::InInstruction,
            (S::Submitted | S::InInstruction, Move::Accept) => S::Accepted,
            (S::Submitted | S::InInstruction, Move::Refuse) => S::Refused,
            (
                S::Submitted | S::InInstruction | S::AwaitingCompletion,
                Move::CloseWithoutFollowUp,
            ) => S::ClosedWithoutFollowUp,
            (S::Submitted | S::InInstruction, Move::AcceptBySilence) => S::AcceptedBySilence,
            (S::Submitted | S::InInstruction, Move::RefuseBySilence) => S::RefusedBySilence,
            _ => return None,
        };
        Some(next)
    }

    /// What the member reads.
    pub fn label_fr(self) -> &'static str {
        match self {
            DossierState::Draft => "Brouillon",
            DossierState::Submitted => "En attente de traitement",
            DossierState::InInstruction => "En cours d'instruction",
            DossierState::AwaitingCompletion => "À compléter",
            DossierState::Accepted => "Acceptée",
            DossierState::Refused => "Refusée",
            DossierState::ClosedWithoutFollowUp => "Classée sans suite",
            DossierState::AcceptedBySilence => "Acceptée (accord implicite)",
            DossierState::RefusedBySilence => "Refusée (rejet implicite)",
            DossierState::Cancelled => "Annulée",
            DossierState::Expired => "Brouillon expiré",
        }
    }

    /// Filed and not decided: the fund has work to do, or waits for the member.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            DossierState::Submitted
                | DossierState::InInstruction
                | DossierState::AwaitingCompletion
        )
    }

    /// Decided, on the merits or by silence, or closed.
    pub fn is_decided(self) -> bool {
        matches!(
            self,
            DossierState::Accepted
                | DossierState::Refused
                | DossierState::ClosedWithoutFollowUp
                | DossierState::AcceptedBySilence
                | DossierState::RefusedBySilence
        )
    }

    /// Accepted, by an advisor or by silence: the procedure's effect applies.
    pub fn is_accepted(self) -> bool {
        matches!(
            self,
            DossierState::Accepted | DossierState::AcceptedBySilence
        )
    }

    /// Every state a filed dossier may be in, for the staff's filters.
    pub const FILED: [DossierState; 8] = [
        DossierState::Submitted,
        DossierState::InInstruction,
        DossierState::AwaitingCompletion,
        DossierState::Accepted,
        DossierState::Refused,
        DossierState::ClosedWithoutFollowUp,
        DossierState::AcceptedBySilence,
        DossierState::RefusedBySilence,
    ];
}

coded_enum! {
    /// What an event of a dossier's history records.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum DossierAction {
        /// The draft was opened.
        Opened => "opened",
        /// The draft's answers were saved.
        Saved => "saved",
        /// A file was added.
        PieceAdded => "piece_added",
        /// A file was removed from the draft.
        PieceRemoved => "piece_removed",
        /// Filed.
        Submitted => "submitted",
        /// An advisor took it.
        InstructionStarted => "instruction_started",
        /// Pieces or corrections were asked.
        CompletionAsked => "completion_asked",
        /// The member completed it.
        Completed => "completed",
        /// Sent to another team.
        Transferred => "transferred",
        /// Accepted.
        Accepted => "accepted",
        /// Refused.
        Refused => "refused",
        /// Closed without follow-up.
        Closed => "closed",
        /// Accepted by silence.
        AcceptedBySilence => "accepted_by_silence",
        /// Refused by silence.
        RefusedBySilence => "refused_by_silence",
        /// Cancelled by the member.
        Cancelled => "cancelled",
        /// The draft's expiry notice went.
        ExpiryNoticeSent => "expiry_notice_sent",
        /// The draft expired.
        Expired => "expired",
        /// The procedure's effect was applied to the member file.
        EffectApplied => "effect_applied",
        /// The identity documents were erased after the decision.
        IdentityErased => "identity_erased",
        /// An advisor opened an investigation: the longer delay applies.
        InvestigationOpened => "investigation_opened",
        /// The card the dossier ordered moved on in production.
        CardAdvanced => "card_advanced",
    }
}
