//! Teams of a fund's back office: who handles which objets.
//!
//! A team has a code, unique in its fund and stored with each thread it handles, and a French
//! name. Which objets go to which team is the fund's configuration (an objet to at most one
//! team of a fund); a thread whose objet no team handles waits at the reception,
//! « Accueil (non routé) ».

use super::catalogue::is_good_label;

/// How the queue names the threads no team handles.
pub const UNROUTED_LABEL_FR: &str = "Accueil (non routé)";

/// Longest team code, in bytes: the width of `message_threads.team`.
const MAX_CODE_LEN: usize = 32;

/// A team code: 2 to 32 lower-case ASCII letters, digits, `-` or `_`, starting with a letter
/// (`prestations`, `ij-maternite`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TeamCode(String);

/// A team's French name: not empty, not padded, at most 100 characters, printable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TeamName(String);

/// Why a team's code or name was refused. Carries no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum TeamError {
    /// A code of the wrong shape.
    #[error("malformed team code")]
    BadCode,
    /// An empty, padded, too long or unprintable name.
    #[error("malformed team name")]
    BadName,
}

impl TeamError {
    /// Returns the sentence shown to the administrator, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            TeamError::BadCode => {
                "Le code d'équipe doit compter de 2 à 32 caractères : lettres minuscules sans \
                 accent, chiffres, « - » ou « _ », en commençant par une lettre."
            }
            TeamError::BadName => {
                "Le nom de l'équipe est vide, trop long (100 caractères au plus) ou contient \
                 un caractère non imprimable."
            }
        }
    }
}

impl TeamCode {
    /// Parses a team code (surrounding spaces are not trimmed: a code is typed exactly).
    ///
    /// # Errors
    /// [`TeamError::BadCode`].
    pub fn parse(raw: &str) -> Result<TeamCode, TeamError> {
        let good = (2..=MAX_CODE_LEN).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if good {
            Ok(TeamCode(raw.to_owned()))
        } else {
            Err(TeamError::BadCode)
        }
    }

    /// Returns the code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TeamName {
    /// Parses a team name.
    ///
    /// # Errors
    /// [`TeamError::BadName`].
    pub fn parse(raw: &str) -> Result<TeamName, TeamError> {
        if is_good_label(raw) {
            Ok(TeamName(raw.to_owned()))
        } else {
            Err(TeamError::BadName)
        }
    }

    /// Returns the name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_lower_case_identifiers() {
        for good in [
            "prestations",
            "ij-maternite",
            "at_mp",
            "c2",
            &"a".repeat(32),
        ] {
            assert_eq!(TeamCode::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "a",
            "Prestations",
            "2eme",
            "-ij",
            "équipe",
            "a b",
            " ij",
            &"a".repeat(33),
        ] {
            assert_eq!(TeamCode::parse(bad), Err(TeamError::BadCode), "{bad:?}");
        }
    }

    #[test]
    fn names_are_printable_labels() {
        assert!(TeamName::parse("Service prestations").is_ok());
        for bad in ["", " Service", "Service\n", &"é".repeat(101)] {
            assert_eq!(TeamName::parse(bad), Err(TeamError::BadName), "{bad:?}");
        }
        assert!(TeamError::BadCode.message_fr().contains("2 à 32"));
    }
}
