//! The help of the portal: the categories of the FAQ and the states of its entries.

/// A category of the FAQ; its code is stored and appears in URLs (`/aide/categorie/{code}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// See [`Category::label_fr`].
    Compte,
    /// See [`Category::label_fr`].
    Messagerie,
    /// See [`Category::label_fr`].
    Remboursements,
    /// See [`Category::label_fr`].
    Attestations,
    /// See [`Category::label_fr`].
    CarteVitale,
    /// See [`Category::label_fr`].
    C2s,
    /// See [`Category::label_fr`].
    ArretTravail,
    /// See [`Category::label_fr`].
    AccidentTravail,
    /// See [`Category::label_fr`].
    Ald,
    /// See [`Category::label_fr`].
    MedecinTraitant,
    /// See [`Category::label_fr`].
    Demarches,
    /// See [`Category::label_fr`].
    RendezVous,
}

impl Category {
    /// Every category, in the order of the help page.
    pub const ALL: [Category; 12] = [
        Category::Compte,
        Category::Messagerie,
        Category::Remboursements,
        Category::Attestations,
        Category::CarteVitale,
        Category::C2s,
        Category::ArretTravail,
        Category::AccidentTravail,
        Category::Ald,
        Category::MedecinTraitant,
        Category::Demarches,
        Category::RendezVous,
    ];

    /// The stable code (`"carte-vitale"`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Category::Compte => "compte",
            Category::Messagerie => "messagerie",
            Category::Remboursements => "remboursements",
            Category::Attestations => "attestations",
            Category::CarteVitale => "carte-vitale",
            Category::C2s => "c2s",
            Category::ArretTravail => "arret-travail",
            Category::AccidentTravail => "accident-travail",
            Category::Ald => "ald",
            Category::MedecinTraitant => "medecin-traitant",
            Category::Demarches => "demarches",
            Category::RendezVous => "rendez-vous",
        }
    }

    /// The category of a code, `None` for an unknown one.
    #[must_use]
    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The French title of the category.
    #[must_use]
    pub fn label_fr(self) -> &'static str {
        match self {
            Category::Compte => "Mon compte et l'accès au site",
            Category::Messagerie => "Écrire à ma caisse",
            Category::Remboursements => "Remboursements et paiements",
            Category::Attestations => "Attestations",
            Category::CarteVitale => "Carte Vitale et carte européenne",
            Category::C2s => "Complémentaire santé solidaire (C2S)",
            Category::ArretTravail => "Arrêt de travail et indemnités journalières",
            Category::AccidentTravail => "Accident du travail et maladie professionnelle",
            Category::Ald => "Affection de longue durée (ALD)",
            Category::MedecinTraitant => "Médecin traitant et parcours de soins",
            Category::Demarches => "Démarches en ligne",
            Category::RendezVous => "Rendez-vous avec un conseiller",
        }
    }

    /// The messaging objet (`caisse_domain::messaging` catalogue code) a question of this
    /// category is prefilled with when the assistant offers to write to the fund.
    #[must_use]
    pub fn objet_code(self) -> &'static str {
        match self {
            Category::Compte => "compte.acces",
            Category::Messagerie | Category::Demarches => "autre.demande",
            Category::Remboursements => "remboursement.question",
            Category::Attestations => "attestation.droits",
            Category::CarteVitale => "carte_vitale.commande",
            Category::C2s => "autre.demande",
            Category::ArretTravail => "arret_travail.indemnites_journalieres",
            Category::AccidentTravail => "at_mp.accident_travail",
            Category::Ald => "ald.question",
            Category::MedecinTraitant => "medecin_traitant.declaration",
            Category::RendezVous => "autre.demande",
        }
    }
}

/// Where an entry of the FAQ stands. Members read only the published version of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryStatus {
    /// Being written or changed; not shown to members (its last published version, if any, is).
    Draft,
    /// Shown to members.
    Published,
    /// Withdrawn: shown to nobody but the back office.
    Archived,
}

impl EntryStatus {
    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            EntryStatus::Draft => "draft",
            EntryStatus::Published => "published",
            EntryStatus::Archived => "archived",
        }
    }

    /// The status of a stored code.
    #[must_use]
    pub fn parse(code: &str) -> Option<EntryStatus> {
        [
            EntryStatus::Draft,
            EntryStatus::Published,
            EntryStatus::Archived,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// The French word of the back office.
    #[must_use]
    pub fn label_fr(self) -> &'static str {
        match self {
            EntryStatus::Draft => "Brouillon",
            EntryStatus::Published => "Publiée",
            EntryStatus::Archived => "Retirée",
        }
    }
}

/// Addresses under `/aide/` that are pages of their own, never an entry's.
pub const RESERVED_SLUGS: &[&str] = &[
    "recherche",
    "suggestions",
    "categorie",
    "questions",
    "mes-questions",
];

/// The key of an entry within its fund, in its URL (`/aide/attestation-droits`): lower-case
/// ASCII letters, digits and single dashes, 3 to 60 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaqSlug(String);

impl FaqSlug {
    /// The slug of `raw`, or why it cannot be one.
    ///
    /// # Errors
    /// [`FaqError::Slug`].
    pub fn parse(raw: &str) -> Result<FaqSlug, FaqError> {
        let good = (3..=60).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if good && !RESERVED_SLUGS.contains(&raw) {
            Ok(FaqSlug(raw.to_owned()))
        } else {
            Err(FaqError::Slug)
        }
    }

    /// The slug made from a question: « Comment obtenir ma C2S ? » → `comment-obtenir-ma-c2s`.
    #[must_use]
    pub fn from_title(title: &str) -> Option<FaqSlug> {
        let mut slug = String::new();
        for c in crate::french::folded(title).chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            if slug.len() >= 60 {
                break;
            }
        }
        FaqSlug::parse(slug.trim_end_matches('-')).ok()
    }

    /// The slug.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FaqSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an entry leads: a label and a path of the portal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaqLink {
    label: String,
    href: String,
}

impl FaqLink {
    /// The link, its path one of the portal's (`/…`, not `//…`).
    ///
    /// # Errors
    /// [`FaqError::Link`].
    pub fn new(label: &str, href: &str) -> Result<FaqLink, FaqError> {
        let (label, href) = (label.trim(), href.trim());
        let good_href = href.starts_with('/')
            && !href.starts_with("//")
            && href.len() <= 200
            && href.bytes().all(|b| b.is_ascii_graphic());
        if label.is_empty() || label.chars().count() > 100 || !good_href {
            return Err(FaqError::Link);
        }
        Ok(FaqLink {
            label: label.to_owned(),
            href: href.to_owned(),
        })
    }

    /// What the link says.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The path.
    #[must_use]
    pub fn href(&self) -> &str {
        &self.href
    }
}

/// Longest question, in characters.
pub const QUESTION_MAX: usize = 300;
/// Longest answer, in characters.
pub const ANSWER_MAX: usize = 8_000;
/// Most alternative phrasings.
pub const ALTERNATIVES_MAX: usize = 20;

/// What an entry says: checked, so that holding one proves it can be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaqContent {
    /// Its category.
    pub category: Category,
    question: String,
    alternatives: Vec<String>,
    answer: String,
    /// Where it leads.
    pub link: Option<FaqLink>,
    /// When the fund should read it again.
    pub review_on: time::Date,
}

impl FaqContent {
    /// An entry's content; blank alternatives are dropped.
    ///
    /// # Errors
    /// [`FaqError::Question`], [`FaqError::Answer`] or [`FaqError::Alternatives`].
    pub fn new(
        category: Category,
        question: &str,
        alternatives: &[String],
        answer: &str,
        link: Option<FaqLink>,
        review_on: time::Date,
    ) -> Result<FaqContent, FaqError> {
        let question = question.trim();
        if question.chars().count() < 5 || question.chars().count() > QUESTION_MAX {
            return Err(FaqError::Question);
        }
        let answer = answer.trim().replace("\r\n", "\n");
        if answer.chars().count() < 20 || answer.chars().count() > ANSWER_MAX {
            return Err(FaqError::Answer);
        }
        let alternatives: Vec<String> = alternatives
            .iter()
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect();
        if alternatives.len() > ALTERNATIVES_MAX
            || alternatives
                .iter()
                .any(|a| a.chars().count() > QUESTION_MAX)
        {
            return Err(FaqError::Alternatives);
        }
        Ok(FaqContent {
            category,
            question: question.to_owned(),
            alternatives,
            answer,
            link,
            review_on,
        })
    }

    /// The question.
    #[must_use]
    pub fn question(&self) -> &str {
        &self.question
    }

    /// Other ways members ask it.
    #[must_use]
    pub fn alternatives(&self) -> &[String] {
        &self.alternatives
    }

    /// The answer: paragraphs separated by a blank line, lines starting with `- ` a list.
    #[must_use]
    pub fn answer(&self) -> &str {
        &self.answer
    }

    /// The answer's blocks, for pages: paragraphs and lists.
    #[must_use]
    pub fn answer_blocks(&self) -> Vec<AnswerBlock> {
        let mut blocks = Vec::new();
        for chunk in self
            .answer
            .split("\n\n")
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let lines: Vec<&str> = chunk.lines().map(str::trim).collect();
            if lines.iter().all(|l| l.starts_with("- ")) {
                blocks.push(AnswerBlock::List(
                    lines.iter().map(|l| l[2..].trim().to_owned()).collect(),
                ));
            } else {
                blocks.push(AnswerBlock::Paragraph(lines.join(" ")));
            }
        }
        blocks
    }
}

/// A block of an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerBlock {
    /// A paragraph.
    Paragraph(String),
    /// A bulleted list.
    List(Vec<String>),
}

/// Why an entry's content was refused, said in French to the supervisor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FaqError {
    /// A slug that is not lower-case letters, digits and dashes.
    #[error(
        "L'adresse de la réponse ne peut contenir que des lettres minuscules sans accent, des chiffres et des tirets (3 à 60 caractères)."
    )]
    Slug,
    /// A question too short or too long.
    #[error("Saisissez la question, de 5 à 300 caractères.")]
    Question,
    /// An answer too short or too long.
    #[error("Saisissez la réponse, de 20 à 8 000 caractères.")]
    Answer,
    /// Too many or too long alternative phrasings.
    #[error("Indiquez au plus 20 autres formulations, d'au plus 300 caractères chacune.")]
    Alternatives,
    /// A link without label or whose address is not a page of the portal.
    #[error("Le lien doit avoir un libellé et une adresse du portail commençant par « / ».")]
    Link,
    /// A category that does not exist.
    #[error("Choisissez une rubrique.")]
    Category,
    /// A review date that is not a date.
    #[error("Saisissez la date de relecture au format JJ/MM/AAAA.")]
    ReviewDate,
}

/// How a help question ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryOutcome {
    /// Entries answered it.
    Answered,
    /// The assistant acted (a link into a feature).
    Acted,
    /// Nothing answered it.
    Unanswered,
}

impl QueryOutcome {
    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            QueryOutcome::Answered => "answered",
            QueryOutcome::Acted => "acted",
            QueryOutcome::Unanswered => "unanswered",
        }
    }

    /// The outcome of a stored code.
    #[must_use]
    pub fn parse(code: &str) -> Option<QueryOutcome> {
        [
            QueryOutcome::Answered,
            QueryOutcome::Acted,
            QueryOutcome::Unanswered,
        ]
        .into_iter()
        .find(|o| o.code() == code)
    }
}

/// `question` as kept for the fund's statistics: numbers of 5 digits or more (also when typed
/// in groups, as a NIR or an IBAN is) and e-mail addresses masked, so that none is ever kept
/// from a search box; cut at 300 characters.
#[must_use]
pub fn masked_question(question: &str) -> String {
    let numeric = |w: &str| {
        w.chars().any(|c| c.is_ascii_digit())
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-/".contains(c))
    };
    let words: Vec<&str> = question.split_whitespace().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if numeric(words[i]) {
            let run = words[i..].iter().take_while(|w| numeric(w)).count();
            let digits: usize = words[i..i + run]
                .iter()
                .map(|w| w.chars().filter(char::is_ascii_digit).count())
                .sum();
            if digits >= 5 {
                kept.push("…");
            } else {
                kept.extend(&words[i..i + run]);
            }
            i += run;
        } else {
            kept.push(if words[i].contains('@') {
                "…"
            } else {
                words[i]
            });
            i += 1;
        }
    }
    kept.join(" ").chars().take(QUESTION_MAX).collect()
}

/// `question` lower-cased, accents and punctuation removed, words single-spaced: the same
/// question typed twice groups under one text.
#[must_use]
pub fn normalized_question(question: &str) -> String {
    crate::french::folded_words(question)
        .chars()
        .take(QUESTION_MAX)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_dashes() {
        assert!(FaqSlug::parse("attestation-droits").is_ok());
        for bad in [
            "",
            "ab",
            "Attestation",
            "a--b",
            "-ab",
            "ab-",
            "é-a",
            "a b",
            "questions",
        ] {
            assert_eq!(FaqSlug::parse(bad), Err(FaqError::Slug), "{bad:?}");
        }
        assert_eq!(
            FaqSlug::from_title("Comment obtenir ma C2S ?").map(|s| s.0),
            Some("comment-obtenir-ma-c2s".to_owned())
        );
    }

    #[test]
    fn answers_read_as_paragraphs_and_lists() {
        let content = FaqContent::new(
            Category::Compte,
            "Comment faire ?",
            &[" autre ".to_owned(), " ".to_owned()],
            "Un premier paragraphe\nsur deux lignes.\n\n- un\n- deux",
            None,
            time::macros::date!(2027 - 06 - 30),
        )
        .unwrap();
        assert_eq!(content.alternatives(), ["autre"]);
        assert_eq!(
            content.answer_blocks(),
            [
                AnswerBlock::Paragraph("Un premier paragraphe sur deux lignes.".to_owned()),
                AnswerBlock::List(vec!["un".to_owned(), "deux".to_owned()]),
            ]
        );
    }

    #[test]
    fn links_stay_in_the_portal() {
        assert!(FaqLink::new("Mes paiements", "/paiements").is_ok());
        for bad in ["https://evil.example", "//evil.example", "", "/a b"] {
            assert_eq!(FaqLink::new("Lien", bad), Err(FaqError::Link), "{bad:?}");
        }
        assert_eq!(FaqLink::new(" ", "/paiements"), Err(FaqError::Link));
    }

    #[test]
    fn kept_questions_hold_no_long_number_nor_address() {
        assert_eq!(
            masked_question("mon nir 1 85 05 78 006 084 36 et iban FR7630006000011234567890189"),
            "mon nir … et iban …"
        );
        assert_eq!(masked_question("écrire à jean@example.fr"), "écrire à …");
        assert_eq!(
            masked_question("mes 2 enfants de 12 ans"),
            "mes 2 enfants de 12 ans"
        );
        assert_eq!(
            normalized_question("  Où est ma  Carte Vitale ?"),
            "ou est ma carte vitale"
        );
    }

    #[test]
    fn codes_read_back() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(c));
        }
        for s in [
            EntryStatus::Draft,
            EntryStatus::Published,
            EntryStatus::Archived,
        ] {
            assert_eq!(EntryStatus::parse(s.code()), Some(s));
        }
    }
}
