//! A small typed language for « show or require this field when… », evaluated on the server
//! from the answers already given. It is checked against the definition when loaded
//! (`check.rs`): every field it names exists before it, and every value it compares with is
//! one the field can hold, so a typo stops the server instead of hiding a question.

use super::answers::{AnswerValue, Answers};
use super::definition::FieldId;

/// A condition on the answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// The field's answer is `value` (a choice's value, or `oui` / `non`).
    Equals {
        /// The field compared.
        field: FieldId,
        /// The value.
        value: String,
    },
    /// The field's answer is not `value` (an empty answer is not `value`).
    NotEquals {
        /// The field compared.
        field: FieldId,
        /// The value.
        value: String,
    },
    /// The field's answer is one of `values`.
    OneOf {
        /// The field compared.
        field: FieldId,
        /// The values.
        values: Vec<String>,
    },
    /// The field has an answer.
    Filled {
        /// The field.
        field: FieldId,
    },
    /// Every condition holds.
    All(Vec<Condition>),
    /// At least one holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
}

impl Condition {
    /// Whether the condition holds on `answers`; `row` first, for a field inside a group.
    pub fn holds(&self, answers: &Answers, row: Option<&Answers>) -> bool {
        let value = |field: &FieldId| {
            row.and_then(|row| row.get(field))
                .or_else(|| answers.get(field))
        };
        match self {
            Condition::Equals { field, value: want } => {
                value(field).is_some_and(|got| got.compares_as(want))
            }
            Condition::NotEquals { field, value: want } => {
                !value(field).is_some_and(|got| got.compares_as(want))
            }
            Condition::OneOf { field, values } => {
                value(field).is_some_and(|got| values.iter().any(|want| got.compares_as(want)))
            }
            Condition::Filled { field } => value(field).is_some_and(|got| !got.is_empty()),
            Condition::All(all) => all.iter().all(|c| c.holds(answers, row)),
            Condition::Any(any) => any.iter().any(|c| c.holds(answers, row)),
            Condition::Not(inner) => !inner.holds(answers, row),
        }
    }

    /// Every field the condition reads.
    pub fn fields(&self) -> Vec<&FieldId> {
        match self {
            Condition::Equals { field, .. }
            | Condition::NotEquals { field, .. }
            | Condition::OneOf { field, .. }
            | Condition::Filled { field } => vec![field],
            Condition::All(all) | Condition::Any(all) => {
                all.iter().flat_map(Condition::fields).collect()
            }
            Condition::Not(inner) => inner.fields(),
        }
    }

    /// Every (field, value) pair it compares, for the load-time check.
    pub(super) fn compared_values(&self) -> Vec<(&FieldId, &str)> {
        match self {
            Condition::Equals { field, value } | Condition::NotEquals { field, value } => {
                vec![(field, value.as_str())]
            }
            Condition::OneOf { field, values } => {
                values.iter().map(|v| (field, v.as_str())).collect()
            }
            Condition::Filled { .. } => Vec::new(),
            Condition::All(all) | Condition::Any(all) => {
                all.iter().flat_map(Condition::compared_values).collect()
            }
            Condition::Not(inner) => inner.compared_values(),
        }
    }
}

impl AnswerValue {
    /// Whether this answer reads as `text` in a condition.
    fn compares_as(&self, text: &str) -> bool {
        match self {
            AnswerValue::Choice(value) => value == text,
            AnswerValue::YesNo(yes) => text == if *yes { "oui" } else { "non" },
            AnswerValue::FamilyMember(rank) => text.parse::<u8>().is_ok_and(|r| r == *rank),
            AnswerValue::Number(n) => text.parse::<i64>().is_ok_and(|t| t == *n),
            _ => false,
        }
    }
}
