//! The objets (subjects) a member chooses from when writing, grouped in categories, each
//! with its response delays.
//!
//! The list is configuration: [`Catalogue::default_fr`] is the product's default, built
//! from domain.md §4.2 (a reconstruction, **not** ameli's real dropdown, which no source
//! lists), and an application may build its own with [`Catalogue::from_rows`]. Codes are
//! stored with each thread, so a code must never change meaning; retire an objet by
//! leaving it out of new catalogues only once no open thread uses it.

use super::Nature;
use super::delay::{ATTESTATION_DELAY_DAYS, DEFAULT_DELAY_DAYS, Delays, REMBOURSEMENT_DELAY_DAYS};

/// Longest code accepted, in bytes (codes are ASCII).
const MAX_CODE_LEN: usize = 64;
/// Longest label or category accepted, in characters.
const MAX_LABEL_CHARS: usize = 100;

/// One objet of a [`Catalogue`]: a stable code, a French label, the French label of its
/// category and its response delays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objet {
    code: String,
    label: String,
    category: String,
    delays: Delays,
}

impl Objet {
    /// Returns the stable code, e.g. `"remboursement.feuille_de_soins"`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Returns the French label, e.g. « Suivi d'une feuille de soins ».
    pub fn label_fr(&self) -> &str {
        &self.label
    }

    /// Returns the French label of the category, e.g. « Mes remboursements ».
    pub fn category_fr(&self) -> &str {
        &self.category
    }

    /// Returns the response delays of this objet.
    pub fn delays(&self) -> Delays {
        self.delays
    }

    /// Returns the response delay, in working days, of a message of this objet and
    /// `nature`.
    pub fn delay_days(&self, nature: Nature) -> u32 {
        self.delays.for_nature(nature)
    }
}

/// A category and its objets, in catalogue order: one `<optgroup>` of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category<'a> {
    /// French label of the category.
    pub label: &'a str,
    /// Its objets, in catalogue order.
    pub objets: Vec<&'a Objet>,
}

/// A validated list of objets: at least one, codes unique and well formed, labels
/// present, delays between 1 and [`super::MAX_DELAY_DAYS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    objets: Vec<Objet>,
}

/// Why a configured list (a catalogue of objets or a list of services) was refused.
/// `index` is the 0-based position of the offending row; variants carry no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum CatalogueError {
    /// The list has no row.
    #[error("the list is empty")]
    Empty,
    /// A code that is not lower-case ASCII letters, digits and `_`, in one or more
    /// segments joined by `.` (services take one segment), or longer than 64 bytes.
    #[error("row {index}: malformed code")]
    BadCode {
        /// Position of the row.
        index: usize,
    },
    /// A code already used by an earlier row.
    #[error("row {index}: code already used by an earlier row")]
    DuplicateCode {
        /// Position of the second row with the code.
        index: usize,
    },
    /// A code kept for the application's own use (`caisse`, the fund itself).
    #[error("row {index}: reserved code")]
    ReservedCode {
        /// Position of the row.
        index: usize,
    },
    /// A label or category that is empty, longer than 100 characters, padded with
    /// spaces or holding a control character.
    #[error("row {index}: empty, too long or malformed label")]
    BadLabel {
        /// Position of the row.
        index: usize,
    },
    /// A delay of 0 or above [`super::MAX_DELAY_DAYS`] working days.
    #[error("row {index}: delay out of range")]
    BadDelay {
        /// Position of the row.
        index: usize,
    },
}

impl CatalogueError {
    /// Returns the sentence shown to the administrator, in French; rows are numbered
    /// from 1 there.
    pub fn message_fr(&self) -> String {
        let row = |index: &usize| index + 1;
        match self {
            CatalogueError::Empty => "La liste ne contient aucune ligne.".to_owned(),
            CatalogueError::BadCode { index } => format!(
                "Ligne {} : le code doit être fait de lettres minuscules sans accent, de \
                 chiffres et de « _ » (64 caractères au plus).",
                row(index)
            ),
            CatalogueError::DuplicateCode { index } => format!(
                "Ligne {} : ce code est déjà utilisé par une ligne précédente.",
                row(index)
            ),
            CatalogueError::ReservedCode { index } => format!(
                "Ligne {} : le code « caisse » est réservé à la caisse elle-même.",
                row(index)
            ),
            CatalogueError::BadLabel { index } => format!(
                "Ligne {} : le libellé est vide, trop long (100 caractères au plus) ou \
                 contient un caractère non imprimable.",
                row(index)
            ),
            CatalogueError::BadDelay { index } => format!(
                "Ligne {} : le délai de réponse doit être compris entre 1 et {} jours ouvrés.",
                row(index),
                super::MAX_DELAY_DAYS
            ),
        }
    }
}

impl Catalogue {
    /// Builds a catalogue from `(code, label, category label, delays)` rows, kept in the
    /// given order (categories are shown in the order they first appear).
    ///
    /// Returns [`CatalogueError::Empty`] without rows, or the first problem in row order:
    /// [`CatalogueError::BadCode`], [`CatalogueError::DuplicateCode`],
    /// [`CatalogueError::BadLabel`] (label or category) or [`CatalogueError::BadDelay`].
    pub fn from_rows<I, S>(rows: I) -> Result<Catalogue, CatalogueError>
    where
        I: IntoIterator<Item = (S, S, S, Delays)>,
        S: Into<String>,
    {
        let mut objets: Vec<Objet> = Vec::new();
        for (index, (code, label, category, delays)) in rows.into_iter().enumerate() {
            let (code, label, category) = (code.into(), label.into(), category.into());
            check_code(&code, true, index)?;
            if objets.iter().any(|objet| objet.code == code) {
                return Err(CatalogueError::DuplicateCode { index });
            }
            if !is_good_label(&label) || !is_good_label(&category) {
                return Err(CatalogueError::BadLabel { index });
            }
            if !delays.are_valid() {
                return Err(CatalogueError::BadDelay { index });
            }
            objets.push(Objet {
                code,
                label,
                category,
                delays,
            });
        }
        if objets.is_empty() {
            return Err(CatalogueError::Empty);
        }
        Ok(Catalogue { objets })
    }

    /// Returns the default French catalogue, after domain.md §4.2, with the delays of
    /// [`super::delay`]: reimbursement questions 7 working days, attestations 3, other
    /// questions and reports 2, every réclamation 15.
    ///
    /// §4.2's « Réclamation » row is not an objet here: it is [`Nature::Reclamation`],
    /// which goes with any objet. Seed A's « Question relative à la MDPH » has no objet
    /// either: the MDPH is the département's, not the fund's.
    pub fn default_fr() -> Catalogue {
        // Built without `from_rows`'s checks, which a test runs on these rows, so that
        // this constructor cannot fail.
        let objets = DEFAULT_ROWS
            .iter()
            .map(|&(code, label, category, days)| Objet {
                code: code.to_owned(),
                label: label.to_owned(),
                category: category.to_owned(),
                delays: Delays::questions_in(days),
            })
            .collect();
        Catalogue { objets }
    }

    /// Returns every objet, in catalogue order.
    pub fn objets(&self) -> &[Objet] {
        &self.objets
    }

    /// Returns the objet of `code`, or `None` if the catalogue has none: the check to
    /// apply to a code sent by a form.
    pub fn get(&self, code: &str) -> Option<&Objet> {
        self.objets.iter().find(|objet| objet.code == code)
    }

    /// Returns the categories with their objets, in the order they first appear.
    pub fn categories(&self) -> Vec<Category<'_>> {
        let mut categories: Vec<Category<'_>> = Vec::new();
        for objet in &self.objets {
            match categories.iter_mut().find(|c| c.label == objet.category) {
                Some(category) => category.objets.push(objet),
                None => categories.push(Category {
                    label: &objet.category,
                    objets: vec![objet],
                }),
            }
        }
        categories
    }
}

/// Checks a code: ASCII lower-case letters, digits and `_` in segments joined by `.`
/// (one segment only unless `dotted`), at most [`MAX_CODE_LEN`] bytes.
pub(super) fn check_code(code: &str, dotted: bool, index: usize) -> Result<(), CatalogueError> {
    let segment_ok = |segment: &str| {
        !segment.is_empty()
            && segment
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    let segments_ok = if dotted {
        code.split('.').all(segment_ok)
    } else {
        segment_ok(code)
    };
    if code.len() > MAX_CODE_LEN || !segments_ok {
        return Err(CatalogueError::BadCode { index });
    }
    Ok(())
}

/// True for a label that is not empty, not padded, at most [`MAX_LABEL_CHARS`]
/// characters and free of control characters.
pub(super) fn is_good_label(label: &str) -> bool {
    !label.is_empty()
        && label.trim() == label
        && label.chars().count() <= MAX_LABEL_CHARS
        && !label.chars().any(char::is_control)
}

/// Category labels of the default catalogue, from domain.md §4.2.
mod category {
    pub const REMBOURSEMENTS: &str = "Mes remboursements";
    pub const CARTE_VITALE: &str = "Ma carte Vitale";
    pub const ATTESTATIONS: &str = "Mes attestations";
    pub const SITUATION: &str = "Changement de situation";
    pub const ARRET_TRAVAIL: &str = "Arrêt de travail et indemnités journalières";
    pub const MATERNITE: &str = "Maternité, paternité";
    pub const AT_MP: &str = "Accident du travail, maladie professionnelle";
    pub const ALD: &str = "Affection de longue durée (ALD)";
    pub const C2S: &str = "Complémentaire santé solidaire";
    pub const ETRANGER: &str = "Carte européenne, soins à l'étranger";
    pub const MEDECIN_TRAITANT: &str = "Médecin traitant";
    pub const INVALIDITE_DECES: &str = "Invalidité, capital décès";
    pub const TRANSPORT: &str = "Frais de transport";
    pub const SOMMES_A_PAYER: &str = "Avis de sommes à payer, franchises";
    pub const COMPTE: &str = "Mon compte en ligne";
    pub const DOCUMENT: &str = "Transmettre un document";
    pub const AUTRE: &str = "Autre demande";
}

/// The default objets: code, label, category, delay of questions and reports in working
/// days (réclamations always take [`super::RECLAMATION_DELAY_DAYS`]).
#[rustfmt::skip]
const DEFAULT_ROWS: &[(&str, &str, &str, u32)] = {
    use category::*;
    const D: u32 = DEFAULT_DELAY_DAYS;
    const R: u32 = REMBOURSEMENT_DELAY_DAYS;
    const A: u32 = ATTESTATION_DELAY_DAYS;
    &[
        ("remboursement.question", "Question sur un remboursement", REMBOURSEMENTS, R),
        ("remboursement.feuille_de_soins", "Suivi d'une feuille de soins", REMBOURSEMENTS, R),
        ("remboursement.contestation", "Contestation d'un remboursement", REMBOURSEMENTS, R),
        ("carte_vitale.commande", "Commande d'une carte Vitale", CARTE_VITALE, D),
        ("carte_vitale.perte_vol", "Perte ou vol de la carte Vitale", CARTE_VITALE, D),
        ("carte_vitale.dysfonctionnement", "Carte Vitale qui ne fonctionne pas", CARTE_VITALE, D),
        ("attestation.droits", "Attestation de droits", ATTESTATIONS, A),
        ("attestation.indemnites_journalieres", "Attestation de paiement des indemnités journalières", ATTESTATIONS, A),
        ("attestation.fiscale", "Relevé fiscal", ATTESTATIONS, A),
        ("situation.adresse", "Changement d'adresse", SITUATION, D),
        ("situation.coordonnees_bancaires", "Changement de coordonnées bancaires", SITUATION, D),
        ("situation.etat_civil", "Changement de nom ou d'état civil (mariage…)", SITUATION, D),
        ("situation.naissance", "Naissance ou adoption", SITUATION, D),
        ("arret_travail.declaration", "Envoi ou suivi d'un arrêt de travail", ARRET_TRAVAIL, D),
        ("arret_travail.indemnites_journalieres", "Paiement des indemnités journalières", ARRET_TRAVAIL, D),
        ("maternite.maternite", "Congé maternité", MATERNITE, D),
        ("maternite.paternite", "Congé de paternité et d'accueil de l'enfant", MATERNITE, D),
        ("at_mp.accident_travail", "Accident du travail ou de trajet", AT_MP, D),
        ("at_mp.maladie_professionnelle", "Maladie professionnelle", AT_MP, D),
        ("ald.question", "Question sur une affection de longue durée", ALD, D),
        ("c2s.demande", "Demande de Complémentaire santé solidaire", C2S, D),
        ("c2s.renouvellement", "Renouvellement de la Complémentaire santé solidaire", C2S, D),
        ("etranger.ceam", "Carte européenne d'assurance maladie", ETRANGER, D),
        ("etranger.soins", "Soins reçus à l'étranger", ETRANGER, D),
        ("medecin_traitant.declaration", "Déclaration ou changement de médecin traitant", MEDECIN_TRAITANT, D),
        ("invalidite_deces.invalidite", "Pension d'invalidité", INVALIDITE_DECES, D),
        ("invalidite_deces.capital_deces", "Capital décès", INVALIDITE_DECES, D),
        ("transport.remboursement", "Remboursement de frais de transport", TRANSPORT, D),
        ("sommes_a_payer.avis", "Avis de sommes à payer", SOMMES_A_PAYER, D),
        ("sommes_a_payer.franchises", "Participation forfaitaire et franchises médicales", SOMMES_A_PAYER, D),
        ("compte.acces", "Accès à mon compte", COMPTE, D),
        ("compte.technique", "Problème technique sur le site", COMPTE, D),
        ("document.envoi", "Envoi d'un document", DOCUMENT, D),
        ("autre.demande", "Autre demande", AUTRE, D),
    ]
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messaging::RECLAMATION_DELAY_DAYS;

    fn row(code: &str, delays: Delays) -> (&str, &str, &str, Delays) {
        (code, "Libellé", "Catégorie", delays)
    }

    #[test]
    fn the_default_catalogue_is_valid_and_follows_the_chosen_delays() {
        let rows = DEFAULT_ROWS
            .iter()
            .map(|&(c, l, g, d)| (c, l, g, Delays::questions_in(d)));
        let catalogue = Catalogue::from_rows(rows).unwrap();
        assert_eq!(catalogue, Catalogue::default_fr());
        assert_eq!(catalogue.objets().len(), 34);
        assert_eq!(catalogue.categories().len(), 17);

        let objet = catalogue.get("remboursement.feuille_de_soins").unwrap();
        assert_eq!(objet.label_fr(), "Suivi d'une feuille de soins");
        assert_eq!(objet.category_fr(), "Mes remboursements");
        assert_eq!(objet.delay_days(Nature::DemandeRenseignements), 7);
        assert_eq!(objet.delay_days(Nature::Signalement), 7);
        assert_eq!(objet.delay_days(Nature::Reclamation), 15);
        let attestation = catalogue.get("attestation.droits").unwrap();
        assert_eq!(attestation.delay_days(Nature::DemandeRenseignements), 3);
        let vitale = catalogue.get("carte_vitale.perte_vol").unwrap();
        assert_eq!(vitale.delay_days(Nature::Signalement), 2);
        assert!(
            catalogue
                .objets()
                .iter()
                .all(|o| o.delay_days(Nature::Reclamation) == RECLAMATION_DELAY_DAYS)
        );
        assert_eq!(catalogue.get("reclamation"), None);
        assert_eq!(catalogue.get("REMBOURSEMENT.QUESTION"), None);
    }

    #[test]
    fn categories_keep_the_order_of_first_appearance() {
        let d = Delays::questions_in(2);
        let catalogue = Catalogue::from_rows([
            ("b.un", "Un", "B", d),
            ("a.un", "Un", "A", d),
            ("b.deux", "Deux", "B", d),
        ])
        .unwrap();
        let categories = catalogue.categories();
        let labels: Vec<_> = categories.iter().map(|c| c.label).collect();
        assert_eq!(labels, ["B", "A"]);
        let codes: Vec<_> = categories[0].objets.iter().map(|o| o.code()).collect();
        assert_eq!(codes, ["b.un", "b.deux"]);
    }

    #[test]
    fn an_application_catalogue_is_checked_row_by_row() {
        let d = Delays::questions_in(2);
        let none: [(&str, &str, &str, Delays); 0] = [];
        assert_eq!(Catalogue::from_rows(none), Err(CatalogueError::Empty));
        for code in [
            "",
            "Remboursement",
            "a..b",
            ".a",
            "a.",
            "é",
            "a b",
            &"a".repeat(65),
        ] {
            assert_eq!(
                Catalogue::from_rows([row("ok", d), row(code, d)]),
                Err(CatalogueError::BadCode { index: 1 }),
                "{code:?}"
            );
        }
        assert!(Catalogue::from_rows([row(&"a".repeat(64), d)]).is_ok());
        assert_eq!(
            Catalogue::from_rows([row("a.b", d), row("c", d), row("a.b", d)]),
            Err(CatalogueError::DuplicateCode { index: 2 })
        );
        for (label, category) in [
            ("", "C"),
            ("L", ""),
            (" L", "C"),
            ("L", "C\n"),
            ("L\u{0}", "C"),
        ] {
            assert_eq!(
                Catalogue::from_rows([("a", label, category, d)]),
                Err(CatalogueError::BadLabel { index: 0 }),
                "{label:?} {category:?}"
            );
        }
        let long = "é".repeat(101);
        assert_eq!(
            Catalogue::from_rows([("a", long.as_str(), "C", d)]),
            Err(CatalogueError::BadLabel { index: 0 })
        );
        for delays in [
            Delays::questions_in(0),
            Delays::questions_in(251),
            Delays {
                reclamation: 0,
                ..d
            },
        ] {
            assert_eq!(
                Catalogue::from_rows([row("a", delays)]),
                Err(CatalogueError::BadDelay { index: 0 })
            );
        }
        assert!(Catalogue::from_rows([row("a", Delays::questions_in(250))]).is_ok());
    }

    #[test]
    fn errors_read_as_french_with_rows_counted_from_one() {
        assert_eq!(
            CatalogueError::DuplicateCode { index: 2 }.message_fr(),
            "Ligne 3 : ce code est déjà utilisé par une ligne précédente."
        );
        assert!(
            CatalogueError::BadDelay { index: 0 }
                .message_fr()
                .contains("entre 1 et 250 jours ouvrés")
        );
    }
}
