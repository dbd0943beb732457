//! The help of the portal, pure: the FAQ shipped with Caisse ([`shipped`]), the French
//! full-text index of a fund's entries ([`FaqIndex`]), the intents that act ([`Intent`]) and the
//! assistant's decision ([`decide`]). The database, the fund's edits and the pages are
//! `caisse-core`'s and `caisse-web`'s.

mod analysis;
mod decision;
mod fuzzy;
mod index;
mod intent;
mod query;
pub mod shipped;
mod synonyms;
mod text;
mod tuning;
mod vocabulary;

pub use caisse_domain::help::Category;
pub use decision::{CONFIDENCE_THRESHOLD, Decision, decide};
pub use index::{FaqIndex, Hit, IndexError, IndexedEntry};
pub use intent::{Intent, detect_intent};
pub use tuning::SearchTuning;
