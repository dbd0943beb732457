//! Sex as recorded in the NIR (first digit), the only source this crate reads it from.
//!
//! It is a registry attribute, not a gender identity field: the portal must not use it
//! for forms of address without the member's own choice.

/// Sex recorded in the national register, as encoded by the first digit of a NIR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Coded 1 in a definitive NIR (3 or 7 in a provisional number).
    Male,
    /// Coded 2 in a definitive NIR (4 or 8 in a provisional number).
    Female,
}

impl Sex {
    /// Returns the code used in a definitive NIR: 1 for [`Sex::Male`], 2 for [`Sex::Female`].
    pub fn code(self) -> u8 {
        match self {
            Sex::Male => 1,
            Sex::Female => 2,
        }
    }

    /// Returns the French label shown to users: « Homme » or « Femme ».
    pub fn label_fr(self) -> &'static str {
        match self {
            Sex::Male => "Homme",
            Sex::Female => "Femme",
        }
    }

    /// Reads a stored code: `1` for [`Sex::Male`], `2` for [`Sex::Female`].
    pub fn from_code(code: &str) -> Option<Sex> {
        match code {
            "1" => Some(Sex::Male),
            "2" => Some(Sex::Female),
            _ => None,
        }
    }

    /// Maps a NIR sex digit to a sex, or `None` for a digit that no NIR uses.
    ///
    /// 1/3/7 are male and 2/4/8 female (domain.md §1.1): 3/4 and 7/8 are the provisional
    /// and in-registration numbers, which still carry the sex.
    pub(crate) fn from_nir_digit(digit: u8) -> Option<Sex> {
        match digit {
            b'1' | b'3' | b'7' => Some(Sex::Male),
            b'2' | b'4' | b'8' => Some(Sex::Female),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_follow_the_register() {
        assert_eq!(Sex::Male.code(), 1);
        assert_eq!(Sex::Female.code(), 2);
        assert_eq!(Sex::Male.label_fr(), "Homme");
        assert_eq!(Sex::Female.label_fr(), "Femme");
        for sex in [Sex::Male, Sex::Female] {
            assert_eq!(Sex::from_code(&sex.code().to_string()), Some(sex));
        }
        assert_eq!(Sex::from_code("3"), None);
    }

    #[test]
    fn provisional_digits_keep_the_sex() {
        for (digit, sex) in [(b'1', Sex::Male), (b'3', Sex::Male), (b'7', Sex::Male)] {
            assert_eq!(Sex::from_nir_digit(digit), Some(sex));
        }
        for digit in [b'2', b'4', b'8'] {
            assert_eq!(Sex::from_nir_digit(digit), Some(Sex::Female));
        }
        for digit in [b'0', b'5', b'6', b'9', b'A'] {
            assert_eq!(Sex::from_nir_digit(digit), None);
        }
    }
}
