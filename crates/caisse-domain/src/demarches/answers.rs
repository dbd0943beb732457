//! A dossier's answers: what the member typed, parsed once per field kind into typed values
//! ("parse, don't validate"), with one French message per refused field. A step is read as a
//! whole ([`read_step`]): hidden fields are dropped, shown ones parsed, required ones checked,
//! conditions evaluated against the answers given so far plus the step's own.

use std::collections::BTreeMap;

use time::Date;

use super::definition::{Definition, Field, FieldId, FieldKind};
use crate::money::AmountCents;
use crate::{Email, Iban, Nir, PhoneNumber};

/// A French postal address. `Debug` shows only the postal code's department.
#[derive(Clone, PartialEq, Eq)]
pub struct PostalAddress {
    /// Number and street.
    pub line1: String,
    /// Complement (building, lieu-dit).
    pub line2: Option<String>,
    /// Five digits.
    pub postal_code: String,
    /// Commune.
    pub city: String,
}

impl PostalAddress {
    /// The department of the postal code: `2A`/`2B` for Corsica, three digits overseas.
    pub fn department(&self) -> String {
        let code = &self.postal_code;
        match code.get(..2) {
            Some("97") | Some("98") => code.get(..3).unwrap_or(code).to_owned(),
            Some("20") => {
                if code.as_str() < "20200" {
                    "2A".to_owned()
                } else {
                    "2B".to_owned()
                }
            }
            Some(two) => two.to_owned(),
            None => code.clone(),
        }
    }
}

impl std::fmt::Debug for PostalAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostalAddress")
            .field("department", &self.department())
            .finish_non_exhaustive()
    }
}

/// One parsed answer. `Debug` shows the kind only: answers are personal.
#[derive(Clone, PartialEq, Eq)]
pub enum AnswerValue {
    /// Text (one line or several).
    Text(String),
    /// A whole number.
    Number(i64),
    /// An amount.
    Amount(AmountCents),
    /// A date.
    Date(Date),
    /// Oui (true) or non.
    YesNo(bool),
    /// A choice's stored value.
    Choice(String),
    /// A NIR.
    Nir(Nir),
    /// An IBAN.
    Iban(Iban),
    /// A postal address.
    Address(PostalAddress),
    /// A phone number.
    Phone(PhoneNumber),
    /// An email address.
    Email(Email),
    /// A person of the family, by rank (1 the member, 2–19 the beneficiaries).
    FamilyMember(u8),
    /// The rows of a group.
    Rows(Vec<Answers>),
}

impl AnswerValue {
    /// The kind's name, for `Debug`.
    pub fn kind_code(&self) -> &'static str {
        match self {
            AnswerValue::Text(_) => "text",
            AnswerValue::Number(_) => "number",
            AnswerValue::Amount(_) => "amount",
            AnswerValue::Date(_) => "date",
            AnswerValue::YesNo(_) => "yes_no",
            AnswerValue::Choice(_) => "choice",
            AnswerValue::Nir(_) => "nir",
            AnswerValue::Iban(_) => "iban",
            AnswerValue::Address(_) => "postal_address",
            AnswerValue::Phone(_) => "phone",
            AnswerValue::Email(_) => "email",
            AnswerValue::FamilyMember(_) => "family_member",
            AnswerValue::Rows(_) => "group",
        }
    }

    /// An empty text or group.
    pub fn is_empty(&self) -> bool {
        match self {
            AnswerValue::Text(text) => text.is_empty(),
            AnswerValue::Rows(rows) => rows.is_empty(),
            _ => false,
        }
    }

    /// The answer as a person reads it on a summary, in French.
    pub fn shown(&self, field: &Field) -> String {
        match self {
            AnswerValue::Text(text) => text.clone(),
            AnswerValue::Number(n) => n.to_string(),
            AnswerValue::Amount(cents) => crate::french::amount(*cents),
            AnswerValue::Date(date) => crate::french::numeric_date(*date),
            AnswerValue::YesNo(yes) => if *yes { "Oui" } else { "Non" }.to_owned(),
            AnswerValue::Choice(value) => match &field.kind {
                FieldKind::Choice { options } => options
                    .iter()
                    .find(|o| &o.value == value)
                    .map_or_else(|| value.clone(), |o| o.label.clone()),
                _ => value.clone(),
            },
            AnswerValue::Nir(nir) => nir.formatted(),
            AnswerValue::Iban(iban) => iban.masked(),
            AnswerValue::Address(a) => {
                let mut lines = vec![a.line1.clone()];
                lines.extend(a.line2.clone());
                lines.push(format!("{} {}", a.postal_code, a.city));
                lines.join(", ")
            }
            AnswerValue::Phone(phone) => phone.formatted_national().to_owned(),
            AnswerValue::Email(email) => email.as_str().to_owned(),
            AnswerValue::FamilyMember(rank) => format!("Personne de rang {rank:02}"),
            AnswerValue::Rows(rows) => match rows.len() {
                0 => "Aucune ligne".to_owned(),
                1 => "1 ligne".to_owned(),
                n => format!("{n} lignes"),
            },
        }
    }
}

impl std::fmt::Debug for AnswerValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AnswerValue({})", self.kind_code())
    }
}

/// Answers by field id.
pub type Answers = BTreeMap<FieldId, AnswerValue>;

/// What a form sent, by input name: `field` for most kinds, `field.ligne1`, `field.ligne2`,
/// `field.code_postal`, `field.commune` for an address, `field.N.sub` for row `N` of a group.
pub type RawInput = BTreeMap<String, String>;

/// Why one field's answer was refused. `message_fr` is what the member reads beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The input the message belongs to (`field`, `field.code_postal`, `field.2.nom`…).
    pub input: String,
    /// The message, in French.
    pub message_fr: String,
}

impl FieldError {
    fn new(input: impl Into<String>, message_fr: impl Into<String>) -> FieldError {
        FieldError {
            input: input.into(),
            message_fr: message_fr.into(),
        }
    }
}

/// What parsing needs beyond the input.
#[derive(Clone, Copy, Debug)]
pub struct ParseContext<'a> {
    /// Today, for « not in the future ».
    pub today: Date,
    /// The ranks of the member's family (1 and the beneficiaries').
    pub family_ranks: &'a [u8],
}

fn text(raw: &RawInput, name: &str) -> String {
    raw.get(name)
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

/// A date as typed: `2026-03-14` (a date control) or `14/03/2026`.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let (year, month, day) = if let Some((d, rest)) = text.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        (y, m, d)
    } else {
        let mut parts = text.splitn(3, '-');
        (parts.next()?, parts.next()?, parts.next()?)
    };
    let year: i32 = year.parse().ok().filter(|y| (1900..=2200).contains(y))?;
    let month: u8 = month.parse().ok()?;
    let day: u8 = day.parse().ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// Parses `field` (at `prefix`, e.g. `enfants.0.` inside a group) from `raw`: `Ok(None)` when
/// nothing was typed, one error per refused input otherwise.
fn parse_field(
    field: &Field,
    prefix: &str,
    raw: &RawInput,
    ctx: ParseContext<'_>,
    answers: &Answers,
) -> Result<Option<AnswerValue>, Vec<FieldError>> {
    let name = format!("{prefix}{}", field.id);
    let value = text(raw, &name);
    let one = |message: &str| Err(vec![FieldError::new(&name, message)]);
    match &field.kind {
        FieldKind::Files { .. } => Ok(None),
        FieldKind::PostalAddress => parse_address(&name, raw),
        FieldKind::Group { fields, max, .. } => parse_rows(&name, fields, *max, raw, ctx, answers),
        _ if value.is_empty() => Ok(None),
        FieldKind::Text { max_chars } | FieldKind::LongText { max_chars } => {
            if value.chars().count() > *max_chars {
                one(&format!("Saisissez au plus {max_chars} caractères."))
            } else {
                Ok(Some(AnswerValue::Text(value)))
            }
        }
        FieldKind::Number { min, max } => match value.replace([' ', '\u{a0}'], "").parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => Ok(Some(AnswerValue::Number(n))),
            Ok(_) => one(&format!("Saisissez un nombre entre {min} et {max}.")),
            Err(_) => one("Saisissez un nombre entier, en chiffres."),
        },
        FieldKind::Amount => match AmountCents::parse_euros(&value) {
            Ok(cents) => Ok(Some(AnswerValue::Amount(cents))),
            Err(_) => one("Saisissez un montant en euros, par exemple 1 250,50."),
        },
        FieldKind::Date { past_only } => match parse_date(&value) {
            Some(date) if *past_only && date > ctx.today => {
                one("Saisissez une date qui n'est pas dans le futur.")
            }
            Some(date) => Ok(Some(AnswerValue::Date(date))),
            None => one("Saisissez une date valide, par exemple 14/03/2026."),
        },
        FieldKind::YesNo => match value.as_str() {
            "oui" => Ok(Some(AnswerValue::YesNo(true))),
            "non" => Ok(Some(AnswerValue::YesNo(false))),
            _ => one("Choisissez oui ou non."),
        },
        FieldKind::Choice { options } => {
            if options.iter().any(|o| o.value == value) {
                Ok(Some(AnswerValue::Choice(value)))
            } else {
                one("Choisissez l'une des réponses proposées.")
            }
        }
        FieldKind::Nir => Nir::parse(&value)
            .map(|nir| Some(AnswerValue::Nir(nir)))
            .or_else(|error| one(error.message_fr())),
        FieldKind::Iban => Iban::parse(&value)
            .map(|iban| Some(AnswerValue::Iban(iban)))
            .or_else(|error| one(error.message_fr())),
        FieldKind::Phone => PhoneNumber::parse(&value)
            .map(|phone| Some(AnswerValue::Phone(phone)))
            .or_else(|error| one(error.message_fr())),
        FieldKind::Email => Email::parse(&value)
            .map(|email| Some(AnswerValue::Email(email)))
            .or_else(|error| one(error.message_fr())),
        FieldKind::FamilyMember => match value.parse::<u8>() {
            Ok(rank) if ctx.family_ranks.contains(&rank) => {
                Ok(Some(AnswerValue::FamilyMember(rank)))
            }
            _ => one("Choisissez une personne de votre foyer."),
        },
    }
}

fn parse_address(name: &str, raw: &RawInput) -> Result<Option<AnswerValue>, Vec<FieldError>> {
    let line1 = text(raw, &format!("{name}.ligne1"));
    let line2 = text(raw, &format!("{name}.ligne2"));
    let postal_code = text(raw, &format!("{name}.code_postal")).replace(' ', "");
    let city = text(raw, &format!("{name}.commune"));
    if line1.is_empty() && line2.is_empty() && postal_code.is_empty() && city.is_empty() {
        return Ok(None);
    }
    let mut errors = Vec::new();
    if line1.is_empty() {
        errors.push(FieldError::new(
            format!("{name}.ligne1"),
            "Saisissez le numéro et la voie.",
        ));
    } else if line1.chars().count() > 38 {
        // 38 characters a line: the postal standard (NF Z10-011).
        errors.push(FieldError::new(
            format!("{name}.ligne1"),
            "Saisissez au plus 38 caractères.",
        ));
    }
    if line2.chars().count() > 38 {
        errors.push(FieldError::new(
            format!("{name}.ligne2"),
            "Saisissez au plus 38 caractères.",
        ));
    }
    if postal_code.len() != 5 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(FieldError::new(
            format!("{name}.code_postal"),
            "Saisissez un code postal de 5 chiffres.",
        ));
    }
    if city.is_empty() || city.chars().count() > 38 {
        errors.push(FieldError::new(
            format!("{name}.commune"),
            "Saisissez la commune (38 caractères au plus).",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Some(AnswerValue::Address(PostalAddress {
        line1,
        line2: (!line2.is_empty()).then_some(line2),
        postal_code,
        city,
    })))
}

fn parse_rows(
    name: &str,
    fields: &[Field],
    max: usize,
    raw: &RawInput,
    ctx: ParseContext<'_>,
    answers: &Answers,
) -> Result<Option<AnswerValue>, Vec<FieldError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    // Rows are numbered by the form from 0; an empty row (nothing typed) is left out.
    for index in 0..max {
        let prefix = format!("{name}.{index}.");
        let typed = raw
            .iter()
            .any(|(key, value)| key.starts_with(&prefix) && !value.trim().is_empty());
        if !typed {
            continue;
        }
        let (row, row_errors) = read_fields(fields, &prefix, raw, ctx, answers);
        errors.extend(row_errors);
        rows.push(row);
    }
    if errors.is_empty() {
        Ok((!rows.is_empty()).then_some(AnswerValue::Rows(rows)))
    } else {
        Err(errors)
    }
}

/// Whether `field` is asked given the answers: no condition, or its condition holds.
pub fn is_shown(field: &Field, answers: &Answers, row: Option<&Answers>) -> bool {
    field
        .show_if
        .as_ref()
        .is_none_or(|condition| condition.holds(answers, row))
}

/// Whether `field`, shown, must be answered.
pub fn is_required(field: &Field, answers: &Answers, row: Option<&Answers>) -> bool {
    match &field.required_if {
        Some(condition) => condition.holds(answers, row),
        None => field.required,
    }
}

/// Reads `fields` at `prefix`: the parsed answers of the shown fields and one error per
/// refused or missing input. Files are counted apart ([`missing_files`]).
fn read_fields(
    fields: &[Field],
    prefix: &str,
    raw: &RawInput,
    ctx: ParseContext<'_>,
    answers: &Answers,
) -> (Answers, Vec<FieldError>) {
    let mut read = Answers::new();
    let mut errors = Vec::new();
    let in_row = !prefix.is_empty();
    // Conditions see the answers before this block and those of the block read so far.
    for field in fields {
        let (context, row) = if in_row {
            (answers, Some(&read))
        } else {
            (answers, None)
        };
        let merged;
        let context = if in_row {
            context
        } else {
            merged = merged_answers(answers, &read);
            &merged
        };
        if !is_shown(field, context, row) || field.kind.is_files() {
            continue;
        }
        let required = is_required(field, context, row);
        match parse_field(field, prefix, raw, ctx, context) {
            Ok(Some(value)) => {
                if let (AnswerValue::Rows(rows), FieldKind::Group { min, .. }) =
                    (&value, &field.kind)
                    && rows.len() < *min
                {
                    errors.push(FieldError::new(
                        format!("{prefix}{}", field.id),
                        if *min == 1 {
                            "Ajoutez au moins une ligne.".to_owned()
                        } else {
                            format!("Ajoutez au moins {min} lignes.")
                        },
                    ));
                }
                read.insert(field.id.clone(), value);
            }
            Ok(None) if required => errors.push(FieldError::new(
                format!("{prefix}{}", field.id),
                missing_message(field),
            )),
            Ok(None) => {}
            Err(field_errors) => errors.extend(field_errors),
        }
    }
    (read, errors)
}

fn merged_answers(before: &Answers, read: &Answers) -> Answers {
    let mut merged = before.clone();
    merged.extend(read.iter().map(|(k, v)| (k.clone(), v.clone())));
    merged
}

/// The message for a required field left empty: « Saisissez… » or « Choisissez… ».
pub fn missing_message(field: &Field) -> String {
    let label = field.label.trim_end_matches(['?', ' ', ':']);
    let label = lowercase_first(label);
    match field.kind {
        FieldKind::YesNo | FieldKind::Choice { .. } | FieldKind::FamilyMember => {
            format!("Choisissez une réponse : {label}.")
        }
        FieldKind::Files { .. } => format!("Joignez le justificatif : {label}."),
        FieldKind::Group { .. } => format!("Complétez au moins une ligne : {label}."),
        _ => format!("Saisissez {label}."),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    // Keep « NIR », « IBAN »: only a capital followed by a small letter is lowered.
    let second_is_lower = text.chars().nth(1).is_some_and(char::is_lowercase);
    if second_is_lower {
        first.to_lowercase().chain(chars).collect()
    } else {
        text.to_owned()
    }
}

/// Reads one step of `definition` from `raw`, with `answers` the dossier's answers from the
/// other steps: the step's parsed answers, or one error per refused input.
pub fn read_step(
    definition: &Definition,
    step_id: &str,
    raw: &RawInput,
    ctx: ParseContext<'_>,
    answers: &Answers,
) -> Result<Answers, Vec<FieldError>> {
    let (read, errors) = read_step_partly(definition, step_id, raw, ctx, answers);
    if errors.is_empty() {
        Ok(read)
    } else {
        Err(errors)
    }
}

/// [`read_step`], keeping what parsed beside the errors: completing a dossier, only the
/// flagged fields' answers and errors count.
pub fn read_step_partly(
    definition: &Definition,
    step_id: &str,
    raw: &RawInput,
    ctx: ParseContext<'_>,
    answers: &Answers,
) -> (Answers, Vec<FieldError>) {
    let Some(step) = definition.step(step_id) else {
        return (
            Answers::new(),
            vec![FieldError::new(step_id, "Cette étape n'existe pas.")],
        );
    };
    let mut others = answers.clone();
    for field in &step.fields {
        others.remove(&field.id);
    }
    read_fields(&step.fields, "", raw, ctx, &others)
}

/// Replaces the answers of step `step_id` by `read`, and drops answers of other steps that a
/// changed condition now hides.
pub fn merge_step(definition: &Definition, step_id: &str, answers: &mut Answers, read: Answers) {
    if let Some(step) = definition.step(step_id) {
        for field in &step.fields {
            answers.remove(&field.id);
        }
    }
    answers.extend(read);
    let snapshot = answers.clone();
    answers.retain(|id, _| {
        definition
            .field(id.as_str())
            .is_some_and(|field| is_shown(field, &snapshot, None))
    });
}

/// Files fields that are shown, required, and have fewer files than needed, given how many
/// files each holds.
pub fn missing_files<'a>(
    definition: &'a Definition,
    answers: &Answers,
    files: &BTreeMap<FieldId, usize>,
) -> Vec<&'a Field> {
    definition
        .fields()
        .filter(|field| field.kind.is_files())
        .filter(|field| is_shown(field, answers, None) && is_required(field, answers, None))
        .filter(|field| files.get(&field.id).copied().unwrap_or(0) == 0)
        .collect()
}

/// Every problem that stops the dossier being filed: required fields of every step without
/// an answer, and required files missing. Answers themselves are already parsed.
pub fn unanswered<'a>(
    definition: &'a Definition,
    answers: &Answers,
    files: &BTreeMap<FieldId, usize>,
) -> Vec<(&'a Field, String)> {
    let mut problems: Vec<(&Field, String)> = definition
        .fields()
        .filter(|field| !field.kind.is_files())
        .filter(|field| is_shown(field, answers, None) && is_required(field, answers, None))
        .filter(|field| answers.get(&field.id).is_none_or(AnswerValue::is_empty))
        .map(|field| (field, missing_message(field)))
        .collect();
    problems.extend(
        missing_files(definition, answers, files)
            .into_iter()
            .map(|field| (field, missing_message(field))),
    );
    problems
}

/// The step a field is on.
pub fn step_of<'a>(definition: &'a Definition, field: &FieldId) -> Option<&'a str> {
    definition
        .steps
        .iter()
        .find(|step| step.fields.iter().any(|f| &f.id == field))
        .map(|step| step.id.as_str())
}

/// The answers as form inputs (the names of [`RawInput`]): what a form shows again and what
/// the API returns, so that sending them back changes nothing.
pub fn to_inputs(answers: &Answers) -> RawInput {
    let mut inputs = RawInput::new();
    put_inputs(answers, "", &mut inputs);
    inputs
}

fn put_inputs(answers: &Answers, prefix: &str, inputs: &mut RawInput) {
    for (id, value) in answers {
        let name = format!("{prefix}{id}");
        let text = match value {
            AnswerValue::Text(text) | AnswerValue::Choice(text) => text.clone(),
            AnswerValue::Number(n) => n.to_string(),
            AnswerValue::Amount(cents) => {
                let c = cents.cents();
                format!("{},{:02}", c / 100, c % 100)
            }
            AnswerValue::Date(date) => format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            ),
            AnswerValue::YesNo(yes) => if *yes { "oui" } else { "non" }.to_owned(),
            AnswerValue::Nir(nir) => nir.as_str().to_owned(),
            AnswerValue::Iban(iban) => iban.formatted(),
            AnswerValue::Phone(phone) => phone.formatted_national().to_owned(),
            AnswerValue::Email(email) => email.as_str().to_owned(),
            AnswerValue::FamilyMember(rank) => rank.to_string(),
            AnswerValue::Address(address) => {
                inputs.insert(format!("{name}.ligne1"), address.line1.clone());
                inputs.insert(
                    format!("{name}.ligne2"),
                    address.line2.clone().unwrap_or_default(),
                );
                inputs.insert(format!("{name}.code_postal"), address.postal_code.clone());
                inputs.insert(format!("{name}.commune"), address.city.clone());
                continue;
            }
            AnswerValue::Rows(rows) => {
                for (index, row) in rows.iter().enumerate() {
                    put_inputs(row, &format!("{name}.{index}."), inputs);
                }
                continue;
            }
        };
        inputs.insert(name, text);
    }
}
