//! What a use case of the dossiers did not do, and why.

use caisse_domain::demarches::FieldError;

use crate::CoreError;
use crate::accounts::FormProblem;

/// Why a dossier could not be opened, filled, filed, followed or decided.
#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    /// No such dossier for this person: missing, or someone else's (one answer for both).
    #[error("dossier not found")]
    NotFound,
    /// No such procedure in the catalogue.
    #[error("unknown procedure")]
    UnknownProcedure,
    /// The procedure may not be filed this way (for a beneficiary, under a procuration).
    #[error("the procedure may not be filed this way")]
    NotAllowed,
    /// The procuration is not active, not the filer's, or does not cover this procedure.
    #[error("no procuration allows it")]
    NoProcuration,
    /// The dossier is not in a state that allows it (a form sent twice, a decided dossier).
    #[error("the dossier's state does not allow it")]
    WrongState,
    /// Answers refused, one message per input.
    #[error("{} answers refused", .0.len())]
    Invalid(Vec<FieldError>),
    /// Files refused, one message each.
    #[error("{} files refused", .0.len())]
    Files(Vec<FormProblem>),
    /// Filing refused: required answers or files missing, one message per field.
    #[error("{} answers missing", .0.len())]
    Incomplete(Vec<FieldError>),
    /// An advisor's decision or request is not usable (no reason, no flagged field…).
    #[error("decision refused: {0}")]
    BadDecision(&'static str),
    /// Another change came first; nothing was written.
    #[error("the dossier changed meanwhile")]
    Conflict,
    /// The procedure's effect refused the acceptance (e.g. C2S resources above the ceiling).
    #[error("the effect refused: {0}")]
    Effect(String),
    /// No member file matches the identity given on a form without account (nothing
    /// written).
    #[error("identity not found")]
    IdentityNotFound,
    /// Too many attempts on that identity: wait.
    #[error("too many attempts")]
    Locked,
    /// An unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

from_store!(DossierError);

impl DossierError {
    /// The French sentence for errors that are not per field.
    pub fn message_fr(&self) -> String {
        match self {
            DossierError::NotFound => "Ce dossier est introuvable.".into(),
            DossierError::UnknownProcedure => "Cette démarche n'existe pas.".into(),
            DossierError::NotAllowed => {
                "Cette démarche ne peut pas être faite pour cette personne.".into()
            }
            DossierError::NoProcuration => {
                "Aucune procuration en cours ne vous permet de faire cette démarche.".into()
            }
            DossierError::WrongState => {
                "Ce dossier ne peut plus être modifié de cette façon : actualisez la page.".into()
            }
            DossierError::Invalid(_) | DossierError::Files(_) | DossierError::Incomplete(_) => {
                "Corrigez les champs signalés.".into()
            }
            DossierError::BadDecision(why) => (*why).to_owned(),
            DossierError::Conflict => {
                "Le dossier vient d'être modifié par ailleurs : actualisez la page.".into()
            }
            DossierError::Effect(why) => why.clone(),
            DossierError::IdentityNotFound => {
                "Nous ne retrouvons pas d'assuré avec ce numéro de sécurité sociale, ce nom et \
                 cette date de naissance. Vérifiez-les tels qu'ils figurent sur votre carte Vitale."
                    .into()
            }
            DossierError::Locked => {
                "Trop d'essais avec ce numéro de sécurité sociale : réessayez dans quelques \
                 minutes, ou connectez-vous à votre compte."
                    .into()
            }
            DossierError::Core(_) => "Une erreur est survenue. Réessayez plus tard.".into(),
        }
    }
}
