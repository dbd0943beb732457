//! Help (issue 17): a fund's FAQ read by members and visitors (`member`: categories, an
//! entry, the search, suggestions, « Cette réponse vous a-t-elle aidé ? » and the assistant),
//! edited by its supervisors (`admin`: drafts, publication, versions, the questions nothing
//! answered), loaded from the shipped entries on first start (`seed`). Search and decisions
//! are `caisse_help`'s, over an index per fund kept in memory (`cache`) and rebuilt when the
//! fund's generation moves.
//!
//! Which FAQ a reader gets: a member, their fund's when it has one; anyone else, the
//! deployment's fund (`help_fund`) when it has one; otherwise the shipped entries as they are.

mod admin;
mod cache;
mod member;
mod seed;

use std::sync::Arc;

use caisse_domain::CaisseCode;
use caisse_domain::help::{Category, FaqContent, FaqLink, FaqSlug};
use caisse_store::Db;
use caisse_store::help::entries;
use caisse_store::members;
use uuid::Uuid;

pub use admin::{
    AdminEntry, AdminFilter, AdminRow, EntryForm, HelpAdminError, Insights, current_form,
};
pub use caisse_help::Intent;
pub use caisse_store::help::entries::{Entry, Version};
pub use caisse_store::help::queries::QueryGroup;
pub use member::{
    AssistantReply, CategoryCount, EntryPage, EntrySummary, LatestPayment, Reader, Reply,
    SearchResults,
};

use crate::CoreError;
use crate::claims::member_payments::MemberPayments;
use crate::clock::Clock;
use cache::{IndexCache, Source};

/// How long the questions asked of the help are kept, in days (docs/operations.md).
pub const QUESTIONS_KEPT_DAYS: i64 = 180;

/// The help of the portal. Cheap to clone.
#[derive(Clone)]
pub struct Help {
    db: Db,
    clock: Arc<dyn Clock>,
    cache: Arc<IndexCache>,
    public_fund: Option<CaisseCode>,
    shipped: Arc<Vec<(FaqSlug, FaqContent)>>,
    payments: MemberPayments,
}

impl std::fmt::Debug for Help {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Help")
            .field("public_fund", &self.public_fund)
            .finish_non_exhaustive()
    }
}

/// The shipped entries as domain values.
///
/// # Errors
/// [`CoreError::Help`] naming the file and the entry that does not read.
pub fn shipped_entries() -> Result<Vec<(FaqSlug, FaqContent)>, CoreError> {
    let bad = |what: String| CoreError::Help(format!("shipped FAQ: {what}"));
    caisse_help::shipped::entries()
        .map_err(|e| bad(e.to_string()))?
        .into_iter()
        .map(|entry| {
            let slug =
                FaqSlug::parse(&entry.slug).map_err(|e| bad(format!("{}: {e}", entry.slug)))?;
            let link = entry
                .link
                .map(|l| FaqLink::new(&l.label, &l.href))
                .transpose()
                .map_err(|e| bad(format!("{}: {e}", entry.slug)))?;
            let content = FaqContent::new(
                entry.category,
                &entry.question,
                &entry.alternatives,
                &entry.answer,
                link,
                entry.review,
            )
            .map_err(|e| bad(format!("{}: {e}", entry.slug)))?;
            Ok((slug, content))
        })
        .collect()
}

impl Help {
    /// The help over `db`; visitors read fund `public_fund`'s FAQ (or the shipped one).
    #[must_use]
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        public_fund: Option<CaisseCode>,
        shipped: Arc<Vec<(FaqSlug, FaqContent)>>,
    ) -> Help {
        Help {
            payments: MemberPayments::new(db.clone(), clock.clone()),
            db,
            clock,
            cache: Arc::new(IndexCache::default()),
            public_fund,
            shipped,
        }
    }

    /// Which FAQ `reader` gets, with its generation.
    async fn source_of(&self, reader: Reader) -> Result<(Source, i64), CoreError> {
        if let Reader::Member(member_id) = reader
            && let Some(member) = members::find(&self.db, member_id).await?
            && let Some(generation) = entries::generation(&self.db, member.caisse_code).await?
        {
            return Ok((Source::Fund(member.caisse_code), generation));
        }
        if let Some(fund) = self.public_fund
            && let Some(generation) = entries::generation(&self.db, fund).await?
        {
            return Ok((Source::Fund(fund), generation));
        }
        Ok((Source::Shipped, 0))
    }

    /// The FAQ `reader` gets, indexed.
    async fn loaded(&self, reader: Reader) -> Result<Arc<cache::Loaded>, CoreError> {
        let (source, generation) = self.source_of(reader).await?;
        self.indexed(source, generation).await
    }

    /// The FAQ of `source` at `generation`, from this node's cache or built now.
    async fn indexed(
        &self,
        source: Source,
        generation: i64,
    ) -> Result<Arc<cache::Loaded>, CoreError> {
        if let Some(loaded) = self.cache.get(source, generation) {
            return Ok(loaded);
        }
        let published = match source {
            Source::Fund(fund) => entries::published(&self.db, fund).await?,
            Source::Shipped => cache::shipped_as_published(&self.shipped),
        };
        // Indexing is CPU work (half a second for 1,000 entries on a busy core): off the
        // request threads.
        let loaded = tokio::task::spawn_blocking(move || {
            cache::Loaded::build(source, generation, published)
        })
        .await
        .map_err(|e| CoreError::Task(e.to_string()))??;
        Ok(self.cache.put(loaded))
    }

    /// Fund `caisse`'s FAQ, indexed (the back office's view of its own fund).
    async fn loaded_fund(&self, caisse: CaisseCode) -> Result<Arc<cache::Loaded>, CoreError> {
        match entries::generation(&self.db, caisse).await? {
            Some(generation) => self.indexed(Source::Fund(caisse), generation).await,
            None => self.loaded(Reader::Visitor).await,
        }
    }

    fn now(&self) -> caisse_domain::Instant {
        caisse_domain::Instant::from(self.clock.now())
    }
}

/// The fund of a source, where questions and feedback are kept (none for the shipped FAQ).
fn fund_of(source: Source) -> Option<CaisseCode> {
    match source {
        Source::Fund(fund) => Some(fund),
        Source::Shipped => None,
    }
}

/// An entry's summary, for lists.
fn summary(entry: &entries::Published) -> EntrySummary {
    EntrySummary {
        slug: entry.slug.as_str().to_owned(),
        question: entry.content.question().to_owned(),
        category: entry.content.category,
    }
}

/// The categories with at least one entry, in the help page's order.
fn present_categories(entries: &[entries::Published]) -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|c| entries.iter().any(|e| e.content.category == *c))
        .collect()
}

/// A fresh id for something that has none in the shipped FAQ.
fn no_id() -> Uuid {
    Uuid::nil()
}

#[cfg(test)]
mod tests {
    use super::shipped_entries;

    #[test]
    fn every_shipped_entry_reads_as_a_domain_entry() {
        let entries = shipped_entries().expect("the shipped FAQ reads");
        assert!(entries.len() >= 80, "{}", entries.len());
        let mut slugs: Vec<&str> = entries.iter().map(|(slug, _)| slug.as_str()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), entries.len(), "slugs are unique");
    }
}
