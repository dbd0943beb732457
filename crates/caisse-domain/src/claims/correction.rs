//! Corrections of a paid line by the back office: the corrected amount reimbursed, what the
//! difference becomes (a debt of the overpaid member, or a complementary payment), and whether
//! a supervisor must approve it first. The line's liquidation is never rewritten: a correction
//! is kept beside it, with who asked, why, and the old and new amounts.

use crate::money::AmountCents;

/// Where a correction stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CorrectionStatus {
    /// Above the approval amount: waits for a supervisor; nothing has changed in money.
    AValider,
    /// In force: its debt or complementary payment is recorded.
    Appliquee,
    /// Refused by a supervisor: nothing changed.
    Refusee,
}

impl CorrectionStatus {
    /// Every status.
    pub const ALL: [CorrectionStatus; 3] = [
        CorrectionStatus::AValider,
        CorrectionStatus::Appliquee,
        CorrectionStatus::Refusee,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            CorrectionStatus::AValider => "a_valider",
            CorrectionStatus::Appliquee => "appliquee",
            CorrectionStatus::Refusee => "refusee",
        }
    }

    /// The status a stored code names.
    pub fn from_code(code: &str) -> Option<CorrectionStatus> {
        CorrectionStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status, for staff pages.
    pub fn label_fr(self) -> &'static str {
        match self {
            CorrectionStatus::AValider => "À valider",
            CorrectionStatus::Appliquee => "Appliquée",
            CorrectionStatus::Refusee => "Refusée",
        }
    }
}

/// What the difference between the amount paid and the corrected one becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorrectionEffect {
    /// Paid too much: a debt of this amount, recovered like the others.
    Overpayment(AmountCents),
    /// Paid too little: a complementary payment of this amount.
    Complement(AmountCents),
}

impl CorrectionEffect {
    /// The effect of correcting `paid` to `corrected`; `None` when they are equal.
    pub fn of(paid: AmountCents, corrected: AmountCents) -> Option<CorrectionEffect> {
        let difference = corrected.cents() - paid.cents();
        match difference {
            0 => None,
            d if d < 0 => Some(CorrectionEffect::Overpayment(AmountCents::new(-d))),
            d => Some(CorrectionEffect::Complement(AmountCents::new(d))),
        }
    }

    /// The amount of the debt or of the payment.
    pub fn amount(self) -> AmountCents {
        match self {
            CorrectionEffect::Overpayment(a) | CorrectionEffect::Complement(a) => a,
        }
    }

    /// A supervisor must approve a correction whose difference is above `approval_above`.
    pub fn needs_approval(self, approval_above: AmountCents) -> bool {
        self.amount().cents() > approval_above.cents()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(n: i64) -> AmountCents {
        AmountCents::new(n)
    }

    #[test]
    fn the_difference_is_a_debt_or_a_complement() {
        assert_eq!(
            CorrectionEffect::of(cents(1900), cents(0)),
            Some(CorrectionEffect::Overpayment(cents(1900)))
        );
        assert_eq!(
            CorrectionEffect::of(cents(1900), cents(2500)),
            Some(CorrectionEffect::Complement(cents(600)))
        );
        assert_eq!(CorrectionEffect::of(cents(1900), cents(1900)), None);
    }

    #[test]
    fn approval_is_needed_strictly_above_the_amount() {
        let limit = cents(15_000);
        assert!(!CorrectionEffect::Complement(cents(15_000)).needs_approval(limit));
        assert!(CorrectionEffect::Overpayment(cents(15_001)).needs_approval(limit));
        for status in CorrectionStatus::ALL {
            assert_eq!(CorrectionStatus::from_code(status.code()), Some(status));
        }
    }
}
