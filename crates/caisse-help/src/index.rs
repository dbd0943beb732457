//! The French full-text index of a fund's published entries (tantivy, in memory).

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use caisse_domain::help::Category;

use crate::analysis::{ANALYZER_NAME, Analysis};
use crate::query::{Concept, LastWord, concepts, confidence};
use crate::synonyms::Synonyms;
use crate::tuning::SearchTuning;
use crate::vocabulary::{EntryText, Vocabulary};

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

/// The engine's error, as text: tantivy stays out of the crate's interface.
fn engine(error: tantivy::TantivyError) -> IndexError {
    IndexError::Engine(error.to_string())
}

/// The index's fields.
#[derive(Clone, Copy)]
struct Fields {
    question: Field,
    alternatives: Field,
    answer: Field,
    category: Field,
    /// The entry's position in `FaqIndex::entries`.
    position: Field,
}

/// The fast field holding an entry's position.
const POSITION: &str = "position";

/// The engine's memory while indexing: its minimum (15 MB), ample for thousands of entries.
const WRITER_MEMORY: usize = 15_000_000;

/// Candidates read from the engine before the confidence is weighed, at least.
const CANDIDATES: usize = 20;

/// An entry as the index returns it.
struct Entry {
    slug: String,
    category: Category,
}

/// A fund's entries, searchable.
pub struct FaqIndex {
    reader: IndexReader,
    fields: Fields,
    entries: Vec<Entry>,
    analysis: Analysis,
    synonyms: Synonyms,
    vocabulary: Vocabulary,
    tuning: SearchTuning,
}

impl std::fmt::Debug for FaqIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaqIndex")
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl FaqIndex {
    /// Indexes `entries` (the published ones of a fund).
    ///
    /// # Errors
    /// [`IndexError::Engine`] if the engine fails (memory).
    pub fn build(entries: &[IndexedEntry]) -> Result<FaqIndex, IndexError> {
        FaqIndex::build_tuned(entries, SearchTuning::default())
    }

    /// Like [`FaqIndex::build`], with other weights than the measured ones (to measure them).
    ///
    /// # Errors
    /// [`IndexError::Engine`] if the engine fails (memory).
    pub fn build_tuned(
        entries: &[IndexedEntry],
        tuning: SearchTuning,
    ) -> Result<FaqIndex, IndexError> {
        let analysis = Analysis::new();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let mut schema = Schema::builder();
        let fields = Fields {
            question: schema.add_text_field("question", text.clone()),
            alternatives: schema.add_text_field("alternatives", text.clone()),
            answer: schema.add_text_field("answer", text.clone()),
            category: schema.add_text_field("category", text),
            position: schema.add_u64_field(POSITION, FAST),
        };
        let index = Index::create_in_ram(schema.build());
        index
            .tokenizers()
            .register(ANALYZER_NAME, analysis.full_chain());

        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)
            .map_err(engine)?;
        for (position, entry) in entries.iter().enumerate() {
            let mut document = TantivyDocument::default();
            document.add_text(fields.question, &entry.question);
            for alternative in &entry.alternatives {
                document.add_text(fields.alternatives, alternative);
            }
            document.add_text(fields.answer, &entry.answer);
            document.add_text(fields.category, entry.category.label_fr());
            document.add_u64(fields.position, position as u64);
            writer.add_document(document).map_err(engine)?;
        }
        writer.commit().map_err(engine)?;
        writer.wait_merging_threads().map_err(engine)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(engine)?;

        let texts: Vec<EntryText<'_>> = entries
            .iter()
            .map(|entry| EntryText {
                head: std::iter::once(entry.question.as_str())
                    .chain(entry.alternatives.iter().map(String::as_str))
                    .collect(),
                body: vec![entry.answer.as_str(), entry.category.label_fr()],
            })
            .collect();
        let vocabulary = Vocabulary::build(&analysis, &texts);
        let synonyms = Synonyms::new(&analysis);
        let entries = entries
            .iter()
            .map(|entry| Entry {
                slug: entry.slug.clone(),
                category: entry.category,
            })
            .collect();
        Ok(FaqIndex {
            reader,
            fields,
            entries,
            analysis,
            synonyms,
            vocabulary,
            tuning,
        })
    }

    /// The entries that best answer `query`, at most `limit`, best first.
    #[must_use]
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.find(query, LastWord::Whole, limit)
    }

    /// Suggestions while typing: like [`FaqIndex::search`], the last word read as a prefix.
    #[must_use]
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<Hit> {
        self.find(typed, LastWord::Prefix, limit)
    }

    /// How many entries the index holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index holds no entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn find(&self, text: &str, last_word: LastWord, limit: usize) -> Vec<Hit> {
        if limit == 0 || self.entries.is_empty() {
            return Vec::new();
        }
        let concepts = concepts(
            text,
            last_word,
            &self.analysis,
            &self.synonyms,
            &self.vocabulary,
            &self.tuning,
        );
        let Some(query) = self.engine_query(&concepts) else {
            return Vec::new();
        };
        let searcher = self.reader.searcher();
        let collector = TopDocs::with_limit(limit.max(CANDIDATES)).order_by_score();
        // The index is in memory and read-only: a failure here is a bug of the engine, and
        // the member gets no hit rather than an error page.
        let Ok(found) = searcher.search(&query, &collector) else {
            return Vec::new();
        };
        let mut hits: Vec<Hit> = found
            .into_iter()
            .filter_map(|(score, address)| {
                let positions = searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .u64(POSITION)
                    .ok()?;
                let position = u32::try_from(positions.first(address.doc_id)?).ok()?;
                let entry = self.entries.get(position as usize)?;
                Some(Hit {
                    slug: entry.slug.clone(),
                    category: entry.category,
                    score,
                    confidence: confidence(&concepts, position, &self.vocabulary, &self.tuning),
                })
            })
            .collect();
        self.rank(&mut hits);
        hits.truncate(limit);
        hits
    }

    /// Orders `hits` by the engine's score, blended with the confidence as tuned.
    fn rank(&self, hits: &mut [Hit]) {
        let blend = self.tuning.confidence_in_rank;
        if blend <= 0.0 {
            return;
        }
        let best = hits
            .iter()
            .map(|h| h.score)
            .fold(f32::MIN_POSITIVE, f32::max);
        let key = |hit: &Hit| (1.0 - blend) * hit.score / best + blend * hit.confidence;
        hits.sort_by(|a, b| key(b).total_cmp(&key(a)));
    }

    /// The engine's query of `concepts`: any concept may match (their scores add up); within
    /// one, its best alternative counts; within one alternative, every field may match.
    fn engine_query(&self, concepts: &[Concept]) -> Option<BooleanQuery> {
        let tuning = &self.tuning;
        let boosts = [
            (self.fields.question, tuning.question_boost),
            (self.fields.alternatives, tuning.alternatives_boost),
            (self.fields.answer, tuning.answer_boost),
            (self.fields.category, tuning.category_boost),
        ];
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for concept in concepts {
            let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
            for alternative in &concept.alternatives {
                let per_field: Vec<(Occur, Box<dyn Query>)> = boosts
                    .iter()
                    .map(|(field, boost)| {
                        let terms: Vec<(Occur, Box<dyn Query>)> = alternative
                            .stems
                            .iter()
                            .map(|id| {
                                let term = Term::from_field_text(*field, self.vocabulary.stem(*id));
                                let query: Box<dyn Query> =
                                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                                (Occur::Must, query)
                            })
                            .collect();
                        let all: Box<dyn Query> = Box::new(BooleanQuery::new(terms));
                        let boosted: Box<dyn Query> =
                            Box::new(BoostQuery::new(all, boost * alternative.factor));
                        (Occur::Should, boosted)
                    })
                    .collect();
                disjuncts.push(Box::new(BooleanQuery::new(per_field)));
            }
            if !disjuncts.is_empty() {
                clauses.push((
                    Occur::Should,
                    Box::new(DisjunctionMaxQuery::with_tie_breaker(disjuncts, 0.1)),
                ));
            }
        }
        (!clauses.is_empty()).then(|| BooleanQuery::new(clauses))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        slug: &str,
        category: Category,
        question: &str,
        alternatives: &[&str],
        answer: &str,
    ) -> IndexedEntry {
        IndexedEntry {
            slug: slug.to_owned(),
            category,
            question: question.to_owned(),
            alternatives: alternatives.iter().map(|a| (*a).to_owned()).collect(),
            answer: answer.to_owned(),
        }
    }

    fn index() -> FaqIndex {
        FaqIndex::build(&[
            entry(
                "attestation-droits",
                Category::Attestations,
                "Comment obtenir mon attestation de droits ?",
                &["justificatif d'assurance maladie pour mon employeur"],
                "Téléchargez-la depuis votre compte, rubrique Attestations.",
            ),
            entry(
                "perte-carte-vitale",
                Category::CarteVitale,
                "J'ai perdu ma carte Vitale, que faire ?",
                &["carte volée"],
                "Déclarez la perte ou le vol en ligne, une nouvelle carte vous est envoyée.",
            ),
            entry(
                "changer-rib",
                Category::Compte,
                "Comment changer mes coordonnées bancaires ?",
                &["nouveau compte en banque"],
                "Depuis votre profil, avec le RIB du nouveau compte.",
            ),
            entry(
                "indemnites-journalieres",
                Category::ArretTravail,
                "Comment sont calculées mes indemnités journalières ?",
                &["montant de l'arrêt maladie"],
                "Elles valent la moitié du salaire journalier de base.",
            ),
        ])
        .unwrap()
    }

    fn slugs(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.slug.as_str()).collect()
    }

    #[test]
    fn finds_through_accents_case_synonyms_and_typos() {
        let index = index();
        assert_eq!(index.len(), 4);
        assert_eq!(
            slugs(&index.search("ATTESTATION DE DROITS", 1)),
            ["attestation-droits"]
        );
        assert_eq!(
            slugs(&index.search("atestation", 1)),
            ["attestation-droits"]
        );
        assert_eq!(slugs(&index.search("perdu cv", 1)), ["perte-carte-vitale"]);
        assert_eq!(slugs(&index.search("changer iban", 1)), ["changer-rib"]);
        assert_eq!(
            slugs(&index.search("calcul des IJ", 1)),
            ["indemnites-journalieres"]
        );
        assert_eq!(
            slugs(&index.search("indemnites journalieres", 1)),
            ["indemnites-journalieres"]
        );
    }

    #[test]
    fn hits_come_best_first_within_the_limit_with_a_confidence() {
        let index = index();
        let hits = index.search("carte vitale perdue attestation", 3);
        assert!(hits.len() >= 2 && hits.len() <= 3, "{hits:?}");
        assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.confidence)));
        assert!(index.search("attestation", 0).is_empty());
        assert!(index.search("bonjour merci", 3).is_empty());
        assert!(index.search("", 3).is_empty());
        // The whole question answered scores higher than half of it.
        let whole = index.search("attestation de droits", 1);
        let half = index.search("attestation de droits pour le gymnase", 1);
        assert!(whole[0].confidence > half[0].confidence);
    }

    #[test]
    fn suggestions_read_the_last_word_as_a_prefix() {
        let index = index();
        assert!(
            index
                .search("coordonnées banc", 3)
                .iter()
                .all(|h| h.confidence < 1.0)
        );
        assert_eq!(
            slugs(&index.suggest("coordonnées banc", 1)),
            ["changer-rib"]
        );
        assert_eq!(
            slugs(&index.suggest("indemn", 1)),
            ["indemnites-journalieres"]
        );
        assert_eq!(
            slugs(&index.suggest("carte vitale per", 1)),
            ["perte-carte-vitale"]
        );
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = FaqIndex::build(&[]).unwrap();
        assert!(index.is_empty());
        assert!(index.search("attestation", 3).is_empty());
        assert!(index.suggest("att", 3).is_empty());
    }
}

#[cfg(test)]
mod sharing {
    /// The portal keeps one index per fund and searches it from every request's task.
    #[test]
    fn the_index_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<super::FaqIndex>();
    }
}
