//! Problems of a submitted form, for templates to show in the summary and beside each field
//! (`templates/partials/form.html`).

use caisse_core::accounts::FormProblem;

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
