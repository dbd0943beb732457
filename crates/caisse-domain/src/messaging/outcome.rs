//! The outcome (*issue*) of a réclamation, as the staff member who answered it records it.
//!
//! Three values, the usual wording of French administrations' answers to a complaint. An
//! outcome that is not fully favorable lets the member refer the réclamation to the fund's
//! médiateur (see [`super::mediation`]).

/// How the fund answered a réclamation. Stored by [`Outcome::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// « Favorable »: the fund grants what the member asked.
    Favorable,
    /// « Partiellement favorable »: the fund grants part of it.
    PartiellementFavorable,
    /// « Défavorable »: the fund maintains its position.
    Defavorable,
}

impl Outcome {
    /// Every outcome, in the order of the form.
    pub const ALL: [Outcome; 3] = [
        Outcome::Favorable,
        Outcome::PartiellementFavorable,
        Outcome::Defavorable,
    ];

    /// Returns the stable code stored in the database and sent by forms: `"favorable"`,
    /// `"partiellement_favorable"` or `"defavorable"`. Never change a code.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Favorable => "favorable",
            Outcome::PartiellementFavorable => "partiellement_favorable",
            Outcome::Defavorable => "defavorable",
        }
    }

    /// Returns the outcome of an [`Outcome::code`], or `None` for any other string.
    pub fn from_code(code: &str) -> Option<Outcome> {
        Outcome::ALL
            .into_iter()
            .find(|outcome| outcome.code() == code)
    }

    /// Returns the French label: « Favorable », « Partiellement favorable » or
    /// « Défavorable ».
    pub fn label_fr(self) -> &'static str {
        match self {
            Outcome::Favorable => "Favorable",
            Outcome::PartiellementFavorable => "Partiellement favorable",
            Outcome::Defavorable => "Défavorable",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_labels_are_french() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::from_code(outcome.code()), Some(outcome));
        }
        assert_eq!(Outcome::from_code("Défavorable"), None);
        assert_eq!(Outcome::from_code(""), None);
        let labels = Outcome::ALL.map(Outcome::label_fr);
        assert_eq!(
            labels,
            ["Favorable", "Partiellement favorable", "Défavorable"]
        );
    }
}
