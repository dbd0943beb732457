//! What the index knows of its entries' words, beside tantivy: each stem's entries (for the
//! rarity of a word and the confidence of a hit) and the folded words (for typos and
//! prefixes).

use std::collections::{BTreeMap, HashMap};

use crate::analysis::Analysis;

/// A stem, numbered.
pub(crate) type StemId = u32;

/// The stems of one entry.
#[derive(Clone, Debug, Default)]
struct EntryStems {
    /// In its question and alternatives, sorted.
    head: Vec<StemId>,
}

/// The text of one entry as the vocabulary reads it.
pub(crate) struct EntryText<'a> {
    /// The question and the alternatives.
    pub(crate) head: Vec<&'a str>,
    /// The answer and the category title.
    pub(crate) body: Vec<&'a str>,
}

/// Where a stem was found in an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// In the question or an alternative.
    Head,
    /// Only in the answer or the category title.
    Body,
}

pub(crate) struct Vocabulary {
    ids: HashMap<String, StemId>,
    stems: Vec<String>,
    /// The entries (by position) holding each stem, sorted.
    postings: Vec<Vec<u32>>,
    entries: Vec<EntryStems>,
    /// Every folded word of the entries and its stem.
    words: BTreeMap<String, StemId>,
    /// The same, grouped by length for the typo search.
    words_by_len: Vec<Vec<(String, StemId)>>,
}

impl Vocabulary {
    pub(crate) fn build(analysis: &Analysis, texts: &[EntryText<'_>]) -> Vocabulary {
        let mut vocabulary = Vocabulary {
            ids: HashMap::new(),
            stems: Vec::new(),
            postings: Vec::new(),
            entries: Vec::with_capacity(texts.len()),
            words: BTreeMap::new(),
            words_by_len: Vec::new(),
        };
        for (position, text) in texts.iter().enumerate() {
            let entry = u32::try_from(position).unwrap_or(u32::MAX);
            let mut head = Vec::new();
            for (part, in_head) in text
                .head
                .iter()
                .map(|t| (t, true))
                .chain(text.body.iter().map(|t| (t, false)))
            {
                for word in analysis.words(part) {
                    let Some(stem) = word.stem else { continue };
                    let id = vocabulary.intern(stem);
                    vocabulary.words.entry(word.folded).or_insert(id);
                    let postings = &mut vocabulary.postings[id as usize];
                    if postings.last() != Some(&entry) {
                        postings.push(entry);
                    }
                    if in_head {
                        head.push(id);
                    }
                }
            }
            head.sort_unstable();
            head.dedup();
            vocabulary.entries.push(EntryStems { head });
        }
        for (word, id) in &vocabulary.words {
            let len = word.len();
            if vocabulary.words_by_len.len() <= len {
                vocabulary.words_by_len.resize_with(len + 1, Vec::new);
            }
            vocabulary.words_by_len[len].push((word.clone(), *id));
        }
        vocabulary
    }

    fn intern(&mut self, stem: String) -> StemId {
        if let Some(id) = self.ids.get(&stem) {
            return *id;
        }
        let id = StemId::try_from(self.stems.len()).unwrap_or(StemId::MAX);
        self.ids.insert(stem.clone(), id);
        self.stems.push(stem);
        self.postings.push(Vec::new());
        id
    }

    /// How many entries the vocabulary read.
    pub(crate) fn entry_count(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn id(&self, stem: &str) -> Option<StemId> {
        self.ids.get(stem).copied()
    }

    pub(crate) fn stem(&self, id: StemId) -> &str {
        &self.stems[id as usize]
    }

    /// The entries holding `id`, sorted.
    pub(crate) fn postings(&self, id: StemId) -> &[u32] {
        &self.postings[id as usize]
    }

    /// Where `entry` holds every stem of `stems`, if it does.
    pub(crate) fn place(&self, entry: u32, stems: &[StemId]) -> Option<Place> {
        let mut place = Place::Head;
        for id in stems {
            if self.postings(*id).binary_search(&entry).is_err() {
                return None;
            }
            let head = &self.entries[entry as usize].head;
            if head.binary_search(id).is_err() {
                place = Place::Body;
            }
        }
        Some(place)
    }

    /// The stems of the words `edits` or fewer typos away from `folded`.
    pub(crate) fn words_near(&self, folded: &str, edits: usize) -> Vec<StemId> {
        let mut found = Vec::new();
        let len = folded.len();
        for candidates in self
            .words_by_len
            .iter()
            .take(len + edits + 1)
            .skip(len.saturating_sub(edits))
        {
            for (word, id) in candidates {
                if crate::fuzzy::within(folded, word, edits) && !found.contains(id) {
                    found.push(*id);
                }
            }
        }
        found
    }

    /// The stems `edits` or fewer typos away from `stem`.
    pub(crate) fn stems_near(&self, stem: &str, edits: usize) -> Vec<StemId> {
        let mut found = Vec::new();
        for (id, known) in self.stems.iter().enumerate() {
            if crate::fuzzy::within(stem, known, edits) {
                found.push(StemId::try_from(id).unwrap_or(StemId::MAX));
            }
        }
        found
    }

    /// The stems of the words starting with `prefix`, the most frequent first, at most `limit`.
    pub(crate) fn completions(&self, prefix: &str, limit: usize) -> Vec<StemId> {
        let mut found: Vec<StemId> = Vec::new();
        for (word, id) in self.words.range(prefix.to_owned()..) {
            if !word.starts_with(prefix) {
                break;
            }
            if !found.contains(id) {
                found.push(*id);
            }
        }
        found.sort_by_key(|id| std::cmp::Reverse(self.postings(*id).len()));
        found.truncate(limit);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let texts = [
            EntryText {
                head: vec!["Commander une carte Vitale"],
                body: vec!["La carte arrive."],
            },
            EntryText {
                head: vec!["Attestation de droits"],
                body: vec!["Votre carte Vitale suffit."],
            },
        ];
        Vocabulary::build(&Analysis::new(), &texts)
    }

    #[test]
    fn knows_where_each_stem_is() {
        let vocabulary = vocabulary();
        let analysis = Analysis::new();
        let id = |word: &str| {
            vocabulary
                .id(&analysis.stem(word).unwrap_or_default())
                .unwrap_or(u32::MAX)
        };
        assert_eq!(vocabulary.postings(id("cartes")), &[0, 1]);
        assert_eq!(
            vocabulary.place(0, &[id("carte"), id("vitale")]),
            Some(Place::Head)
        );
        assert_eq!(
            vocabulary.place(1, &[id("carte"), id("vitale")]),
            Some(Place::Body)
        );
        assert_eq!(vocabulary.place(0, &[id("attestation")]), None);
        assert_eq!(vocabulary.entry_count(), 2);
    }

    #[test]
    fn finds_typos_and_prefixes() {
        let vocabulary = vocabulary();
        let analysis = Analysis::new();
        let id = |word: &str| {
            vocabulary
                .id(&analysis.stem(word).unwrap_or_default())
                .unwrap_or(u32::MAX)
        };
        assert_eq!(
            vocabulary.words_near("atestation", 1),
            vec![id("attestation")]
        );
        assert!(vocabulary.words_near("atestatoin", 1).is_empty());
        assert_eq!(vocabulary.completions("comm", 5), vec![id("commander")]);
        assert_eq!(vocabulary.completions("ca", 5), vec![id("carte")]);
        assert!(vocabulary.completions("zz", 5).is_empty());
    }
}
