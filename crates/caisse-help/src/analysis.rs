//! The French analysis chain, the same for the entries and the questions: simple tokenizer →
//! lower case → ASCII folding → French stop words → French stemmer (Snowball).

use std::collections::HashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// The name the index's text fields are analysed under.
pub(crate) const ANALYZER_NAME: &str = "caisse_fr";

/// Words that carry no meaning of their own in a member's question, already folded: the
/// Snowball French stop words (tantivy's list), the other function words of Lucene's French
/// list (Savoy's), the forms of être, avoir, faire, pouvoir, devoir, vouloir and aller that
/// frame a question, politeness, and the SMS spellings of all these.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    // Snowball French list, folded.
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il",
    "je", "la", "le", "leur", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "nos",
    "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses",
    "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d",
    "j", "l", "a", "m", "n", "s", "t", "y", "ete", "etee", "etees", "etant", "suis", "es", "etes",
    "sont", "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions",
    "seriez", "seraient", "etais", "etait", "etions", "etiez", "etaient", "fus", "fut", "fumes",
    "futes", "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses",
    "fussions", "fussiez", "fussent", "ayant", "eu", "eue", "eues", "eus", "ai", "avons", "avez",
    "ont", "aurai", "aurons", "aurez", "auront", "aurais", "aurait", "aurions", "auriez",
    "auraient", "avais", "avait", "aviez", "avaient", "eut", "eumes", "eutes", "eurent", "aie",
    "aies", "ait", "ayons", "ayez", "aient", "eusse", "eusses", "eussions", "eussiez", "eussent",
    "ceci", "cela", "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle",
    "quelles", "sans", "soi",
    // Lucene's French list (function words only), folded.
    "afin", "ainsi", "apres", "aujourd", "hui", "auquel", "aussi", "autre", "autres", "avant",
    "avoir", "car", "celle", "celles", "celui", "cependant", "certain", "certaine", "certaines",
    "certains", "ceux", "chez", "ci", "comme", "comment", "concernant", "contre", "dedans",
    "dehors", "depuis", "derriere", "desormais", "dessous", "dessus", "devant", "divers",
    "diverses", "doit", "donc", "dont", "duquel", "durant", "elles", "entre", "environ", "est",
    "etc", "etre", "hormis", "hors", "jusqu", "jusque", "laquelle", "lequel", "lesquelles",
    "lesquels", "lorsque", "malgre", "merci", "moins", "neanmoins", "ni", "non", "outre", "parmi",
    "pendant", "plus", "plusieurs", "pourquoi", "pres", "puisque", "quand", "quoi", "quoique",
    "sauf", "selon", "si", "sinon", "son", "sous", "tous", "tout", "toute", "toutes", "va",
    "vers", "voici", "voila", "ca",
    // Verbs that frame a question, and other fillers.
    "as", "vais", "vas", "vont", "aller", "faire", "fait", "fais", "fera", "ferai", "ferais", "ferait", "faut", "peux", "peut",
    "peuvent", "pouvez", "pourrais", "pourriez", "puis", "dois", "devez", "veux", "veut",
    "voudrais", "voudrait", "souhaite", "souhaiterais", "sais", "savoir", "alors", "deja", "tres",
    "bien", "chaque", "fois", "maintenant", "quelque", "chose", "vraiment", "exactement",
    "pourtant", "voir", "vois", "voit",
    // Dates: details of the member's case, not what the entries are about.
    "hier", "demain", "bientot", "dernier", "derniere", "prochain", "prochaine", "lundi",
    "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier", "fevrier",
    "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
    "decembre",
    // Politeness and chat.
    "bonjour", "bonsoir", "salut", "cordialement", "madame", "monsieur",
    // SMS spellings.
    "cest", "jai", "ya", "g", "svp", "stp", "jsp", "koi", "pk", "pq", "pcq", "psk", "ke", "ki",
    "kan", "pr", "ds", "dc", "tt", "bjr", "slt", "mrc", "jpeux", "chui", "jsuis",
];

/// One word of a question: its folded form and, unless it is a stop word, its stem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    pub(crate) folded: String,
    pub(crate) stem: Option<String>,
}

/// The analysers of the chain.
#[derive(Clone)]
pub(crate) struct Analysis {
    /// Tokenizer, lower case, ASCII folding: the words as typed, folded.
    folding: TextAnalyzer,
    /// The whole chain, what the index holds.
    full: TextAnalyzer,
}

impl Analysis {
    pub(crate) fn new() -> Analysis {
        let folding = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build();
        let full = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(StopWordFilter::remove(
                STOP_WORDS.iter().map(|w| (*w).to_owned()),
            ))
            .filter(Stemmer::new(Language::French))
            .build();
        Analysis { folding, full }
    }

    /// The chain the index registers for its text fields.
    pub(crate) fn full_chain(&self) -> TextAnalyzer {
        self.full.clone()
    }

    /// The words of `text` in order, each folded and stemmed (stop words have no stem).
    pub(crate) fn words(&self, text: &str) -> Vec<Word> {
        let mut stems = HashMap::new();
        let mut full = self.full.clone();
        let mut stream = full.token_stream(text);
        while let Some(token) = stream.next() {
            stems.insert(token.position, token.text.clone());
        }
        let mut words = Vec::new();
        let mut folding = self.folding.clone();
        let mut stream = folding.token_stream(text);
        while let Some(token) = stream.next() {
            words.push(Word {
                folded: token.text.clone(),
                stem: stems.remove(&token.position),
            });
        }
        words
    }

    /// The stems of `text`, in order, stop words left out.
    pub(crate) fn stems(&self, text: &str) -> Vec<String> {
        let mut full = self.full.clone();
        let mut stream = full.token_stream(text);
        let mut stems = Vec::new();
        while let Some(token) = stream.next() {
            stems.push(token.text.clone());
        }
        stems
    }

    /// The stem of one folded word, `None` for a stop word.
    #[cfg(test)]
    pub(crate) fn stem(&self, folded: &str) -> Option<String> {
        self.stems(folded).into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_folded_like_the_text() {
        for word in STOP_WORDS {
            assert_eq!(crate::text::normalize(word), *word, "{word}");
        }
    }

    #[test]
    fn folds_removes_stop_words_and_stems() {
        let analysis = Analysis::new();
        assert_eq!(
            analysis.stems("Où sont mes Indemnités journalières ?"),
            analysis.stems("indemnite journaliere")
        );
        assert_eq!(
            analysis.stems("l'arrêt de travail"),
            analysis.stems("arret travail")
        );
        assert!(analysis.stems("Bonjour, comment je fais svp ?").is_empty());
        assert_eq!(
            analysis.stem("remboursements"),
            analysis.stem("remboursement")
        );
        assert_eq!(analysis.stem("attestations"), analysis.stem("attestation"));
    }

    #[test]
    fn words_keep_stop_words_without_stem() {
        let words = Analysis::new().words("L'arrêt de travail");
        let folded: Vec<&str> = words.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["l", "arret", "de", "travail"]);
        assert!(words[0].stem.is_none() && words[2].stem.is_none());
        assert!(words[1].stem.is_some() && words[3].stem.is_some());
    }
}
