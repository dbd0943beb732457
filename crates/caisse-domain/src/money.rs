//! Amounts of money, in whole cents: money is never a float.

/// An amount in euro cents, negative for a debit. Shown with [`crate::french::amount`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AmountCents(i64);

impl AmountCents {
    /// `cents` euro cents.
    pub const fn new(cents: i64) -> AmountCents {
        AmountCents(cents)
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// An amount in euros as a person types it: `19`, `19,5`, `19,50`, `1 234,56 €` (a dot
    /// also separates the cents); never negative, at most two decimals.
    ///
    /// # Errors
    /// [`AmountError`] when the text is not such an amount.
    pub fn parse_euros(text: &str) -> Result<AmountCents, AmountError> {
        let cleaned: String = text
            .trim()
            .trim_end_matches('€')
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let (euros, decimals) = match cleaned.split_once([',', '.']) {
            Some((e, d)) => (e, d),
            None => (cleaned.as_str(), ""),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(euros) || decimals.len() > 2 || (!decimals.is_empty() && !digits(decimals)) {
            return Err(AmountError);
        }
        let euros: i64 = euros.parse().map_err(|_| AmountError)?;
        let cents: i64 = match decimals.len() {
            0 => 0,
            1 => decimals.parse::<i64>().map_err(|_| AmountError)? * 10,
            _ => decimals.parse().map_err(|_| AmountError)?,
        };
        euros
            .checked_mul(100)
            .and_then(|e| e.checked_add(cents))
            .map(AmountCents)
            .ok_or(AmountError)
    }
}

/// A text that is not an amount in euros.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an amount in euros")]
pub struct AmountError;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_euros_read_as_people_type_them() {
        for (text, cents) in [
            ("19", 1900),
            ("19,5", 1950),
            ("19,50", 1950),
            ("0.07", 7),
            ("19,", 1900),
            ("1 234,56 €", 123_456),
            ("1\u{202f}234,56\u{a0}€", 123_456),
        ] {
            assert_eq!(
                AmountCents::parse_euros(text),
                Ok(AmountCents(cents)),
                "{text}"
            );
        }
        for text in ["", "-3", "19,505", "dix", ",5", "1e3", "1,2,3"] {
            assert_eq!(AmountCents::parse_euros(text), Err(AmountError), "{text}");
        }
    }
}
