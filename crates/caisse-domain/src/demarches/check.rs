//! The load-time check of a definition: every problem names the field (or the part of the
//! definition) and says what is wrong, so the server can refuse to start on it.

use std::collections::BTreeSet;

use super::condition::Condition;
use super::definition::{Definition, Field, FieldId, FieldKind, FilingFor, SilenceRule};

/// One problem of a definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionProblem {
    /// Where: `steps.enfant.fields.date_naissance`, `delay`, `filing_for`…
    pub place: String,
    /// What is wrong.
    pub problem: String,
}

impl std::fmt::Display for DefinitionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.problem)
    }
}

impl Definition {
    /// Every problem of the definition; empty when it may be served.
    pub fn check(&self) -> Vec<DefinitionProblem> {
        let mut problems = Vec::new();
        let mut push = |place: String, problem: String| {
            problems.push(DefinitionProblem { place, problem });
        };
        if self.version == 0 {
            push("version".into(), "versions start at 1".into());
        }
        if self.title.trim().is_empty() {
            push("title".into(), "empty title".into());
        }
        if self.filing_for.is_empty() {
            push("filing_for".into(), "nobody may file it".into());
        }
        if self.steps.is_empty() {
            push("steps".into(), "no step".into());
        }
        if self.delay.amount == 0 && self.silence != SilenceRule::None {
            push(
                "delay".into(),
                "a rule on silence needs a delay of at least one day".into(),
            );
        }
        if self.filing_for.contains(&FilingFor::Beneficiary)
            && !self.fields().any(|f| f.kind == FieldKind::FamilyMember)
        {
            // The person concerned is the member unless a family_member field says otherwise.
            push(
                "filing_for".into(),
                "\"beneficiary\" needs a family_member field naming the person concerned".into(),
            );
        }
        let mut steps = BTreeSet::new();
        let mut seen: BTreeSet<FieldId> = BTreeSet::new();
        for step in &self.steps {
            if !steps.insert(step.id.clone()) {
                push(format!("steps.{}", step.id), "step id used twice".into());
            }
            if step.fields.is_empty() {
                push(format!("steps.{}", step.id), "step without fields".into());
            }
            let place = format!("steps.{}.fields", step.id);
            check_fields(&step.fields, &place, &mut seen, None, &mut push, self);
        }
        problems
    }
}

fn check_fields(
    fields: &[Field],
    place: &str,
    seen: &mut BTreeSet<FieldId>,
    row: Option<&BTreeSet<FieldId>>,
    push: &mut impl FnMut(String, String),
    definition: &Definition,
) {
    let mut row_seen: BTreeSet<FieldId> = BTreeSet::new();
    for field in fields {
        let here = format!("{place}.{}", field.id);
        let known_before = |id: &FieldId| seen.contains(id) || row_seen.contains(id);
        if seen.contains(&field.id) || row_seen.contains(&field.id) {
            push(here.clone(), "field id used twice".into());
        }
        if field.label.trim().is_empty() {
            push(here.clone(), "empty label".into());
        }
        for (name, condition) in [
            ("show_if", &field.show_if),
            ("required_if", &field.required_if),
        ] {
            let Some(condition) = condition else { continue };
            check_condition(
                condition,
                &format!("{here}.{name}"),
                &known_before,
                push,
                definition,
                fields,
            );
        }
        match &field.kind {
            FieldKind::Text { max_chars } | FieldKind::LongText { max_chars }
                if *max_chars == 0 =>
            {
                push(here.clone(), "max_chars must be at least 1".into());
            }
            FieldKind::Number { min, max } if min > max => {
                push(here.clone(), "min is above max".into());
            }
            FieldKind::Choice { options } => {
                if options.len() < 2 {
                    push(here.clone(), "a choice needs at least two options".into());
                }
                let mut values = BTreeSet::new();
                for option in options {
                    if !values.insert(option.value.as_str()) {
                        push(
                            here.clone(),
                            format!("option \"{}\" used twice", option.value),
                        );
                    }
                }
            }
            FieldKind::Group {
                fields: inner,
                min,
                max,
            } => {
                if row.is_some() {
                    push(here.clone(), "a group cannot hold another group".into());
                }
                if min > max || *max == 0 || *max > 20 {
                    push(
                        here.clone(),
                        "rows must be 0 ≤ min ≤ max ≤ 20, max ≥ 1".into(),
                    );
                }
                if inner.iter().any(|f| f.kind.is_files()) {
                    push(here.clone(), "files cannot be inside a group".into());
                }
                let empty = BTreeSet::new();
                let mut inner_seen = seen.clone();
                check_fields(
                    inner,
                    &format!("{here}.fields"),
                    &mut inner_seen,
                    Some(&empty),
                    push,
                    definition,
                );
            }
            FieldKind::Files { max_count, .. } if *max_count == 0 || *max_count > 10 => {
                push(here.clone(), "max_count must be 1 to 10".into());
            }
            _ => {}
        }
        if row.is_some() {
            row_seen.insert(field.id.clone());
        } else {
            seen.insert(field.id.clone());
        }
    }
}

fn check_condition(
    condition: &Condition,
    place: &str,
    known_before: &impl Fn(&FieldId) -> bool,
    push: &mut impl FnMut(String, String),
    definition: &Definition,
    siblings: &[Field],
) {
    for field in condition.fields() {
        if !known_before(field) {
            push(
                place.to_owned(),
                format!("\"{field}\" is not a field asked before this one"),
            );
        }
    }
    for (field, value) in condition.compared_values() {
        let kind = siblings
            .iter()
            .find(|f| &f.id == field)
            .or_else(|| definition.field(field.as_str()))
            .map(|f| &f.kind);
        let fits = match kind {
            Some(FieldKind::Choice { options }) => options.iter().any(|o| o.value == value),
            Some(FieldKind::YesNo) => matches!(value, "oui" | "non"),
            Some(FieldKind::FamilyMember | FieldKind::Number { .. }) => {
                value.parse::<i64>().is_ok()
            }
            Some(other) => {
                push(
                    place.to_owned(),
                    format!(
                        "\"{field}\" is a {} field: it cannot be compared with a value",
                        other.code()
                    ),
                );
                continue;
            }
            None => continue,
        };
        if !fits {
            push(
                place.to_owned(),
                format!("\"{field}\" never has the value \"{value}\""),
            );
        }
    }
}
