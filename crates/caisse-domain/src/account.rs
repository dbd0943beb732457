//! The states and kinds of a member's portal account and what hangs on it, each stored as a
//! stable code: the account's state, who a session belongs to, what a mailed link is for, where
//! a bank-details change stands, why the fund was alerted, what a postal letter is.

use crate::coded::coded_enum;

coded_enum! {
    /// Where a member's portal account stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum AccountStatus {
        /// Registered online; waits for the activation link.
        Pending => "pending",
        /// The member can log in.
        Active => "active",
        /// Locked by the fund after suspicious activity; a staff member lifts it.
        Suspended => "suspended",
        /// Closed by the member; a provisional code reopens it.
        Closed => "closed",
    }
}

coded_enum! {
    /// The OpenID Connect provider a login went through.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum LoginProvider {
        /// FranceConnect, for members.
        FranceConnect => "franceconnect",
        /// The fund's own identity provider, for staff.
        StaffIdp => "staff_idp",
    }
}

coded_enum! {
    /// Who a session belongs to.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum SubjectKind {
        /// An insured member.
        Member => "member",
        /// A back-office user.
        Staff => "staff",
    }
}

coded_enum! {
    /// What a single-use account link is for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum LinkPurpose {
        /// Activates a registered account and confirms its email address.
        Activation => "activation",
        /// Confirms a new email address.
        EmailChange => "email_change",
        /// « Ce n'était pas moi »: the member disowns what a security mail reported.
        NotMe => "not_me",
    }
}

coded_enum! {
    /// Where a requested change of bank details stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum BankChangeStatus {
        /// Waiting for the end of its cool-off period.
        Pending => "pending",
        /// In force.
        Applied => "applied",
        /// Withdrawn by the member, or cancelled by a freeze.
        Cancelled => "cancelled",
    }
}

coded_enum! {
    /// Why the fund's staff were alerted about an account.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum AlertKind {
        /// The member clicked « Ce n'était pas moi ».
        NotMe => "not_me",
        /// Wrong passwords from many addresses.
        DistributedFailures => "distributed_failures",
        /// Many reset requests.
        ResetBurst => "reset_burst",
    }
}

coded_enum! {
    /// What a postal letter of the print queue is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum LetterKind {
        /// A provisional code sent by post.
        ProvisionalCode => "provisional_code",
        /// An *avis de sommes à payer* to a member with no email address.
        DebtNotice => "debt_notice",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_unknown_ones_do_not() {
        for status in AccountStatus::ALL {
            assert_eq!(AccountStatus::from_code(status.code()), Some(status));
        }
        for kind in SubjectKind::ALL {
            assert_eq!(SubjectKind::from_code(kind.code()), Some(kind));
        }
        for purpose in LinkPurpose::ALL {
            assert_eq!(LinkPurpose::from_code(purpose.code()), Some(purpose));
        }
        for status in BankChangeStatus::ALL {
            assert_eq!(BankChangeStatus::from_code(status.code()), Some(status));
        }
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(
            LetterKind::from_code("provisional_code"),
            Some(LetterKind::ProvisionalCode)
        );
        for kind in LetterKind::ALL {
            assert_eq!(LetterKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(AccountStatus::from_code("ACTIVE"), None);
        assert_eq!(AlertKind::from_code(""), None);
    }
}
