//! Synonyms and acronyms members use, expanded at query time: a word or phrase of the question
//! found in a group also looks for every other member of the group.

use crate::analysis::Analysis;

/// The groups, in normalised text (lower case, no accents). Stop words inside a phrase do not
/// count (« accident de travail » is « accident du travail »); plurals and most verb forms come
/// from the stemmer. A phrase may sit in several groups: it then looks for the members of all
/// of them (« mail » is an e-mail address and a message to the fund).
#[rustfmt::skip]
const GROUPS: &[&[&str]] = &[
    // The acronyms and names of the fund's world.
    &["carte vitale", "cv", "carte verte"],
    &["complementaire sante solidaire", "css", "c2s", "cmu c", "cmuc", "cmu",
      "aide complementaire sante", "acs", "complementaire solidaire"],
    &["indemnites journalieres", "ij", "indemnisation", "indemnites"],
    &["arret de travail", "arret maladie", "arret", "avis d arret", "arreter"],
    &["accident du travail", "at", "accident de trajet", "accident au boulot"],
    &["maladie professionnelle", "mp", "maladie pro"],
    &["affection de longue duree", "ald", "maladie chronique", "longue maladie"],
    &["maladie chronique", "maladie grave", "cancer", "diabete"],
    &["rib", "iban", "coordonnees bancaires", "releve d identite bancaire", "compte bancaire"],
    &["mutuelle", "complementaire", "complementaire sante", "assurance complementaire"],
    &["medecin traitant", "mt", "medecin referent", "docteur referent"],
    &["medecin", "docteur", "toubib"],
    &["specialiste", "ophtalmo", "ophtalmologue", "gyneco", "gynecologue", "dermato",
      "dermatologue", "psychiatre", "cardiologue", "pediatre"],
    &["kine", "kinesitherapeute", "masseur kinesitherapeute"],
    &["carte europeenne", "ceam", "carte europeenne d assurance maladie"],
    &["participation forfaitaire", "pf"],
    &["etranger", "europe", "allemagne", "belgique", "espagne", "italie", "portugal", "grece",
      "suisse", "royaume uni", "angleterre", "pays bas", "canada", "etats unis", "usa", "maroc",
      "algerie", "tunisie"],
    &["securite sociale", "secu", "assurance maladie", "ameli"],
    &["cpam", "caisse", "caisse primaire"],
    &["numero de securite sociale", "nir", "numero secu"],
    // The site.
    &["mot de passe", "mdp", "code secret"],
    &["connecter", "connexion", "loguer", "logger", "login", "identifier"],
    &["creer", "creation"],
    &["inscrire", "inscription"],
    &["cloturer", "cloture", "fermer", "fermeture", "supprimer", "suppression"],
    &["ordinateur", "ordi", "pc"],
    &["personnel", "perso"],
    &["mail", "email", "e mail", "courriel", "adresse electronique"],
    &["message", "mail", "courriel"],
    &["telephone", "portable", "mobile", "tel"],
    &["piece jointe", "fichier", "scan", "pj", "document joint"],
    &["telecharger", "imprimer", "editer"],
    &["papiers", "documents", "justificatifs", "pieces justificatives"],
    // Money.
    &["payer", "paye", "payee", "paie", "paiement", "verser", "versement", "toucher",
      "touche", "percevoir", "percu"],
    &["salaire", "revenu", "revenus", "ressources", "gagner", "gagne"],
    &["retenu", "retenue", "deduit", "deduction", "enleve", "preleve", "prelevement"],
    &["euro", "euros", "eur"],
    &["maximum", "max", "limite", "plafond"],
    &["pourcentage", "pourcent", "taux"],
    // Appointments.
    &["rendez vous", "rdv", "rendezvous"],
    &["conseiller", "conseillere", "agent", "interlocuteur"],
    &["agence", "accueil", "guichet"],
    &["deplacer", "decaler", "reporter", "repousser"],
    &["annuler", "annulation", "empechement"],
    &["prevenir", "previent", "avertir", "rappel"],
    &["apporter", "amener", "emmener", "prevoir"],
    &["disponible", "dispo", "creneau", "creneaux"],
    // Life events and people.
    &["enfant", "fils", "fille", "ado", "adolescent", "mineur"],
    &["naissance", "bebe", "bb", "nouveau ne", "accoucher", "accouchement"],
    &["grossesse", "enceinte", "maternite"],
    &["hopital", "hospitalise", "hospitalisation", "clinique"],
    &["employeur", "patron", "chef"],
    &["travail", "boulot", "taf", "job"],
    &["blesse", "blessure", "accident", "tombe", "chute", "glisse"],
    &["conjoint", "conjointe", "femme", "epouse", "mari", "compagne", "compagnon"],
    &["demenager", "demenagement", "nouvelle adresse", "changement d adresse"],
    // What goes wrong.
    &["casse", "cassee", "abime", "abimee", "endommagee", "fendue"],
    &["fonctionne", "marche", "lisible", "illisible"],
    &["refuse", "refus", "rejete", "rejetee", "rejet"],
    &["inconnu", "erreur", "anomalie"],
    &["vraie", "authentique", "fausse", "faux", "falsifiee"],
    &["expire", "expiration", "echeance", "termine"],
    &["utilite", "sert", "servir", "interet", "avantage"],
];

/// The synonym table, each phrase read by the analysis chain into its stems.
pub(crate) struct Synonyms {
    /// Every distinct phrase, as stems.
    phrases: Vec<Vec<String>>,
    /// For each phrase, the phrases of every group holding it (itself included).
    related: Vec<Vec<usize>>,
}

/// A phrase of the table found in a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// The phrase.
    pub(crate) phrase: usize,
    /// How many words of the question it covers.
    pub(crate) len: usize,
}

impl Synonyms {
    pub(crate) fn new(analysis: &Analysis) -> Synonyms {
        let mut phrases: Vec<Vec<String>> = Vec::new();
        let mut related: Vec<Vec<usize>> = Vec::new();
        for group in GROUPS {
            let mut members = Vec::new();
            for phrase in *group {
                let stems = analysis.stems(phrase);
                if stems.is_empty() {
                    continue;
                }
                let index = phrases.iter().position(|p| *p == stems).unwrap_or_else(|| {
                    phrases.push(stems);
                    related.push(Vec::new());
                    phrases.len() - 1
                });
                if !members.contains(&index) {
                    members.push(index);
                }
            }
            for member in &members {
                for other in &members {
                    if !related[*member].contains(other) {
                        related[*member].push(*other);
                    }
                }
            }
        }
        Synonyms { phrases, related }
    }

    /// The stems of `phrase`.
    pub(crate) fn stems(&self, phrase: usize) -> &[String] {
        &self.phrases[phrase]
    }

    /// The phrases `phrase` also looks for (itself included).
    pub(crate) fn related(&self, phrase: usize) -> &[usize] {
        &self.related[phrase]
    }

    /// The longest phrase starting the words `words` (each word: the stems it may be, as
    /// typed or a typo away).
    pub(crate) fn longest_at(&self, words: &[Vec<&str>]) -> Option<Found> {
        let mut best: Option<Found> = None;
        for (index, phrase) in self.phrases.iter().enumerate() {
            let len = phrase.len();
            if len > words.len() || best.is_some_and(|b| b.len >= len) {
                continue;
            }
            if phrase
                .iter()
                .zip(words)
                .all(|(stem, candidates)| candidates.contains(&stem.as_str()))
            {
                best = Some(Found { phrase: index, len });
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems_of(analysis: &Analysis, text: &str) -> Vec<String> {
        analysis.stems(text)
    }

    /// A group, named by its sorted phrases.
    fn group_of(synonyms: &Synonyms, found: Found) -> Vec<usize> {
        let mut group = synonyms.related(found.phrase).to_vec();
        group.sort_unstable();
        group
    }

    fn find(synonyms: &Synonyms, analysis: &Analysis, text: &str) -> Option<Found> {
        let stems = stems_of(analysis, text);
        let words: Vec<Vec<&str>> = stems.iter().map(|s| vec![s.as_str()]).collect();
        synonyms.longest_at(&words)
    }

    #[test]
    fn every_phrase_is_normalised_and_has_meaningful_words() {
        let analysis = Analysis::new();
        for phrase in GROUPS.iter().flat_map(|group| group.iter()) {
            assert_eq!(crate::text::normalize(phrase), *phrase);
            assert!(
                !stems_of(&analysis, phrase).is_empty(),
                "{phrase} is only stop words"
            );
        }
    }

    #[test]
    fn a_phrase_in_two_groups_looks_for_both() {
        let analysis = Analysis::new();
        let synonyms = Synonyms::new(&analysis);
        let phrase_of = |text: &str| find(&synonyms, &analysis, text).map(|f| f.phrase);
        let (Some(mail), Some(email), Some(message)) =
            (phrase_of("mail"), phrase_of("e-mail"), phrase_of("message"))
        else {
            panic!("mail, e-mail and message are in the table");
        };
        assert!(
            synonyms.related(mail).contains(&email) && synonyms.related(mail).contains(&message)
        );
        assert!(!synonyms.related(email).contains(&message));
    }

    #[test]
    fn finds_acronyms_and_phrases_whatever_their_form() {
        let analysis = Analysis::new();
        let synonyms = Synonyms::new(&analysis);
        let cv = find(&synonyms, &analysis, "CV").map(|f| group_of(&synonyms, f));
        assert_eq!(
            find(&synonyms, &analysis, "Carte Vitale perdue")
                .map(|f| (group_of(&synonyms, f), f.len)),
            cv.map(|g| (g, 2))
        );
        let at = find(&synonyms, &analysis, "at").map(|f| group_of(&synonyms, f));
        assert!(at.is_some());
        assert_eq!(
            find(&synonyms, &analysis, "accident de travail").map(|f| group_of(&synonyms, f)),
            at
        );
        assert_eq!(
            find(&synonyms, &analysis, "Accidents du Travail").map(|f| group_of(&synonyms, f)),
            at
        );
        // The longest phrase wins: the C2S is not a mutuelle.
        let c2s = find(&synonyms, &analysis, "c2s").map(|f| group_of(&synonyms, f));
        assert_eq!(
            find(&synonyms, &analysis, "complémentaire santé solidaire")
                .map(|f| group_of(&synonyms, f)),
            c2s
        );
        assert_ne!(
            find(&synonyms, &analysis, "complémentaire santé").map(|f| group_of(&synonyms, f)),
            c2s
        );
        assert_eq!(
            find(&synonyms, &analysis, "CMU-C").map(|f| group_of(&synonyms, f)),
            c2s
        );
        assert_eq!(find(&synonyms, &analysis, "remboursement"), None);
    }
}
