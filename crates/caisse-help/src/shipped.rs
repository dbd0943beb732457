//! The FAQ shipped with Caisse (`faq/*.toml`), loaded into a fund's help on first start.

use std::collections::HashSet;

use serde::Deserialize;
use time::Date;
use time::macros::format_description;

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

impl ShippedEntry {
    /// What the index reads of it.
    #[must_use]
    pub fn indexed(&self) -> crate::IndexedEntry {
        crate::IndexedEntry {
            slug: self.slug.clone(),
            category: self.category,
            question: self.question.clone(),
            alternatives: self.alternatives.clone(),
            answer: self.answer.clone(),
        }
    }
}

/// A shipped file that does not read.
#[derive(Debug, thiserror::Error)]
pub enum ShippedError {
    #[error("{file}: {reason}")]
    Invalid { file: &'static str, reason: String },
}

/// The shipped files, in order.
const FILES: [(&str, &str); 2] = [
    ("faq/part-1.toml", include_str!("../faq/part-1.toml")),
    ("faq/part-2.toml", include_str!("../faq/part-2.toml")),
];

/// The longest slug.
const SLUG_MAX: usize = 60;

/// Every shipped entry, in file order.
///
/// # Errors
/// [`ShippedError`] if a file is malformed (a test reads them all).
pub fn entries() -> Result<Vec<ShippedEntry>, ShippedError> {
    read_files(&FILES)
}

/// The entries of `files` (name, content), slugs unique across all of them.
fn read_files(files: &[(&'static str, &str)]) -> Result<Vec<ShippedEntry>, ShippedError> {
    let mut entries = Vec::new();
    let mut slugs = HashSet::new();
    for (file, content) in files {
        for entry in parse_file(file, content)? {
            if !slugs.insert(entry.slug.clone()) {
                return Err(invalid(
                    file,
                    format!("slug « {} » appears twice", entry.slug),
                ));
            }
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// A file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    slug: String,
    category: String,
    question: String,
    #[serde(default)]
    alternatives: Vec<String>,
    answer: String,
    link: Option<RawLink>,
    review: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    label: String,
    href: String,
}

fn invalid(file: &'static str, reason: String) -> ShippedError {
    ShippedError::Invalid { file, reason }
}

/// The entries of one file, checked one by one.
fn parse_file(file: &'static str, content: &str) -> Result<Vec<ShippedEntry>, ShippedError> {
    let raw: RawFile = toml::from_str(content).map_err(|e| invalid(file, e.to_string()))?;
    raw.entry
        .into_iter()
        .map(|entry| check_entry(file, entry))
        .collect()
}

fn check_entry(file: &'static str, raw: RawEntry) -> Result<ShippedEntry, ShippedError> {
    let slug = raw.slug;
    let fail = |reason: String| invalid(file, format!("entry « {slug} »: {reason}"));
    if !is_well_formed_slug(&slug) {
        return Err(fail(format!(
            "the slug is not 1 to {SLUG_MAX} lower-case ASCII letters, digits and inner hyphens"
        )));
    }
    let category = Category::parse(&raw.category)
        .ok_or_else(|| fail(format!("unknown category « {} »", raw.category)))?;
    if raw.question.trim().is_empty() {
        return Err(fail("the question is empty".to_owned()));
    }
    if raw.answer.trim().is_empty() {
        return Err(fail("the answer is empty".to_owned()));
    }
    if raw.alternatives.iter().any(|a| a.trim().is_empty()) {
        return Err(fail("an alternative is empty".to_owned()));
    }
    let link = match raw.link {
        Some(link) if link.label.trim().is_empty() || !link.href.starts_with('/') => {
            return Err(fail(format!(
                "the link « {} » needs a label and a path of the portal",
                link.href
            )));
        }
        Some(link) => Some(Link {
            label: link.label,
            href: link.href,
        }),
        None => None,
    };
    let review = Date::parse(&raw.review, format_description!("[year]-[month]-[day]"))
        .map_err(|e| fail(format!("review date « {} »: {e}", raw.review)))?;
    Ok(ShippedEntry {
        slug: slug.clone(),
        category,
        question: raw.question.trim().to_owned(),
        alternatives: raw
            .alternatives
            .iter()
            .map(|a| a.trim().to_owned())
            .collect(),
        answer: raw.answer.trim().to_owned(),
        link,
        review,
    })
}

/// Lower-case ASCII letters and digits, words joined by single hyphens, at most 60 characters.
fn is_well_formed_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= SLUG_MAX
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[entry]]
slug = "attestation-droits"
category = "attestations"
question = "Comment obtenir mon attestation de droits ?"
alternatives = ["attestation de sécu"]
answer = """
Téléchargez-la.

- en ligne
"""
link = { label = "Télécharger une attestation", href = "/attestations" }
review = "2027-06-30"

[[entry]]
slug = "carte-vitale-2"
category = "carte-vitale"
question = "Une question ?"
answer = "Une réponse."
review = "2027-12-31"
"#;

    fn one_entry(field: &str, value: &str) -> String {
        let mut fields = vec![
            ("slug", "\"un-slug\""),
            ("category", "\"compte\""),
            ("question", "\"Une question ?\""),
            ("answer", "\"Une réponse.\""),
            ("review", "\"2027-06-30\""),
        ];
        fields.retain(|(name, _)| *name != field);
        fields.push((field, value));
        let body: Vec<String> = fields
            .iter()
            .map(|(name, value)| format!("{name} = {value}"))
            .collect();
        format!("[[entry]]\n{}\n", body.join("\n"))
    }

    fn reason(file: &str) -> String {
        match parse_file("faq/bad.toml", file) {
            Ok(entries) => format!("accepted {} entries", entries.len()),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn reads_a_good_file() {
        let entries = parse_file("faq/good.toml", GOOD).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].category, Category::Attestations);
        assert_eq!(entries[0].answer, "Téléchargez-la.\n\n- en ligne");
        assert_eq!(
            entries[0].link.as_ref().map(|l| l.href.as_str()),
            Some("/attestations")
        );
        assert_eq!(entries[0].review, time::macros::date!(2027 - 06 - 30));
        assert!(entries[1].link.is_none() && entries[1].alternatives.is_empty());
    }

    #[test]
    fn names_the_file_and_the_reason_of_a_bad_one() {
        assert!(reason("[[entry]\n").starts_with("faq/bad.toml: "));
        assert!(reason(&one_entry("slug", "\"Attestation\"")).contains("slug"));
        assert!(reason(&one_entry("slug", "\"a--b\"")).contains("slug"));
        assert!(reason(&one_entry("slug", &format!("\"{}\"", "a".repeat(61)))).contains("slug"));
        assert!(
            reason(&one_entry("category", "\"retraite\""))
                .contains("unknown category « retraite »")
        );
        assert!(reason(&one_entry("review", "\"2027-02-30\"")).contains("review date"));
        assert!(reason(&one_entry("review", "\"30/06/2027\"")).contains("review date"));
        assert!(reason(&one_entry("question", "\" \"")).contains("question is empty"));
        assert!(reason(&one_entry("answer", "\"\"")).contains("answer is empty"));
        assert!(reason(&one_entry("alternatives", "[\"\"]")).contains("alternative is empty"));
        assert!(
            reason(&one_entry("link", "{ label = \"x\", href = \"http://x\" }")).contains("link")
        );
        assert!(reason(&one_entry("reponse", "\"x\"")).contains("unknown field"));
        assert_eq!(reason(&one_entry("slug", "\"ok-2\"")), "accepted 1 entries");
    }

    #[test]
    fn a_slug_is_unique_across_files() {
        let error = read_files(&[("faq/a.toml", GOOD), ("faq/b.toml", GOOD)]).map(|e| e.len());
        assert_eq!(
            error.map_err(|e| e.to_string()),
            Err("faq/b.toml: slug « attestation-droits » appears twice".to_owned())
        );
    }

    /// The portal's pages and démarches an entry may lead to.
    const LINK_TARGETS: &[&str] = &[
        "/attestations",
        "/verifier",
        "/messagerie",
        "/messagerie/nouveau",
        "/paiements",
        "/paiements/documents",
        "/paiements/documents/attestation-ij",
        "/paiements/documents/releve-fiscal",
        "/paiements/sommes-a-payer",
        "/profil",
        "/profil/adresse",
        "/profil/email",
        "/profil/mobile",
        "/profil/mot-de-passe",
        "/profil/coordonnees-bancaires",
        "/profil/notifications",
        "/profil/connexions",
        "/profil/cloture",
        "/inscription",
        "/connexion",
        "/code-provisoire/demande",
        "/mot-de-passe-oublie",
        "/rendez-vous",
        "/demarches",
    ];
    const DEMARCHES: &[&str] = &[
        "carte-vitale",
        "perte-vol-carte-vitale",
        "ceam",
        "complementaire-sante-solidaire",
        "medecin-traitant",
        "changement-adresse",
        "changement-situation",
        "declaration-naissance",
        "accident-travail",
        "accident-tiers",
        "frais-transport",
        "pension-invalidite",
        "procuration",
        "conflit-complementaire",
    ];

    #[test]
    fn the_shipped_entries_follow_the_format() {
        let entries = entries().unwrap();
        assert!(!entries.is_empty());
        for entry in &entries {
            let slug = &entry.slug;
            assert!(
                (4..=7).contains(&entry.alternatives.len()),
                "{slug}: 4 to 7 alternatives"
            );
            let words = entry.answer.split_whitespace().count();
            assert!(
                (50..=180).contains(&words),
                "{slug}: {words} words, 50 to 180"
            );
            assert!(
                (time::macros::date!(2027 - 03 - 31)..=time::macros::date!(2027 - 12 - 31))
                    .contains(&entry.review),
                "{slug}: review {}",
                entry.review
            );
            if let Some(link) = &entry.link {
                let known = LINK_TARGETS.contains(&link.href.as_str())
                    || link
                        .href
                        .strip_prefix("/demarches#")
                        .is_some_and(|code| DEMARCHES.contains(&code));
                assert!(known, "{slug}: no page {}", link.href);
            }
        }
    }
}
