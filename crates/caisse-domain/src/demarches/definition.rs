//! What a procedure is: its fields in steps, who may file it, its delay, its rule on silence,
//! its team and its effect. Built by the server from a definition file, then checked by
//! [`Definition::check`](super::Definition::check).

use std::fmt;

use super::condition::Condition;
use super::delay::Delay;
use crate::coded::coded_enum;

/// A procedure's stable code, e.g. `declaration-naissance`: lowercase ASCII letters, digits
/// and dashes, 2 to 48 of them. It names the definition file and is stored with each dossier.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcedureCode(String);

impl ProcedureCode {
    /// Reads a code; `None` when it has other characters or another length.
    pub fn parse(raw: &str) -> Option<ProcedureCode> {
        let ok = (2..=48).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        ok.then(|| ProcedureCode(raw.to_owned()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A field's id within its procedure, e.g. `date_naissance`: lowercase ASCII letters, digits
/// and underscores, 1 to 40. Stable across versions, so answers can be read by later code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(String);

impl FieldId {
    /// Reads an id; `None` when it has other characters or another length.
    pub fn parse(raw: &str) -> Option<FieldId> {
        let ok = (1..=40).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && raw.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
        ok.then(|| FieldId(raw.to_owned()))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One value of a choice field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceOption {
    /// The stored value, e.g. `vol`.
    pub value: String,
    /// What the member reads, e.g. « Vol ».
    pub label: String,
}

/// What a field holds. The form control, the parsing and the stored form follow from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text, at most `max_chars`.
    Text {
        /// Most characters.
        max_chars: usize,
    },
    /// Several lines of text, at most `max_chars`.
    LongText {
        /// Most characters.
        max_chars: usize,
    },
    /// A whole number within bounds.
    Number {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// An amount in euros, kept in cents.
    Amount,
    /// A calendar date; `past_only` refuses dates after today.
    Date {
        /// Only today or earlier.
        past_only: bool,
    },
    /// Oui or non.
    YesNo,
    /// One of a closed list.
    Choice {
        /// The values offered, in order.
        options: Vec<ChoiceOption>,
    },
    /// A social-security number.
    Nir,
    /// Bank details.
    Iban,
    /// A French postal address.
    PostalAddress,
    /// A phone number.
    Phone,
    /// An email address.
    Email,
    /// A person of the member's family (the member or a beneficiary), by rank.
    FamilyMember,
    /// A block of fields repeated `min` to `max` times, e.g. the people of a household.
    Group {
        /// The fields of one row.
        fields: Vec<Field>,
        /// Fewest rows.
        min: usize,
        /// Most rows.
        max: usize,
    },
    /// Files (PDF, JPEG, PNG), checked as message attachments are.
    Files {
        /// Most files.
        max_count: usize,
        /// An identity document: erased once the dossier is decided.
        identity_document: bool,
    },
}

impl FieldKind {
    /// The kind's code in definition files and problems, e.g. `postal_address`.
    pub fn code(&self) -> &'static str {
        match self {
            FieldKind::Text { .. } => "text",
            FieldKind::LongText { .. } => "long_text",
            FieldKind::Number { .. } => "number",
            FieldKind::Amount => "amount",
            FieldKind::Date { .. } => "date",
            FieldKind::YesNo => "yes_no",
            FieldKind::Choice { .. } => "choice",
            FieldKind::Nir => "nir",
            FieldKind::Iban => "iban",
            FieldKind::PostalAddress => "postal_address",
            FieldKind::Phone => "phone",
            FieldKind::Email => "email",
            FieldKind::FamilyMember => "family_member",
            FieldKind::Group { .. } => "group",
            FieldKind::Files { .. } => "files",
        }
    }

    /// Whether this kind holds files (uploaded apart from the other answers).
    pub fn is_files(&self) -> bool {
        matches!(self, FieldKind::Files { .. })
    }
}

/// One question of a procedure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Stable id.
    pub id: FieldId,
    /// The question, in French.
    pub label: String,
    /// A hint under the label.
    pub hint: Option<String>,
    /// What it holds.
    pub kind: FieldKind,
    /// Required when shown (unless `required_if` says when).
    pub required: bool,
    /// Shown only when this holds (and then checked); hidden answers are dropped.
    pub show_if: Option<Condition>,
    /// Required only when this holds (overrides `required`).
    pub required_if: Option<Condition>,
}

/// One page of a procedure's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Stable id, in URLs.
    pub id: FieldId,
    /// The page's title.
    pub title: String,
    /// Its questions.
    pub fields: Vec<Field>,
}

coded_enum! {
    /// Whom a dossier may be filed for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum FilingFor {
        /// The member themself.
        Myself => "self",
        /// A beneficiary (ayant droit) of the member's family.
        Beneficiary => "beneficiary",
        /// A member who gave the filer a procuration.
        Mandate => "mandate",
    }
}

coded_enum! {
    /// What silence at the due date means (domain-2.md §2.1).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum SilenceRule {
        /// Nothing: the dossier stays open past its due date, shown as late.
        None => "none",
        /// *Silence vaut accord*: accepted at the due date.
        Accept => "accept",
        /// *Silence vaut rejet*: refused at the due date (e.g. pension d'invalidité).
        Refuse => "refuse",
        /// Implicit recognition (accident du travail, décret 2019-356): recognised at the
        /// due date.
        ImplicitRecognition => "implicit_recognition",
    }
}

coded_enum! {
    /// The part of a procedure that is code: what acceptance (or submission) changes in the
    /// member file. Everything else about a procedure is data.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Effect {
        /// Nothing beyond the decision letter.
        None => "none",
        /// Order a carte Vitale once the photo and identity are checked.
        VitaleOrder => "vitale_order",
        /// Oppose the lost or stolen card at once, then order a new one.
        VitaleLoss => "vitale_loss",
        /// Order a CEAM and issue at once a certificat provisoire de remplacement.
        Ceam => "ceam",
        /// Change the postal address in the member file.
        AddressChange => "address_change",
        /// Change the name or family situation in the member file.
        SituationChange => "situation_change",
        /// Add the newborn as a beneficiary.
        Birth => "birth",
        /// Record the declared médecin traitant.
        DoctorDeclaration => "doctor_declaration",
        /// Decide the Complémentaire santé solidaire and write its rights period.
        C2s => "c2s",
        /// Record a procuration to a mandataire, for one month.
        Procuration => "procuration",
    }
}

/// A procedure, at one version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// Stable code.
    pub code: ProcedureCode,
    /// Version, from 1; a dossier keeps the version it was opened with.
    pub version: u32,
    /// Its name in the catalogue, e.g. « Déclarer une naissance ».
    pub title: String,
    /// One sentence under the name.
    pub summary: String,
    /// The catalogue's section, e.g. « Famille ».
    pub category: String,
    /// Words that find it in the catalogue besides its title.
    pub keywords: Vec<String>,
    /// Whom it may be filed for.
    pub filing_for: Vec<FilingFor>,
    /// Its pages.
    pub steps: Vec<Step>,
    /// The time the fund has to decide.
    pub delay: Delay,
    /// The longer delay an advisor may open for an investigation, counted from the filing
    /// (accident du travail: 90 jours francs instead of 30).
    pub investigation: Option<Delay>,
    /// What silence at the due date means.
    pub silence: SilenceRule,
    /// The team that instructs it, by code within the fund (`None`: every advisor).
    pub team: Option<String>,
    /// The code run on acceptance.
    pub effect: Effect,
    /// Decided without an advisor: accepted as soon as it is filed (a declaration the fund
    /// only records, e.g. a lost carte Vitale, a CEAM, a procuration).
    pub automatic: bool,
    /// May be filed without an account, the identity checked against the member file
    /// (« Mes remboursements simplifiés »).
    pub public: bool,
    /// Reasons offered to the advisor when refusing, from templates.
    pub refusal_reasons: Vec<String>,
}

impl Definition {
    /// Every field of every step, top level only (group rows hold their own).
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.steps.iter().flat_map(|step| step.fields.iter())
    }

    /// The top-level field `id`.
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields().find(|field| field.id.as_str() == id)
    }

    /// The step `id`.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|step| step.id.as_str() == id)
    }

    /// Whether it may be filed for `whom`.
    pub fn allows(&self, whom: FilingFor) -> bool {
        self.filing_for.contains(&whom)
    }

    /// Whether any field holds an identity document (erased after the decision).
    pub fn has_identity_document(&self) -> bool {
        self.fields().any(|field| {
            matches!(
                field.kind,
                FieldKind::Files {
                    identity_document: true,
                    ..
                }
            )
        })
    }
}
