//! The help as members and visitors read it: the categories, an entry, the search with
//! suggestions, « Cette réponse vous a-t-elle aidé ? », and the assistant, which answers from
//! the FAQ only, acts on a few intents (a deep link; the member's own latest payment), and
//! says when it does not know.

use caisse_domain::help::{
    Category, FaqContent, QueryOutcome, masked_question, normalized_question,
};
use caisse_domain::money::AmountCents;
use caisse_help::{Decision, Hit, Intent, decide};
use caisse_store::help::queries::{self, NewQuery, QueryChannel};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::cache::Loaded;
use super::{Help, fund_of, present_categories, summary};
use crate::CoreError;

/// Who reads the help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// Someone not logged in.
    Visitor,
    /// Member `0` (the member file's id).
    Member(Uuid),
}

/// An entry in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntrySummary {
    /// Its key in URLs.
    pub slug: String,
    /// Its question.
    pub question: String,
    /// Its category.
    pub category: Category,
}

/// A category of the help page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryCount {
    /// The category.
    pub category: Category,
    /// How many entries.
    pub count: usize,
    /// Its first entries, to show under its title.
    pub first: Vec<EntrySummary>,
}

/// An entry's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryPage {
    /// Its key in URLs.
    pub slug: String,
    /// What it says.
    pub content: FaqContent,
    /// When this version was published (`None` for the shipped FAQ).
    pub published_at: Option<OffsetDateTime>,
    /// Other entries of its category.
    pub related: Vec<EntrySummary>,
}

/// What the search found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchResults {
    /// The question as typed.
    pub query: String,
    /// The entries found, best first.
    pub hits: Vec<EntrySummary>,
    /// Whether the best one answers the question well (the assistant's threshold).
    pub confident: bool,
}

/// The member's latest payment, for « où en est mon remboursement ». `Debug` shows no amount.
#[derive(Clone, PartialEq, Eq)]
pub struct LatestPayment {
    /// The payment, for its page (`/paiements/{id}`).
    pub id: Uuid,
    /// The day it was paid.
    pub day: Date,
    /// What the member received (or their share).
    pub amount: AmountCents,
    /// Who was paid.
    pub payee_name: String,
}

debug_fields!(LatestPayment { id, day });

/// What the assistant says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// The FAQ answers: the best entry in full (the others are in `sources`).
    Answer(EntryPage),
    /// A feature answers: a deep link; for `LatestPayment`, the member's latest payment
    /// (`None`: none yet, or a visitor).
    Act {
        /// What the member wants done.
        intent: Intent,
        /// The latest payment, for `Intent::LatestPayment` and a member.
        payment: Option<LatestPayment>,
    },
    /// Nothing answers well enough: the member is offered to write, with this objet (a
    /// messaging catalogue code) when the question's category is clear.
    DontKnow {
        /// The objet to prefill.
        objet: Option<&'static str>,
    },
}

/// The assistant's answer to one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssistantReply {
    /// The question as asked.
    pub question: String,
    /// The kept question, for « m'a aidé / ne m'a pas aidé » (`None` for the shipped FAQ).
    pub query_id: Option<Uuid>,
    /// What it says.
    pub reply: Reply,
    /// The entries it used (or the nearest ones, when it does not know).
    pub sources: Vec<EntrySummary>,
}

/// Longest question read, in characters (the rest is ignored).
const QUESTION_READ_MAX: usize = 500;

fn summaries(loaded: &Loaded, hits: &[Hit]) -> Vec<EntrySummary> {
    hits.iter()
        .filter_map(|h| loaded.entry(&h.slug))
        .map(summary)
        .collect()
}

fn page(loaded: &Loaded, slug: &str) -> Option<EntryPage> {
    let entry = loaded.entry(slug)?;
    let related = loaded
        .entries
        .iter()
        .filter(|e| e.content.category == entry.content.category && e.slug != entry.slug)
        .take(5)
        .map(summary)
        .collect();
    Some(EntryPage {
        slug: entry.slug.as_str().to_owned(),
        content: entry.content.clone(),
        published_at: fund_of(loaded.source).map(|_| entry.published_at),
        related,
    })
}

fn clipped(question: &str) -> String {
    question.trim().chars().take(QUESTION_READ_MAX).collect()
}

impl Help {
    /// The categories of `reader`'s FAQ with their first entries.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "help.overview", skip_all)]
    pub async fn overview(&self, reader: Reader) -> Result<Vec<CategoryCount>, CoreError> {
        let loaded = self.loaded(reader).await?;
        Ok(present_categories(&loaded.entries)
            .into_iter()
            .map(|category| {
                let of: Vec<_> = loaded
                    .entries
                    .iter()
                    .filter(|e| e.content.category == category)
                    .collect();
                CategoryCount {
                    category,
                    count: of.len(),
                    first: of.iter().take(3).map(|e| summary(e)).collect(),
                }
            })
            .collect())
    }

    /// The entries of `category`.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "help.category", skip_all)]
    pub async fn category(
        &self,
        reader: Reader,
        category: Category,
    ) -> Result<Vec<EntrySummary>, CoreError> {
        let loaded = self.loaded(reader).await?;
        Ok(loaded
            .entries
            .iter()
            .filter(|e| e.content.category == category)
            .map(summary)
            .collect())
    }

    /// The published entry at `slug`; `None` if there is none.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "help.entry", skip_all)]
    pub async fn entry(&self, reader: Reader, slug: &str) -> Result<Option<EntryPage>, CoreError> {
        let loaded = self.loaded(reader).await?;
        Ok(page(&loaded, slug))
    }

    /// Searches `reader`'s FAQ; the question is kept (numbers masked) for the supervisors.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "help.search", skip_all)]
    pub async fn search(&self, reader: Reader, query: &str) -> Result<SearchResults, CoreError> {
        let query = clipped(query);
        let loaded = self.loaded(reader).await?;
        if query.is_empty() {
            return Ok(SearchResults {
                query,
                hits: Vec::new(),
                confident: false,
            });
        }
        let hits = loaded.index.search(&query, 10);
        let confident = hits
            .first()
            .is_some_and(|h| h.confidence >= caisse_help::CONFIDENCE_THRESHOLD);
        let outcome = if confident {
            QueryOutcome::Answered
        } else {
            QueryOutcome::Unanswered
        };
        self.keep(&loaded, QueryChannel::Search, &query, outcome, hits.first())
            .await?;
        Ok(SearchResults {
            hits: summaries(&loaded, &hits),
            query,
            confident,
        })
    }

    /// Suggestions while typing (nothing kept).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "help.suggest", skip_all)]
    pub async fn suggest(
        &self,
        reader: Reader,
        typed: &str,
    ) -> Result<Vec<EntrySummary>, CoreError> {
        let typed = clipped(typed);
        if typed.chars().count() < 2 {
            return Ok(Vec::new());
        }
        let loaded = self.loaded(reader).await?;
        Ok(summaries(&loaded, &loaded.index.suggest(&typed, 6)))
    }

    /// « Cette réponse vous a-t-elle aidé ? » on the entry at `slug`; returns whether the
    /// entry exists.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "help.entry_feedback", skip_all)]
    pub async fn entry_feedback(
        &self,
        reader: Reader,
        slug: &str,
        helped: bool,
    ) -> Result<bool, CoreError> {
        let loaded = self.loaded(reader).await?;
        let Some(entry) = loaded.entry(slug) else {
            return Ok(false);
        };
        if let Some(fund) = fund_of(loaded.source) {
            queries::record_feedback(&self.db, fund, entry.id, helped, self.now()).await?;
        }
        Ok(true)
    }

    /// The assistant's answer to `question`.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "help.ask", skip_all)]
    pub async fn ask(&self, reader: Reader, question: &str) -> Result<AssistantReply, CoreError> {
        let question = clipped(question);
        let loaded = self.loaded(reader).await?;
        let decision = decide(&loaded.index, &question);
        let (reply, hits, outcome) = match decision {
            Decision::Act { intent, sources } => {
                let payment = match (intent, reader) {
                    (Intent::LatestPayment, Reader::Member(member_id)) => self
                        .payments
                        .latest(member_id)
                        .await?
                        .map(|p| LatestPayment {
                            id: p.id,
                            day: p.day,
                            amount: p.amount,
                            payee_name: p.payee_name,
                        }),
                    _ => None,
                };
                (Reply::Act { intent, payment }, sources, QueryOutcome::Acted)
            }
            Decision::Answer { sources } => {
                match sources.first().and_then(|h| page(&loaded, &h.slug)) {
                    Some(best) => (Reply::Answer(best), sources, QueryOutcome::Answered),
                    None => (
                        Reply::DontKnow { objet: None },
                        sources,
                        QueryOutcome::Unanswered,
                    ),
                }
            }
            Decision::DontKnow { nearest, category } => (
                Reply::DontKnow {
                    objet: category.map(Category::objet_code),
                },
                nearest,
                QueryOutcome::Unanswered,
            ),
        };
        let query_id = if question.is_empty() {
            None
        } else {
            self.keep(
                &loaded,
                QueryChannel::Assistant,
                &question,
                outcome,
                hits.first(),
            )
            .await?
        };
        let sources = match &reply {
            Reply::Answer(_) | Reply::Act { .. } => summaries(&loaded, &hits),
            Reply::DontKnow { .. } => summaries(&loaded, &hits).into_iter().take(3).collect(),
        };
        Ok(AssistantReply {
            question,
            query_id,
            reply,
            sources,
        })
    }

    /// Whether the assistant's answer `query_id` helped; returns whether it was recorded (the
    /// first answer counts).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "help.reply_feedback", skip_all)]
    pub async fn reply_feedback(
        &self,
        reader: Reader,
        query_id: Uuid,
        helped: bool,
    ) -> Result<bool, CoreError> {
        let (source, _) = self.source_of(reader).await?;
        let Some(fund) = fund_of(source) else {
            return Ok(false);
        };
        Ok(queries::set_helped(&self.db, fund, query_id, helped).await?)
    }

    /// Keeps a question for the fund's supervisors, numbers masked.
    async fn keep(
        &self,
        loaded: &Loaded,
        channel: QueryChannel,
        question: &str,
        outcome: QueryOutcome,
        top: Option<&Hit>,
    ) -> Result<Option<Uuid>, CoreError> {
        let Some(fund) = fund_of(loaded.source) else {
            return Ok(None);
        };
        let masked = masked_question(question);
        let normalized = normalized_question(&masked);
        // Percent of a confidence in 0..=1: a display figure, never an amount.
        #[expect(clippy::cast_possible_truncation, reason = "0..=100 after clamping")]
        let confidence = top.map_or(0, |h| (h.confidence.clamp(0.0, 1.0) * 100.0).round() as i32);
        let id = queries::record(
            &self.db,
            &NewQuery {
                caisse: fund,
                channel,
                question: &masked,
                normalized: &normalized,
                outcome,
                top_slug: top.map(|h| h.slug.as_str()),
                confidence,
            },
            self.now(),
        )
        .await?;
        Ok(Some(id))
    }
}
