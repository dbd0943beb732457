//! The French full-text index of a fund's published entries (tantivy, in memory).

use caisse_domain::help::Category;

/// What the index reads of an entry.
#[derive(Clone, Debug)]
pub struct IndexedEntry {
    /// The entry's key within its fund (`"attestation-droits"`).
    pub slug: String,
    pub category: Category,
    pub question: String,
    /// Other ways members ask it.
    pub alternatives: Vec<String>,
    pub answer: String,
}

/// One entry found, best first.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub slug: String,
    pub category: Category,
    /// The engine's score (BM25 and boosts); comparable within one search only.
    pub score: f32,
    /// How much of the question the entry answers, from 0 to 1 (see [`crate::decide`]).
    pub confidence: f32,
}

/// The index could not be built.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("full-text index: {0}")]
    Engine(String),
}

/// A fund's entries, searchable.
pub struct FaqIndex {}

impl FaqIndex {
    /// Indexes `entries` (the published ones of a fund).
    ///
    /// # Errors
    /// [`IndexError::Engine`] if the engine fails (memory).
    pub fn build(entries: &[IndexedEntry]) -> Result<FaqIndex, IndexError> {
        let _ = entries;
        todo!("caisse-help index")
    }

    /// The entries that best answer `query`, at most `limit`, best first.
    #[must_use]
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let _ = (query, limit);
        todo!("caisse-help search")
    }

    /// Suggestions while typing: like [`FaqIndex::search`], the last word read as a prefix.
    #[must_use]
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<Hit> {
        let _ = (typed, limit);
        todo!("caisse-help suggest")
    }

    /// How many entries the index holds.
    #[must_use]
    pub fn len(&self) -> usize {
        todo!()
    }

    /// Whether the index holds no entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
