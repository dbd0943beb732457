//! [`StaffRole`]: what a back-office user may do.

use std::fmt;

use crate::coded::coded_enum;

coded_enum! {
    /// What a staff member may do. Each role includes the ones before it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum StaffRole {
        /// Answers and processes members' requests.
        Conseiller => "conseiller",
        /// Oversees teams, delays and dashboards.
        Superviseur => "superviseur",
        /// Operates the platform (staff accounts, outbox).
        Administrateur => "administrateur",
    }
}

impl StaffRole {
    /// French label.
    pub fn label_fr(self) -> &'static str {
        match self {
            StaffRole::Conseiller => "Conseiller",
            StaffRole::Superviseur => "Superviseur",
            StaffRole::Administrateur => "Administrateur",
        }
    }
}

impl fmt::Display for StaffRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_round_trip() {
        assert!(StaffRole::Administrateur > StaffRole::Superviseur);
        assert!(StaffRole::Superviseur > StaffRole::Conseiller);
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::from_code(role.code()), Some(role));
        }
        assert_eq!(StaffRole::from_code("root"), None);
        assert_eq!(StaffRole::Superviseur.to_string(), "superviseur");
    }
}
