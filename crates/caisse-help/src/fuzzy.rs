//! Typos: how far two words may be and still match, in edits (a letter inserted, removed,
//! replaced, or two neighbours swapped).

/// The edits a word of `len` letters may differ by: none under 5 letters (too many short
/// words are one letter apart), 1 from 5, 2 from 8.
#[must_use]
pub(crate) fn allowed_edits(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// Whether `a` and `b` (folded, ASCII) are at most `max` edits apart (optimal string alignment:
/// Levenshtein plus the swap of two neighbouring letters).
#[must_use]
pub(crate) fn within(a: &str, b: &str, max: usize) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    if max == 0 {
        return a == b;
    }
    // Three rows of the dynamic programme: two rows back for the swap.
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            row_min = row_min.min(best);
        }
        if row_min > max {
            return false;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_must_be_exact() {
        assert_eq!(allowed_edits(4), 0);
        assert_eq!(allowed_edits(5), 1);
        assert_eq!(allowed_edits(7), 1);
        assert_eq!(allowed_edits(8), 2);
    }

    #[test]
    fn counts_inserts_deletes_replacements_and_swaps() {
        assert!(within("atestation", "attestation", 1));
        assert!(within("attestaiton", "attestation", 1));
        assert!(within("remboursemnt", "remboursement", 1));
        assert!(within("vitalle", "vitale", 1));
        assert!(within("mutuel", "mutuelle", 2));
        assert!(!within("mutuel", "mutuelle", 1));
        assert!(within("carte", "carte", 0));
        assert!(!within("carte", "carta", 0));
        assert!(!within("arret", "accident", 2));
        assert!(!within("maladie", "malade", 0));
        assert!(within("maladie", "malade", 1));
    }
}
