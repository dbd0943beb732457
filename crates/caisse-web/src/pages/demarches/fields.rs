//! A step's fields as form controls: each kind of field gets its control (text, date,
//! radios, select, address, rows of a group, files), its value (what the member typed, or
//! the stored answer), its hint and its errors, with the ids the error summary links to.

use std::collections::BTreeMap;

use caisse_core::demarches::{DossierView, PieceView};
use caisse_domain::demarches::answers::{is_required, is_shown};
use caisse_domain::demarches::{AnswerValue, Answers, Field, FieldError, FieldKind, RawInput};
use uuid::Uuid;

use crate::pages::attachments::kind_and_size;

/// Choices with more options than this are a select rather than radios.
const MOST_RADIOS: usize = 5;

/// Empty rows offered under a group's filled ones.
pub(super) const EMPTY_ROWS: usize = 2;

/// One radio or option.
pub(super) struct OptionView {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One of the four inputs of a postal address.
pub(super) struct AddressPart {
    pub name: String,
    pub label: &'static str,
    pub value: String,
    pub autocomplete: &'static str,
    pub width: &'static str,
    pub inputmode: &'static str,
    pub max_chars: usize,
    pub required: bool,
    pub errors: Vec<String>,
    pub describedby: String,
}

/// One row of a group.
pub(super) struct RowView {
    pub legend: String,
    pub fields: Vec<FieldView>,
}

/// A file of a files field.
pub(super) struct PieceLine {
    pub id: Uuid,
    pub name: String,
    /// « PDF, 1,2 Mo ».
    pub label: String,
    pub href: String,
    pub erased: bool,
}

impl PieceLine {
    pub fn of(dossier_id: Uuid, piece: &PieceView) -> PieceLine {
        PieceLine {
            id: piece.id,
            name: piece.name.clone(),
            label: kind_and_size(piece.kind, piece.size_bytes),
            href: format!("/demarches/dossiers/{dossier_id}/pieces/{}", piece.id),
            erased: piece.erased,
        }
    }
}

/// A field as the step's form shows it.
pub(super) struct FieldView {
    /// The input's name and id (`nom`, `temoins.0.nom`); the error summary links to it.
    pub name: String,
    pub label: String,
    pub hint: String,
    pub required: bool,
    /// `input`, `textarea`, `radios`, `select`, `address`, `group`, `files`, `readonly`.
    pub control: &'static str,
    /// The `type` of an `input`.
    pub input_type: &'static str,
    pub value: String,
    /// Most characters (0: no limit).
    pub max_chars: usize,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
    /// CSS width modifier of the input (`short`, `medium`, `nir`), or none.
    pub width: &'static str,
    pub options: Vec<OptionView>,
    pub address: Vec<AddressPart>,
    pub rows: Vec<RowView>,
    /// Whether « Ajouter une ligne » is offered.
    pub can_add_row: bool,
    pub pieces: Vec<PieceLine>,
    /// Whether more files may be joined now.
    pub can_add_files: bool,
    pub errors: Vec<String>,
    /// `aria-describedby`: hint and errors.
    pub describedby: String,
    /// The answer as read, for a field the member may not change now.
    pub read_only: String,
}

/// Error messages by input name.
pub(super) type ErrorsByInput = BTreeMap<String, Vec<String>>;

pub(super) fn errors_by_input(errors: &[FieldError]) -> ErrorsByInput {
    let mut by_input = ErrorsByInput::new();
    for error in errors {
        by_input
            .entry(error.input.clone())
            .or_default()
            .push(error.message_fr.clone());
    }
    by_input
}

/// `aria-describedby` of input `name`: its hint, then its errors (ids the template prints).
fn describedby(name: &str, has_hint: bool, errors: usize) -> String {
    let mut ids: Vec<String> = Vec::new();
    if has_hint {
        ids.push(format!("{name}-aide"));
    }
    ids.extend((1..=errors).map(|n| format!("{name}-erreur-{n}")));
    ids.join(" ")
}

/// « 1250,50 »: an amount as the form takes it back.
/// An answer as a summary reads it: a person of the family by name.
pub(super) fn shown(field: &Field, value: &AnswerValue, view: &DossierView) -> String {
    match value {
        AnswerValue::FamilyMember(rank) => view
            .family
            .iter()
            .find(|p| p.rank == *rank)
            .map_or_else(|| value.shown(field), |p| p.name.clone()),
        _ => value.shown(field),
    }
}

/// What a step's fields are built from.
pub(super) struct StepContext<'a> {
    /// The dossier, once there is one (a form without account has none yet).
    pub view: Option<&'a DossierView>,
    /// The procedure.
    pub definition: &'a caisse_domain::demarches::Definition,
    /// The people a « person of the family » field offers.
    pub family: &'a [caisse_core::demarches::FamilyPerson],
    /// The answers conditions are evaluated against.
    pub answers: &'a Answers,
    /// The values the inputs show.
    pub raw: &'a RawInput,
    pub errors: &'a ErrorsByInput,
    /// Empty rows offered under each group's filled ones.
    pub empty_rows: usize,
    /// « 5 Mo »: the largest file taken.
    pub max_file_size: String,
}

impl StepContext<'_> {
    /// The shown fields of `fields` as controls; those the member may not change now are
    /// read-only.
    pub fn fields(&self, fields: &[Field]) -> Vec<FieldView> {
        fields
            .iter()
            .filter(|field| is_shown(field, self.answers, None))
            .map(|field| {
                if self.view.is_none_or(|view| view.editable(&field.id)) {
                    self.control(field, "", None)
                } else {
                    self.read_only(field)
                }
            })
            .collect()
    }

    fn read_only(&self, field: &Field) -> FieldView {
        let pieces = self.view.map_or(&[][..], |view| view.pieces.as_slice());
        let read_only = if field.kind.is_files() {
            let count = pieces.iter().filter(|p| p.field == field.id).count();
            match count {
                0 => "Aucun fichier".to_owned(),
                1 => "1 fichier joint".to_owned(),
                n => format!("{n} fichiers joints"),
            }
        } else {
            self.answers.get(&field.id).map_or_else(
                || "Non renseigné".to_owned(),
                |v| match self.view {
                    Some(view) => shown(field, v, view),
                    None => v.shown(field),
                },
            )
        };
        let mut view = self.blank(field, field.id.as_str(), false);
        view.control = "readonly";
        view.read_only = read_only;
        view
    }

    fn blank(&self, field: &Field, name: &str, required: bool) -> FieldView {
        let errors = self.errors.get(name).cloned().unwrap_or_default();
        let hint = field.hint.clone().unwrap_or_default();
        FieldView {
            name: name.to_owned(),
            label: field.label.clone(),
            describedby: describedby(name, !hint.is_empty(), errors.len()),
            hint,
            required,
            control: "input",
            input_type: "text",
            value: self.raw.get(name).cloned().unwrap_or_default(),
            max_chars: 0,
            autocomplete: "off",
            inputmode: "",
            width: "",
            options: Vec::new(),
            address: Vec::new(),
            rows: Vec::new(),
            can_add_row: false,
            pieces: Vec::new(),
            can_add_files: false,
            errors,
            read_only: String::new(),
        }
    }

    /// The control of `field` at `prefix` (`temoins.0.` in a group's row).
    fn control(&self, field: &Field, prefix: &str, row: Option<&Answers>) -> FieldView {
        let name = format!("{prefix}{}", field.id);
        let required = is_required(field, self.answers, row);
        let mut view = self.blank(field, &name, required);
        match &field.kind {
            FieldKind::Text { max_chars } => view.max_chars = *max_chars,
            FieldKind::LongText { max_chars } => {
                view.control = "textarea";
                view.max_chars = *max_chars;
            }
            FieldKind::Number { .. } => {
                view.inputmode = "numeric";
                view.width = "short";
            }
            FieldKind::Amount => {
                view.inputmode = "decimal";
                view.width = "short";
                if view.hint.is_empty() {
                    view.hint = "En euros, par exemple 1 250,50.".to_owned();
                    view.describedby = describedby(&name, true, view.errors.len());
                }
            }
            FieldKind::Date { .. } => {
                view.input_type = "date";
                view.width = "medium";
                if view.hint.is_empty() {
                    view.hint = "Par exemple 14/03/2026.".to_owned();
                    view.describedby = describedby(&name, true, view.errors.len());
                }
            }
            FieldKind::YesNo => {
                view.control = "radios";
                view.options = [("oui", "Oui"), ("non", "Non")]
                    .iter()
                    .map(|(value, label)| option(&name, &view.value, value, label))
                    .collect();
            }
            FieldKind::Choice { options } => {
                view.control = if options.len() > MOST_RADIOS {
                    "select"
                } else {
                    "radios"
                };
                view.options = options
                    .iter()
                    .map(|o| option(&name, &view.value, &o.value, &o.label))
                    .collect();
            }
            FieldKind::FamilyMember => {
                view.control = "radios";
                let alone = !self
                    .definition
                    .allows(caisse_domain::demarches::FilingFor::Beneficiary);
                view.options = self
                    .family
                    .iter()
                    .filter(|p| !alone || p.rank == 1)
                    .map(|p| option(&name, &view.value, &p.rank.to_string(), &p.name))
                    .collect();
            }
            FieldKind::Nir => {
                view.width = "nir";
                view.inputmode = "text";
                if view.hint.is_empty() {
                    view.hint = "15 caractères, par exemple 2 85 05 78 006 084 36.".to_owned();
                    view.describedby = describedby(&name, true, view.errors.len());
                }
            }
            FieldKind::Iban => {
                view.width = "medium";
                if view.hint.is_empty() {
                    view.hint = "Par exemple FR76 3000 6000 0112 3456 7890 189.".to_owned();
                    view.describedby = describedby(&name, true, view.errors.len());
                }
            }
            FieldKind::Phone => {
                view.input_type = "tel";
                view.autocomplete = "tel";
                view.inputmode = "tel";
                view.width = "medium";
            }
            FieldKind::Email => {
                view.input_type = "email";
                view.autocomplete = "email";
                view.inputmode = "email";
            }
            FieldKind::PostalAddress => {
                view.control = "address";
                view.address = self.address(&name, required);
            }
            FieldKind::Group { fields, max, .. } => {
                view.control = "group";
                let filled = self.filled_rows(&name);
                let count = (filled + self.empty_rows).clamp(1, (*max).max(1));
                let stored = match self.answers.get(&field.id) {
                    Some(AnswerValue::Rows(rows)) => rows.clone(),
                    _ => Vec::new(),
                };
                let empty = Answers::new();
                view.rows = (0..count)
                    .map(|index| {
                        let row = stored.get(index).unwrap_or(&empty);
                        let prefix = format!("{name}.{index}.");
                        RowView {
                            legend: format!("{} {}", row_noun(field), index + 1),
                            fields: fields
                                .iter()
                                .filter(|sub| is_shown(sub, self.answers, Some(row)))
                                .map(|sub| self.control(sub, &prefix, Some(row)))
                                .collect(),
                        }
                    })
                    .collect();
                view.can_add_row = count < *max;
            }
            FieldKind::Files { max_count, .. } => {
                // With a dossier, files are added one form at a time; without, with the form.
                view.control = if self.view.is_some() {
                    "files"
                } else {
                    "file_input"
                };
                if let Some(dossier) = self.view {
                    view.pieces = dossier
                        .pieces
                        .iter()
                        .filter(|p| p.field == field.id)
                        .map(|p| PieceLine::of(dossier.id, p))
                        .collect();
                }
                view.can_add_files = view.pieces.len() < *max_count;
                let size = &self.max_file_size;
                let limits = match max_count {
                    1 => format!("un fichier, {size} au plus"),
                    n => format!("{n} fichiers au plus, {size} chacun"),
                };
                view.hint = match &field.hint {
                    Some(hint) => format!("{hint} {}.", capitalized(&limits)),
                    None => format!("PDF, JPEG ou PNG ; {limits}."),
                };
                view.describedby = describedby(&name, true, view.errors.len());
            }
        }
        if view.control == "radios"
            && let Some(first) = view.options.first_mut()
        {
            // The error summary links to the input named like the field: the first radio.
            first.id = name;
        }
        view
    }

    /// Rows of group `name` that hold something, counted up to the last one.
    fn filled_rows(&self, name: &str) -> usize {
        let prefix = format!("{name}.");
        self.raw
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .filter_map(|(key, _)| key.strip_prefix(&prefix)?.split('.').next()?.parse().ok())
            .map(|index: usize| index + 1)
            .max()
            .unwrap_or(0)
    }

    fn address(&self, name: &str, required: bool) -> Vec<AddressPart> {
        // (input, label, autocomplete, width, inputmode, most characters, required): 38
        // characters a line (the postal standard), a postal code may be typed « 75 001 ».
        let parts: [(&str, &str, &str, &str, &str, usize, bool); 4] = [
            (
                "ligne1",
                "Numéro et voie",
                "address-line1",
                "",
                "",
                38,
                required,
            ),
            (
                "ligne2",
                "Complément d'adresse (bâtiment, lieu-dit)",
                "address-line2",
                "",
                "",
                38,
                false,
            ),
            (
                "code_postal",
                "Code postal",
                "postal-code",
                "short",
                "numeric",
                6,
                required,
            ),
            (
                "commune",
                "Commune",
                "address-level2",
                "medium",
                "",
                38,
                required,
            ),
        ];
        parts
            .into_iter()
            .map(
                |(part, label, autocomplete, width, inputmode, max_chars, required)| {
                    let input = format!("{name}.{part}");
                    let errors = self.errors.get(&input).cloned().unwrap_or_default();
                    AddressPart {
                        describedby: describedby(&input, false, errors.len()),
                        value: self.raw.get(&input).cloned().unwrap_or_default(),
                        name: input,
                        label,
                        autocomplete,
                        width,
                        inputmode,
                        max_chars,
                        required,
                        errors,
                    }
                },
            )
            .collect()
    }
}

/// « Personne 1 », « Ligne 1 »: what a row of a group is called in its legend.
fn row_noun(field: &Field) -> &'static str {
    let label = field.label.to_lowercase();
    if label.contains("personne") || label.contains("témoin") {
        "Personne"
    } else {
        "Ligne"
    }
}

fn option(name: &str, current: &str, value: &str, label: &str) -> OptionView {
    OptionView {
        id: format!("{name}-{value}"),
        value: value.to_owned(),
        label: label.to_owned(),
        checked: current == value,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
