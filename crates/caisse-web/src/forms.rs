//! Problems of a submitted form, for templates to show in the summary and beside each field
//! (`templates/partials/form.html`), and the character limits of text fields.

use caisse_core::accounts::FormProblem;
use caisse_domain::french;

/// The problems of a submitted form, each shown beside its field and listed in the summary.
/// A problem's `field` is the `id` (and `name`) of its input, so the summary links to it.
#[derive(Debug, Default)]
pub struct Problems(Vec<FormProblem>);

impl Problems {
    /// No problem: a form shown for the first time.
    pub fn none() -> Problems {
        Problems::default()
    }

    /// One problem on one field.
    pub fn one(field: &'static str, message: impl Into<String>) -> Problems {
        Problems(vec![FormProblem {
            field,
            message: message.into(),
        }])
    }

    /// True when the form had no problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The status of the page showing the form: 422 when it has problems, 200 otherwise.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.is_empty() {
            axum::http::StatusCode::OK
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every problem, in the order of the form.
    pub fn iter(&self) -> std::slice::Iter<'_, FormProblem> {
        self.0.iter()
    }

    /// The messages about one field.
    pub fn for_field(&self, field: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|p| p.field == field)
            .map(|p| p.message.as_str())
            .collect()
    }
}

impl From<Vec<FormProblem>> for Problems {
    fn from(problems: Vec<FormProblem>) -> Self {
        Problems(problems)
    }
}

/// At most `max` characters of what the visitor typed, to show it back in the form.
pub fn echo(value: &str, max: usize) -> String {
    value.chars().take(max).collect()
}

/// A text field's character limit as a form shows it: the limit in the hint, which is all a
/// visitor without JavaScript sees while typing, and once the form was submitted, the count.
/// `static/js/character-count.js` reads the limit from the field's `data-max-chars` and keeps
/// the count live as the visitor types.
#[derive(Debug, Clone, Copy)]
pub struct CharLimit {
    /// Most characters allowed.
    pub max: usize,
    /// Characters counted in what was submitted, if it was.
    pub count: Option<usize>,
}

impl CharLimit {
    /// A limit, nothing submitted yet.
    pub fn new(max: usize) -> CharLimit {
        CharLimit { max, count: None }
    }

    /// The same limit with the count of what was submitted.
    pub fn counted(self, count: usize) -> CharLimit {
        CharLimit {
            count: Some(count),
            ..self
        }
    }

    /// « 4 000 caractères maximum ».
    pub fn hint(&self) -> String {
        format!("{} caractères maximum", french::number(self.max))
    }

    /// « 1 234 caractères sur 4 000 », once submitted.
    pub fn count_text(&self) -> Option<String> {
        self.count.map(|n| {
            let unit = if n > 1 { "caractères" } else { "caractère" };
            format!(
                "{} {unit} sur {}",
                french::number(n),
                french::number(self.max)
            )
        })
    }

    /// The id of the count beside field `name` (`body-compte`) when it shows, for the field's
    /// `aria-describedby`; empty otherwise.
    pub fn count_id(&self, name: &str) -> String {
        if self.count.is_some() {
            format!("{name}-compte")
        } else {
            String::new()
        }
    }

    /// True when what was submitted is over the limit.
    pub fn is_over(&self) -> bool {
        self.count.is_some_and(|n| n > self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::CharLimit;

    #[test]
    fn limits_and_counts_read_as_french() {
        let limit = CharLimit::new(4_000);
        assert_eq!(limit.hint(), "4\u{a0}000 caractères maximum");
        assert_eq!(limit.count_text(), None);
        assert!(!limit.is_over());
        let counted = limit.counted(1_234);
        assert_eq!(
            counted.count_text().unwrap(),
            "1\u{a0}234 caractères sur 4\u{a0}000"
        );
        assert_eq!(
            CharLimit::new(100).counted(1).count_text().unwrap(),
            "1 caractère sur 100"
        );
        assert!(!CharLimit::new(100).counted(100).is_over());
        assert!(CharLimit::new(100).counted(101).is_over());
    }
}
