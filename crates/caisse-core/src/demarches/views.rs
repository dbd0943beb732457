//! What the pages and the API show of dossiers.

use std::sync::Arc;

use caisse_domain::Instant;
use caisse_domain::demarches::{
    Answers, Definition, DossierAction, DossierState, FieldId, FiledAs, ProcedureCode,
};
use caisse_domain::messaging::AttachmentKind;
use caisse_store::dossiers::CompletionRequest;
use time::Date;
use uuid::Uuid;

/// One line of « Mes dossiers ».
#[derive(Clone)]
pub struct DossierSummary {
    /// Id.
    pub id: Uuid,
    /// « D-3F9A-12BC ».
    pub reference: String,
    /// The procedure.
    pub procedure: ProcedureCode,
    /// Its title.
    pub title: String,
    /// Where it stands.
    pub state: DossierState,
    /// The date the fund expects to decide by.
    pub due_on: Option<Date>,
    /// When a draft expires.
    pub expires_on: Option<Date>,
    /// Last change.
    pub updated_at: Instant,
    /// The person concerned (« Léa MARTIN »).
    pub person: String,
    /// Filed as a mandataire for someone else.
    pub for_mandant: bool,
}

debug_fields!(DossierSummary { id, state });

impl DossierSummary {
    /// Whether the member has something to do: finish the draft, or complete it.
    pub fn waits_for_member(&self) -> bool {
        matches!(
            self.state,
            DossierState::Draft | DossierState::AwaitingCompletion
        )
    }
}

/// A file of a dossier, as listed.
#[derive(Clone)]
pub struct PieceView {
    /// Id.
    pub id: Uuid,
    /// The field it answers.
    pub field: FieldId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: AttachmentKind,
    /// Its size.
    pub size_bytes: u64,
    /// Erased after the decision (identity documents).
    pub erased: bool,
}

debug_fields!(PieceView { id, field });

/// One step of a dossier's history, as the member reads it.
#[derive(Clone)]
pub struct TimelineEntry {
    /// When.
    pub at: Instant,
    /// What happened, in French.
    pub label: String,
    /// The note written with it (the advisor's request, the reasons).
    pub note: Option<String>,
    /// Done by the fund (an advisor or the system), not the member.
    pub by_fund: bool,
}

debug_fields!(TimelineEntry { at });

/// A person of the member's family.
#[derive(Clone)]
pub struct FamilyPerson {
    /// 1 the member, 2–19 the beneficiaries.
    pub rank: u8,
    /// « Léa MARTIN ».
    pub name: String,
    /// Born.
    pub birth_date: Date,
}

debug_fields!(FamilyPerson { rank });

/// A dossier, whole.
#[derive(Clone)]
pub struct DossierView {
    /// Id.
    pub id: Uuid,
    /// « D-3F9A-12BC ».
    pub reference: String,
    /// The definition it was opened with.
    pub definition: Arc<Definition>,
    /// Where it stands.
    pub state: DossierState,
    /// The person concerned.
    pub person_rank: u8,
    /// Their name.
    pub person_name: String,
    /// The member whose file it concerns.
    pub member_id: Uuid,
    /// The answers.
    pub answers: Answers,
    /// The files.
    pub pieces: Vec<PieceView>,
    /// The history, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Due date.
    pub due_on: Option<Date>,
    /// Opened.
    pub created_at: Instant,
    /// Filed.
    pub submitted_at: Option<Instant>,
    /// Decided.
    pub decided_at: Option<Instant>,
    /// The decision's reasons.
    pub reasons: Vec<String>,
    /// What the advisor asked to complete.
    pub completion: Option<CompletionRequest>,
    /// When a draft expires.
    pub expires_on: Option<Date>,
    /// The member's family, for « a person of the family » fields.
    pub family: Vec<FamilyPerson>,
    /// Who filed it.
    pub filed_as: FiledAs,
    /// Whether the hash chain of its history holds.
    pub chain_holds: bool,
    /// A card order it made, with its state (« Commandée »…), if any.
    pub card: Option<String>,
    /// Whether a CEAM provisional certificate can be downloaded.
    pub has_ceam_certificate: bool,
}

debug_fields!(DossierView { id, state });

impl DossierView {
    /// Whether the member may change `field` now: any field of a draft, the flagged ones of
    /// a dossier to complete.
    pub fn editable(&self, field: &FieldId) -> bool {
        match self.state {
            DossierState::Draft => true,
            DossierState::AwaitingCompletion => self
                .completion
                .as_ref()
                .is_some_and(|c| c.fields.contains(field)),
            _ => false,
        }
    }

    /// Whether a decision letter exists.
    pub fn has_letter(&self) -> bool {
        self.state.is_decided()
    }
}

/// The French label of an event on the timeline.
pub(super) fn label_of(action: DossierAction, to: Option<DossierState>) -> String {
    match action {
        DossierAction::Opened => "Démarche commencée".into(),
        DossierAction::Saved => "Réponses enregistrées".into(),
        DossierAction::PieceAdded => "Justificatif ajouté".into(),
        DossierAction::PieceRemoved => "Justificatif retiré".into(),
        DossierAction::Submitted => "Dossier déposé".into(),
        DossierAction::InstructionStarted => "Instruction commencée".into(),
        DossierAction::CompletionAsked => "Compléments demandés".into(),
        DossierAction::Completed => "Compléments envoyés".into(),
        DossierAction::Transferred => "Dossier transmis au service compétent".into(),
        DossierAction::Accepted
        | DossierAction::Refused
        | DossierAction::Closed
        | DossierAction::AcceptedBySilence
        | DossierAction::RefusedBySilence => format!(
            "Décision : {}",
            to.map(DossierState::label_fr)
                .unwrap_or("rendue")
                .to_lowercase()
        ),
        DossierAction::Cancelled => "Dossier annulé".into(),
        DossierAction::ExpiryNoticeSent => "Rappel : brouillon bientôt supprimé".into(),
        DossierAction::Expired => "Brouillon supprimé".into(),
        DossierAction::EffectApplied => "Votre dossier d'assuré a été mis à jour".into(),
        DossierAction::IdentityErased => "Pièce d'identité effacée".into(),
        DossierAction::InvestigationOpened => "Instruction complémentaire ouverte".into(),
        DossierAction::CardAdvanced => "Suivi de votre carte".into(),
    }
}
