//! Errors of a submitted form, for templates to show in the summary and beside each field.

use caisse_core::accounts::FormProblem;

/// The problems of one submission, in display order.
#[derive(Clone, Debug, Default)]
pub struct FormErrors(Vec<FormProblem>);

impl FormErrors {
    /// No problem.
    pub fn none() -> FormErrors {
        FormErrors(Vec::new())
    }

    /// One problem.
    pub fn one(field: &'static str, message: impl Into<String>) -> FormErrors {
        FormErrors(vec![FormProblem {
            field,
            message: message.into(),
        }])
    }

    /// True when the form is clean.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every problem, for the summary.
    pub fn all(&self) -> &[FormProblem] {
        &self.0
    }

    /// The messages about one field.
    pub fn of(&self, field: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|p| p.field == field)
            .map(|p| p.message.as_str())
            .collect()
    }
}

impl From<Vec<FormProblem>> for FormErrors {
    fn from(problems: Vec<FormProblem>) -> Self {
        FormErrors(problems)
    }
}

/// At most `max` characters of what the visitor typed, to show it back in the form.
pub fn echo(value: &str, max: usize) -> String {
    value.chars().take(max).collect()
}
