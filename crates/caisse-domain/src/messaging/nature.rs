//! The nature of a message: what the member expects from the fund, independent of its
//! theme (the objet code). Seed B names three kinds (domain.md §4.1); a member who cannot
//! tell answers « Je ne sais pas » ([`Nature::NonPrecisee`]) and an advisor classifies the
//! thread later. The nature chooses the response delay together with the theme (see
//! [`super::Delays`]).

/// What the member asks for. Stored by [`Nature::code`], shown by [`Nature::label_fr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nature {
    /// *Demande de renseignements*: a question about rights, procedures or payments.
    DemandeRenseignements,
    /// *Signalement*: an error or anomaly on the account, a statement or a payment.
    Signalement,
    /// *Réclamation*: the member disputes a decision or complains about the service;
    /// after an unsuccessful one they may refer to the médiateur (domain.md §10).
    Reclamation,
    /// « Je ne sais pas »: the member did not choose; an advisor sets the nature later.
    /// Answered within the delay of a *demande de renseignements* meanwhile, and never a
    /// réclamation for the médiateur until classified as one.
    NonPrecisee,
}

impl Nature {
    /// Every nature, in the order of the form (« Je ne sais pas » last).
    pub const ALL: [Nature; 4] = [
        Nature::DemandeRenseignements,
        Nature::Signalement,
        Nature::Reclamation,
        Nature::NonPrecisee,
    ];

    /// The natures an advisor may classify a thread as: every one but « non précisée ».
    pub const CLASSIFIED: [Nature; 3] = [
        Nature::DemandeRenseignements,
        Nature::Signalement,
        Nature::Reclamation,
    ];

    /// Returns the stable code stored in the database and sent by forms, e.g.
    /// `"demande_renseignements"`. Never change a code: stored threads refer to it.
    pub fn code(self) -> &'static str {
        match self {
            Nature::DemandeRenseignements => "demande_renseignements",
            Nature::Signalement => "signalement",
            Nature::Reclamation => "reclamation",
            Nature::NonPrecisee => "non_precisee",
        }
    }

    /// Returns the nature of a [`Nature::code`], or `None` for any other string.
    pub fn from_code(code: &str) -> Option<Nature> {
        Nature::ALL.into_iter().find(|nature| nature.code() == code)
    }

    /// Returns the French label: « Demande de renseignements », « Signalement »,
    /// « Réclamation » or « Non précisée (à classer) ».
    pub fn label_fr(self) -> &'static str {
        match self {
            Nature::DemandeRenseignements => "Demande de renseignements",
            Nature::Signalement => "Signalement",
            Nature::Reclamation => "Réclamation",
            Nature::NonPrecisee => "Non précisée (à classer)",
        }
    }

    /// Returns the label of the choice in the member's form: the [`Nature::label_fr`], or
    /// « Je ne sais pas ».
    pub fn choice_fr(self) -> &'static str {
        match self {
            Nature::NonPrecisee => "Je ne sais pas",
            other => other.label_fr(),
        }
    }

    /// True until an advisor classified a « Je ne sais pas ».
    pub fn is_unclassified(self) -> bool {
        self == Nature::NonPrecisee
    }

    /// Returns a one-sentence French hint shown under the choice, after seed B's examples.
    pub fn hint_fr(self) -> &'static str {
        match self {
            Nature::DemandeRenseignements => {
                "Vous souhaitez une information sur vos droits, vos démarches ou vos \
                 remboursements."
            }
            Nature::Signalement => {
                "Vous constatez une erreur ou une anomalie sur votre compte, un relevé ou \
                 un paiement."
            }
            Nature::Reclamation => {
                "Vous contestez une décision de votre caisse ou vous êtes mécontent du \
                 traitement de votre dossier."
            }
            Nature::NonPrecisee => "Votre caisse classera elle-même votre demande.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_labels_are_french() {
        for nature in Nature::ALL {
            assert_eq!(Nature::from_code(nature.code()), Some(nature));
        }
        assert_eq!(Nature::from_code("Reclamation"), None);
        assert_eq!(Nature::from_code(""), None);
        assert_eq!(
            Nature::DemandeRenseignements.label_fr(),
            "Demande de renseignements"
        );
        assert_eq!(Nature::Signalement.label_fr(), "Signalement");
        assert_eq!(Nature::Reclamation.label_fr(), "Réclamation");
        assert_eq!(Nature::NonPrecisee.choice_fr(), "Je ne sais pas");
        assert!(!Nature::CLASSIFIED.contains(&Nature::NonPrecisee));
    }
}
