//! The FAQ shipped with Caisse (`faq/*.toml`), loaded into a fund's help on first start.

use time::Date;

use caisse_domain::help::Category;

/// Where an entry leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    /// A path of the portal (`/attestations`, `/demarches#carte-vitale`).
    pub href: String,
}

/// One shipped entry.
#[derive(Clone, Debug)]
pub struct ShippedEntry {
    pub slug: String,
    pub category: Category,
    pub question: String,
    pub alternatives: Vec<String>,
    /// Paragraphs separated by a blank line; lines starting with `- ` form a list.
    pub answer: String,
    pub link: Option<Link>,
    /// When the fund should read it again.
    pub review: Date,
}

/// A shipped file that does not read.
#[derive(Debug, thiserror::Error)]
pub enum ShippedError {
    #[error("{file}: {reason}")]
    Invalid { file: &'static str, reason: String },
}

/// Every shipped entry, in file order.
///
/// # Errors
/// [`ShippedError`] if a file is malformed (a test reads them all).
pub fn entries() -> Result<Vec<ShippedEntry>, ShippedError> {
    todo!()
}
