//! The help of the portal: the categories of the FAQ and the states of its entries.

/// A category of the FAQ; its code is stored and appears in URLs (`/aide/categorie/{code}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// See [`Category::label_fr`].
    Compte,
    /// See [`Category::label_fr`].
    Messagerie,
    /// See [`Category::label_fr`].
    Remboursements,
    /// See [`Category::label_fr`].
    Attestations,
    /// See [`Category::label_fr`].
    CarteVitale,
    /// See [`Category::label_fr`].
    C2s,
    /// See [`Category::label_fr`].
    ArretTravail,
    /// See [`Category::label_fr`].
    AccidentTravail,
    /// See [`Category::label_fr`].
    Ald,
    /// See [`Category::label_fr`].
    MedecinTraitant,
    /// See [`Category::label_fr`].
    Demarches,
    /// See [`Category::label_fr`].
    RendezVous,
}

impl Category {
    /// Every category, in the order of the help page.
    pub const ALL: [Category; 12] = [
        Category::Compte,
        Category::Messagerie,
        Category::Remboursements,
        Category::Attestations,
        Category::CarteVitale,
        Category::C2s,
        Category::ArretTravail,
        Category::AccidentTravail,
        Category::Ald,
        Category::MedecinTraitant,
        Category::Demarches,
        Category::RendezVous,
    ];

    /// The stable code (`"carte-vitale"`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Category::Compte => "compte",
            Category::Messagerie => "messagerie",
            Category::Remboursements => "remboursements",
            Category::Attestations => "attestations",
            Category::CarteVitale => "carte-vitale",
            Category::C2s => "c2s",
            Category::ArretTravail => "arret-travail",
            Category::AccidentTravail => "accident-travail",
            Category::Ald => "ald",
            Category::MedecinTraitant => "medecin-traitant",
            Category::Demarches => "demarches",
            Category::RendezVous => "rendez-vous",
        }
    }

    /// The category of a code, `None` for an unknown one.
    #[must_use]
    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The French title of the category.
    #[must_use]
    pub fn label_fr(self) -> &'static str {
        match self {
            Category::Compte => "Mon compte et l'accès au site",
            Category::Messagerie => "Écrire à ma caisse",
            Category::Remboursements => "Remboursements et paiements",
            Category::Attestations => "Attestations",
            Category::CarteVitale => "Carte Vitale et carte européenne",
            Category::C2s => "Complémentaire santé solidaire (C2S)",
            Category::ArretTravail => "Arrêt de travail et indemnités journalières",
            Category::AccidentTravail => "Accident du travail et maladie professionnelle",
            Category::Ald => "Affection de longue durée (ALD)",
            Category::MedecinTraitant => "Médecin traitant et parcours de soins",
            Category::Demarches => "Démarches en ligne",
            Category::RendezVous => "Rendez-vous avec un conseiller",
        }
    }

    /// The messaging objet (`caisse_domain::messaging` catalogue code) a question of this
    /// category is prefilled with when the assistant offers to write to the fund.
    #[must_use]
    pub fn objet_code(self) -> &'static str {
        match self {
            Category::Compte => "compte.acces",
            Category::Messagerie | Category::Demarches => "autre.demande",
            Category::Remboursements => "remboursement.question",
            Category::Attestations => "attestation.droits",
            Category::CarteVitale => "carte_vitale.commande",
            Category::C2s => "autre.demande",
            Category::ArretTravail => "arret_travail.indemnites_journalieres",
            Category::AccidentTravail => "at_mp.accident_travail",
            Category::Ald => "ald.question",
            Category::MedecinTraitant => "medecin_traitant.declaration",
            Category::RendezVous => "autre.demande",
        }
    }
}

/// Where an entry of the FAQ stands. Members read only the published version of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryStatus {
    /// Being written or changed; not shown to members (its last published version, if any, is).
    Draft,
    /// Shown to members.
    Published,
    /// Withdrawn: shown to nobody but the back office.
    Archived,
}

impl EntryStatus {
    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            EntryStatus::Draft => "draft",
            EntryStatus::Published => "published",
            EntryStatus::Archived => "archived",
        }
    }

    /// The status of a stored code.
    #[must_use]
    pub fn parse(code: &str) -> Option<EntryStatus> {
        [
            EntryStatus::Draft,
            EntryStatus::Published,
            EntryStatus::Archived,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// The French word of the back office.
    #[must_use]
    pub fn label_fr(self) -> &'static str {
        match self {
            EntryStatus::Draft => "Brouillon",
            EntryStatus::Published => "Publiée",
            EntryStatus::Archived => "Retirée",
        }
    }
}
