//! Amounts as the file writes them: euros with a dot and exactly two decimals, from integer
//! cents, with no float on the way (`1` cent → `0.01`, 123456789 cents → `1234567.89`).

use std::fmt;

use caisse_domain::AmountCents;

/// An amount written as a decimal number of euros (`xs:decimal`, no thousands separator).
pub(super) struct Decimal(pub(super) AmountCents);

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = self.0.cents();
        let sign = if cents < 0 { "-" } else { "" };
        let magnitude = cents.unsigned_abs();
        write!(f, "{sign}{}.{:02}", magnitude / 100, magnitude % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(cents: i64) -> String {
        Decimal(AmountCents::new(cents)).to_string()
    }

    #[test]
    fn two_decimals_from_cents() {
        assert_eq!(written(1), "0.01");
        assert_eq!(written(10), "0.10");
        assert_eq!(written(99), "0.99");
        assert_eq!(written(1_900), "19.00");
        assert_eq!(written(123_456_789), "1234567.89");
        assert_eq!(written(99_999_999_999), "999999999.99");
        assert_eq!(written(0), "0.00");
    }

    #[test]
    fn extremes_do_not_overflow() {
        assert_eq!(written(i64::MAX), "92233720368547758.07");
        assert_eq!(written(i64::MIN), "-92233720368547758.08");
        assert_eq!(written(-5), "-0.05");
    }
}
