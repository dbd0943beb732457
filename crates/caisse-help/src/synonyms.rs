//! Synonyms and acronyms members use, expanded at query time: a word or phrase of the question
//! found in a group also looks for every other member of the group.

use crate::analysis::Analysis;

/// The groups, in normalised text (lower case, no accents). Stop words inside a phrase do not
/// count (« accident de travail » is « accident du travail »); plurals and verb forms come
/// from the stemmer.
const GROUPS: &[&[&str]] = &[
    &["carte vitale", "cv", "carte verte"],
    &[
        "complementaire sante solidaire",
        "css",
        "c2s",
        "cmuc",
        "cmu",
        "aide complementaire sante",
        "acs",
    ],
    &[
        "indemnites journalieres",
        "ij",
        "indemnisation",
        "indemnites",
    ],
    &["arret de travail", "arret maladie", "arret", "avis d arret"],
    &["accident du travail", "at", "accident de trajet"],
    &["maladie professionnelle", "mp"],
    &[
        "affection de longue duree",
        "ald",
        "maladie chronique",
        "longue maladie",
    ],
    &[
        "rib",
        "iban",
        "coordonnees bancaires",
        "releve d identite bancaire",
        "compte bancaire",
    ],
    &[
        "mutuelle",
        "complementaire",
        "complementaire sante",
        "assurance complementaire",
    ],
    &["medecin traitant", "mt", "medecin referent"],
    &[
        "carte europeenne",
        "ceam",
        "carte europeenne d assurance maladie",
    ],
    &["participation forfaitaire", "pf"],
    &["securite sociale", "secu", "assurance maladie", "ameli"],
    &["cpam", "caisse", "caisse primaire"],
    &["mot de passe", "mdp", "code secret"],
    &["rendez vous", "rdv", "rendezvous"],
    &[
        "mail",
        "email",
        "e mail",
        "courriel",
        "adresse electronique",
    ],
    &["telephone", "portable", "mobile", "tel"],
    &["numero de securite sociale", "nir", "numero secu"],
    &["teleconsultation", "consultation video", "visio"],
];

/// The synonym table, each phrase read by the analysis chain into its stems.
pub(crate) struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
}

/// A phrase of the table found in a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) group: usize,
    /// How many words of the question it covers.
    pub(crate) len: usize,
    /// Its phrase within the group.
    pub(crate) phrase: usize,
}

impl Synonyms {
    pub(crate) fn new(analysis: &Analysis) -> Synonyms {
        let groups = GROUPS
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|phrase| analysis.stems(phrase))
                    .filter(|stems| !stems.is_empty())
                    .collect()
            })
            .collect();
        Synonyms { groups }
    }

    /// The phrases (as stems) of `group`.
    pub(crate) fn phrases(&self, group: usize) -> &[Vec<String>] {
        &self.groups[group]
    }

    /// The longest phrase starting the words `stems` (each word: the stems it may be, as typed
    /// or a typo away).
    pub(crate) fn longest_at(&self, words: &[Vec<&str>]) -> Option<Found> {
        let mut best: Option<Found> = None;
        for (group, phrases) in self.groups.iter().enumerate() {
            for (index, phrase) in phrases.iter().enumerate() {
                let len = phrase.len();
                if len > words.len() || best.is_some_and(|b| b.len >= len) {
                    continue;
                }
                if phrase
                    .iter()
                    .zip(words)
                    .all(|(stem, candidates)| candidates.contains(&stem.as_str()))
                {
                    best = Some(Found {
                        group,
                        len,
                        phrase: index,
                    });
                }
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

    fn find(synonyms: &Synonyms, analysis: &Analysis, text: &str) -> Option<Found> {
        let stems = stems_of(analysis, text);
        let words: Vec<Vec<&str>> = stems.iter().map(|s| vec![s.as_str()]).collect();
        synonyms.longest_at(&words)
    }

    #[test]
    fn every_phrase_has_meaningful_words_and_one_group() {
        let analysis = Analysis::new();
        let synonyms = Synonyms::new(&analysis);
        let mut seen = std::collections::HashMap::new();
        for (group, phrases) in GROUPS.iter().enumerate() {
            assert_eq!(synonyms.phrases(group).len(), phrases.len(), "{phrases:?}");
            for phrase in *phrases {
                assert_eq!(crate::text::normalize(phrase), *phrase);
                let stems = stems_of(&analysis, phrase);
                assert_eq!(seen.insert(stems, group), None, "{phrase} is in two groups");
            }
        }
    }

    #[test]
    fn finds_acronyms_and_phrases_whatever_their_form() {
        let analysis = Analysis::new();
        let synonyms = Synonyms::new(&analysis);
        let cv = find(&synonyms, &analysis, "CV").map(|f| f.group);
        assert_eq!(
            find(&synonyms, &analysis, "Carte Vitale perdue").map(|f| (f.group, f.len)),
            cv.map(|g| (g, 2))
        );
        let at = find(&synonyms, &analysis, "at").map(|f| f.group);
        assert!(at.is_some());
        assert_eq!(
            find(&synonyms, &analysis, "accident de travail").map(|f| f.group),
            at
        );
        assert_eq!(
            find(&synonyms, &analysis, "Accidents du Travail").map(|f| f.group),
            at
        );
        // The longest phrase wins: the C2S is not a mutuelle.
        let c2s = find(&synonyms, &analysis, "c2s").map(|f| f.group);
        assert_eq!(
            find(&synonyms, &analysis, "complémentaire santé solidaire").map(|f| f.group),
            c2s
        );
        assert_ne!(
            find(&synonyms, &analysis, "complémentaire santé").map(|f| f.group),
            c2s
        );
        assert_eq!(find(&synonyms, &analysis, "CMU-C").map(|f| f.group), c2s);
        assert_eq!(find(&synonyms, &analysis, "remboursement"), None);
    }
}
