//! What the assistant does with a question: act, answer from the FAQ, or say it does not know.

use caisse_domain::help::Category;

use crate::{FaqIndex, Hit, Intent};

/// Below this confidence the assistant says it does not know.
pub const CONFIDENCE_THRESHOLD: f32 = 0.5;

/// The assistant's decision on one question.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// A feature answers it; `sources` are the entries shown beside the action.
    Act { intent: Intent, sources: Vec<Hit> },
    /// The FAQ answers it: one to three entries, best first.
    Answer { sources: Vec<Hit> },
    /// Nothing answers it well enough; `category` (when one stands out) chooses the objet of
    /// the message the member is offered to write.
    DontKnow {
        nearest: Vec<Hit>,
        category: Option<Category>,
    },
}

/// Decides what to do with `query` over a fund's `index`.
#[must_use]
pub fn decide(index: &FaqIndex, query: &str) -> Decision {
    let _ = (index, query);
    todo!()
}
