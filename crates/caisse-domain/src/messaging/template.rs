//! Canned answers (*réponses types*): texts with variables that a staff member inserts into a
//! reply, filled in for the thread at hand.
//!
//! A variable is written `{name}`. The names are [`Variable::ALL`]'s: `{prenom}`, `{nom}`,
//! `{reference}`, `{date_echeance}`, `{conseiller}`, `{caisse}`. Anything between braces that
//! looks like a name — one to 32 letters, digits, `_` or `-`, no space — is a variable, and a
//! name not in the list is an error ([`TemplateError`]), so a misspelt `{prénom}` is caught
//! before it reaches a member instead of being sent as typed. Other braces (`{ }`, `{à voir}`)
//! are plain text.
//!
//! Values are substituted once: a value holding `{nom}` is not read again.

use std::fmt;

/// Longest variable name recognised, in characters.
const MAX_NAME_CHARS: usize = 32;

/// A variable of a canned answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variable {
    /// `{prenom}`: the member's first name.
    Prenom,
    /// `{nom}`: the member's last name (usage name if any).
    Nom,
    /// `{reference}`: the thread's reference (`M-2026-K7Q3-9DXA`).
    Reference,
    /// `{date_echeance}`: the thread's due date, in words (« 12 mars 2026 »).
    DateEcheance,
    /// `{conseiller}`: the staff member's name, as they sign.
    Conseiller,
    /// `{caisse}`: the name of the staff member's fund.
    Caisse,
}

impl Variable {
    /// Every variable, in the order help texts list them.
    pub const ALL: [Variable; 6] = [
        Variable::Prenom,
        Variable::Nom,
        Variable::Reference,
        Variable::DateEcheance,
        Variable::Conseiller,
        Variable::Caisse,
    ];

    /// Returns the name written between braces, e.g. `"prenom"`.
    pub fn name(self) -> &'static str {
        match self {
            Variable::Prenom => "prenom",
            Variable::Nom => "nom",
            Variable::Reference => "reference",
            Variable::DateEcheance => "date_echeance",
            Variable::Conseiller => "conseiller",
            Variable::Caisse => "caisse",
        }
    }

    /// Returns what the variable stands for, in French.
    pub fn label_fr(self) -> &'static str {
        match self {
            Variable::Prenom => "prénom de l'assuré",
            Variable::Nom => "nom de l'assuré",
            Variable::Reference => "référence du message",
            Variable::DateEcheance => "date de réponse attendue",
            Variable::Conseiller => "votre nom",
            Variable::Caisse => "nom de votre caisse",
        }
    }

    /// Returns the variable of `name` (without braces), or `None`.
    pub fn from_name(name: &str) -> Option<Variable> {
        Variable::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// What the variables stand for in one thread. `Debug` shows nothing: these are a member's
/// name and their thread's details.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TemplateValues {
    /// The member's first name.
    pub prenom: String,
    /// The member's last name.
    pub nom: String,
    /// The thread's reference.
    pub reference: String,
    /// The due date, already written in French.
    pub date_echeance: String,
    /// The staff member's name.
    pub conseiller: String,
    /// The fund's name.
    pub caisse: String,
}

impl TemplateValues {
    /// Returns the value of `variable`.
    pub fn get(&self, variable: Variable) -> &str {
        match variable {
            Variable::Prenom => &self.prenom,
            Variable::Nom => &self.nom,
            Variable::Reference => &self.reference,
            Variable::DateEcheance => &self.date_echeance,
            Variable::Conseiller => &self.conseiller,
            Variable::Caisse => &self.caisse,
        }
    }
}

impl fmt::Debug for TemplateValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TemplateValues(…)")
    }
}

#[derive(Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Variable(Variable),
}

/// A text whose every variable is known. Only [`Template::parse`] builds one. `Debug` shows
/// the length only: a reply being written holds a member's health details.
#[derive(Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// A text naming variables that do not exist. `Debug` and `Display` give their number only;
/// [`TemplateError::message_fr`] names them for the person who typed them.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} unknown template variable(s)", unknown.len())]
pub struct TemplateError {
    /// Each unknown name once, in order of appearance, without braces.
    unknown: Vec<String>,
}

impl fmt::Debug for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TemplateError({} unknown)", self.unknown.len())
    }
}

impl TemplateError {
    /// Returns the unknown names, without braces, each once.
    pub fn unknown(&self) -> &[String] {
        &self.unknown
    }

    /// Returns the sentence shown to the staff member, in French: the unknown variables and the
    /// list of those that exist.
    pub fn message_fr(&self) -> String {
        let quoted: Vec<String> = self.unknown.iter().map(|n| format!("{{{n}}}")).collect();
        let known: Vec<String> = Variable::ALL
            .iter()
            .map(|v| format!("{{{}}}", v.name()))
            .collect();
        let head = if quoted.len() == 1 {
            format!("La variable {} n'existe pas.", quoted[0])
        } else {
            format!("Les variables {} n'existent pas.", quoted.join(", "))
        };
        format!("{head} Variables possibles : {}.", known.join(", "))
    }
}

/// True for a character of a variable name: a letter (accented ones too, so that a misspelt
/// `{prénom}` is reported, not sent), a digit, `_` or `-`.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The variable name starting right after a `{` in `rest`, and the length of `name}` in
/// bytes, if `rest` starts with one.
fn name_at(rest: &str) -> Option<(&str, usize)> {
    let end = rest.find(|c: char| !is_name_char(c))?;
    let name = &rest[..end];
    let count = name.chars().count();
    if rest[end..].starts_with('}') && (1..=MAX_NAME_CHARS).contains(&count) {
        Some((name, end + 1))
    } else {
        None
    }
}

impl Template {
    /// Parses `text`: every `{name}` must be one of [`Variable::ALL`].
    ///
    /// # Errors
    /// [`TemplateError`] listing every unknown name.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut pieces = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            literal.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match name_at(after) {
                Some((name, used)) => {
                    match Variable::from_name(name) {
                        Some(variable) => {
                            if !literal.is_empty() {
                                pieces.push(Piece::Text(std::mem::take(&mut literal)));
                            }
                            pieces.push(Piece::Variable(variable));
                        }
                        None => {
                            if !unknown.iter().any(|u| u == name) {
                                unknown.push(name.to_owned());
                            }
                        }
                    }
                    rest = &after[used..];
                }
                None => {
                    literal.push('{');
                    rest = after;
                }
            }
        }
        literal.push_str(rest);
        if !unknown.is_empty() {
            return Err(TemplateError { unknown });
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Template { pieces })
    }

    /// Returns the text with every variable replaced by its value in `values`.
    pub fn render(&self, values: &TemplateValues) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Variable(variable) => out.push_str(values.get(*variable)),
            }
        }
        out
    }

    /// Returns true if and only if the text uses at least one variable.
    pub fn has_variables(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Variable(_)))
    }
}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Template({} pieces)", self.pieces.len())
    }
}

/// Returns `text` with its variables replaced by `values`: [`Template::parse`] then
/// [`Template::render`].
///
/// # Errors
/// [`TemplateError`] listing every unknown variable; nothing is rendered then.
pub fn render(text: &str, values: &TemplateValues) -> Result<String, TemplateError> {
    Template::parse(text).map(|t| t.render(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> TemplateValues {
        TemplateValues {
            prenom: "Julien".to_owned(),
            nom: "MARTIN".to_owned(),
            reference: "M-2026-K7Q3-9DXA".to_owned(),
            date_echeance: "12 mars 2026".to_owned(),
            conseiller: "Marie Lefebvre".to_owned(),
            caisse: "CPAM des Yvelines".to_owned(),
        }
    }

    #[test]
    fn every_variable_is_replaced_by_its_value() {
        let text = "Bonjour {prenom} {nom},\nvotre message {reference} (réponse attendue le \
                    {date_echeance}).\n{conseiller}, {caisse}";
        assert_eq!(
            render(text, &values()).unwrap(),
            "Bonjour Julien MARTIN,\nvotre message M-2026-K7Q3-9DXA (réponse attendue le \
             12 mars 2026).\nMarie Lefebvre, CPAM des Yvelines"
        );
        assert!(Template::parse(text).unwrap().has_variables());
        for variable in Variable::ALL {
            assert_eq!(Variable::from_name(variable.name()), Some(variable));
            assert!(!variable.label_fr().is_empty());
        }
    }

    #[test]
    fn text_without_variables_is_kept_as_is() {
        for text in [
            "",
            "Bonjour,",
            "{ }",
            "{à voir}",
            "{",
            "}",
            "a { b } c",
            "{{",
            "{}",
        ] {
            let template = Template::parse(text).unwrap();
            assert_eq!(template.render(&values()), text, "{text:?}");
            assert!(!template.has_variables());
        }
        // A brace before a variable stays.
        assert_eq!(render("{{prenom}}", &values()).unwrap(), "{Julien}");
    }

    #[test]
    fn unknown_variables_are_all_reported_once_and_nothing_is_rendered() {
        let error = Template::parse("Bonjour {prénom} {Nom} {prénom} {nom}").unwrap_err();
        assert_eq!(error.unknown(), ["prénom", "Nom"]);
        assert_eq!(
            error.message_fr(),
            "Les variables {prénom}, {Nom} n'existent pas. Variables possibles : {prenom}, \
             {nom}, {reference}, {date_echeance}, {conseiller}, {caisse}."
        );
        let one = render("Signé : {agent}", &values()).unwrap_err();
        assert!(
            one.message_fr()
                .starts_with("La variable {agent} n'existe pas.")
        );
    }

    #[test]
    fn debug_and_display_do_not_show_the_text_or_the_names() {
        let error = Template::parse("{diabete}").unwrap_err();
        assert!(!format!("{error:?} {error}").contains("diabete"));
        let template = Template::parse("Votre traitement du diabète").unwrap();
        assert!(!format!("{template:?}").contains("diabète"));
        assert!(!format!("{:?}", values()).contains("Julien"));
    }

    #[test]
    fn values_are_not_read_again() {
        let mut tricky = values();
        tricky.prenom = "{nom}".to_owned();
        assert_eq!(render("{prenom}", &tricky).unwrap(), "{nom}");
    }

    #[test]
    fn long_names_are_text() {
        let long = format!("{{{}}}", "a".repeat(33));
        assert_eq!(render(&long, &values()).unwrap(), long);
        let limit = format!("{{{}}}", "a".repeat(32));
        assert!(render(&limit, &values()).is_err());
    }
}
