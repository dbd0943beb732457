//! Procedure definitions as files: TOML, one file per procedure and version
//! (`<code>.v<N>.toml`, format in `docs/demarches.md`), read into the domain's
//! [`Definition`] and checked. The shipped ones are compiled in ([`SHIPPED`]); a fund adds or
//! replaces procedures with files in its own directory (`CAISSE_DEMARCHES_DIR`), read by the
//! server at start. Any problem names the file, the place in it and what is wrong, and the
//! server does not start.

use std::collections::BTreeMap;
use std::sync::Arc;

use caisse_domain::demarches::{
    ChoiceOption, Condition, Definition, Delay, DelayUnit, Effect, Field, FieldId, FieldKind,
    FilingFor, ProcedureCode, SilenceRule, Step,
};
use serde::Deserialize;

/// The definitions shipped with Caisse, by file name.
pub const SHIPPED: &[(&str, &str)] = &shipped_files![
    "accident-tiers.v1.toml",
    "accident-travail.v1.toml",
    "carte-vitale.v1.toml",
    "ceam.v1.toml",
    "changement-adresse.v1.toml",
    "changement-situation.v1.toml",
    "complementaire-sante-solidaire.v1.toml",
    "conflit-complementaire.v1.toml",
    "declaration-naissance.v1.toml",
    "frais-transport.v1.toml",
    "medecin-traitant.v1.toml",
    "pension-invalidite.v1.toml",
    "perte-vol-carte-vitale.v1.toml",
    "procuration.v1.toml",
];

macro_rules! shipped_files {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../../../demarches/", $name)))),*]
    };
}
use shipped_files;

/// A definition file that cannot be served.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {place}: {problem}")]
pub struct DefinitionError {
    /// The file's name.
    pub file: String,
    /// Where in it (a field's path, a key), or the line and column of a syntax error.
    pub place: String,
    /// What is wrong.
    pub problem: String,
}

/// Every problem found, one per line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("procedure definitions refused:\n{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

/// Every procedure, at every version, as served. `Debug` shows the codes and versions.
#[derive(Clone, Default)]
pub struct Catalogue {
    procedures: BTreeMap<ProcedureCode, BTreeMap<u32, Arc<Definition>>>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.procedures
                    .iter()
                    .map(|(code, versions)| (code.as_str(), versions.keys().collect::<Vec<_>>())),
            )
            .finish()
    }
}

impl Catalogue {
    /// Reads and checks `files` (name, text): the shipped ones then a fund's, a later file
    /// replacing an earlier one of the same procedure and version.
    ///
    /// # Errors
    /// Every problem of every file, each naming its file.
    pub fn load(files: &[(String, String)]) -> Result<Catalogue, DefinitionErrors> {
        let mut catalogue = Catalogue::default();
        let mut errors = Vec::new();
        for (name, text) in files {
            match read_file(name, text) {
                Ok(definition) => {
                    catalogue
                        .procedures
                        .entry(definition.code.clone())
                        .or_default()
                        .insert(definition.version, Arc::new(definition));
                }
                Err(problems) => errors.extend(problems),
            }
        }
        if errors.is_empty() {
            Ok(catalogue)
        } else {
            Err(DefinitionErrors(errors))
        }
    }

    /// The shipped definitions only.
    ///
    /// # Errors
    /// As [`Catalogue::load`]: a shipped file with a problem (a test keeps them clean).
    pub fn shipped() -> Result<Catalogue, DefinitionErrors> {
        let files: Vec<(String, String)> = SHIPPED
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect();
        Catalogue::load(&files)
    }

    /// The shipped definitions, then `extra` (a fund's files).
    ///
    /// # Errors
    /// As [`Catalogue::load`].
    pub fn shipped_and(extra: Vec<(String, String)>) -> Result<Catalogue, DefinitionErrors> {
        let mut files: Vec<(String, String)> = SHIPPED
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect();
        files.extend(extra);
        Catalogue::load(&files)
    }

    /// The latest version of every procedure, in catalogue order (category, title).
    pub fn latest(&self) -> Vec<Arc<Definition>> {
        let mut all: Vec<Arc<Definition>> = self
            .procedures
            .values()
            .filter_map(|versions| versions.values().next_back().cloned())
            .collect();
        all.sort_by(|a, b| (&a.category, &a.title).cmp(&(&b.category, &b.title)));
        all
    }

    /// The latest version of `code`.
    pub fn current(&self, code: &str) -> Option<Arc<Definition>> {
        let code = ProcedureCode::parse(code)?;
        self.procedures.get(&code)?.values().next_back().cloned()
    }

    /// `code` at `version`: what a dossier opened then is read with.
    pub fn version(&self, code: &ProcedureCode, version: u32) -> Option<Arc<Definition>> {
        self.procedures.get(code)?.get(&version).cloned()
    }

    /// Codes of the procedures whose latest version has a rule on silence.
    pub fn with_silence_rule(&self) -> Vec<ProcedureCode> {
        self.procedures
            .iter()
            .filter(|(_, versions)| versions.values().any(|d| d.silence != SilenceRule::None))
            .map(|(code, _)| code.clone())
            .collect()
    }
}

/// Reads one file: its TOML, its name against its code and version, and the domain's checks.
fn read_file(name: &str, text: &str) -> Result<Definition, Vec<DefinitionError>> {
    let error = |place: &str, problem: String| DefinitionError {
        file: name.to_owned(),
        place: place.to_owned(),
        problem,
    };
    let raw: RawDefinition = toml::from_str(text).map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let line = text[..span.start.min(text.len())].lines().count().max(1);
                format!("line {line}")
            })
            .unwrap_or_else(|| "file".to_owned());
        vec![error(&place, e.message().to_owned())]
    })?;
    let mut problems = Vec::new();
    let definition =
        raw.into_definition(&mut |place, problem| problems.push(error(&place, problem)));
    if let Some(definition) = &definition {
        let expected = format!("{}.v{}.toml", definition.code, definition.version);
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        if base != expected {
            problems.push(error(
                "file",
                format!("the file of this code and version is named {expected}"),
            ));
        }
        if definition.public
            && definition
                .fields()
                .any(|f| matches!(f.kind, caisse_domain::demarches::FieldKind::Group { .. }))
        {
            // The form without account is one page without « Ajouter une ligne ».
            problems.push(error(
                "public",
                "a procedure filed without an account has no group field".into(),
            ));
        }
        problems.extend(
            super::effects::contract_problems(definition)
                .into_iter()
                .map(|(place, problem)| error(&place, problem)),
        );
        problems.extend(
            definition
                .check()
                .into_iter()
                .map(|p| error(&p.place, p.problem)),
        );
    }
    match definition {
        Some(definition) if problems.is_empty() => Ok(definition),
        _ => Err(problems),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefinition {
    code: String,
    version: u32,
    title: String,
    summary: String,
    category: String,
    #[serde(default)]
    keywords: Vec<String>,
    filing_for: Vec<String>,
    #[serde(default)]
    team: Option<String>,
    effect: String,
    #[serde(default)]
    automatic: bool,
    #[serde(default)]
    public: bool,
    silence: String,
    delay: RawDelay,
    #[serde(default)]
    investigation: Option<RawDelay>,
    #[serde(default)]
    refusal_reasons: Vec<String>,
    steps: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDelay {
    amount: u32,
    unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: String,
    title: String,
    fields: Vec<RawField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    id: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    hint: Option<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    show_if: Option<RawCondition>,
    #[serde(default)]
    required_if: Option<RawCondition>,
    #[serde(default)]
    max_chars: Option<usize>,
    #[serde(default)]
    min: Option<i64>,
    #[serde(default)]
    max: Option<i64>,
    #[serde(default)]
    past_only: bool,
    #[serde(default)]
    options: Vec<RawOption>,
    #[serde(default)]
    fields: Vec<RawField>,
    #[serde(default)]
    max_count: Option<usize>,
    #[serde(default)]
    identity_document: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    value: String,
    label: String,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    equals: Option<String>,
    #[serde(default)]
    not_equals: Option<String>,
    #[serde(default)]
    one_of: Option<Vec<String>>,
    #[serde(default)]
    filled: Option<String>,
    #[serde(default)]
    all: Option<Vec<RawCondition>>,
    #[serde(default)]
    any: Option<Vec<RawCondition>>,
    #[serde(default)]
    not: Option<Box<RawCondition>>,
}

type Report<'a> = dyn FnMut(String, String) + 'a;

impl RawDefinition {
    fn into_definition(self, report: &mut Report<'_>) -> Option<Definition> {
        let code = ProcedureCode::parse(&self.code);
        if code.is_none() {
            report(
                "code".into(),
                format!("\"{}\" is not a code (a-z, 0-9 and -, 2 to 48)", self.code),
            );
        }
        let filing_for: Vec<FilingFor> = self
            .filing_for
            .iter()
            .filter_map(|w| {
                let found = FilingFor::from_code(w);
                if found.is_none() {
                    report(
                        "filing_for".into(),
                        format!("unknown \"{w}\" (self, beneficiary, mandate)"),
                    );
                }
                found
            })
            .collect();
        let effect = Effect::from_code(&self.effect);
        if effect.is_none() {
            let known: Vec<&str> = Effect::ALL.iter().map(|e| e.code()).collect();
            report(
                "effect".into(),
                format!("unknown \"{}\" ({})", self.effect, known.join(", ")),
            );
        }
        let silence = SilenceRule::from_code(&self.silence);
        if silence.is_none() {
            report(
                "silence".into(),
                format!(
                    "unknown \"{}\" (none, accept, refuse, implicit_recognition)",
                    self.silence
                ),
            );
        }
        let unit = DelayUnit::from_code(&self.delay.unit);
        if unit.is_none() {
            report(
                "delay.unit".into(),
                format!(
                    "unknown \"{}\" (working_days, calendar_days, months)",
                    self.delay.unit
                ),
            );
        }
        let investigation = match &self.investigation {
            None => None,
            Some(raw) => match DelayUnit::from_code(&raw.unit) {
                Some(unit) => Some(Delay {
                    amount: raw.amount,
                    unit,
                }),
                None => {
                    report(
                        "investigation.unit".into(),
                        format!(
                            "unknown \"{}\" (working_days, calendar_days, months)",
                            raw.unit
                        ),
                    );
                    None
                }
            },
        };
        let steps: Vec<Step> = self
            .steps
            .into_iter()
            .filter_map(|step| {
                let place = format!("steps.{}", step.id);
                let id = FieldId::parse(&step.id);
                if id.is_none() {
                    report(place.clone(), "a step id is a-z, 0-9 and _".into());
                }
                let fields = fields(&step.fields, &format!("{place}.fields"), report);
                Some(Step {
                    id: id?,
                    title: step.title,
                    fields,
                })
            })
            .collect();
        Some(Definition {
            code: code?,
            version: self.version,
            title: self.title,
            summary: self.summary,
            category: self.category,
            keywords: self.keywords,
            filing_for,
            steps,
            delay: Delay {
                amount: self.delay.amount,
                unit: unit?,
            },
            silence: silence?,
            investigation,
            team: self.team,
            effect: effect?,
            automatic: self.automatic,
            public: self.public,
            refusal_reasons: self.refusal_reasons,
        })
    }
}

fn kind(field: &RawField, here: &str, report: &mut Report<'_>) -> Option<FieldKind> {
    let text_max = |default| field.max_chars.unwrap_or(default);
    Some(match field.kind.as_str() {
        "text" => FieldKind::Text {
            max_chars: text_max(200),
        },
        "long_text" => FieldKind::LongText {
            max_chars: text_max(4000),
        },
        "number" => FieldKind::Number {
            min: field.min.unwrap_or(0),
            max: field.max.unwrap_or(i64::from(u32::MAX)),
        },
        "amount" => FieldKind::Amount,
        "date" => FieldKind::Date {
            past_only: field.past_only,
        },
        "yes_no" => FieldKind::YesNo,
        "choice" => FieldKind::Choice {
            options: field
                .options
                .iter()
                .map(|o| ChoiceOption {
                    value: o.value.clone(),
                    label: o.label.clone(),
                })
                .collect(),
        },
        "nir" => FieldKind::Nir,
        "iban" => FieldKind::Iban,
        "postal_address" => FieldKind::PostalAddress,
        "phone" => FieldKind::Phone,
        "email" => FieldKind::Email,
        "family_member" => FieldKind::FamilyMember,
        "group" => {
            let inner = fields(&field.fields, &format!("{here}.fields"), report);
            FieldKind::Group {
                fields: inner,
                min: usize::try_from(field.min.unwrap_or(0)).unwrap_or(0),
                max: usize::try_from(field.max.unwrap_or(10)).unwrap_or(0),
            }
        }
        "files" => FieldKind::Files {
            max_count: field.max_count.unwrap_or(3),
            identity_document: field.identity_document,
        },
        other => {
            report(
                here.to_owned(),
                format!(
                    "unknown type \"{other}\" (text, long_text, number, amount, date, yes_no, \
                     choice, nir, iban, postal_address, phone, email, family_member, group, files)"
                ),
            );
            return None;
        }
    })
}

/// The fields at `place`, each read and reported on.
fn fields(raw: &[RawField], place: &str, report: &mut Report<'_>) -> Vec<Field> {
    raw.iter()
        .filter_map(|field| {
            let here = format!("{place}.{}", field.id);
            let id = FieldId::parse(&field.id);
            if id.is_none() {
                report(
                    here.clone(),
                    "a field id is a-z, 0-9 and _, starting with a letter".into(),
                );
            }
            let kind = kind(field, &here, report);
            let show_if = field
                .show_if
                .as_ref()
                .and_then(|c| condition(c.clone(), &format!("{here}.show_if"), report));
            let required_if = field
                .required_if
                .as_ref()
                .and_then(|c| condition(c.clone(), &format!("{here}.required_if"), report));
            Some(Field {
                id: id?,
                label: field.label.clone(),
                hint: field.hint.clone(),
                kind: kind?,
                required: field.required,
                show_if,
                required_if,
            })
        })
        .collect()
}

/// One condition: exactly one of `equals`, `not_equals`, `one_of` (with `field`), `filled`,
/// `all`, `any`, `not`.
fn condition(raw: RawCondition, place: &str, report: &mut Report<'_>) -> Option<Condition> {
    let field_id = |name: &str, report: &mut Report<'_>| {
        let id = FieldId::parse(name);
        if id.is_none() {
            report(place.to_owned(), format!("\"{name}\" is not a field id"));
        }
        id
    };
    let given = [
        raw.equals.is_some(),
        raw.not_equals.is_some(),
        raw.one_of.is_some(),
        raw.filled.is_some(),
        raw.all.is_some(),
        raw.any.is_some(),
        raw.not.is_some(),
    ]
    .into_iter()
    .filter(|g| *g)
    .count();
    if given != 1 {
        report(
            place.to_owned(),
            "a condition has exactly one of equals, not_equals, one_of, filled, all, any, not"
                .into(),
        );
        return None;
    }
    let needs_field = raw.equals.is_some() || raw.not_equals.is_some() || raw.one_of.is_some();
    if needs_field != raw.field.is_some() {
        report(
            place.to_owned(),
            "\"field\" goes with equals, not_equals and one_of, and only with them".into(),
        );
        return None;
    }
    let field = match raw.field.as_deref() {
        Some(name) => Some(field_id(name, report)?),
        None => None,
    };
    if let (Some(value), Some(field)) = (raw.equals, field.clone()) {
        return Some(Condition::Equals { field, value });
    }
    if let (Some(value), Some(field)) = (raw.not_equals, field.clone()) {
        return Some(Condition::NotEquals { field, value });
    }
    if let (Some(values), Some(field)) = (raw.one_of, field) {
        return Some(Condition::OneOf { field, values });
    }
    if let Some(name) = raw.filled {
        return Some(Condition::Filled {
            field: field_id(&name, report)?,
        });
    }
    let list = |items: Vec<RawCondition>, report: &mut Report<'_>| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, c)| condition(c, &format!("{place}[{i}]"), report))
            .collect::<Option<Vec<_>>>()
    };
    if let Some(all) = raw.all {
        return Some(Condition::All(list(all, report)?));
    }
    if let Some(any) = raw.any {
        return Some(Condition::Any(list(any, report)?));
    }
    let inner = condition(*raw.not?, &format!("{place}.not"), report)?;
    Some(Condition::Not(Box::new(inner)))
}
