//! « Mes démarches »: one engine for every online procedure (issue 15).
//!
//! A procedure is data: a [`Definition`] (fields in steps, conditions, pieces, the delay and
//! the rule on silence, the team that instructs it, the effect applied on acceptance). The
//! server reads the definitions from versioned files and checks them with
//! [`Definition::check`]; a dossier keeps the version it was opened with. Answers are parsed
//! once per field kind ([`answers::read_step`]) into [`AnswerValue`]s, conditions are
//! evaluated here on the server ([`Condition::holds`]), so every step works without
//! JavaScript. [`DossierState`] says which moves a dossier may make, and [`delay`] computes
//! its due date with the fund's calendar, paused while the member completes it.

pub mod answers;
mod check;
mod condition;
pub mod definition;
pub mod delay;
mod reference;
mod state;
#[cfg(test)]
mod tests;

pub use answers::{AnswerValue, Answers, FieldError, PostalAddress, RawInput};
pub use check::DefinitionProblem;
pub use condition::Condition;
pub use definition::{
    ChoiceOption, Definition, Effect, Field, FieldId, FieldKind, FilingFor, ProcedureCode,
    SilenceRule, Step,
};
pub use delay::{Delay, DelayUnit};
pub use reference::dossier_reference;
pub use state::{DossierAction, DossierState, FiledAs, Move};
