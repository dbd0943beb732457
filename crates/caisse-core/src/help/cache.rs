//! The index of each FAQ in memory, rebuilt when its fund's generation moves (a publication on
//! any node bumps it), so every node answers from the published entries within one request.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use caisse_domain::CaisseCode;
use caisse_domain::help::{FaqContent, FaqSlug};
use caisse_help::{FaqIndex, IndexedEntry};
use caisse_store::help::entries::Published;
use time::OffsetDateTime;

use super::no_id;
use crate::CoreError;

/// Whose FAQ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Source {
    /// A fund's, from the database.
    Fund(CaisseCode),
    /// The shipped entries, when no fund's applies.
    Shipped,
}

/// A FAQ with its index.
pub(super) struct Loaded {
    pub(super) source: Source,
    pub(super) generation: i64,
    pub(super) entries: Vec<Published>,
    pub(super) index: FaqIndex,
    by_slug: HashMap<String, usize>,
}

impl Loaded {
    /// Indexes `entries`.
    pub(super) fn build(
        source: Source,
        generation: i64,
        entries: Vec<Published>,
    ) -> Result<Loaded, CoreError> {
        let indexed: Vec<IndexedEntry> = entries
            .iter()
            .map(|e| IndexedEntry {
                slug: e.slug.as_str().to_owned(),
                category: e.content.category,
                question: e.content.question().to_owned(),
                alternatives: e.content.alternatives().to_vec(),
                answer: e.content.answer().to_owned(),
            })
            .collect();
        let index = FaqIndex::build(&indexed).map_err(|e| CoreError::Help(e.to_string()))?;
        let by_slug = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.slug.as_str().to_owned(), i))
            .collect();
        Ok(Loaded {
            source,
            generation,
            entries,
            index,
            by_slug,
        })
    }

    /// The entry at `slug`.
    pub(super) fn entry(&self, slug: &str) -> Option<&Published> {
        self.by_slug.get(slug).map(|&i| &self.entries[i])
    }
}

/// The shipped entries as if published.
pub(super) fn shipped_as_published(shipped: &[(FaqSlug, FaqContent)]) -> Vec<Published> {
    shipped
        .iter()
        .map(|(slug, content)| Published {
            id: no_id(),
            slug: slug.clone(),
            content: content.clone(),
            published_at: OffsetDateTime::UNIX_EPOCH,
        })
        .collect()
}

/// The loaded FAQs of this node.
#[derive(Default)]
pub(super) struct IndexCache {
    loaded: RwLock<HashMap<Source, Arc<Loaded>>>,
}

impl IndexCache {
    /// `source`'s FAQ if it is loaded at `generation`.
    pub(super) fn get(&self, source: Source, generation: i64) -> Option<Arc<Loaded>> {
        let loaded = self
            .loaded
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        loaded
            .get(&source)
            .filter(|l| l.generation == generation)
            .cloned()
    }

    /// Keeps `loaded` (a newer generation replaces an older one, never the reverse).
    pub(super) fn put(&self, loaded: Loaded) -> Arc<Loaded> {
        let loaded = Arc::new(loaded);
        let mut map = self
            .loaded
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match map.get(&loaded.source) {
            Some(kept) if kept.generation > loaded.generation => {}
            _ => {
                map.insert(loaded.source, loaded.clone());
            }
        }
        loaded
    }
}
