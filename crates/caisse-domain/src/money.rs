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
}
