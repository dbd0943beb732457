//! What « Mes paiements » calls each payment a member sees: a reimbursement of care to them,
//! indemnités journalières (to them or to their employer), or a payment to a professional in
//! tiers payant (the member's share of it).

/// The kind of a payment, as the member's list shows and filters it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemberPaymentKind {
    /// Care reimbursed to the member.
    Soins,
    /// Indemnités journalières of an arrêt de travail.
    IndemnitesJournalieres,
    /// Paid to a professional in tiers payant.
    Professionnel,
}

impl MemberPaymentKind {
    /// Every kind, in the order the filter lists them.
    pub const ALL: [MemberPaymentKind; 3] = [
        MemberPaymentKind::Soins,
        MemberPaymentKind::IndemnitesJournalieres,
        MemberPaymentKind::Professionnel,
    ];

    /// The code of links and of the API.
    pub fn code(self) -> &'static str {
        match self {
            MemberPaymentKind::Soins => "soins",
            MemberPaymentKind::IndemnitesJournalieres => "indemnites_journalieres",
            MemberPaymentKind::Professionnel => "professionnel",
        }
    }

    /// The kind a code names.
    pub fn from_code(code: &str) -> Option<MemberPaymentKind> {
        MemberPaymentKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
    }

    /// The kind, for the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            MemberPaymentKind::Soins => "Soins",
            MemberPaymentKind::IndemnitesJournalieres => "Indemnités journalières",
            MemberPaymentKind::Professionnel => "Paiement au professionnel",
        }
    }

    /// The kind of a payment, for the member: a reimbursement the day's indemnités
    /// journalières joined says both.
    pub fn label_with_ij_fr(self, includes_ij: bool) -> &'static str {
        match self {
            MemberPaymentKind::Soins if includes_ij => "Soins et indemnités journalières",
            other => other.label_fr(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back() {
        for kind in MemberPaymentKind::ALL {
            assert_eq!(MemberPaymentKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(MemberPaymentKind::from_code("ij"), None);
    }
}
