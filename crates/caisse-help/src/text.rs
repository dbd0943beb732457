//! Normalised text: lower case, no accents, words separated by single spaces. The intents read
//! it, and the synonym table is written in it.

/// `text` in lower case, without accents, every run of other characters than letters and
/// digits turned into one space (« Où en est mon remboursement ? » → `ou en est mon
/// remboursement`).
#[must_use]
pub(crate) fn normalize(text: &str) -> String {
    caisse_domain::french::folded_words(text)
}

/// The words of `text`, normalised.
#[must_use]
pub(crate) fn words(text: &str) -> Vec<String> {
    normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(
            normalize("Où en est mon REMBOURSEMENT ?"),
            "ou en est mon remboursement"
        );
        assert_eq!(
            normalize("  l'attestation  de l’Assurance-Maladie…"),
            "l attestation de l assurance maladie"
        );
        assert_eq!(normalize("Sœur, Noël, ça"), "soeur noel ca");
        assert_eq!(normalize("?!"), "");
    }

    #[test]
    fn splits_words() {
        assert_eq!(words("CMU-C / C2S"), vec!["cmu", "c", "c2s"]);
        assert!(words(" ").is_empty());
    }
}
