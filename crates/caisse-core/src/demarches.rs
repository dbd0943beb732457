//! « Mes démarches » (issue 15): the procedure definitions ([`definitions`]) and the dossier
//! engine that runs them.

pub mod definitions;
#[cfg(test)]
mod tests;

pub use definitions::{Catalogue, DefinitionError, DefinitionErrors};
