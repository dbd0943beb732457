//! The categories of care: each has its own rate, and maybe a participation or a franchise.

/// Why a category code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown act category")]
pub struct CategoryError;

impl CategoryError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        "Catégorie d'acte inconnue (voir docs/claims-rules.md)."
    }
}

/// What kind of care an act is. The rate, the hors-parcours rate and the deduction of each
/// category are reference data (`reference/rates.csv`), not code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActCategory {
    /// Médecin généraliste.
    MedecinGeneraliste,
    /// Médecin spécialiste.
    MedecinSpecialiste,
    /// Pédiatre.
    Pediatre,
    /// Sage-femme.
    SageFemme,
    /// Chirurgien-dentiste.
    ChirurgienDentiste,
    /// Infirmier.
    Infirmier,
    /// Masseur-kinésithérapeute.
    MasseurKinesitherapeute,
    /// Other auxiliaires médicaux (orthophoniste, orthoptiste, pédicure-podologue).
    AutreAuxiliaire,
    /// Medicine reimbursed at 100 %.
    Pharmacie100,
    /// Medicine reimbursed at 65 %.
    Pharmacie65,
    /// Medicine reimbursed at 30 %.
    Pharmacie30,
    /// Medicine reimbursed at 15 %.
    Pharmacie15,
    /// Laboratory analyses.
    Biologie,
    /// Radiology exams.
    Radiologie,
    /// Ambulance.
    Ambulance,
    /// Véhicule sanitaire léger.
    Vsl,
    /// Taxi conventionné.
    Taxi,
    /// Frais de séjour hospitalier.
    FraisDeSejour,
    /// Forfait journalier hospitalier (not reimbursed by the régime général).
    ForfaitJournalier,
    /// Glasses of the 100 % Santé offer.
    Optique100Sante,
    /// Hearing aids of the 100 % Santé offer.
    Audiologie100Sante,
}

impl ActCategory {
    /// Every category, in the order of the documentation.
    pub const ALL: [ActCategory; 21] = [
        ActCategory::MedecinGeneraliste,
        ActCategory::MedecinSpecialiste,
        ActCategory::Pediatre,
        ActCategory::SageFemme,
        ActCategory::ChirurgienDentiste,
        ActCategory::Infirmier,
        ActCategory::MasseurKinesitherapeute,
        ActCategory::AutreAuxiliaire,
        ActCategory::Pharmacie100,
        ActCategory::Pharmacie65,
        ActCategory::Pharmacie30,
        ActCategory::Pharmacie15,
        ActCategory::Biologie,
        ActCategory::Radiologie,
        ActCategory::Ambulance,
        ActCategory::Vsl,
        ActCategory::Taxi,
        ActCategory::FraisDeSejour,
        ActCategory::ForfaitJournalier,
        ActCategory::Optique100Sante,
        ActCategory::Audiologie100Sante,
    ];

    /// Parses the code of the reference files (`medecin_generaliste`, `pharmacie_65`…).
    pub fn parse(raw: &str) -> Result<ActCategory, CategoryError> {
        let code = raw.trim();
        ActCategory::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or(CategoryError)
    }

    /// The code of the reference files.
    pub fn code(self) -> &'static str {
        match self {
            ActCategory::MedecinGeneraliste => "medecin_generaliste",
            ActCategory::MedecinSpecialiste => "medecin_specialiste",
            ActCategory::Pediatre => "pediatre",
            ActCategory::SageFemme => "sage_femme",
            ActCategory::ChirurgienDentiste => "chirurgien_dentiste",
            ActCategory::Infirmier => "infirmier",
            ActCategory::MasseurKinesitherapeute => "masseur_kinesitherapeute",
            ActCategory::AutreAuxiliaire => "autre_auxiliaire",
            ActCategory::Pharmacie100 => "pharmacie_100",
            ActCategory::Pharmacie65 => "pharmacie_65",
            ActCategory::Pharmacie30 => "pharmacie_30",
            ActCategory::Pharmacie15 => "pharmacie_15",
            ActCategory::Biologie => "biologie",
            ActCategory::Radiologie => "radiologie",
            ActCategory::Ambulance => "ambulance",
            ActCategory::Vsl => "vsl",
            ActCategory::Taxi => "taxi",
            ActCategory::FraisDeSejour => "frais_de_sejour",
            ActCategory::ForfaitJournalier => "forfait_journalier",
            ActCategory::Optique100Sante => "optique_100_sante",
            ActCategory::Audiologie100Sante => "audiologie_100_sante",
        }
    }

    /// The label shown to the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            ActCategory::MedecinGeneraliste => "Médecin généraliste",
            ActCategory::MedecinSpecialiste => "Médecin spécialiste",
            ActCategory::Pediatre => "Pédiatre",
            ActCategory::SageFemme => "Sage-femme",
            ActCategory::ChirurgienDentiste => "Chirurgien-dentiste",
            ActCategory::Infirmier => "Infirmier",
            ActCategory::MasseurKinesitherapeute => "Masseur-kinésithérapeute",
            ActCategory::AutreAuxiliaire => "Auxiliaire médical",
            ActCategory::Pharmacie100 => "Médicament remboursable à 100 %",
            ActCategory::Pharmacie65 => "Médicament remboursable à 65 %",
            ActCategory::Pharmacie30 => "Médicament remboursable à 30 %",
            ActCategory::Pharmacie15 => "Médicament remboursable à 15 %",
            ActCategory::Biologie => "Analyses de biologie médicale",
            ActCategory::Radiologie => "Radiologie",
            ActCategory::Ambulance => "Transport en ambulance",
            ActCategory::Vsl => "Transport en VSL",
            ActCategory::Taxi => "Transport en taxi conventionné",
            ActCategory::FraisDeSejour => "Frais de séjour hospitalier",
            ActCategory::ForfaitJournalier => "Forfait journalier hospitalier",
            ActCategory::Optique100Sante => "Optique 100 % Santé",
            ActCategory::Audiologie100Sante => "Audiologie 100 % Santé",
        }
    }

    /// The forfait journalier is due by the patient: an ALD or an invalidity pension does
    /// not exempt from it (only maternité and AT/MP do, domain-2.md §1.2).
    pub fn is_forfait_journalier(self) -> bool {
        self == ActCategory::ForfaitJournalier
    }
}
