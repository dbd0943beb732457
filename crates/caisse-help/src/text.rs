//! Normalised text: lower case, no accents, words separated by single spaces. The intents read
//! it, and the synonym table is written in it.

/// `text` in lower case, without accents, every run of other characters than letters and
/// digits turned into one space (« Où en est mon remboursement ? » → `ou en est mon
/// remboursement`).
#[must_use]
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            push_folded(&mut out, c);
        } else {
            pending_space = true;
        }
    }
    out
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

/// Pushes `c` (lower case) without its accent; ligatures become two letters.
fn push_folded(out: &mut String, c: char) {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'œ' => "oe",
        'æ' => "ae",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(folded);
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
